// The embedded command processor: the single writer of an EventLog in one
// process.
//
// It decides each command with the shared CommandCore (state store rebuilt
// from the log on start: the store is a checkpointed projection of the log),
// appends the resulting events to the EventLog and acknowledges only once the
// append is durable. Commands are group-committed: all commands waiting when
// a batch starts are decided in order and appended with one atomic, durable
// append.
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
#include <string>
#include <thread>
#include <vector>

#include "events/disk_space.h"
#include "projections/command_core.h"

namespace pl {

struct ProcessorOptions {
  std::string state_path;
  size_t max_batch = 4096;
  std::function<int64_t()> clock;  // ms since epoch; defaults to the system clock
  // A batch is refused (error "disk_full", nothing written) while fewer
  // than `disk_reserve` bytes are free (events/disk_space.h);
  // `free_bytes` (default: FreeBytes of state_path) tells how many are, and where.
  uint64_t disk_reserve = 0;
  std::function<DiskRoom()> free_bytes;
};

int64_t SystemClockMs();

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

  // The governance state (charter, officers) as of the last batch.
  std::shared_ptr<const GovernanceState> governance() const { return core_->governance(); }
  // The state of a stream as of the last batch.
  Result<PermitState> State(const StreamId& stream) { return core_->State(stream); }
  // See CommandCore::ForEachState; call it before the first Submit.
  Status ForEachState(const std::function<bool(std::string_view, std::string_view)>& fn) const {
    return core_->ForEachState(fn);
  }

  uint64_t commands_accepted() const { return core_->commands_accepted(); }
  uint64_t commands_refused() const { return core_->commands_refused(); }

  // Runs `fn` between two batches, no command decided or written meanwhile
  // (commands submitted wait in the queue): a backup copies the log, the
  // state store and the vault at one moment. `fn` may call CopyStateTo.
  Status WhilePaused(const std::function<Status()>& fn);
  Status CopyStateTo(const std::string& dir) { return core_->CopyStore(dir); }

 private:
  struct Item {
    Command cmd;
    std::function<void(Outcome)> done;
  };

  CommandProcessor(EventLog& log, PersonalVault& vault, ProcessorOptions options,
                   std::unique_ptr<CommandCore> core);
  void Run();
  void ProcessBatch(std::vector<Item>& items);
  Status CatchUp();
  Status ResolveErasures(const std::vector<std::string>& ids);

  EventLog& log_;
  PersonalVault& vault_;
  ProcessorOptions options_;
  std::unique_ptr<CommandCore> core_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;            // guarded by mu_
  std::mutex batch_mu_;               // held through each batch, and by WhilePaused
  std::atomic<int> pause_wanted_{0};  // WhilePaused calls waiting for batch_mu_
  bool stopping_ = false;             // guarded by mu_
  bool behind_ = false;               // the core must catch up (processor thread only)
  DiskReserveWatch disk_;             // tells the operator of a disk short of its reserve
  std::thread thread_;
};

}  // namespace pl
