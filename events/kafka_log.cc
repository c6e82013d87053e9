// KafkaLog (events/kafka_log.h): the EventLog port on one Kafka topic. It
// appends through a KafkaTransactionalProducer
// (kafka_transactional_producer.cc), reads with read_committed consumers of
// its own, and on Open checks or creates its topic (kafka_topic_admin.cc).
#include "events/kafka_log.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "events/kafka_clients.h"
#include "events/kafka_internal.h"

namespace pl {
using namespace kafka_internal;

struct KafkaLog::Impl {
  KafkaLogOptions options;
  int32_t partitions = 0;

  // A read_committed consumer without a group (the group.id is never used:
  // no subscribe, no commits). Read assigns it one partition at a time.
  //
  // A Read that stops at `max` keeps the partition assigned, so that the
  // next Read continues the fetch (and trusts the stable end it already
  // knows); a Read that reaches the stable end releases it. An idle reader
  // then has no fetch parked on the broker, and the broker, which answers a
  // connection's requests in order, answers the next ListOffsets at once
  // instead of after the parked fetch.
  rd_kafka_t* reader = nullptr;
  std::mutex read_mu;
  int32_t assigned = -1;   // partition currently assigned, or -1
  int64_t resume_at = -1;  // a Read from here continues the fetch of `assigned`
  int64_t known_end = -1;  // the stable end of `assigned` its last Read saw
  // Per partition: [first, second) holds no record a Read returns (only
  // transaction markers), learnt when a Read reached the end there.
  std::vector<std::pair<int64_t, int64_t>> no_records;

  std::mutex append_mu;
  std::unique_ptr<KafkaTransactionalProducer> producer;

  // A read_uncommitted consumer (no group use, never assigned) for high
  // watermarks; made by the first Settle.
  rd_kafka_t* uncommitted = nullptr;
  std::mutex uncommitted_mu;

  ~Impl() {
    if (ends) {
      std::lock_guard lock(ends->mu);
      ends->stop = true;
      ends->cv.notify_all();
    }
    producer.reset();
    if (reader) {
      rd_kafka_consumer_close(reader);
      rd_kafka_destroy(reader);
    }
    if (uncommitted) rd_kafka_destroy(uncommitted);  // never subscribed nor assigned
  }

  Result<int64_t> HighWatermark(int32_t p, Clock::time_point deadline) {
    std::lock_guard lock(uncommitted_mu);
    if (!uncommitted) {
      auto conf = MakeConf(options.bootstrap_servers, options.client_config,
                           {{"group.id", "pl-kafkalog-hw-" + RandomSuffix()},
                            {"isolation.level", "read_uncommitted"},
                            {"enable.auto.commit", "false"},
                            {"allow.auto.create.topics", "false"}});
      if (!conf.ok()) return conf.status();
      auto rk = NewClient(RD_KAFKA_CONSUMER, std::move(*conf));
      if (!rk.ok()) return rk.status();
      uncommitted = *rk;
    }
    int64_t lo = 0, hi = 0;
    rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        uncommitted, options.topic.c_str(), p, &lo, &hi, std::max(1, RemainingMs(deadline)));
    if (err) {
      // This handle is never polled, so its metadata does not follow a
      // leader that moved (NOT_LEADER_FOR_PARTITION ever after): the next
      // query starts from a new one.
      rd_kafka_destroy(uncommitted);
      uncommitted = nullptr;
      return KafkaStatus(err, "high watermark of " + options.topic + "/" + std::to_string(p));
    }
    return hi;
  }

  // The partition's first offset and its end: under
  // isolation.level=read_committed the end is the last stable offset
  // (librdkafka >= 1.7.1 sends the isolation level in ListOffsets).
  Result<std::pair<Offset, Offset>> Watermarks(int32_t p) {
    int64_t lo = 0, hi = 0;
    auto deadline = Clock::now() + options.timeout;
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
          reader, options.topic.c_str(), p, &lo, &hi, std::max(1, RemainingMs(deadline)));
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return std::pair{Offset{static_cast<uint64_t>(lo)}, Offset{static_cast<uint64_t>(hi)}};
      // Open saw the topic: an unknown topic here is a broker's stale metadata.
      if ((IsTransient(err) || err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) &&
          Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      return KafkaStatus(err, "watermarks of " + options.topic + "/" + std::to_string(p));
    }
  }

  Result<Offset> EndOffset(int32_t p) {
    auto w = Watermarks(p);
    if (!w.ok()) return w.status();
    std::lock_guard lock(known_mu);
    ends_known[p] = w->second.value;
    return w->second;
  }

  // The ends last known per partition, for EndOffsetNow: kept by a thread
  // of its own, on a client of its own, once a second. A query may wait on
  // a cluster out of reach for minutes, whatever its timeout: so the
  // thread shares nothing with the log but these ends, and the log does not
  // wait for it at its end (told to stop, it ends once its query returns).
  struct Ends {
    std::mutex mu;
    std::condition_variable cv;
    std::map<int32_t, uint64_t> known;
    bool stop = false;
  };
  std::mutex known_mu;                     // guards ends_known and ends
  std::map<int32_t, uint64_t> ends_known;  // from EndOffset, until the thread has its own
  std::shared_ptr<Ends> ends;

  static void KeepEnds(std::shared_ptr<Ends> ends, KafkaLogOptions o, int32_t partitions) {
    auto conf = MakeConf(o.bootstrap_servers, o.client_config,
                         {{"group.id", "pl-kafkalog-ends-" + RandomSuffix()},
                          {"isolation.level", "read_committed"},
                          {"enable.auto.commit", "false"},
                          {"allow.auto.create.topics", "false"}});
    auto rk = conf.ok() ? NewClient(RD_KAFKA_CONSUMER, std::move(*conf))
                        : Result<rd_kafka_t*>(conf.status());
    if (!rk.ok()) return;
    for (;;) {
      for (int32_t p = 0; p < partitions; ++p) {
        int64_t lo = 0, hi = 0;
        if (rd_kafka_query_watermark_offsets(*rk, o.topic.c_str(), p, &lo, &hi, 5000) ==
            RD_KAFKA_RESP_ERR_NO_ERROR) {
          std::lock_guard lock(ends->mu);
          ends->known[p] = static_cast<uint64_t>(hi);
        }
      }
      std::unique_lock lock(ends->mu);
      if (ends->cv.wait_for(lock, std::chrono::seconds(1), [&] { return ends->stop; })) break;
    }
    rd_kafka_destroy(*rk);
  }

  Result<Offset> EndOffsetNow(int32_t p) {
    std::shared_ptr<Ends> e;
    {
      std::lock_guard lock(known_mu);
      if (!ends) {
        ends = std::make_shared<Ends>();
        ends->known = ends_known;
        std::thread(KeepEnds, ends, options, partitions).detach();
      }
      e = ends;
    }
    std::lock_guard lock(e->mu);
    if (auto it = e->known.find(p); it != e->known.end()) return Offset{it->second};
    return Status("unavailable", "the end of " + options.topic + "/" + std::to_string(p) +
                                     " is not known yet (the cluster is out of reach)");
  }

  void Unassign() {
    if (assigned >= 0) rd_kafka_assign(reader, nullptr);
    assigned = -1;
  }

  Result<std::vector<LogRecord>> Read(int32_t p, int64_t from, size_t max) {
    std::vector<LogRecord> out;
    if (max == 0) return out;
    std::unique_lock lock(read_mu);
    // Records below a stable end stay stable: resuming below the end the
    // last Read saw needs no round trip.
    int64_t end = assigned == p && from == resume_at ? known_end : -1;
    if (end <= from) {
      lock.unlock();
      auto lso = EndOffset(p);
      if (!lso.ok()) return lso.status();
      end = static_cast<int64_t>(lso->value);
      if (from >= end) return out;
      lock.lock();
      if (const auto [lo, hi] = no_records[p]; from >= lo && end <= hi) return out;
    }
    if (!(assigned == p && from == resume_at)) {
      ListPtr list(rd_kafka_topic_partition_list_new(1));
      rd_kafka_topic_partition_list_add(list.get(), options.topic.c_str(), p)->offset = from;
      assigned = -1;
      if (auto err = rd_kafka_assign(reader, list.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return KafkaStatus(err, "assign " + options.topic + "/" + std::to_string(p));
      assigned = p;
      resume_at = from;
    }
    known_end = end;
    auto deadline = Clock::now() + options.timeout;
    for (;;) {
      MessagePtr m(rd_kafka_consumer_poll(reader, std::min(100, RemainingMs(deadline))));
      if (!m) {
        if (Clock::now() >= deadline) {
          Unassign();
          return Status("unavailable",
                        "reading " + options.topic + "/" + std::to_string(p) + " timed out");
        }
        continue;
      }
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // The fetcher reached the partition's stable end. An EOF from before
        // our end-offset snapshot is stale: keep going.
        if (m->partition == p && m->offset >= end) {
          no_records[p] = {resume_at, m->offset};
          Unassign();
          break;
        }
        continue;
      }
      if (m->err) {
        if (IsTransient(m->err) && Clock::now() < deadline) continue;
        Unassign();
        return KafkaStatus(m->err, "reading " + options.topic + "/" + std::to_string(p));
      }
      if (m->partition != p || m->offset < from) continue;  // from an older assignment
      LogRecord r;
      r.partition = PartitionId{p};
      r.offset = Offset{static_cast<uint64_t>(m->offset)};
      if (m->key) r.key.assign(static_cast<const char*>(m->key), m->key_len);
      if (m->payload) r.value.assign(static_cast<const char*>(m->payload), m->len);
      out.push_back(std::move(r));
      resume_at = m->offset + 1;
      if (m->offset + 1 >= end) {
        Unassign();
        break;
      }
      if (out.size() >= max) break;
    }
    return out;
  }
};

KafkaLog::KafkaLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaLog::~KafkaLog() = default;

int32_t KafkaLog::partitions() const { return impl_->partitions; }
const std::string& KafkaLog::topic() const { return impl_->options.topic; }

std::chrono::milliseconds KafkaLog::end_offset_lag() const { return std::chrono::seconds(10); }

std::string KafkaLog::LostRecordsCause() const {
  return "the topic " + impl_->options.topic + " at " + impl_->options.bootstrap_servers +
         " holds fewer records than were read from it, so it is not the topic this instance "
         "was built from (another cluster or --kafka-topic-prefix than before, or a topic "
         "deleted and made again). Start it with the cluster and prefix it was built from";
}

Result<std::unique_ptr<KafkaLog>> KafkaLog::Open(const KafkaLogOptions& options) {
  if (options.topic.empty()) return Status("invalid_argument", "no Kafka topic given");
  if (options.partitions <= 0)
    return Status("invalid_argument", "the event topic needs at least one partition");
  auto impl = std::make_unique<Impl>();
  impl->options = options;

  // A Read ends on the end-of-partition signal whenever the stable end is
  // a transaction marker (always, on a transactional topic), and the signal
  // comes with the answer to a fetch the broker holds until it times out.
  auto conf = ReaderConf(options.bootstrap_servers, options.client_config, "pl-kafkalog-reader",
                         /*eof=*/true, "error", 5);
  if (!conf.ok()) return conf.status();
  auto rk = NewClient(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!rk.ok()) return rk.status();
  impl->reader = *rk;
  rd_kafka_poll_set_consumer(impl->reader);

  const int timeout_ms = Ms(options.timeout);
  auto info = DescribeTopic(impl->reader, options.topic, timeout_ms);
  // The first request to the cluster: its failure is most often a wrong
  // address or brokers not running, which the operator fixes.
  if (!info.ok() && info.status().code() == "unavailable")
    return Status("unavailable", "cannot reach the Kafka cluster at " + options.bootstrap_servers +
                                     " (" + info.status().message() +
                                     "): check the address given (--kafka) and that the brokers "
                                     "run and are reachable from here");
  // A controller's listener answers, but not the requests of clients.
  if (!info.ok() && info.status().message().find("not supported") != std::string::npos)
    return Status(info.status().code(),
                  info.status().message() + ": is " + options.bootstrap_servers +
                      " a broker's listener? (a KRaft controller's port answers clients so)");
  if (!info.ok()) return info.status();
  if (!info->exists && !options.create_if_missing)
    return Status("not_found", "there is no topic " + options.topic + " on the Kafka cluster at " +
                                   options.bootstrap_servers +
                                   ": check --kafka and --kafka-topic-prefix");
  if (!info->exists) {
    if (Status s = CreateTopic(impl->reader, options); !s.ok()) return s;
  }
  // Wait until every partition has a leader (a new topic takes a moment).
  auto deadline = Clock::now() + options.timeout;
  for (;;) {
    info = DescribeTopic(impl->reader, options.topic, timeout_ms);
    if (!info.ok()) return info.status();
    if (info->exists && info->all_have_leaders) break;
    if (Clock::now() >= deadline)
      return Status("unavailable", "topic " + options.topic + " has partitions without a leader");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (info->partitions != options.partitions) {
    return Status("topic_mismatch",
                  "topic " + options.topic + " has " + std::to_string(info->partitions) +
                      " partitions but the ledger is configured for " +
                      std::to_string(options.partitions) +
                      "; streams are placed by partition count, so it can never change: "
                      "use the topic's count or another topic");
  }
  // In a cluster, a broker can answer DescribeConfigs before it has learnt
  // of a topic created a moment ago: retry that until the deadline.
  for (;;) {
    auto config = CheckTopicConfig(impl->reader, options);
    if (config.ok()) {
      if (options.compacted || options.retention_ms != -1)
        RollSegmentsHourly(impl->reader, options, *config);
      break;
    }
    const Status& s = config.status();
    bool young =
        s.message().find("UNKNOWN_TOPIC_OR_PART") != std::string::npos || s.code() == "unavailable";
    if (!young || Clock::now() >= deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  impl->partitions = info->partitions;
  impl->no_records.assign(info->partitions, {0, 0});

  if (!options.transactional_id.empty()) {
    KafkaClientOptions po{options.bootstrap_servers, options.timeout, options.client_config};
    auto p = KafkaTransactionalProducer::Create(po, options.transactional_id);
    if (!p.ok()) return p.status();
    impl->producer = std::move(*p);
  }
  return std::unique_ptr<KafkaLog>(new KafkaLog(std::move(impl)));
}

Result<std::vector<Offset>> KafkaLog::Append(std::span<const AppendRecord> records) {
  Impl& s = *impl_;
  if (!s.producer)
    return Status("read_only", "this KafkaLog was opened without a transactional.id");
  for (const auto& r : records) {
    if (r.partition.value < 0 || r.partition.value >= s.partitions)
      return Status("invalid_argument", "partition " + std::to_string(r.partition.value) +
                                            " out of range [0, " + std::to_string(s.partitions) +
                                            ")");
  }
  if (records.empty()) return std::vector<Offset>{};
  Result<std::vector<Offset>> committed = [&]() -> Result<std::vector<Offset>> {
    std::lock_guard lock(s.append_mu);
    KafkaTransactionalProducer& p = *s.producer;
    if (Status st = p.BeginTransaction(); !st.ok()) return st;
    for (const auto& r : records) {
      Status st = p.Produce(s.options.topic, r.partition.value, r.key, r.value);
      if (!st.ok()) {
        if (st.code() == "fenced" || p.fatal()) return st;
        Status ab = p.AbortTransaction();
        if (ab.code() == "fenced") return ab;
        return Status("aborted", "transaction rolled back, nothing written: " + st.message());
      }
    }
    return p.CommitTransaction();
  }();
  if (!committed.ok()) return committed;
  // The commit returns once the coordinator has decided; the commit markers
  // reach the partitions a moment later. Wait for them (outside the lock), so
  // that a Read after Append sees the records.
  std::map<int32_t, uint64_t> last;
  for (size_t i = 0; i < records.size(); ++i) {
    uint64_t& l = last[records[i].partition.value];
    l = std::max(l, (*committed)[i].value);
  }
  auto deadline = Clock::now() + s.options.timeout;
  for (const auto& [p, off] : last) {
    auto pause = std::chrono::microseconds(500);
    for (;;) {
      auto end = s.EndOffset(p);
      if ((end.ok() && end->value > off) || Clock::now() >= deadline) break;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }
  }
  return committed;
}

Result<std::vector<LogRecord>> KafkaLog::Read(PartitionId p, Offset from, size_t max) {
  if (p.value < 0 || p.value >= impl_->partitions)
    return Status("invalid_argument", "partition " + std::to_string(p.value) + " out of range");
  return impl_->Read(p.value, static_cast<int64_t>(from.value), max);
}

Status KafkaLog::Settle(PartitionId p, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto hw = impl_->HighWatermark(p.value, deadline);
    auto lso = impl_->EndOffset(p.value);
    if (hw.ok() && lso.ok() && static_cast<int64_t>(lso->value) >= *hw) return Status::Ok();
    if (Clock::now() >= deadline) {
      if (!hw.ok()) return hw.status();
      if (!lso.ok()) return lso.status();
      return Status("unavailable", impl_->options.topic + "/" + std::to_string(p.value) +
                                       " has a transaction open since offset " +
                                       std::to_string(lso->value) + " (high watermark " +
                                       std::to_string(*hw) + ")");
    }
    // After an error, time for a new leader to be known.
    std::this_thread::sleep_for(std::chrono::milliseconds(hw.ok() ? 20 : 100));
  }
}

Result<Offset> KafkaLog::EndOffset(PartitionId p) {
  if (p.value < 0 || p.value >= impl_->partitions)
    return Status("invalid_argument", "partition " + std::to_string(p.value) + " out of range");
  return impl_->EndOffset(p.value);
}

Result<Offset> KafkaLog::EndOffsetNow(PartitionId p) {
  if (p.value < 0 || p.value >= impl_->partitions)
    return Status("invalid_argument", "partition " + std::to_string(p.value) + " out of range");
  return impl_->EndOffsetNow(p.value);
}

Result<Offset> KafkaLog::StartOffset(PartitionId p) {
  if (p.value < 0 || p.value >= impl_->partitions)
    return Status("invalid_argument", "partition " + std::to_string(p.value) + " out of range");
  auto w = impl_->Watermarks(p.value);
  if (!w.ok()) return w.status();
  return w->first;
}

namespace {

class KafkaTail final : public LogTail {
 public:
  explicit KafkaTail(std::unique_ptr<KafkaTopicReader> reader) : reader_(std::move(reader)) {}
  Result<std::vector<LogRecord>> Next(size_t max, std::chrono::milliseconds timeout) override {
    auto polled = reader_->Poll(timeout, max);
    if (!polled.ok()) return polled.status();
    std::vector<LogRecord> out;
    out.reserve(polled->size());
    for (auto& r : *polled)
      out.push_back({PartitionId{r.partition}, Offset{static_cast<uint64_t>(r.offset)},
                     std::move(r.key), std::move(r.value)});
    return out;
  }

 private:
  std::unique_ptr<KafkaTopicReader> reader_;
};

}  // namespace

Result<std::unique_ptr<LogTail>> KafkaLog::Tail(std::vector<uint64_t> from) {
  if (static_cast<int32_t>(from.size()) != impl_->partitions)
    return Status("invalid_argument", "one start offset per partition expected");
  const KafkaLogOptions& o = impl_->options;
  auto reader = KafkaTopicReader::Open({o.bootstrap_servers, o.timeout, o.client_config}, o.topic,
                                       std::vector<int64_t>(from.begin(), from.end()));
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<LogTail>(new KafkaTail(std::move(*reader)));
}

bool KafkaLog::WaitFor(PartitionId p, Offset from, std::chrono::milliseconds timeout) {
  if (p.value < 0 || p.value >= impl_->partitions) return false;
  auto deadline = Clock::now() + timeout;
  // No visible record in [from, known_empty_to): only markers or aborted ones.
  uint64_t known_empty_to = from.value;
  auto pause = std::chrono::milliseconds(2);
  for (;;) {
    auto end = impl_->EndOffset(p.value);
    if (end.ok() && end->value > known_empty_to) {
      auto r = impl_->Read(p.value, static_cast<int64_t>(from.value), 1);
      if (r.ok() && !r->empty()) return true;
      if (r.ok()) known_empty_to = end->value;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::min(
        pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())));
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

}  // namespace pl
