// The ledger on one machine: the event log (embedded on RocksDB, the
// default), the personal-data vault, the command processor and the
// projection engine, wired over one data directory:
//
//   DIR/log            the embedded event log
//   DIR/state          the command processor's state store
//   DIR/views          the view store of the projections
//   DIR/keys           the personal-data vault (outside the log)
//   DIR/admin.token    the administrator's bearer token (0600)
//   DIR/server.secret  the secret behind tracking codes (0600)
//   DIR/transparency.key  the transparency log's checkpoint signing key (0600)
//   DIR/transparency.pub  its public verifier key
//   DIR/checkpoints    the signed checkpoints, append-only (not a view)
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "events/event_log.h"
#include "events/personal_vault.h"
#include "gateways/checkpoint_publisher.h"
#include "projections/command_processor.h"
#include "projections/projection_engine.h"
#include "projections/view_queries.h"

namespace pl {

struct LedgerOptions {
  std::string data_dir = "./data";
  std::string charter_path;        // adopted on first start; default: the shipped charter
  int32_t partitions = 1;
  std::function<int64_t()> clock;  // default: the system clock
  bool follow = true;              // run the projection engine on a background thread
  // The transparency log's origin and key name; default
  // "permitledger.local/<kecamatan code of the charter>".
  std::string transparency_origin;
  // How often a checkpoint is signed while the log grows (0: only on demand
  // and at shutdown). Checkpoints are published only when `follow` is set.
  std::chrono::milliseconds checkpoint_interval{10000};
};

// The views every ledger maintains, in a fresh set.
std::vector<std::unique_ptr<Projection>> AllProjections();
// The charter shipped with the project.
std::string DefaultCharterPath();

class Ledger {
 public:
  static Result<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  ~Ledger();

  EventLog& log() { return *log_; }
  PersonalVault& vault() { return *vault_; }
  CommandProcessor& processor() { return *processor_; }
  ProjectionEngine& engine() { return *engine_; }
  const ViewQueries& queries() const { return *queries_; }
  // The checkpoint publisher; null when the ledger does not follow its log.
  CheckpointPublisher* transparency() { return publisher_.get(); }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& data_dir() const { return options_.data_dir; }
  int64_t now() const { return options_.clock(); }

  // The applicant's tracking code of a permit: an HMAC under the server
  // secret, so a retried submission gets the same code and nobody without
  // the secret can guess one.
  std::string TrackingCode(const std::string& permit_id) const;

  // Submits a command and calls `done` once it is durable AND the views
  // include it (read-your-writes for the caller).
  void Execute(Command cmd, std::function<void(Outcome)> done);
  Outcome ExecuteSync(Command cmd);

 private:
  explicit Ledger(LedgerOptions options) : options_(std::move(options)) {}
  Status Bootstrap();

  LedgerOptions options_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<PersonalVault> vault_;
  std::unique_ptr<CommandProcessor> processor_;
  std::unique_ptr<ProjectionEngine> engine_;
  std::unique_ptr<ViewQueries> queries_;
  std::unique_ptr<CheckpointPublisher> publisher_;
  std::string admin_token_;
  std::string secret_;
};

// Hex SHA-256 of a token or code: what the log and views store instead.
std::string HashToken(const std::string& token);
// A random token of `bytes` bytes, URL-safe.
std::string RandomToken(size_t bytes);

}  // namespace pl
