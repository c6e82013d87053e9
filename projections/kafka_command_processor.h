// The command processor on Kafka: exactly-once command processing
// (docs/kafka.md, DESIGN.md "The flow").
//
// A member of the consumer group of the command topic. The group gives each
// command partition to exactly one member; that member is the single writer
// of the same partition number of the event and outcome topics. On gaining
// a partition it waits until the group's offsets for it are stable (no
// transaction of a previous owner still open), then folds the partition's
// events into its CommandCore store from its checkpoint to the end, and the
// refusals of the outcome topic (so repeats of refused commands are known).
// It always follows partition 0 of the event topic, the governance stream,
// so it has the charter and the officers.
//
// For each batch of commands it decides with the CommandCore and, in ONE
// Kafka transaction, produces the events, produces an outcome per command
// (acceptance, refusal, repeat, or error) and commits its input offsets with
// the group metadata (KIP-447: a zombie that lost its partitions is fenced
// by the group generation), with the batch's new personal-data keys and the
// tombstones of the keys it destroys on the key topic (events/vault_share.h). Only once the
// transaction commits does it record the batch in its store, and, every
// `delete_decided_every`, it deletes the decided commands from the command
// topic (DeleteRecords up to its committed offsets). On any failure the batch is forgotten,
// the partitions are rebuilt from the topics, and the commands are read again from the group's
// committed offsets: the transaction either happened, and the rebuild folds it, or did not, and the
// commands are decided anew.
//
// Thread safety: one internal thread does everything; the accessors may be
// called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "events/disk_space.h"
#include "events/kafka_log.h"
#include "projections/command_core.h"

namespace pl {

struct KafkaTopics {
  std::string commands, events, outcomes, keys;
  // "<prefix>.commands", "<prefix>.events", "<prefix>.outcomes" and the
  // vault's key topic "<prefix>.keys" (events/vault_share.h).
  static KafkaTopics WithPrefix(const std::string& prefix);
};

struct KafkaProcessorOptions {
  KafkaClientOptions client;
  KafkaTopics topics;
  int32_t partitions = 12;
  std::string group_id;  // the processors' consumer group
  // One per processor instance, stable across restarts; the second producer
  // uses "<transactional_id>.1".
  std::string transactional_id;
  std::string state_path;
  size_t max_batch = 4096;
  std::function<int64_t()> clock;  // stamps commands that arrive without a time
  // How long the coordinator keeps a dead instance's transaction open (and
  // so how long a successor may wait for it), and how soon the group
  // notices a dead member.
  std::chrono::milliseconds transaction_timeout{10000};
  std::chrono::milliseconds session_timeout{6000};
  // Commands are answered with error "disk_full" (nothing written, offsets
  // committed: a retry with the same command id is decided anew) while
  // fewer than `disk_reserve` bytes are free under `state_path`
  // (events/disk_space.h); `free_bytes` (default FreeBytes) tells how many.
  uint64_t disk_reserve = 0;
  std::function<DiskRoom()> free_bytes;
  // How often the commands this instance decided are deleted from the
  // command topic (they carry an applicant's personal data in the clear,
  // and the events are the record); zero: never, the topic's retention
  // alone.
  std::chrono::milliseconds delete_decided_every{10000};
  // Fault injection, for tests only: called on the processor's thread just
  // before each commit, with the transaction's transactional id.
  std::function<void(const std::string& transactional_id)> before_commit;
};

class KafkaCommandProcessor {
 public:
  // Opens the store, catches up the governance stream, joins the group and
  // starts processing. The topics must exist (the Ledger creates them).
  static Result<std::unique_ptr<KafkaCommandProcessor>> Open(PersonalVault& vault,
                                                             KafkaProcessorOptions options);
  ~KafkaCommandProcessor();  // leaves the group; an open transaction is aborted
  KafkaCommandProcessor(const KafkaCommandProcessor&) = delete;
  KafkaCommandProcessor& operator=(const KafkaCommandProcessor&) = delete;

  std::shared_ptr<const GovernanceState> governance() const { return core_->governance(); }
  uint64_t commands_accepted() const { return core_->commands_accepted(); }
  uint64_t commands_refused() const { return core_->commands_refused(); }
  uint64_t transactions() const { return transactions_; }
  // Command partitions this instance owns now.
  std::set<int32_t> owned() const;
  // The last error met (it retries), if any.
  Status last_error() const;

 private:
  KafkaCommandProcessor(PersonalVault& vault, KafkaProcessorOptions options);
  Status Connect();
  bool Connected() const;
  std::string ProducerId(size_t i) const;  // the transactional id of producers_[i]
  void Run();
  Status Rebuild(int32_t p, bool reseek);
  Status ProcessBatch(std::vector<ConsumedRecord>& records);
  void Fail(const Status& s, const std::set<int32_t>& partitions);
  void SetError(const Status& s);
  // Asks the brokers to delete the decided commands, every
  // `delete_decided_every`, and once more on the way out.
  void DeleteDecided();
  void DeleteDecidedBeforeLeaving();
  void PollDeleteAnswer();
  bool StartDelete();  // whether a request was started

  PersonalVault& vault_;
  KafkaProcessorOptions options_;
  DiskReserveWatch disk_;  // tells the operator of a disk short of its reserve
  std::unique_ptr<CommandCore> core_;
  std::unique_ptr<KafkaLog> events_;    // read-only, this thread's own
  std::unique_ptr<KafkaLog> outcomes_;  // read-only, this thread's own
  // Used in turn, one transaction each (see Connect).
  std::array<std::unique_ptr<KafkaTransactionalProducer>, 2> producers_;
  std::unique_ptr<KafkaGroupConsumer> consumer_;

  // Processor thread only (the rebalance callback runs inside Poll).
  std::set<int32_t> assigned_;
  std::set<int32_t> fresh_;   // assigned, not yet rebuilt
  std::set<int32_t> reseek_;  // rebuild, then read again from the committed offset
  // Per command partition: the offset before which this instance decided
  // every command (its last committed input offset), and up to where it
  // asked the broker to delete them.
  std::map<int32_t, int64_t> decided_, deleted_;
  std::optional<std::chrono::steady_clock::time_point> last_delete_;
  bool delete_pending_ = false;  // a request unanswered

  mutable std::mutex mu_;
  std::set<int32_t> owned_;  // guarded by mu_: assigned and rebuilt
  Status last_error_;        // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> transactions_{0};
  std::thread thread_;
};

}  // namespace pl
