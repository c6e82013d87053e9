#include "gateways/kafka_backend.h"

#include <spdlog/spdlog.h>

#include "domain/command_codec.h"
#include "events/thread_name.h"
#include "gateways/ledger.h"
#include "projections/outcome_codec.h"

namespace pl {

KafkaBackend::KafkaBackend(Options options, EventLog& events)
    : options_(std::move(options)), events_(events), request_prefix_(RandomToken(8) + "-") {}

Result<std::unique_ptr<KafkaBackend>> KafkaBackend::Open(
    Options options, EventLog& events, std::unique_ptr<KafkaCommandProcessor> processor,
    std::unique_ptr<CommandCore> governance_core, std::unique_ptr<EventLog> governance_log) {
  std::unique_ptr<KafkaBackend> b(new KafkaBackend(std::move(options), events));
  b->processor_ = std::move(processor);
  b->governance_core_ = std::move(governance_core);
  b->governance_log_ = std::move(governance_log);
  auto producer = KafkaProducer::Create(b->options_.client);
  if (!producer.ok()) return producer.status();
  b->producer_ = std::move(*producer);
  // Positioned at the end before the first command is produced: no outcome
  // of ours can be missed.
  auto reader = KafkaTopicReader::Open(b->options_.client, b->options_.topics.outcomes);
  if (!reader.ok()) return reader.status();
  b->outcomes_ = std::move(*reader);
  if (b->governance_core_)
    if (Status s = b->governance_core_->CatchUp(*b->governance_log_, 0); !s.ok()) return s;
  b->reader_ = std::thread([p = b.get()] {
    NameThisThread("pl-outcomes");
    p->ReadOutcomes();
  });
  if (b->governance_core_)
    b->governance_ = std::thread([p = b.get()] {
      NameThisThread("pl-governance");
      p->FollowGovernance();
    });
  return b;
}

KafkaBackend::~KafkaBackend() {
  stopping_ = true;
  if (reader_.joinable()) reader_.join();
  if (governance_.joinable()) governance_.join();
  processor_.reset();
  producer_.reset();
  std::unordered_multimap<std::string, Waiter> left;
  {
    std::lock_guard lock(mu_);
    left.swap(waiters_);
  }
  for (auto& [id, w] : left) {
    Outcome o;
    o.command_id = CommandId(id);
    o.error = Status("unavailable", "the ledger is shutting down; retry with the same command id");
    w.done(std::move(o));
  }
}

std::shared_ptr<const GovernanceState> KafkaBackend::governance() const {
  return processor_ ? processor_->governance() : governance_core_->governance();
}
uint64_t KafkaBackend::commands_accepted() const {
  return processor_ ? processor_->commands_accepted() : 0;
}
size_t KafkaBackend::partitions_deciding() const {
  return processor_ ? processor_->owned().size() : 0;
}

bool KafkaBackend::log_reachable() const {
  std::lock_guard lock(mu_);
  return unreachable_.empty();
}

uint64_t KafkaBackend::commands_refused() const {
  return processor_ ? processor_->commands_refused() : 0;
}

namespace {

std::string WaiterKey(const std::string& stream, const std::string& command_id) {
  return stream + '\0' + command_id;
}

}  // namespace

void KafkaBackend::Submit(Command cmd, std::function<void(Outcome)> done) {
  if (cmd.time_ms == 0 && options_.clock) cmd.time_ms = options_.clock();
  const std::string id = cmd.id.str();
  const std::string stream = cmd.stream.str();
  const int32_t partition = events_.PartitionFor(stream).value;
  const uint64_t n = ++requests_;
  const std::string request = request_prefix_ + std::to_string(n);
  std::chrono::seconds unreachable_for{-1};
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    auto down = unreachable_.find(partition);
    if (down != unreachable_.end() && now - down->second.last_probe < options_.probe_every) {
      unreachable_for = std::chrono::duration_cast<std::chrono::seconds>(
          now - down->second.since + options_.unreachable_after);
    } else {
      if (down != unreachable_.end()) down->second.last_probe = now;  // finds out if it is back
      std::string key = WaiterKey(stream, id);
      waiters_.emplace(
          key, Waiter{now + options_.outcome_timeout, std::move(done), stream, id, request});
      undelivered_.emplace(n, Produced{partition, now, std::move(key)});
    }
  }
  if (unreachable_for.count() >= 0) {
    Outcome o;
    o.command_id = CommandId(id);
    o.stream = stream;
    o.error =
        Status("unavailable",
               "the ledger cannot reach its Kafka cluster: partition " + std::to_string(partition) +
                   " of the command topic has taken nothing for " +
                   std::to_string(unreachable_for.count()) +
                   " s. Nothing was written; send the command again after the Retry-After "
                   "seconds (the same command_id is safe)");
    return done(std::move(o));
  }
  std::shared_ptr<KafkaProducer> producer;
  {
    std::lock_guard lock(producer_mu_);
    if (producer_->fatal()) {
      spdlog::warn("command producer failed fatally; replacing it");
      if (auto p = KafkaProducer::Create(options_.client); p.ok()) producer_ = std::move(*p);
    }
    producer = producer_;
  }
  producer->Produce(
      options_.topics.commands, partition, stream, EncodeCommand(cmd),
      [this, id, stream, request, n](Status s, Offset) {
        Delivered(n, s.ok());
        if (s.ok()) return;
        Outcome o;
        o.command_id = CommandId(id);
        o.stream = stream;
        o.error = s;
        Complete(std::move(o), request);
      },
      request);
}

void KafkaBackend::Delivered(uint64_t n, bool ok) {
  std::chrono::steady_clock::duration down{};
  int32_t partition = -1;
  {
    std::lock_guard lock(mu_);
    auto it = undelivered_.find(n);
    if (it == undelivered_.end()) return;
    partition = it->second.partition;
    undelivered_.erase(it);
    // An idempotent producer acknowledges a partition's records in order:
    // this one taken, so were those before it.
    auto state = unreachable_.find(partition);
    if (!ok || state == unreachable_.end()) return;
    down = std::chrono::steady_clock::now() - state->second.since + options_.unreachable_after;
    unreachable_.erase(state);
  }
  spdlog::info(
      "partition {} of the command topic takes records again (after about {} s): its commands "
      "are accepted",
      partition, std::chrono::duration_cast<std::chrono::seconds>(down).count());
}

std::vector<KafkaBackend::Waiter> KafkaBackend::CheckReachable(
    std::chrono::steady_clock::time_point now) {
  std::vector<int32_t> newly;
  std::vector<Waiter> stuck;
  {
    std::lock_guard lock(mu_);
    // Request numbers grow as records are produced: the old ones come first.
    for (auto& [n, produced] : undelivered_) {
      if (now - produced.at < options_.unreachable_after) break;
      if (unreachable_.emplace(produced.partition, Down{now, now}).second)
        newly.push_back(produced.partition);
      if (produced.waiter_key.empty()) continue;
      auto [b, e] = waiters_.equal_range(produced.waiter_key);
      const std::string request = request_prefix_ + std::to_string(n);
      for (auto it = b; it != e; ++it)
        if (it->second.request == request) {
          stuck.push_back(std::move(it->second));
          waiters_.erase(it);
          break;
        }
      produced.waiter_key.clear();
    }
  }
  for (int32_t partition : newly)
    spdlog::warn(
        "partition {} of the command topic has acknowledged no record for {} ms (the Kafka "
        "cluster or the partition's leader cannot be reached, or the partition lacks in-sync "
        "replicas): its new commands are refused (503) until it does; one every {} ms is sent "
        "to find out",
        partition, options_.unreachable_after.count(), options_.probe_every.count());
  return stuck;
}

// A command is its stream and its id: two permits may well see the same
// command id. Two requests that send the same command at once, here or on
// another instance, are each answered by the outcome of their own record
// (the first decided, the other its duplicate), so neither is told what the
// other's command did as if it were its own.
void KafkaBackend::Complete(Outcome o, std::string_view request) {
  std::vector<std::function<void(Outcome)>> ready;
  {
    std::lock_guard lock(mu_);
    auto [b, e] = waiters_.equal_range(WaiterKey(o.stream, o.command_id.str()));
    for (auto it = b; it != e;) {
      if (!request.empty() && it->second.request != request) {
        ++it;
        continue;
      }
      ready.push_back(std::move(it->second.done));
      it = waiters_.erase(it);
    }
  }
  for (size_t i = 0; i < ready.size(); ++i) {
    Outcome copy = o;
    if (i > 0) copy.duplicate = true;
    ready[i](std::move(copy));
  }
}

void KafkaBackend::ReadOutcomes() {
  auto last_expiry_scan = std::chrono::steady_clock::now();
  while (!stopping_) {
    auto records = outcomes_->Poll(std::chrono::milliseconds(50));
    if (!records.ok()) {
      spdlog::warn("outcome reader: {}", records.status().ToString());
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } else {
      for (const auto& r : *records) {
        auto o = DecodeOutcome(r.value);
        if (!o.ok()) {
          spdlog::error("outcome {}/{}: {}", r.partition, r.offset, o.status().ToString());
          continue;
        }
        Complete(std::move(*o), r.request);
      }
    }
    auto now = std::chrono::steady_clock::now();
    std::vector<Waiter> expired;
    // Deadlines are seconds long: looking for expired waiters ten times a
    // second is enough, and keeps a long queue of waiters off every poll.
    std::vector<Waiter> stuck;
    if (now - last_expiry_scan >= std::chrono::milliseconds(100)) {
      last_expiry_scan = now;
      stuck = CheckReachable(now);
      std::lock_guard lock(mu_);
      for (auto it = waiters_.begin(); it != waiters_.end();) {
        if (it->second.deadline <= now) {
          expired.push_back(std::move(it->second));
          it = waiters_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (Waiter& w : expired) {
      Outcome o;
      o.stream = w.stream;
      o.command_id = CommandId(w.command_id);
      o.error = Status("outcome_unknown",
                       "no outcome for command " + o.command_id.str() + " on " + o.stream +
                           " within " + std::to_string(options_.outcome_timeout.count()) +
                           " ms; it may still take effect: repeat it with the same command_id "
                           "to learn its outcome");
      w.done(std::move(o));
    }
    for (Waiter& w : stuck) {
      Outcome o;
      o.stream = w.stream;
      o.command_id = CommandId(w.command_id);
      o.error = Status("outcome_unknown",
                       "the ledger cannot reach its Kafka cluster: command " + o.command_id.str() +
                           " on " + o.stream + " waited " +
                           std::to_string(options_.unreachable_after.count()) +
                           " ms for the broker to take it. It may still take effect when the "
                           "cluster is back: repeat it with the same command_id then to learn "
                           "its outcome");
      w.done(std::move(o));
    }
  }
}

void KafkaBackend::FollowGovernance() {
  std::chrono::steady_clock::time_point said{};
  while (!stopping_) {
    if (Status s = governance_core_->CatchUp(*governance_log_, 0); !s.ok()) {
      const auto now = std::chrono::steady_clock::now();
      if (now - said >= std::chrono::seconds(30)) {
        said = now;
        spdlog::warn(
            "the charter and the officers are not followed: the event topic cannot be read "
            "({}); the Kafka cluster may be out of reach. Retrying (said once every 30 s)",
            s.ToString());
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace pl
