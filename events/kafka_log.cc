#include "events/kafka_log.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

#include "events/kafka_clients.h"
#include "events/kafka_internal.h"

namespace pl {
using namespace kafka_internal;

// ------------------------------------------------------------------ producer

struct KafkaTransactionalProducer::Impl {
  rd_kafka_t* rk = nullptr;
  std::chrono::milliseconds timeout{30000};
  std::string transactional_id;
  bool in_txn = false;
  std::string fatal_msg;  // non-empty once fatal

  // Delivery reports of the current transaction, indexed by Produce order.
  // A message's opaque carries (generation << 32 | index) so that reports of
  // an earlier, aborted transaction can never land here.
  uint32_t generation = 0;
  std::vector<int64_t> offsets;
  std::vector<rd_kafka_resp_err_t> errors;
  size_t delivered = 0;

  ~Impl() {
    if (!rk) return;
    if (in_txn && fatal_msg.empty()) ErrorPtr(rd_kafka_abort_transaction(rk, 5000));
    rd_kafka_flush(rk, 1000);
    rd_kafka_destroy(rk);
  }

  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    auto tag = reinterpret_cast<uintptr_t>(m->_private);
    if (static_cast<uint32_t>(tag >> 32) != self->generation) return;
    size_t i = static_cast<uint32_t>(tag);
    if (i >= self->offsets.size()) return;
    self->offsets[i] = m->offset;
    self->errors[i] = m->err;
    ++self->delivered;
  }

  Status Fenced() {
    if (fatal_msg.empty()) fatal_msg = FatalError(rk);
    if (fatal_msg.empty()) fatal_msg = "fatal producer error";
    in_txn = false;
    return Status("fenced", "transactional producer '" + transactional_id +
                                "' can no longer write (a newer instance with the same "
                                "transactional.id took over, or a fatal error): " +
                                fatal_msg);
  }

  bool IsFatal(const rd_kafka_error_t* e) {
    return (e && rd_kafka_error_is_fatal(e)) || !FatalError(rk).empty();
  }

  Status ErrorStatus(const rd_kafka_error_t* e, const std::string& what) {
    return Status(rd_kafka_error_is_retriable(e) ? "unavailable" : "kafka_error",
                  what + ": " + rd_kafka_error_string(e) + " (" + rd_kafka_error_name(e) + ")");
  }

  // Aborts the open transaction; "aborted" with `why` when that worked.
  Status Abort(const std::string& why) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      ErrorPtr e(rd_kafka_abort_transaction(rk, std::max(1, RemainingMs(deadline))));
      if (!e) {
        in_txn = false;
        return Status("aborted", "transaction rolled back, nothing written: " + why);
      }
      if (IsFatal(e.get())) return Fenced();
      if (rd_kafka_error_is_retriable(e.get()) && Clock::now() < deadline) continue;
      return Status("unavailable", "could not abort the transaction (" + why +
                                       "): " + rd_kafka_error_string(e.get()));
    }
  }

  void ResetBatch() {
    ++generation;
    offsets.clear();
    errors.clear();
    delivered = 0;
  }
};

KafkaTransactionalProducer::KafkaTransactionalProducer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
KafkaTransactionalProducer::~KafkaTransactionalProducer() = default;

namespace {
// How long the coordinator waits before aborting a transaction of a producer
// that died: 60 s unless the caller sets transaction.timeout.ms.
std::string TransactionTimeout(const KafkaClientOptions& o) {
  auto it = o.client_config.find("transaction.timeout.ms");
  return it == o.client_config.end() ? "60000" : it->second;
}
}  // namespace

Result<std::unique_ptr<KafkaTransactionalProducer>> KafkaTransactionalProducer::Create(
    const KafkaClientOptions& options, const std::string& transactional_id) {
  if (transactional_id.empty())
    return Status("invalid_argument", "a transactional producer needs a transactional.id");
  auto conf = MakeConf(options.bootstrap_servers, options.client_config,
                       {{"transactional.id", transactional_id},
                        {"enable.idempotence", "true"},
                        {"acks", "all"},
                        {"max.in.flight.requests.per.connection", "5"},
                        {"linger.ms", kLingerMs},
                        {"transaction.timeout.ms", TransactionTimeout(options)}});
  if (!conf.ok()) return conf.status();
  auto impl = std::make_unique<Impl>();
  impl->timeout = options.timeout;
  impl->transactional_id = transactional_id;
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &Impl::OnDelivery);
  rd_kafka_conf_set_opaque(conf->get(), impl.get());
  auto rk = NewClient(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!rk.ok()) return rk.status();
  impl->rk = *rk;
  // init_transactions: bumps the epoch of this transactional.id (fencing any
  // older producer) and waits for the previous instance's transaction to end.
  auto deadline = Clock::now() + options.timeout;
  for (;;) {
    ErrorPtr e(rd_kafka_init_transactions(impl->rk, std::max(1, RemainingMs(deadline))));
    if (!e) break;
    if (rd_kafka_error_is_retriable(e.get()) && Clock::now() < deadline) continue;
    if (rd_kafka_error_is_fatal(e.get())) {
      return Status("kafka_error",
                    "init_transactions failed fatally (does the cluster "
                    "support transactions?): " +
                        std::string(rd_kafka_error_string(e.get())));
    }
    return impl->ErrorStatus(e.get(), "init_transactions for '" + transactional_id + "'");
  }
  return std::unique_ptr<KafkaTransactionalProducer>(
      new KafkaTransactionalProducer(std::move(impl)));
}

bool KafkaTransactionalProducer::fatal() const {
  return !impl_->fatal_msg.empty() || !FatalError(impl_->rk).empty();
}

Status KafkaTransactionalProducer::BeginTransaction() {
  Impl& s = *impl_;
  if (fatal()) return s.Fenced();
  if (s.in_txn) return Status("invalid_argument", "a transaction is already open");
  ErrorPtr e(rd_kafka_begin_transaction(s.rk));
  if (e) {
    if (s.IsFatal(e.get())) return s.Fenced();
    return s.ErrorStatus(e.get(), "begin_transaction");
  }
  s.in_txn = true;
  s.ResetBatch();
  return Status::Ok();
}

Status KafkaTransactionalProducer::Produce(const std::string& topic, int32_t partition,
                                           std::string_view key, std::string_view value,
                                           std::string_view request) {
  Impl& s = *impl_;
  if (!s.fatal_msg.empty()) return s.Fenced();
  if (!s.in_txn) return Status("invalid_argument", "Produce outside a transaction");
  if (partition < 0) return Status("invalid_argument", "Produce needs an explicit partition");
  size_t index = s.offsets.size();
  s.offsets.push_back(-1);
  s.errors.push_back(RD_KAFKA_RESP_ERR__IN_PROGRESS);
  auto tag = (uintptr_t{s.generation} << 32) | static_cast<uint32_t>(index);
  for (;;) {
    rd_kafka_resp_err_t err =
        ProduceRecord(s.rk, topic, partition, key, value, request, reinterpret_cast<void*>(tag));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {  // wait for the queue to drain
      rd_kafka_poll(s.rk, 50);
      continue;
    }
    s.offsets.pop_back();
    s.errors.pop_back();
    if (err == RD_KAFKA_RESP_ERR__FATAL || !FatalError(s.rk).empty()) return s.Fenced();
    return KafkaStatus(err, "producing to " + topic + "/" + std::to_string(partition));
  }
}

Status KafkaTransactionalProducer::SendOffsetsToTransaction(
    const ConsumerGroupMetadata& group, const std::vector<TopicPartitionOffset>& offsets) {
  Impl& s = *impl_;
  if (!s.fatal_msg.empty()) return s.Fenced();
  if (!s.in_txn)
    return Status("invalid_argument", "SendOffsetsToTransaction outside a transaction");
  ListPtr list = ToList(offsets);
  auto deadline = Clock::now() + s.timeout;
  for (;;) {
    ErrorPtr e(rd_kafka_send_offsets_to_transaction(
        s.rk, list.get(), static_cast<const rd_kafka_consumer_group_metadata_t*>(group.handle()),
        std::max(1, RemainingMs(deadline))));
    if (!e) return Status::Ok();
    if (s.IsFatal(e.get())) return s.Fenced();
    if (rd_kafka_error_txn_requires_abort(e.get()))
      return s.Abort(std::string("send_offsets_to_transaction: ") + rd_kafka_error_string(e.get()));
    if (rd_kafka_error_is_retriable(e.get()) && Clock::now() < deadline) continue;
    return s.ErrorStatus(e.get(), "send_offsets_to_transaction");
  }
}

Result<std::vector<Offset>> KafkaTransactionalProducer::Flush() {
  Impl& s = *impl_;
  if (!s.fatal_msg.empty()) return s.Fenced();
  if (!s.in_txn) return Status("invalid_argument", "Flush outside a transaction");
  rd_kafka_resp_err_t ferr = rd_kafka_flush(s.rk, Ms(s.timeout));
  if (!FatalError(s.rk).empty()) return s.Fenced();
  if (ferr != RD_KAFKA_RESP_ERR_NO_ERROR)
    return s.Abort(std::string("records not delivered in time: ") + rd_kafka_err2str(ferr));
  std::vector<Offset> out;
  out.reserve(s.offsets.size());
  for (size_t i = 0; i < s.errors.size(); ++i) {
    if (s.errors[i] != RD_KAFKA_RESP_ERR_NO_ERROR)
      return s.Abort("record " + std::to_string(i) +
                     " not delivered: " + rd_kafka_err2str(s.errors[i]));
    out.push_back(Offset{static_cast<uint64_t>(s.offsets[i])});
  }
  return out;
}

Result<std::vector<Offset>> KafkaTransactionalProducer::CommitTransaction() {
  Impl& s = *impl_;
  if (!s.fatal_msg.empty()) return s.Fenced();
  if (!s.in_txn) return Status("invalid_argument", "CommitTransaction outside a transaction");
  auto deadline = Clock::now() + s.timeout;
  // Flush first: it serves the delivery reports that carry the offsets.
  rd_kafka_resp_err_t ferr = rd_kafka_flush(s.rk, std::max(1, RemainingMs(deadline)));
  if (!FatalError(s.rk).empty()) return s.Fenced();
  if (ferr != RD_KAFKA_RESP_ERR_NO_ERROR)
    return s.Abort(std::string("records not delivered in time: ") + rd_kafka_err2str(ferr));
  for (size_t i = 0; i < s.errors.size(); ++i) {
    if (s.errors[i] != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return s.Abort("record " + std::to_string(i) +
                     " not delivered: " + rd_kafka_err2str(s.errors[i]));
    }
  }
  for (;;) {
    ErrorPtr e(rd_kafka_commit_transaction(s.rk, std::max(1, RemainingMs(deadline))));
    if (!e) break;
    if (s.IsFatal(e.get())) return s.Fenced();
    if (rd_kafka_error_txn_requires_abort(e.get()))
      return s.Abort(std::string("commit failed: ") + rd_kafka_error_string(e.get()));
    if (rd_kafka_error_is_retriable(e.get()) && Clock::now() < deadline) continue;
    // The commit may or may not have happened; only a retry can tell.
    return Status("unavailable", std::string("commit_transaction outcome unknown: ") +
                                     rd_kafka_error_string(e.get()));
  }
  s.in_txn = false;
  std::vector<Offset> out;
  out.reserve(s.offsets.size());
  for (int64_t o : s.offsets) out.push_back(Offset{static_cast<uint64_t>(o)});
  s.ResetBatch();
  return out;
}

Status KafkaTransactionalProducer::AbortTransaction() {
  Impl& s = *impl_;
  if (!s.fatal_msg.empty() || !FatalError(s.rk).empty()) return s.Fenced();
  if (!s.in_txn) return Status("invalid_argument", "AbortTransaction outside a transaction");
  Status st = s.Abort("aborted by the caller");
  s.ResetBatch();
  return st.code() == "aborted" ? Status::Ok() : st;
}

// ------------------------------------------------------------ group consumer

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

// ------------------------------------------------------------------ KafkaLog

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
    return w->second;
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

namespace {

struct TopicInfo {
  bool exists = false;
  int32_t partitions = 0;
  bool all_have_leaders = false;
};

Result<TopicInfo> DescribeTopic(rd_kafka_t* rk, const std::string& topic, int timeout_ms) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaStatus(err, "metadata of topic " + topic);
  TopicInfo info;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (topic != t.topic) continue;
    if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) break;
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR && t.err != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
      Status s = KafkaStatus(t.err, "metadata of topic " + topic);
      rd_kafka_metadata_destroy(md);
      return s;
    }
    info.exists = true;
    info.partitions = t.partition_cnt;
    info.all_have_leaders = t.partition_cnt > 0;
    for (int j = 0; j < t.partition_cnt; ++j)
      if (t.partitions[j].leader < 0 || t.partitions[j].err) info.all_have_leaders = false;
  }
  rd_kafka_metadata_destroy(md);
  return info;
}

// Runs one admin request and returns its result event.
template <class Start>
Result<EventPtr> AdminCall(rd_kafka_t* rk, rd_kafka_admin_op_t op, int timeout_ms, Start start) {
  QueuePtr q(rd_kafka_queue_new(rk));
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk, op);
  char errstr[512];
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
  start(opts, q.get());
  rd_kafka_AdminOptions_destroy(opts);
  EventPtr ev(rd_kafka_queue_poll(q.get(), timeout_ms + 5000));
  if (!ev) return Status("unavailable", "admin request timed out");
  if (rd_kafka_event_error(ev.get()))
    return KafkaStatus(rd_kafka_event_error(ev.get()),
                       std::string("admin request: ") + rd_kafka_event_error_string(ev.get()));
  return ev;
}

// The segment.ms of a topic whose records leave before their retention.
constexpr int64_t kHourlySegmentsMs = 3600000;

Status CreateTopic(rd_kafka_t* rk, const KafkaLogOptions& o) {
  char errstr[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(o.topic.c_str(), o.partitions,
                                                  o.replication_factor, errstr, sizeof errstr);
  if (!nt) return Status("invalid_argument", std::string("topic ") + o.topic + ": " + errstr);
  if (o.compacted) {
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
    rd_kafka_NewTopic_set_config(nt, "segment.ms", std::to_string(kHourlySegmentsMs).c_str());
    rd_kafka_NewTopic_set_config(nt, "min.cleanable.dirty.ratio", "0.01");
    // Tombstones for good (a century): they name the destroyed keys, which
    // an instance away for any time must learn of.
    rd_kafka_NewTopic_set_config(nt, "delete.retention.ms", "3153600000000");
  } else {
    rd_kafka_NewTopic_set_config(nt, "retention.ms", std::to_string(o.retention_ms).c_str());
    rd_kafka_NewTopic_set_config(nt, "retention.bytes", "-1");
    // A transient topic rolls its segments hourly: records deleted before
    // their time (the command topic's decided commands) leave the disks
    // with their segment.
    if (o.retention_ms != -1)
      rd_kafka_NewTopic_set_config(nt, "segment.ms", std::to_string(kHourlySegmentsMs).c_str());
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "delete");
  }
  rd_kafka_NewTopic_set_config(nt, "min.insync.replicas",
                               std::to_string(o.min_insync_replicas).c_str());
  auto ev = AdminCall(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, Ms(o.timeout),
                      [&](rd_kafka_AdminOptions_t* opts, rd_kafka_queue_t* q) {
                        rd_kafka_CreateTopics(rk, &nt, 1, opts, q);
                      });
  rd_kafka_NewTopic_destroy(nt);
  if (!ev.ok()) return ev.status();
  const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev->get());
  size_t n = 0;
  const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(topics[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
      continue;
    const char* msg = rd_kafka_topic_result_error_string(topics[i]);
    return Status(IsTransient(err) ? "unavailable" : "kafka_error",
                  "creating topic " + o.topic + ": " + rd_kafka_err2name(err) + ": " +
                      (msg ? msg : rd_kafka_err2str(err)));
  }
  return Status::Ok();
}

// What a topic's configuration says beyond the broker's defaults.
struct TopicConfig {
  int64_t segment_ms = -1;  // in force, whatever its source; -1: not reported
  std::vector<std::pair<std::string, std::string>> own;  // set on the topic itself
  bool own_hidden = false;  // a setting of the topic's own whose value the broker hides
  // The settings the ledger relies on (cleanup, retention), in force.
  std::vector<std::pair<std::string, std::string>> relied_on;
  bool sources_known = true;  // false: the broker did not say where a setting comes from
};

// What a topic must keep whatever else changes: kept explicitly by an
// alteration, even were the broker to report them as defaults.
constexpr const char* kReliedOn[] = {"cleanup.policy",      "retention.ms",
                                     "retention.bytes",     "delete.retention.ms",
                                     "min.insync.replicas", "min.cleanable.dirty.ratio"};

// Refuses a topic that would not keep every event forever; returns its
// configuration.
Result<TopicConfig> CheckTopicConfig(rd_kafka_t* rk, const KafkaLogOptions& o) {
  TopicConfig config;
  rd_kafka_ConfigResource_t* res =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, o.topic.c_str());
  auto ev = AdminCall(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, Ms(o.timeout),
                      [&](rd_kafka_AdminOptions_t* opts, rd_kafka_queue_t* q) {
                        rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
                      });
  rd_kafka_ConfigResource_destroy(res);
  if (!ev.ok()) return ev.status();
  const rd_kafka_DescribeConfigs_result_t* r = rd_kafka_event_DescribeConfigs_result(ev->get());
  size_t nres = 0;
  const rd_kafka_ConfigResource_t** rs = rd_kafka_DescribeConfigs_result_resources(r, &nres);
  for (size_t i = 0; i < nres; ++i) {
    if (rd_kafka_ConfigResource_error(rs[i]))
      return KafkaStatus(rd_kafka_ConfigResource_error(rs[i]), "configuration of " + o.topic);
    size_t n = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[i], &n);
    for (size_t j = 0; j < n; ++j) {
      std::string name = rd_kafka_ConfigEntry_name(entries[j]);
      const char* v = rd_kafka_ConfigEntry_value(entries[j]);
      std::string value = v ? v : "";
      const rd_kafka_ConfigSource_t source = rd_kafka_ConfigEntry_source(entries[j]);
      if (source == RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG) config.sources_known = false;
      if (source == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG) {
        if (v)
          config.own.emplace_back(name, value);
        else
          config.own_hidden = true;
      } else if (v && std::find(std::begin(kReliedOn), std::end(kReliedOn), name) !=
                          std::end(kReliedOn)) {
        config.relied_on.emplace_back(name, value);
      }
      if (name == "segment.ms" && v) config.segment_ms = std::strtoll(v, nullptr, 10);
      auto refuse = [&](const std::string& why) {
        return Status("topic_mismatch",
                      "topic " + o.topic + " has " + name + "=" + value + ": " + why +
                          "; an event topic must keep every record forever "
                          "(cleanup.policy=delete, retention.ms=-1, retention.bytes=-1)");
      };
      if (o.compacted) {
        if (name == "cleanup.policy" && value != "compact")
          return Status("topic_mismatch",
                        "topic " + o.topic + " has cleanup.policy=" + value +
                            "; the vault's key topic must be compacted and never expire "
                            "(cleanup.policy=compact): expired keys would lose personal data");
        continue;
      }
      if (name == "cleanup.policy" && value.find("compact") != std::string::npos)
        return refuse("compaction would drop events");
      if (o.retention_ms == -1 && (name == "retention.ms" || name == "retention.bytes") &&
          value != "-1")
        return refuse("events would expire");
    }
  }
  return config;
}

// A topic whose records leave before their segment expires (the command
// topic's decided commands, the key topic's destroyed keys) rolls its
// segments hourly, so that their bytes leave the disks. A topic created
// before this was so, or by someone else, is set so here, keeping every
// other setting of its own (AlterConfigs replaces them all); where the
// ledger may not (no AlterConfigs right, a hidden setting), it says how.
void RollSegmentsHourly(rd_kafka_t* rk, const KafkaLogOptions& o, const TopicConfig& config) {
  if (config.segment_ms >= 0 && config.segment_ms <= kHourlySegmentsMs) return;
  auto advise = [&](const std::string& why) {
    spdlog::warn(
        "topic {} rolls its segments every {}, so records deleted sooner stay on the "
        "brokers' disks until then; {}. Set it with: kafka-configs.sh --bootstrap-server {} "
        "--alter --entity-type topics --entity-name {} --add-config segment.ms={}",
        o.topic,
        config.segment_ms < 0 ? std::string("(unreported) ms")
                              : std::to_string(config.segment_ms) + " ms",
        why, o.bootstrap_servers, o.topic, kHourlySegmentsMs);
  };
  if (config.own_hidden) return advise("the ledger cannot keep a hidden setting of the topic");
  if (!config.sources_known)
    return advise("the broker does not say which settings are the topic's own, to keep them");
  rd_kafka_ConfigResource_t* res =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, o.topic.c_str());
  for (const auto* settings : {&config.own, &config.relied_on})
    for (const auto& [name, value] : *settings)
      if (name != "segment.ms")
        rd_kafka_ConfigResource_set_config(res, name.c_str(), value.c_str());
  rd_kafka_ConfigResource_set_config(res, "segment.ms", std::to_string(kHourlySegmentsMs).c_str());
  auto ev = AdminCall(rk, RD_KAFKA_ADMIN_OP_ALTERCONFIGS, Ms(o.timeout),
                      [&](rd_kafka_AdminOptions_t* opts, rd_kafka_queue_t* q) {
                        rd_kafka_AlterConfigs(rk, &res, 1, opts, q);
                      });
  rd_kafka_ConfigResource_destroy(res);
  if (!ev.ok()) return advise("setting it failed: " + ev.status().message());
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev->get()), &n);
  for (size_t i = 0; i < n; ++i)
    if (rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(rs[i]))
      return advise(std::string("setting it failed: ") + rd_kafka_err2name(err) + ": " +
                    (rd_kafka_ConfigResource_error_string(rs[i])
                         ? rd_kafka_ConfigResource_error_string(rs[i])
                         : rd_kafka_err2str(err)));
  spdlog::info("topic {}: segment.ms set to {} (was {})", o.topic, kHourlySegmentsMs,
               config.segment_ms);
}

}  // namespace

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
  if (!info.ok()) return info.status();
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
