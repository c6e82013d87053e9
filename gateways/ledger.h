// The ledger: the event log, the personal-data vault, where commands go (a
// LedgerBackend) and the projection engine, wired over one data directory.
// Two modes share this one interface towards the gateways:
//   embedded (default): an EmbeddedLog on RocksDB and the embedded
//     CommandProcessor, in this process;
//   Kafka (LedgerOptions::kafka.bootstrap set): the event, command and
//     outcome topics on a Kafka cluster (docs/kafka.md); commands are
//     produced to the command topic and answered from the outcome topic;
//     this process also runs a KafkaCommandProcessor (a consumer-group
//     member) unless kafka.process_commands is false; the views follow the
//     event topic.
//
//   DIR/log            the embedded event log (embedded mode)
//   DIR/state          the command processor's state store
//   DIR/instance.id    this instance's name in the processor group (Kafka mode)
//   DIR/views          the view store of the projections
//   DIR/keys           the personal-data vault (outside the log; on Kafka a copy
//                      of the one vault on the key topic, events/vault_share.h)
//   DIR/admin.token    the administrator's bearer token (0600)
//   DIR/server.secret  the secret behind tracking codes (0600)
//   DIR/transparency.key  the transparency log's checkpoint signing key (0600)
//   DIR/transparency.pub  its public verifier key
//   DIR/checkpoints    the signed checkpoints, append-only (not a view)
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "events/disk_space.h"
#include "events/event_log.h"
#include "events/personal_vault.h"
#include "events/vault_share.h"
#include "gateways/checkpoint_publisher.h"
#include "gateways/feed_publisher.h"
#include "projections/command_core.h"
#include "projections/projection_engine.h"
#include "projections/view_queries.h"

namespace pl {

class CommandProcessor;

struct LedgerKafkaOptions {
  std::string bootstrap;                      // "host:port[,...]"; empty: the embedded log
  std::string topic_prefix = "permitledger";  // <prefix>.commands / .events / .outcomes
  // Of all three topics; fixed at creation. One: one total order of the
  // events, so every instance's transparency log and feeds are the same
  // (docs/kafka.md, "Partitions and order").
  int32_t partitions = 1;
  int16_t replication_factor = 1;   // when creating topics (3 in production)
  int32_t min_insync_replicas = 1;  // when creating topics (2 in production)
  // Commands are deleted from their topic once decided, every
  // `delete_decided_every` (KafkaProcessorOptions); the retention is for
  // those no processor decided.
  int64_t command_retention_ms = 7LL * 24 * 3600 * 1000;
  std::chrono::milliseconds delete_decided_every{10000};
  // Fault injection, for tests only (KafkaProcessorOptions::before_commit,
  // VaultShareOptions::before_apply).
  std::function<void(const std::string& transactional_id)> before_commit;
  std::function<void()> before_key_apply;
  bool process_commands = true;  // run a command processor in this process
  bool publish_feeds = true;     // copy the subscribers' feeds to their topics (docs/feeds.md)
  // A feed whose topic stood still this long while this instance holds
  // messages past its end is published here (FeedPublisherOptions).
  std::chrono::milliseconds feeds_takeover_after{30000};
  std::string group_id;  // default "<prefix>.processors"
  std::chrono::milliseconds outcome_timeout{30000};
  // A command topic that acknowledged nothing for `unreachable_after` has
  // new commands refused at once (503), all but one every `probe_every`
  // (KafkaBackend).
  std::chrono::milliseconds unreachable_after{3000};
  std::chrono::milliseconds probe_every{5000};
  std::chrono::milliseconds transaction_timeout{10000};
  std::chrono::milliseconds session_timeout{6000};
  std::map<std::string, std::string> client_config;  // e.g. security settings
};

struct LedgerOptions {
  std::string data_dir = "./data";
  std::string charter_path;  // adopted on first start; empty: the shipped one (compiled in)
  int32_t partitions = 1;
  std::function<int64_t()> clock;  // default: the system clock
  bool follow = true;              // run the projection engine on a background thread
  // The offline tools (replay, audit): the embedded log and the views are
  // opened without writing anything to them, RocksDB's recovery included
  // (the views as they are, not caught up with the log); a command is
  // refused.
  bool read_only_log = false;
  // The free space the ledger keeps on the data directory's disk: it does
  // not start, and refuses commands (503, nothing written), with less
  // (events/disk_space.h). `free_bytes` tells how much is free (default:
  // statvfs of the data directory).
  uint64_t disk_reserve = kDefaultDiskReserve;
  std::function<DiskRoom()> free_bytes;  // default: LeastFree(data_dir)
  // Adopt `charter_path` when the log has no charter yet. The offline tools
  // (replay, trail export) do not: they never write to the log.
  bool adopt_charter = true;
  // When that first charter is adopted (ms since the epoch; 0: now). The
  // demo dates it before its generated history (DemoCharterTime), so that
  // its permits' stages fall under it, as they would have.
  int64_t charter_time_ms = 0;
  LedgerKafkaOptions kafka;
  // The transparency log's origin and key name; default: the name of the
  // key in DATA/transparency.key, or for a new key
  // "permitledger.local/<kecamatan code>/<permit type>" of the charter.
  std::string transparency_origin;
  // How often a checkpoint is signed while the log grows (0: only on demand
  // and at shutdown). Checkpoints are published only when `follow` is set.
  std::chrono::milliseconds checkpoint_interval{10000};

  // The defaults, on the data directory `dir`.
  static LedgerOptions At(std::string dir) {
    LedgerOptions o;
    o.data_dir = std::move(dir);
    return o;
  }
};

// Where a ledger's commands go. Submit calls `done` once the command is
// decided and, if accepted, durable (not yet necessarily in the views).
// Thread safety: every method may be called from any thread.
class LedgerBackend {
 public:
  virtual ~LedgerBackend() = default;
  virtual void Submit(Command cmd, std::function<void(Outcome)> done) = 0;
  virtual std::shared_ptr<const GovernanceState> governance() const = 0;
  virtual uint64_t commands_accepted() const = 0;
  virtual uint64_t commands_refused() const = 0;
  // The log partitions whose commands this process decides now: all of
  // them embedded; on Kafka those its processor owns (none on an instance
  // that only serves, or whose processor lost them).
  virtual size_t partitions_deciding() const = 0;
  // Whether commands reach the log now; false while a Kafka cluster that
  // cannot be reached has commands refused at once (KafkaBackend).
  virtual bool log_reachable() const { return true; }
};

// The views every ledger maintains, in a fresh set.
std::vector<std::unique_ptr<Projection>> AllProjections();

class Ledger {
 public:
  static Result<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  ~Ledger();

  EventLog& log() { return *log_; }
  PersonalVault& vault() { return *vault_; }
  LedgerBackend& backend() { return *backend_; }
  bool kafka() const { return !options_.kafka.bootstrap.empty(); }
  // The governance state (charter, officers) the processor decides under.
  std::shared_ptr<const GovernanceState> governance() const { return backend_->governance(); }
  uint64_t commands_accepted() const { return backend_->commands_accepted(); }
  uint64_t commands_refused() const { return backend_->commands_refused(); }
  size_t partitions_deciding() const { return backend_->partitions_deciding(); }
  // Bytes free on the data directory's disk, and the reserve below which
  // commands are refused (events/disk_space.h).
  uint64_t disk_free() const;
  uint64_t disk_reserve() const { return options_.disk_reserve; }
  // Applications whose personal data's key the vault lacks with no erasure
  // on the log, counted at start (embedded; 0 on Kafka): a DATA/keys older
  // than the log.
  uint64_t keys_missing() const { return keys_missing_; }
  ProjectionEngine& engine() { return *engine_; }
  const ViewQueries& queries() const { return *queries_; }
  // The checkpoint publisher; null when the ledger does not follow its log.
  CheckpointPublisher* transparency() { return publisher_.get(); }
  // The Kafka feed publisher; null on the embedded log, or when not following.
  FeedPublisher* feeds() { return feeds_.get(); }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& data_dir() const { return options_.data_dir; }
  int64_t now() const { return options_.clock(); }
  // Whether this start adopted the first charter (LedgerOptions::charter_path);
  // false when the log had one already, and the file was not read.
  bool adopted_charter_at_start() const { return adopted_charter_; }

  // The applicant's tracking code of a permit applied for with `request`
  // (who sent what): an HMAC of both under the server secret, so the same
  // request sent again gets the same code, another request under the same
  // permit id does not, and nobody without the secret can guess one.
  std::string TrackingCode(const std::string& permit_id, std::string_view request) const;
  // A tracking code as an applicant may type or read it aloud, written as
  // TrackingCode writes it: case, spaces and hyphens do not matter, and the
  // letters Crockford's base32 leaves out read as the digits they look like
  // (O as 0; I and L as 1). Anything that is not then twenty characters of
  // the alphabet is returned as it was given (and matches no code).
  static std::string NormalizeTrackingCode(std::string_view typed);
  // The token of an officer enrolled with `request` under `command_id`: an
  // HMAC of both under the server secret, so that a retried enrolment (the
  // answer was lost) gets the same token again, and nothing else does.
  std::string OfficerToken(const std::string& command_id, std::string_view request) const;
  // The bearer token of a feed subscriber (docs/feeds.md): an HMAC of its id
  // and token `generation` (the charter's data_sharing.<id>.token_generation)
  // under the server secret, handed to the subscriber by the administrator.
  std::string SubscriberToken(const std::string& subscriber, uint32_t generation) const;

  // Submits a command; `done` is called once it is decided and durable.
  void Submit(Command cmd, std::function<void(Outcome)> done);
  // Submits a command and calls `done` once it is durable AND (when the
  // views follow the log) the views include it: read-your-writes.
  void Execute(Command cmd, std::function<void(Outcome)> done);
  Outcome ExecuteSync(Command cmd);

  // A backup of the running ledger (embedded log): a data directory made
  // of its stores, secrets and signed checkpoints as they are now, at
  // DATA/backups/<UTC time>, that `serve --data` starts from and `audit
  // verify` checks. The log, the processor's state and the vault are
  // copied between two batches (commands wait meanwhile); the signed
  // checkpoints and the views before them, so that nothing in the copy is
  // ahead of its log. Refused on Kafka ("backup_on_kafka"), while another
  // runs ("backup_in_progress") and below the disk's reserve ("disk_full").
  struct BackupMade {
    std::string directory;
    std::vector<uint64_t> log_end;  // the log's next offset per partition, in the copy
    double seconds = 0, paused_seconds = 0;
  };
  Result<BackupMade> Backup();
  // Backup on a thread of its own (an HTTP thread is not held through
  // it); `done` is called there, or at once when one is under way.
  void BackupAsync(std::function<void(Result<BackupMade>)> done);

 private:
  // Open, less the checks of the data directory's kind and the clean-up
  // of a refused start.
  static Result<std::unique_ptr<Ledger>> OpenHere(LedgerOptions options);
  explicit Ledger(LedgerOptions options) : options_(std::move(options)) {}
  Status Bootstrap();
  Status OpenEmbedded();
  Status OpenKafka();
  std::string Mac(std::string_view message) const;  // HMAC-SHA-256 under the secret

  LedgerOptions options_;
  uint64_t keys_missing_ = 0;
  mutable std::atomic<uint64_t> disk_free_{0};  // disk_free()'s last answer, and when
  mutable std::atomic<int64_t> disk_free_at_ms_{0};
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<PersonalVault> vault_;
  std::string scratch_keys_;  // an offline tool's key store for the run, when DATA/keys is missing
  std::unique_ptr<VaultShare> vault_share_;  // Kafka mode: keeps vault_ one with the others'
  std::unique_ptr<LedgerBackend> backend_;
  CommandProcessor* embedded_ = nullptr;  // backend_'s processor, on the embedded log
  std::unique_ptr<ProjectionEngine> engine_;
  std::unique_ptr<ViewQueries> queries_;
  std::unique_ptr<CheckpointPublisher> publisher_;
  std::unique_ptr<FeedPublisher> feeds_;
  std::string admin_token_;
  std::string secret_;
  bool adopted_charter_ = false;
  std::mutex backup_mu_;                     // one backup at a time
  std::atomic<bool> backup_running_{false};  // BackupAsync's
  std::thread backup_thread_;                // BackupAsync's last; joined by ~Ledger
};

// Removes DATA/backups/*.partial: backups a stop cut short (Ledger::Backup).
void RemoveUnfinishedBackups(const std::string& data_dir);
// Refuses (invalid_argument) to serve DATA/backups/<time> while a process
// serves DATA: a backup started beside the ledger it was made of.
Status RefuseBackupBesideItsLedger(const std::string& data_dir);

// Hex SHA-256 of a token or code: what the log and views store instead.
std::string HashToken(const std::string& token);
// A random token of `bytes` bytes, URL-safe.
std::string RandomToken(size_t bytes);

}  // namespace pl
