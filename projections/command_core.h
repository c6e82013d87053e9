// The deciding core shared by both command processors (the embedded one,
// projections/command_processor.h, and the one on Kafka,
// projections/kafka_command_processor.h).
//
// It owns the processor's RocksDB state store, a checkpointed projection of
// the event log: the folded state of every permit stream it has seen, the
// governance events (charter, officers), the next log offset to fold per
// partition, and what each command id did (for repeats). It decides a batch
// of commands in order against that state without writing anything (Decide),
// and records the batch once its events are durable (Commit) or forgets it
// (Abort). Writing the events is the caller's business.
//
// Thread safety: Decide, Commit, Abort, CatchUp and FoldOutcome must be
// called from one thread; governance(), State() and the counters from any.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/commands.h"
#include "domain/decider.h"
#include "events/event_log.h"
#include "events/personal_vault.h"

namespace rocksdb {
class DB;
}

namespace pl {

struct Outcome {
  Status error;                     // the ledger could not take the command (e.g. log down)
  std::optional<Refusal> refusal;   // the domain refused it; nothing was written
  bool duplicate = false;           // a repeat of an earlier command: its first outcome
  std::vector<Envelope> events;     // the events the command produced
  std::optional<LogPosition> last;  // where its last event sits in the log
  std::string stream;
  uint64_t version = 0;  // the stream's version after the command
  std::string status;    // the permit's status after the command
  CommandId command_id;
  // Who sent the command, and what it asked (`verify_documents`): a refusal
  // or a no-op leaves no event to say so, and a repeat of its command id by
  // another sender, or for another action, is another request. Empty for a
  // refusal remembered before they were kept.
  std::string sender;
  std::string action;
  // ActionDigest of what it asked: a repeat of its command id with another
  // digest (the same action with other fields) is another request. Empty
  // for an application, and where it is not known (recorded before digests
  // were kept, or, on Kafka, rebuilt from the event topic by a new owner).
  std::string digest;
};

// The first 16 bytes of SHA-256 of an action's canonical fields (its index
// and fields as on the command topic), or "" for submit_application: its
// fields are personal data, and a hash of them could be matched against
// guesses (a NIK has few enough values to try them all).
std::string ActionDigest(const Action& action);

class CommandCore {
 public:
  // `refuse_ahead_of_log`: CatchUp checks CheckNotAhead first (the
  // embedded processor, whose log's end is exact at every moment).
  static Result<std::unique_ptr<CommandCore>> Open(const std::string& path, int32_t partitions,
                                                   bool refuse_ahead_of_log = false);
  ~CommandCore();
  CommandCore(const CommandCore&) = delete;
  CommandCore& operator=(const CommandCore&) = delete;

  // The state store as it is now, copied into the new directory `dir`
  // (CopyStore): call it between batches.
  Status CopyStore(const std::string& dir);

  // Refuses (log_inconsistent) a state folded from more records of
  // partition `p` than `log` holds, the log's end asked again for as long as
  // it may lag (see ProjectionEngineOptions::refuse_ahead_of_log). On Kafka
  // it is checked once, at start: right after a commit, the partition's end
  // stays below its records until the transaction's markers are written.
  Status CheckNotAhead(EventLog& log, int32_t p);

  // Folds what partition `p` of `log` holds past the store's checkpoint.
  Status CatchUp(EventLog& log, int32_t p);
  // Records what a refused or no-op command did, from an outcome record at
  // `offset` of partition `p` of the outcome topic (Kafka mode: refusals
  // leave no event, so a new owner of a partition learns them here).
  Status FoldOutcome(int32_t p, uint64_t offset, const Outcome& o);
  // The next outcome offset to fold for partition `p`.
  uint64_t outcome_checkpoint(int32_t p) const;
  uint64_t checkpoint(int32_t p) const { return next_offsets_[p]; }

  // One decided batch, not yet written.
  struct Plan {
    struct Slot {
      Outcome out;
      size_t first_record = 0;
      std::string dedupe_key;
      bool pending = false;           // waits for its events to be durable
      std::optional<size_t> same_as;  // a repeat of an earlier command of the batch
    };
    std::vector<Slot> slots;
    std::vector<AppendRecord> records;  // the events to write, atomically
    std::unordered_map<std::string, PermitState> overlay;
    std::shared_ptr<GovernanceState> gov_next;
    std::vector<std::pair<uint64_t, std::string>> gov_events;
    // The keys the batch's accepted commands sealed under (not stored yet),
    // the people its erasures erase, the keys of the applications its
    // applicants' erasures erase (by the erasure's event id), and the keys
    // of the batch it sealed under before erasing them (never stored;
    // marked destroyed).
    std::vector<VaultKey> new_keys;
    std::vector<std::string> erased;
    std::map<std::string, VaultKey> erased_keys;
    std::vector<VaultKey> dropped_keys;
  };

  // Makes a batch's key material durable before its events are: its new
  // keys are stored, synced, and the keys its erasures are to destroy are
  // named in the vault (PersonalVault::AddPendingErasure). Returns the
  // pending erasures' ids, for ResolvePendingErasure once the events are
  // durable.
  static Result<std::vector<std::string>> PrepareKeys(const Plan& plan, PersonalVault& vault);
  // After the events are durable (or found on the log after a stop):
  // destroys the keys of the pending erasure `id` ("<stream>/<seq>") if
  // the permit's state, caught up with the log, holds the erasure, and
  // forgets the erasure.
  Status ResolvePendingErasure(PersonalVault& vault, const std::string& id,
                               const PersonalVault::KeyIds& keys);

  // Decides `cmds` in order. Commands repeating a decided command id get the
  // first outcome (read back from `log` for accepted ones). Events go to the
  // partition `log.PartitionFor(stream)`.
  Plan Decide(std::vector<Command>& cmds, EventLog& log, PersonalVault& vault);
  // Sets each accepted command's last event position from the offsets its
  // records got (before they are committed: the Kafka processor sends the
  // outcomes in the same transaction as the events). Writes nothing.
  void Place(Plan& plan, const std::vector<Offset>& offsets) const;
  // The batch's records are durable at `offsets`: completes the outcomes and
  // records the states, command ids and checkpoints in the store.
  // `outcome_next` (partition, next offset) advances outcome checkpoints.
  // When the store cannot be written, the outcomes stand (the log has the
  // events) but the core falls back to the store's checkpoints: the caller
  // must CatchUp every partition it decides for before deciding again.
  Status Commit(Plan& plan, const std::vector<Offset>& offsets,
                const std::vector<std::pair<int32_t, uint64_t>>& outcome_next = {});
  // The batch was not written: forgets the states it built.
  void Abort(const Plan& plan);
  // The final outcome of every command of a committed (or event-less) plan.
  std::vector<Outcome> Outcomes(const Plan& plan) const;
  // Drops cached states (e.g. when partitions change owner).
  void DropCache() { cache_.clear(); }

  std::shared_ptr<const GovernanceState> governance() const;
  Result<PermitState> State(const StreamId& stream);
  // Calls `fn` with every permit stream's id and its state as stored
  // (EncodePermitState), in the order of the ids, while it returns true.
  Status ForEachState(const std::function<bool(std::string_view, std::string_view)>& fn) const;
  uint64_t commands_accepted() const { return accepted_; }
  uint64_t commands_refused() const { return refused_; }

 private:
  struct Dedupe;
  CommandCore(std::unique_ptr<rocksdb::DB> store, int32_t partitions);
  Result<PermitState> LoadState(const std::string& stream);
  // The checkpoints as the store has them.
  void LoadCheckpoints();
  Outcome ReplayDuplicate(const Dedupe& d, const std::string& stream, EventLog& log);

  std::unique_ptr<rocksdb::DB> store_;
  const int32_t partitions_;
  bool refuse_ahead_of_log_ = false;
  mutable std::mutex gov_mu_;
  std::shared_ptr<const GovernanceState> gov_;          // guarded by gov_mu_
  std::unordered_map<std::string, PermitState> cache_;  // processor thread only
  std::vector<uint64_t> next_offsets_;                  // processor thread only
  std::vector<uint64_t> outcome_next_;                  // processor thread only
  std::atomic<uint64_t> accepted_{0}, refused_{0};
};

}  // namespace pl
