#include "projections/kafka_command_processor.h"

#include <spdlog/spdlog.h>

#include <map>

#include "domain/command_codec.h"
#include "events/disk_space.h"
#include "events/thread_name.h"
#include "events/vault_share.h"
#include "projections/command_processor.h"
#include "projections/outcome_codec.h"

namespace pl {

KafkaTopics KafkaTopics::WithPrefix(const std::string& prefix) {
  return {prefix + ".commands", prefix + ".events", prefix + ".outcomes", prefix + ".keys"};
}

Result<std::unique_ptr<KafkaCommandProcessor>> KafkaCommandProcessor::Open(
    PersonalVault& vault, KafkaProcessorOptions options) {
  if (options.group_id.empty() || options.transactional_id.empty())
    return Status("invalid_argument",
                  "the Kafka processor needs a group id and a transactional id");
  if (!options.clock) options.clock = SystemClockMs;
  if (!options.free_bytes)
    options.free_bytes = [path = options.state_path] { return DiskRoom{FreeBytes(path), path}; };
  std::unique_ptr<KafkaCommandProcessor> k(new KafkaCommandProcessor(vault, std::move(options)));
  const auto& o = k->options_;
  auto core = CommandCore::Open(o.state_path, o.partitions);
  if (!core.ok()) return core.status();
  k->core_ = std::move(*core);
  for (auto [topic, slot] :
       {std::pair{o.topics.events, &k->events_}, std::pair{o.topics.outcomes, &k->outcomes_}}) {
    KafkaLogOptions lo;
    lo.bootstrap_servers = o.client.bootstrap_servers;
    lo.topic = topic;
    lo.partitions = o.partitions;
    lo.timeout = o.client.timeout;
    lo.client_config = o.client.client_config;
    auto log = KafkaLog::Open(lo);
    if (!log.ok()) return log.status();
    *slot = std::move(*log);
  }
  // A state folded from other topics than these is refused before anything
  // is decided on it (another cluster or prefix, or topics made again).
  for (int32_t p = 0; p < o.partitions; ++p)
    if (Status s = k->core_->CheckNotAhead(*k->events_, p); !s.ok()) return s;
  // The governance stream: charter and officers, before the first command.
  if (Status s = k->core_->CatchUp(*k->events_, 0); !s.ok()) return s;
  if (Status s = k->Connect(); !s.ok()) return s;
  k->thread_ = std::thread([p = k.get()] {
    NameThisThread("pl-processor");
    p->Run();
  });
  return k;
}

KafkaCommandProcessor::KafkaCommandProcessor(PersonalVault& vault, KafkaProcessorOptions options)
    : vault_(vault), options_(std::move(options)) {}

KafkaCommandProcessor::~KafkaCommandProcessor() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

// Two producers, used in turn: right after a commit the coordinator is
// still writing that transaction's markers, and until it is done it refuses
// the next transaction of the same transactional id (AddPartitionsToTxn:
// CONCURRENT_TRANSACTIONS), which librdkafka retries 20 ms later. The other
// id's transaction goes ahead at once; its records follow the first one's
// in every partition. Both are initialized (which aborts whatever a previous
// instance left open under either id) before any batch is processed.
Status KafkaCommandProcessor::Connect() {
  KafkaClientOptions pc = options_.client;
  pc.client_config["transaction.timeout.ms"] = std::to_string(options_.transaction_timeout.count());
  for (size_t i = 0; i < producers_.size(); ++i) {
    auto producer = KafkaTransactionalProducer::Create(pc, ProducerId(i));
    if (!producer.ok()) {
      for (auto& p : producers_) p.reset();
      return producer.status();
    }
    producers_[i] = std::move(*producer);
  }
  if (consumer_) return Status::Ok();
  KafkaClientOptions cc = options_.client;
  cc.client_config["session.timeout.ms"] = std::to_string(options_.session_timeout.count());
  cc.client_config["heartbeat.interval.ms"] =
      std::to_string(std::max<int64_t>(500, options_.session_timeout.count() / 4));
  auto consumer = KafkaGroupConsumer::Create(
      cc, options_.group_id, {options_.topics.commands},
      [this](KafkaGroupConsumer::Rebalance r, const std::vector<TopicPartitionOffset>& parts) {
        std::lock_guard lock(mu_);
        for (const auto& tp : parts) {
          if (tp.topic != options_.topics.commands) continue;
          if (r == KafkaGroupConsumer::Rebalance::kAssigned) {
            assigned_.insert(tp.partition);
            fresh_.insert(tp.partition);
          } else {
            assigned_.erase(tp.partition);
            fresh_.erase(tp.partition);
            reseek_.erase(tp.partition);
            owned_.erase(tp.partition);
          }
        }
        spdlog::info("processor {}: partitions {} {}", options_.transactional_id,
                     r == KafkaGroupConsumer::Rebalance::kAssigned ? "assigned" : "revoked", [&] {
                       std::string s;
                       for (const auto& tp : parts) s += std::to_string(tp.partition) + " ";
                       return s;
                     }());
        core_->DropCache();
      });
  if (!consumer.ok()) return consumer.status();
  consumer_ = std::move(*consumer);
  return Status::Ok();
}

std::string KafkaCommandProcessor::ProducerId(size_t i) const {
  return i == 0 ? options_.transactional_id : options_.transactional_id + "." + std::to_string(i);
}

bool KafkaCommandProcessor::Connected() const {
  for (const auto& p : producers_)
    if (!p || p->fatal()) return false;
  return true;
}

std::set<int32_t> KafkaCommandProcessor::owned() const {
  std::lock_guard lock(mu_);
  return owned_;
}

Status KafkaCommandProcessor::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

void KafkaCommandProcessor::SetError(const Status& s) {
  spdlog::warn("processor {}: {}", options_.transactional_id, s.ToString());
  std::lock_guard lock(mu_);
  last_error_ = s;
}

// Makes partition `p` ours: waits until the group's offsets for it are
// stable (a previous owner's transaction has ended), then folds its events
// and outcomes past our checkpoints.
Status KafkaCommandProcessor::Rebuild(int32_t p, bool reseek) {
  auto committed = consumer_->Committed({{options_.topics.commands, p, -1001}});
  if (!committed.ok()) return committed.status();
  // The previous owner's last transaction may be committed while its
  // markers are still on their way to this partition's event and outcome
  // topics (the coordinator writes them partition by partition): fold only
  // once every record there is decided, or the states would miss it.
  for (KafkaLog* log : {events_.get(), outcomes_.get()})
    if (Status s = log->Settle(PartitionId{p}, options_.transaction_timeout * 2); !s.ok()) return s;
  core_->DropCache();
  if (Status s = core_->CatchUp(*events_, p); !s.ok()) return s;
  for (;;) {
    auto records = outcomes_->Read(PartitionId{p}, Offset{core_->outcome_checkpoint(p)}, 4096);
    if (!records.ok()) return records.status();
    if (records->empty()) break;
    for (const auto& r : *records) {
      auto o = DecodeOutcome(r.value);
      if (!o.ok()) return o.status();
      if (Status s = core_->FoldOutcome(p, r.offset.value, *o); !s.ok()) return s;
    }
  }
  const int64_t committed_offset = (*committed)[0].offset;
  if (reseek) {
    // RD_KAFKA_OFFSET_BEGINNING (-2) when nothing was committed yet.
    const int64_t from = committed_offset < 0 ? -2 : committed_offset;
    if (Status s = consumer_->Seek(options_.topics.commands, p, from); !s.ok()) return s;
  }
  // Every command before the group's offset is decided: deleted with ours,
  // also those a previous owner decided and had no time to delete.
  if (committed_offset > 0) decided_[p] = std::max(decided_[p], committed_offset);
  return Status::Ok();
}

void KafkaCommandProcessor::Run() {
  auto last_gov = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (!Connected()) {
      if (Status s = Connect(); !s.ok()) {
        SetError(s);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
    }
    auto polled = consumer_->Poll(std::chrono::milliseconds(20), options_.max_batch);
    if (!polled.ok()) {
      SetError(polled.status());
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    DeleteDecided();
    // Partitions gained, or to be read again after a failed batch.
    std::set<int32_t> todo, reseeked;
    {
      std::lock_guard lock(mu_);
      todo = fresh_;
      todo.insert(reseek_.begin(), reseek_.end());
    }
    for (int32_t p : todo) {
      bool reseek;
      {
        std::lock_guard lock(mu_);
        reseek = reseek_.count(p) > 0;
      }
      Status s = Rebuild(p, reseek);
      if (!s.ok())
        spdlog::warn("processor {}: partition {} not taken yet: {}", options_.transactional_id, p,
                     s.ToString());
      std::lock_guard lock(mu_);
      if (!assigned_.count(p)) continue;
      if (reseek || !s.ok()) reseeked.insert(p);  // what was polled before is stale
      fresh_.erase(p);
      if (s.ok()) {
        reseek_.erase(p);
        owned_.insert(p);
      } else {
        reseek_.insert(p);
        last_error_ = s;
      }
    }
    std::vector<ConsumedRecord> records;
    {
      std::lock_guard lock(mu_);
      for (auto& r : *polled)
        if (owned_.count(r.partition) && !reseeked.count(r.partition) &&
            !reseek_.count(r.partition))
          records.push_back(std::move(r));
    }
    if (records.empty()) {
      // Keep the governance stream fresh while idle.
      auto now = std::chrono::steady_clock::now();
      if (now - last_gov > std::chrono::milliseconds(200) && !owned().count(0)) {
        if (Status s = core_->CatchUp(*events_, 0); !s.ok()) SetError(s);
        last_gov = now;
      }
      continue;
    }
    if (Status s = ProcessBatch(records); !s.ok()) SetError(s);
  }
  // The partitions go to a successor first; the client stays usable for
  // the last deletion until it is destroyed.
  consumer_->Close();
  DeleteDecidedBeforeLeaving();
}

// A decided command is in the events and outcomes of a committed
// transaction, with its offset: nothing reads it again (a rebuild reads the
// event and outcome topics; a new owner starts at the group's committed
// offset, never below this instance's). Deleting it keeps the applicant's
// personal data, which travels in the clear in the command, off the broker
// once it is sealed in the events (docs/kafka.md).
void KafkaCommandProcessor::DeleteDecided() {
  PollDeleteAnswer();
  if (options_.delete_decided_every.count() > 0 &&
      (!last_delete_ ||
       std::chrono::steady_clock::now() - *last_delete_ >= options_.delete_decided_every))
    StartDelete();
}

void KafkaCommandProcessor::PollDeleteAnswer() {
  auto answer = consumer_->DeleteAnswer();
  if (!answer) return;
  delete_pending_ = false;
  if (!answer->ok()) {
    SetError(Status(answer->code(), "decided commands not deleted yet (asked again in " +
                                        std::to_string(options_.delete_decided_every.count()) +
                                        " ms): " + answer->message()));
    deleted_.clear();
  }
}

bool KafkaCommandProcessor::StartDelete() {
  std::vector<TopicPartitionOffset> before;
  for (auto [p, next] : decided_)
    if (auto it = deleted_.find(p); it == deleted_.end() || it->second != next)
      before.push_back({options_.topics.commands, p, next});
  if (!consumer_->StartDeleteBefore(before)) return false;  // nothing new, or one in flight
  delete_pending_ = true;
  deleted_ = decided_;
  last_delete_ = std::chrono::steady_clock::now();
  return true;
}

// On the way out: what this instance decided since its last request (a
// successor would delete it only once it owns the partition), waiting up
// to 2 s for the request in flight and for this one.
void KafkaCommandProcessor::DeleteDecidedBeforeLeaving() {
  if (options_.delete_decided_every.count() <= 0) return;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  auto await = [&] {
    for (PollDeleteAnswer(); delete_pending_ && std::chrono::steady_clock::now() < end;
         PollDeleteAnswer())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  await();
  if (!delete_pending_ && StartDelete()) await();
}

// Forgets a failed batch: the partitions are rebuilt and read again from the
// group's committed offsets. A producer in an unknown state is replaced
// (init_transactions then completes or aborts what it left open).
void KafkaCommandProcessor::Fail(const Status& s, const std::set<int32_t>& partitions) {
  core_->DropCache();
  if (s.code() != "aborted" || !Connected()) {
    for (auto& p : producers_) p.reset();
    if (Status c = Connect(); !c.ok()) SetError(c);
  }
  std::lock_guard lock(mu_);
  for (int32_t p : partitions) {
    if (!assigned_.count(p)) continue;
    reseek_.insert(p);
    owned_.erase(p);
  }
}

Status KafkaCommandProcessor::ProcessBatch(std::vector<ConsumedRecord>& records) {
  std::set<int32_t> partitions;
  std::map<int32_t, int64_t> next_offset;
  for (const auto& r : records) {
    partitions.insert(r.partition);
    next_offset[r.partition] = std::max(next_offset[r.partition], r.offset + 1);
  }
  if (!owned().count(0)) {  // officers or charter may have changed
    if (Status s = core_->CatchUp(*events_, 0); !s.ok()) {
      Fail(Status("aborted", s.message()), partitions);
      return s;
    }
  }
  // Each command's partition and the request that sent it (copied onto its
  // outcome: the gateway answers that request with it).
  struct From {
    int32_t partition;
    std::string request;
  };
  std::vector<Command> cmds;
  std::vector<From> cmd_from;
  std::vector<std::pair<From, Outcome>> not_decided;
  for (const auto& r : records) {
    auto c = DecodeCommand(r.value);
    if (!c.ok()) {  // cannot even be answered: skipped (its offset is committed)
      spdlog::error("command {}/{}: {}", r.partition, r.offset, c.status().ToString());
      continue;
    }
    if (events_->PartitionFor(c->stream.str()).value != r.partition) {
      Outcome o;
      o.command_id = c->id;
      o.stream = c->stream.str();
      o.error = Status("wrong_partition",
                       "a command for stream " + o.stream + " must be written to partition " +
                           std::to_string(events_->PartitionFor(o.stream).value));
      not_decided.emplace_back(From{r.partition, r.request}, std::move(o));
      continue;
    }
    if (c->time_ms == 0) c->time_ms = options_.clock();
    cmds.push_back(std::move(*c));
    cmd_from.push_back({r.partition, r.request});
  }

  // Short of disk: every command is answered with the error, nothing is
  // decided (the state store could not record it).
  if (Status room =
          disk_.Check(options_.free_bytes(), options_.disk_reserve);
      !room.ok()) {
    SetError(room);
    for (size_t i = 0; i < cmds.size(); ++i) {
      Outcome o;
      o.command_id = cmds[i].id;
      o.stream = cmds[i].stream.str();
      o.error = room;
      not_decided.emplace_back(std::move(cmd_from[i]), std::move(o));
    }
    cmds.clear();
    cmd_from.clear();
  }
  CommandCore::Plan plan = core_->Decide(cmds, *events_, vault_);
  auto fail = [&](const Status& s) {
    core_->Abort(plan);
    Fail(s, partitions);
    return s;
  };
  KafkaTransactionalProducer& tx = *producers_[transactions_ % producers_.size()];
  if (Status s = tx.BeginTransaction(); !s.ok()) return fail(s);
  for (const auto& rec : plan.records) {
    if (Status s = tx.Produce(options_.topics.events, rec.partition.value, rec.key, rec.value);
        !s.ok()) {
      tx.AbortTransaction();
      return fail(s);
    }
  }
  if (!plan.records.empty()) {
    auto offsets = tx.Flush();  // the events' offsets, for the outcomes
    if (!offsets.ok()) return fail(offsets.status());
    core_->Place(plan, *offsets);
  }
  std::vector<Outcome> outcomes = core_->Outcomes(plan);
  std::vector<int32_t> outcome_partition;
  auto produce_outcome = [&](const From& from, const Outcome& o) {
    outcome_partition.push_back(from.partition);
    return tx.Produce(options_.topics.outcomes, from.partition, o.command_id.str(),
                      EncodeOutcome(o), from.request);
  };
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (Status s = produce_outcome(cmd_from[i], outcomes[i]); !s.ok()) {
      tx.AbortTransaction();
      return fail(s);
    }
  }
  for (const auto& [p, o] : not_decided) {
    if (Status s = produce_outcome(p, o); !s.ok()) {
      tx.AbortTransaction();
      return fail(s);
    }
  }
  // Every instance's vault learns the batch's keys from the key topic: they
  // are there exactly when the events sealed under them are, and so are the
  // tombstones of the keys the batch's erasures destroy.
  std::vector<VaultKey> erased_keys;
  for (const auto& [event_id, key] : plan.erased_keys) erased_keys.push_back(key);
  auto key_records =
      KeyTopicRecords(vault_, plan.new_keys, plan.erased, plan.dropped_keys, erased_keys);
  if (!key_records.ok()) {
    tx.AbortTransaction();
    return fail(key_records.status());
  }
  for (const auto& k : *key_records) {
    const std::string_view value =
        k.value.empty() ? std::string_view() : std::string_view(k.value);  // null: a tombstone
    if (Status s = tx.Produce(options_.topics.keys, 0, k.name, value); !s.ok()) {
      tx.AbortTransaction();
      return fail(s);
    }
  }
  std::vector<TopicPartitionOffset> consumed;
  for (auto [p, next] : next_offset) consumed.push_back({options_.topics.commands, p, next});
  if (Status s = tx.SendOffsetsToTransaction(consumer_->GroupMetadata(), consumed); !s.ok()) {
    if (s.code() != "aborted" && !tx.fatal()) tx.AbortTransaction();
    return fail(s);
  }
  if (options_.before_commit) options_.before_commit(ProducerId(transactions_ % producers_.size()));
  auto committed = tx.CommitTransaction();
  if (!committed.ok()) return fail(committed.status());
  for (auto [p, next] : next_offset) decided_[p] = std::max(decided_[p], next);
  // This instance's copy of the vault, at once: the destroyed keys go, and
  // the new ones are held in memory until its follower stores them from the
  // topic (so that every key it stores comes before any erasure record it
  // applies later; a crash loses nothing the topic does not have). Keys are
  // destroyed only once their tombstones are committed: a batch that fails
  // is decided again, and its erasures must again find the keys to name.
  std::vector<std::pair<std::string, std::string>> destroyed;
  for (const auto& k : *key_records)
    if (auto named = VaultKey::FromName(k.name); named && k.value.empty())
      destroyed.emplace_back(named->person_id, named->key_id);
  if (Status s = vault_.EraseKeys(destroyed); !s.ok()) SetError(s);
  vault_.Hold(plan.new_keys);
  const size_t n_events = plan.records.size();
  std::vector<Offset> event_offsets(committed->begin(), committed->begin() + n_events);
  std::map<int32_t, uint64_t> outcome_next;
  for (size_t i = 0; i < outcome_partition.size(); ++i) {
    uint64_t& next = outcome_next[outcome_partition[i]];
    next = std::max(next, (*committed)[n_events + i].value + 1);
  }
  ++transactions_;
  if (Status s = core_->Commit(plan, event_offsets, {outcome_next.begin(), outcome_next.end()});
      !s.ok()) {
    // The transaction stands; the partitions are rebuilt from the log.
    Fail(s, partitions);
    return s;
  }
  return Status::Ok();
}

}  // namespace pl
