// KafkaTransactionalProducer (events/kafka_log.h): a transactional,
// idempotent producer, as KafkaLog, the Kafka command processor and the feed
// publisher write with: the delivery reports of the current transaction,
// fencing, commit and abort.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "events/kafka_internal.h"
#include "events/kafka_log.h"

namespace pl {
using namespace kafka_internal;

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

}  // namespace pl
