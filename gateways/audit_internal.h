// The auditor behind `permitledger audit verify` (AuditVerify), shared by
// audit_verify.cc (the log's tree and checkpoints, the view store) and
// audit_stream_checks.cc (every stream against the domain rules). Internal
// to gateways/: not part of any public interface.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/decider.h"
#include "events/event_log.h"
#include "gateways/audit_cli.h"
#include "projections/signed_note.h"

namespace pl {

// What the domain checks remember of a permit stream.
struct StreamCheck {
  uint64_t seq = 0;
  PermitStatus status = PermitStatus::kNone;
  bool erased = false;
  std::string kelurahan;
};

class Auditor {
 public:
  explicit Auditor(const AuditOptions& o) : options_(o) {}

  void Problem(std::string kind, std::string where, std::string message) {
    ++report_.problem_count;
    if (report_.problems.size() < options_.max_problems)
      report_.problems.push_back({std::move(kind), std::move(where), std::move(message)});
  }

  Status Run();
  Result<std::unique_ptr<EventLog>> OpenLog();
  AuditReport& report() { return report_; }

 private:
  struct Pending {      // a signed checkpoint awaiting its size in the stream
    std::string label;  // "checkpoint 3 (size 645)", or "held checkpoint 1 (size 645)"
    uint64_t size;
    Hash root;
  };
  // Checks one signed note and queues it for its size (nullopt: refused).
  void Queue(const std::string& where, const std::string& note, std::optional<uint64_t> stored_size,
             const NoteVerifierKey& key, const std::string& vkey);
  void LoadCheckpoints(const NoteVerifierKey& key, const std::string& vkey);
  void CheckGovernance(const Envelope& e, const std::string& where);
  void CheckPermit(const Envelope& e, const std::string& where);
  void CheckConsistency();

  const AuditOptions& options_;
  AuditReport report_;
  std::vector<Pending> pending_;  // sorted by size
  std::vector<Pending> matched_;  // checkpoints whose root matched the log
  GovernanceState gov_;
  std::unordered_map<std::string, StreamCheck> streams_;
  std::unique_ptr<rocksdb::DB> views_;
};

}  // namespace pl
