#include "projections/command_processor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "events/disk_space.h"
#include "events/thread_name.h"

namespace pl {

int64_t SystemClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<std::unique_ptr<CommandProcessor>> CommandProcessor::Open(EventLog& log,
                                                                 PersonalVault& vault,
                                                                 ProcessorOptions options) {
  auto core = CommandCore::Open(options.state_path, log.partitions(), /*refuse_ahead_of_log=*/true);
  if (!core.ok()) return core.status();
  if (!options.clock) options.clock = SystemClockMs;
  if (!options.free_bytes)
    options.free_bytes = [path = options.state_path] { return DiskRoom{FreeBytes(path), path}; };
  std::unique_ptr<CommandProcessor> p(
      new CommandProcessor(log, vault, std::move(options), std::move(*core)));
  // Fold what the log holds past the store's checkpoints (events appended
  // before a crash that the store had not recorded yet), and finish the
  // erasures decided before it.
  if (Status s = p->CatchUp(); !s.ok()) return s;
  p->thread_ = std::thread([q = p.get()] {
    NameThisThread("pl-processor");
    q->Run();
  });
  return p;
}

CommandProcessor::CommandProcessor(EventLog& log, PersonalVault& vault, ProcessorOptions options,
                                   std::unique_ptr<CommandCore> core)
    : log_(log), vault_(vault), options_(std::move(options)), core_(std::move(core)) {}

CommandProcessor::~CommandProcessor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CommandProcessor::Submit(Command cmd, std::function<void(Outcome)> done) {
  if (cmd.time_ms == 0) cmd.time_ms = options_.clock();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{std::move(cmd), std::move(done)});
  }
  cv_.notify_one();
}

void CommandProcessor::Run() {
  std::vector<Item> items;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && items.size() < options_.max_batch) {
        items.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // A pause asked for (WhilePaused) goes first: a mutex is not fair, and
    // under load this loop would take it back after every batch.
    while (pause_wanted_) std::this_thread::yield();
    {
      std::lock_guard batch(batch_mu_);
      ProcessBatch(items);
    }
    items.clear();
  }
}

void CommandProcessor::ProcessBatch(std::vector<Item>& items) {
  std::vector<Command> cmds;
  cmds.reserve(items.size());
  for (auto& item : items) cmds.push_back(std::move(item.cmd));
  // Every command of the batch fails with `s`; nothing of it was written.
  auto fail_all = [&](const Status& s) {
    for (size_t i = 0; i < items.size(); ++i) {
      Outcome failed;
      failed.error = s;
      failed.stream = cmds[i].stream.str();
      failed.command_id = cmds[i].id;
      items[i].done(std::move(failed));
    }
  };
  // After a failed write the core may be behind the log: it folds the
  // missing events before deciding anything against its states.
  if (behind_) {
    if (Status s = CatchUp(); !s.ok()) return fail_all(s);
    behind_ = false;
  }
  if (Status room = disk_.Check(options_.free_bytes(), options_.disk_reserve); !room.ok())
    return fail_all(room);

  CommandCore::Plan plan = core_->Decide(cmds, log_, vault_);
  std::vector<Offset> offsets;
  std::vector<std::string> erasures;
  if (!plan.records.empty()) {
    auto prepared = CommandCore::PrepareKeys(plan, vault_);
    Result<std::vector<Offset>> appended =
        prepared.ok() ? log_.Append(plan.records) : Result<std::vector<Offset>>(prepared.status());
    if (!appended.ok()) {
      // Every command of the batch fails, and the states it built are
      // dropped. Nothing of it should be durable; should some be all the
      // same (an answer lost), the next batch's catch-up finds it, and
      // finishes its erasures or forgets them.
      core_->Abort(plan);
      behind_ = true;
      return fail_all(appended.status());
    }
    offsets = std::move(*appended);
    erasures = std::move(*prepared);
  }
  // The events are durable: the outcomes stand, and the erased people's
  // keys go (should that fail, the next batch's catch-up destroys them).
  Status s = core_->Commit(plan, offsets);
  if (s.ok() && !erasures.empty()) s = ResolveErasures(erasures);
  if (!s.ok()) {
    spdlog::error("command processor: {}", s.ToString());
    behind_ = true;
  }
  std::vector<Outcome> outcomes = core_->Outcomes(plan);
  for (size_t i = 0; i < items.size(); ++i) items[i].done(std::move(outcomes[i]));
}

Status CommandProcessor::WhilePaused(const std::function<Status()>& fn) {
  ++pause_wanted_;
  std::lock_guard batch(batch_mu_);
  --pause_wanted_;
  return fn();
}

// Folds every partition's events past the store's checkpoints, then
// settles the erasures named before a stop or a failure.
Status CommandProcessor::CatchUp() {
  for (int32_t p = 0; p < log_.partitions(); ++p)
    if (Status s = core_->CatchUp(log_, p); !s.ok()) return s;
  return ResolveErasures({});
}

// The pending erasures `ids` (all of them when empty), against the states
// as they are now: those on the log destroy their keys, the others are
// forgotten.
Status CommandProcessor::ResolveErasures(const std::vector<std::string>& ids) {
  auto pending = vault_.PendingErasures();
  if (!pending.ok()) return pending.status();
  for (const auto& [id, keys] : *pending) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    if (Status s = core_->ResolvePendingErasure(vault_, id, keys); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace pl
