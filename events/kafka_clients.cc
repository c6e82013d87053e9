#include "events/kafka_clients.h"

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <thread>

#include "events/kafka_internal.h"

namespace pl {
using namespace kafka_internal;

// ------------------------------------------------------------------ producer

struct KafkaProducer::Impl {
  rd_kafka_t* rk = nullptr;
  std::chrono::milliseconds timeout{30000};
  std::atomic<bool> stopping{false};
  std::thread poller;

  ~Impl() {
    if (!rk) return;
    rd_kafka_flush(rk, Ms(timeout));
    stopping = true;
    if (poller.joinable()) poller.join();
    rd_kafka_destroy(rk);
  }

  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    std::unique_ptr<Delivered> done(static_cast<Delivered*>(m->_private));
    if (!done) return;
    if (m->err) {
      (*done)(KafkaStatus(m->err, "producing to " + std::string(rd_kafka_topic_name(m->rkt))),
              Offset{});
    } else {
      (*done)(Status::Ok(), Offset{static_cast<uint64_t>(m->offset)});
    }
  }
};

KafkaProducer::KafkaProducer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaProducer::~KafkaProducer() = default;

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(const KafkaClientOptions& options) {
  auto conf = MakeConf(options.bootstrap_servers, options.client_config,
                       {{"enable.idempotence", "true"},
                        {"acks", "all"},
                        {"max.in.flight.requests.per.connection", "5"},
                        {"linger.ms", kLingerMs}});
  if (!conf.ok()) return conf.status();
  auto impl = std::make_unique<Impl>();
  impl->timeout = options.timeout;
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &Impl::OnDelivery);
  auto rk = NewClient(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!rk.ok()) return rk.status();
  impl->rk = *rk;
  Impl* raw = impl.get();
  impl->poller = std::thread([raw] {
    while (!raw->stopping) rd_kafka_poll(raw->rk, 50);
  });
  return std::unique_ptr<KafkaProducer>(new KafkaProducer(std::move(impl)));
}

bool KafkaProducer::fatal() const { return !FatalError(impl_->rk).empty(); }

void KafkaProducer::Produce(const std::string& topic, int32_t partition, std::string_view key,
                            std::string_view value, Delivered done, std::string_view request) {
  auto* cb = new Delivered(std::move(done));
  for (;;) {
    rd_kafka_resp_err_t err = ProduceRecord(impl_->rk, topic, partition, key, value, request, cb);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {  // the poller drains it
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    std::unique_ptr<Delivered> owned(cb);
    (*owned)(KafkaStatus(err, "producing to " + topic + "/" + std::to_string(partition)), Offset{});
    return;
  }
}

// ------------------------------------------------------------------ reader

struct KafkaTopicReader::Impl {
  rd_kafka_t* rk = nullptr;
  int32_t partitions = 0;
  ~Impl() {
    if (!rk) return;
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
  }
};

KafkaTopicReader::KafkaTopicReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaTopicReader::~KafkaTopicReader() = default;
int32_t KafkaTopicReader::partitions() const { return impl_->partitions; }

Result<std::unique_ptr<KafkaTopicReader>> KafkaTopicReader::Open(const KafkaClientOptions& options,
                                                                 const std::string& topic,
                                                                 std::vector<int64_t> from) {
  auto conf = ReaderConf(options.bootstrap_servers, options.client_config, "pl-topic-reader",
                         /*eof=*/false, "earliest", 5);
  if (!conf.ok()) return conf.status();
  auto impl = std::make_unique<Impl>();
  auto rk = NewClient(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!rk.ok()) return rk.status();
  impl->rk = *rk;
  rd_kafka_poll_set_consumer(impl->rk);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(impl->rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(impl->rk, 0, rkt, &md, Ms(options.timeout));
  rd_kafka_topic_destroy(rkt);
  if (err) return KafkaStatus(err, "metadata of " + topic);
  for (int i = 0; i < md->topic_cnt; ++i)
    if (topic == md->topics[i].topic && !md->topics[i].err)
      impl->partitions = md->topics[i].partition_cnt;
  rd_kafka_metadata_destroy(md);
  if (impl->partitions <= 0) return Status("unavailable", "topic " + topic + " not found");
  if (!from.empty() && static_cast<int32_t>(from.size()) != impl->partitions)
    return Status("invalid_argument", "one start offset per partition expected");
  if (from.empty()) {
    // The end now, resolved here (not lazily by the fetcher), so that a
    // record written after Open returns is never missed. Under
    // read_committed this is the last stable offset.
    for (int32_t p = 0; p < impl->partitions; ++p) {
      int64_t lo = 0, hi = 0;
      auto deadline = Clock::now() + options.timeout;
      for (;;) {
        err = rd_kafka_query_watermark_offsets(impl->rk, topic.c_str(), p, &lo, &hi,
                                               std::max(1, RemainingMs(deadline)));
        if (!err) break;
        if (!IsTransient(err) || Clock::now() >= deadline)
          return KafkaStatus(err, "end offset of " + topic + "/" + std::to_string(p));
      }
      from.push_back(hi);
    }
  }
  ListPtr list(rd_kafka_topic_partition_list_new(impl->partitions));
  for (int32_t p = 0; p < impl->partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = from[p];
  if (auto e = rd_kafka_assign(impl->rk, list.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaStatus(e, "assign " + topic);
  return std::unique_ptr<KafkaTopicReader>(new KafkaTopicReader(std::move(impl)));
}

Result<std::vector<ConsumedRecord>> KafkaTopicReader::Poll(std::chrono::milliseconds timeout,
                                                           size_t max) {
  return PollRecords(impl_->rk, timeout, max, "reader");
}

}  // namespace pl
