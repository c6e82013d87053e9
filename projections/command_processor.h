// The command processor: the single writer of every partition it owns.
//
// It keeps the folded state of its streams in its own RocksDB store (rebuilt
// from the log on start: the store is a checkpointed projection of the log),
// decides each command with the pure domain core, appends the resulting
// events to the EventLog and acknowledges only once the append is durable.
// Commands are group-committed: all commands waiting when a batch starts are
// decided in order and appended with one atomic, durable append.
//
// A command id is remembered per stream: submitting the same command again
// produces nothing new and returns the first outcome.
//
// Thread safety: Submit and the read accessors may be called from any
// thread; callbacks run on the processor's own thread and must not block.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
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
  Status error;                    // the ledger could not take the command (e.g. log down)
  std::optional<Refusal> refusal;  // the domain refused it; nothing was written
  bool duplicate = false;          // a repeat of an earlier command: its first outcome
  std::vector<Envelope> events;    // the events the command produced
  std::optional<LogPosition> last; // where its last event sits in the log
  std::string stream;
  uint64_t version = 0;            // the stream's version after the command
  std::string status;              // the permit's status after the command
};

struct ProcessorOptions {
  std::string state_path;
  size_t max_batch = 4096;
  std::function<int64_t()> clock;  // ms since epoch; defaults to the system clock
};

class CommandProcessor {
 public:
  static Result<std::unique_ptr<CommandProcessor>> Open(EventLog& log, PersonalVault& vault,
                                                        ProcessorOptions options);
  ~CommandProcessor();
  CommandProcessor(const CommandProcessor&) = delete;
  CommandProcessor& operator=(const CommandProcessor&) = delete;

  // Queues a command; `done` is called once it is decided and, if accepted,
  // durably appended. A command with time_ms == 0 is stamped with the clock.
  void Submit(Command cmd, std::function<void(Outcome)> done);
  // Submit and wait.
  Outcome Execute(Command cmd);

  // The governance state (charter, officers) as of the last batch.
  std::shared_ptr<const GovernanceState> governance() const;
  // The state of a stream as of the last batch.
  Result<PermitState> State(const StreamId& stream);

  uint64_t commands_accepted() const { return accepted_; }
  uint64_t commands_refused() const { return refused_; }

 private:
  struct Item {
    Command cmd;
    std::function<void(Outcome)> done;
  };
  struct Dedupe;
  class Batch;

  CommandProcessor(EventLog& log, PersonalVault& vault, ProcessorOptions options,
                   std::unique_ptr<rocksdb::DB> store);
  Status CatchUp();
  void Run();
  void ProcessBatch(std::vector<Item>& items);
  Result<PermitState> LoadState(const std::string& stream);
  Outcome ReplayDuplicate(const Dedupe& d, const std::string& stream);

  EventLog& log_;
  PersonalVault& vault_;
  ProcessorOptions options_;
  std::unique_ptr<rocksdb::DB> store_;

  mutable std::mutex gov_mu_;
  std::shared_ptr<const GovernanceState> gov_;  // guarded by gov_mu_

  std::unordered_map<std::string, PermitState> cache_;  // processor thread only
  std::vector<uint64_t> next_offsets_;                  // processor thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;  // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  std::thread thread_;
  std::atomic<uint64_t> accepted_{0}, refused_{0};
};

}  // namespace pl
