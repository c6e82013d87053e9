// KafkaGroupConsumer and ConsumerGroupMetadata (events/kafka_log.h): the
// consumer-group member the Kafka command processor reads its commands
// with: subscription and rebalances, polling, offset commits and seeks, and
// the DeleteRecords requests for what it decided.
#include <librdkafka/rdkafka.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/kafka_internal.h"
#include "events/kafka_log.h"

namespace pl {
using namespace kafka_internal;

ConsumerGroupMetadata::~ConsumerGroupMetadata() {
  if (handle_)
    rd_kafka_consumer_group_metadata_destroy(
        static_cast<rd_kafka_consumer_group_metadata_t*>(handle_));
}
ConsumerGroupMetadata::ConsumerGroupMetadata(ConsumerGroupMetadata&& o) noexcept
    : handle_(std::exchange(o.handle_, nullptr)) {}
ConsumerGroupMetadata& ConsumerGroupMetadata::operator=(ConsumerGroupMetadata&& o) noexcept {
  if (this != &o) {
    ConsumerGroupMetadata tmp(std::move(*this));
    handle_ = std::exchange(o.handle_, nullptr);
  }
  return *this;
}

struct KafkaGroupConsumer::Impl {
  rd_kafka_t* rk = nullptr;
  std::chrono::milliseconds timeout{30000};
  RebalanceCallback on_rebalance;
  bool closed = false;
  QueuePtr deleting;  // the queue of the unanswered DeleteRecords request, if any

  ~Impl() {
    deleting.reset();  // before the client it belongs to
    if (!rk) return;
    if (!closed) rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
  }

  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* parts, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      if (self->on_rebalance) self->on_rebalance(Rebalance::kAssigned, FromList(parts));
      if (cooperative)
        ErrorPtr(rd_kafka_incremental_assign(rk, parts));
      else
        rd_kafka_assign(rk, parts);
    } else {
      if (self->on_rebalance) self->on_rebalance(Rebalance::kRevoked, FromList(parts));
      if (cooperative)
        ErrorPtr(rd_kafka_incremental_unassign(rk, parts));
      else
        rd_kafka_assign(rk, nullptr);
    }
  }
};

KafkaGroupConsumer::KafkaGroupConsumer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaGroupConsumer::~KafkaGroupConsumer() = default;

Result<std::unique_ptr<KafkaGroupConsumer>> KafkaGroupConsumer::Create(
    const KafkaClientOptions& options, const std::string& group_id,
    const std::vector<std::string>& topics, RebalanceCallback on_rebalance) {
  if (group_id.empty()) return Status("invalid_argument", "a group consumer needs a group id");
  if (topics.empty()) return Status("invalid_argument", "a group consumer needs topics");
  auto conf = MakeConf(options.bootstrap_servers, options.client_config,
                       {{"group.id", group_id},
                        {"isolation.level", "read_committed"},
                        {"enable.auto.commit", "false"},
                        {"enable.auto.offset.store", "false"},
                        {"auto.offset.reset", "earliest"},
                        {"enable.partition.eof", "false"},
                        {"fetch.min.bytes", kFetchMinBytes},
                        {"fetch.wait.max.ms", "5"}});
  if (!conf.ok()) return conf.status();
  auto impl = std::make_unique<Impl>();
  impl->timeout = options.timeout;
  impl->on_rebalance = std::move(on_rebalance);
  rd_kafka_conf_set_rebalance_cb(conf->get(), &Impl::OnRebalance);
  rd_kafka_conf_set_opaque(conf->get(), impl.get());
  auto rk = NewClient(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!rk.ok()) return rk.status();
  impl->rk = *rk;
  rd_kafka_poll_set_consumer(impl->rk);
  ListPtr subs(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const auto& t : topics)
    rd_kafka_topic_partition_list_add(subs.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  if (auto err = rd_kafka_subscribe(impl->rk, subs.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaStatus(err, "subscribe");
  return std::unique_ptr<KafkaGroupConsumer>(new KafkaGroupConsumer(std::move(impl)));
}

Result<std::vector<ConsumedRecord>> KafkaGroupConsumer::Poll(std::chrono::milliseconds timeout,
                                                             size_t max) {
  return PollRecords(impl_->rk, timeout, max, "consumer");
}

Status KafkaGroupConsumer::CommitOffsets(const std::vector<TopicPartitionOffset>& offsets) {
  ListPtr list = ToList(offsets);
  if (auto err = rd_kafka_commit(impl_->rk, list.get(), 0); err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaStatus(err, "commit offsets");
  return Status::Ok();
}

Result<std::vector<TopicPartitionOffset>> KafkaGroupConsumer::Committed(
    const std::vector<TopicPartitionOffset>& partitions) {
  ListPtr list = ToList(partitions);
  if (auto err = rd_kafka_committed(impl_->rk, list.get(), Ms(impl_->timeout));
      err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaStatus(err, "committed offsets");
  for (int i = 0; i < list->cnt; ++i)
    if (list->elems[i].err) return KafkaStatus(list->elems[i].err, "committed offset");
  return FromList(list.get());
}

Status KafkaGroupConsumer::Seek(const std::string& topic, int32_t partition, int64_t offset) {
  ListPtr list = ToList({{topic, partition, offset}});
  ErrorPtr e(rd_kafka_seek_partitions(impl_->rk, list.get(), Ms(impl_->timeout)));
  if (e) return Status("kafka_error", std::string("seek: ") + rd_kafka_error_string(e.get()));
  if (list->elems[0].err) return KafkaStatus(list->elems[0].err, "seek");
  return Status::Ok();
}

std::vector<TopicPartitionOffset> KafkaGroupConsumer::Assignment() {
  rd_kafka_topic_partition_list_t* l = nullptr;
  if (rd_kafka_assignment(impl_->rk, &l) != RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  ListPtr owned(l);
  return FromList(l);
}

ConsumerGroupMetadata KafkaGroupConsumer::GroupMetadata() {
  return ConsumerGroupMetadata(rd_kafka_consumer_group_metadata(impl_->rk));
}

bool KafkaGroupConsumer::StartDeleteBefore(const std::vector<TopicPartitionOffset>& offsets) {
  if (impl_->deleting || offsets.empty()) return false;
  ListPtr list = ToList(offsets);
  rd_kafka_DeleteRecords_t* del = rd_kafka_DeleteRecords_new(list.get());
  rd_kafka_AdminOptions_t* opts =
      rd_kafka_AdminOptions_new(impl_->rk, RD_KAFKA_ADMIN_OP_DELETERECORDS);
  char errstr[512];
  rd_kafka_AdminOptions_set_request_timeout(opts, Ms(impl_->timeout), errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(opts, Ms(impl_->timeout), errstr, sizeof errstr);
  impl_->deleting.reset(rd_kafka_queue_new(impl_->rk));
  rd_kafka_DeleteRecords(impl_->rk, &del, 1, opts, impl_->deleting.get());
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_DeleteRecords_destroy(del);
  return true;
}

std::optional<Status> KafkaGroupConsumer::DeleteAnswer() {
  if (!impl_->deleting) return std::nullopt;
  EventPtr ev(rd_kafka_queue_poll(impl_->deleting.get(), 0));
  if (!ev) return std::nullopt;
  impl_->deleting.reset();
  if (rd_kafka_event_error(ev.get()))
    return KafkaStatus(rd_kafka_event_error(ev.get()),
                       std::string("deleting records: ") + rd_kafka_event_error_string(ev.get()));
  const rd_kafka_DeleteRecords_result_t* res = rd_kafka_event_DeleteRecords_result(ev.get());
  const rd_kafka_topic_partition_list_t* parts =
      res ? rd_kafka_DeleteRecords_result_offsets(res) : nullptr;
  if (!parts) return Status("kafka_error", "deleting records: the answer names no partition");
  for (int i = 0; i < parts->cnt; ++i)
    if (parts->elems[i].err)
      return KafkaStatus(parts->elems[i].err, std::string("deleting records of ") +
                                                  parts->elems[i].topic + "/" +
                                                  std::to_string(parts->elems[i].partition));
  return Status::Ok();
}

void KafkaGroupConsumer::Close() {
  if (impl_->closed) return;
  rd_kafka_consumer_close(impl_->rk);
  impl_->closed = true;
}

}  // namespace pl
