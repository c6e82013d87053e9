// The Kafka side of a Ledger (gateways/ledger.h): commands are produced to
// the command topic by an idempotent producer, keyed by stream id, in the
// partition EventLog::PartitionFor gives the stream (so a permit's commands,
// events and outcomes share a partition number); each is answered from the
// outcome topic, read with read_committed: an outcome is visible exactly when
// the transaction holding the command's events commits.
//
// A command without an outcome after `outcome_timeout` fails with
// "outcome_unknown"; resubmitting the same command id is always safe (it is
// decided at most once).
//
// When a partition of the command topic takes nothing (a record of ours
// has waited `unreachable_after` for the broker's acknowledgement: the
// cluster or the partition's leader cannot be reached, or the partition
// lacks in-sync replicas), its new commands are refused at once with
// "unavailable" (503; nothing produced, nothing written) instead of each
// waiting `outcome_timeout` for a 504, but one every `probe_every`, which is
// produced as usual to find out whether it is back. A record of that
// partition acknowledged ends it. A command whose record waits that long is
// answered "outcome_unknown" then (504), not at `outcome_timeout`: the
// record may still be taken once the cluster is back, so its outcome is
// learnt by repeating the command.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "events/kafka_clients.h"
#include "gateways/ledger.h"
#include "projections/kafka_command_processor.h"

namespace pl {

class KafkaBackend final : public LedgerBackend {
 public:
  struct Options {
    KafkaClientOptions client;
    KafkaTopics topics;
    int32_t partitions = 12;
    std::chrono::milliseconds outcome_timeout{30000};
    std::function<int64_t()> clock;
    std::chrono::milliseconds unreachable_after{3000};
    std::chrono::milliseconds probe_every{5000};
  };
  // `processor` may be null (a gateway-only instance): governance then
  // comes from `governance_core`, kept up to date from the event topic.
  static Result<std::unique_ptr<KafkaBackend>> Open(
      Options options, EventLog& events, std::unique_ptr<KafkaCommandProcessor> processor,
      std::unique_ptr<CommandCore> governance_core, std::unique_ptr<EventLog> governance_log);
  ~KafkaBackend() override;

  void Submit(Command cmd, std::function<void(Outcome)> done) override;
  std::shared_ptr<const GovernanceState> governance() const override;
  uint64_t commands_accepted() const override;
  uint64_t commands_refused() const override;
  size_t partitions_deciding() const override;
  bool log_reachable() const override;

  KafkaCommandProcessor* processor() { return processor_.get(); }

 private:
  struct Waiter {
    std::chrono::steady_clock::time_point deadline;
    std::function<void(Outcome)> done;
    std::string stream, command_id;  // for the answer at the deadline
    std::string request;             // the command record's kRequestHeader
  };
  KafkaBackend(Options options, EventLog& events);
  void ReadOutcomes();
  // Answers the waiter of the outcome's command that sent `request` (the
  // outcome record's kRequestHeader); every waiter of the command when the
  // record names none (a processor of a version before the header).
  void Complete(Outcome o, std::string_view request);
  // The broker acknowledged (or gave up on) the command record of request
  // number `n`.
  void Delivered(uint64_t n, bool ok);
  // Which partitions of the command topic have taken nothing for
  // `unreachable_after` (from the reader thread, ten times a second); the
  // waiters of the records that have waited that long, taken out of
  // `waiters_` to be answered at once.
  std::vector<Waiter> CheckReachable(std::chrono::steady_clock::time_point now);

  Options options_;
  EventLog& events_;  // for PartitionFor
  std::mutex producer_mu_;
  std::shared_ptr<KafkaProducer> producer_;  // guarded by producer_mu_; replaced when fatal
  std::unique_ptr<KafkaTopicReader> outcomes_;
  std::unique_ptr<KafkaCommandProcessor> processor_;
  std::unique_ptr<CommandCore> governance_core_;
  std::unique_ptr<EventLog> governance_log_;

  mutable std::mutex mu_;
  std::unordered_multimap<std::string, Waiter> waiters_;  // guarded by mu_, by stream\0command id
  std::atomic<bool> stopping_{false};
  const std::string request_prefix_;  // random per instance: request ids unique across instances
  std::atomic<uint64_t> requests_{0};
  // Command records produced and not yet acknowledged, by request number.
  struct Produced {
    int32_t partition;
    std::chrono::steady_clock::time_point at;
    std::string waiter_key;  // its waiter's in waiters_, until answered
  };
  std::map<uint64_t, Produced> undelivered_;  // guarded by mu_
  // The partitions found taking nothing: since when, and the last probe.
  struct Down {
    std::chrono::steady_clock::time_point since, last_probe;
  };
  std::map<int32_t, Down> unreachable_;  // guarded by mu_
  std::thread reader_;
  // A gateway-only instance's follower of the charter and officers: a read
  // of the event topic blocks for as long as the cluster is out of reach,
  // and must not hold up the reader's answers (504, then 503) meanwhile.
  void FollowGovernance();
  std::thread governance_;
};

}  // namespace pl
