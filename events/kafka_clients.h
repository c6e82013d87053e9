// Two more thin Kafka clients, for the gateway side of the ledger on Kafka
// (docs/kafka.md): an idempotent producer that reports each record's fate
// asynchronously, and a read_committed reader of every partition of a topic.
//
// No librdkafka header is included here; the handles live behind pimpls.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "events/kafka_log.h"

namespace pl {

// An idempotent producer (enable.idempotence=true, acks=all): a record is
// written once even when the client retries after a broker failure.
// Thread safety: Produce may be called from any thread; callbacks run on the
// producer's own polling thread and must not block.
class KafkaProducer {
 public:
  // Called once per record: ok with the record's offset, or the error after
  // librdkafka gave up (message.timeout.ms, librdkafka's default 300 s;
  // a record that timed out may still have been written).
  using Delivered = std::function<void(Status, Offset)>;

  static Result<std::unique_ptr<KafkaProducer>> Create(const KafkaClientOptions& options);
  ~KafkaProducer();  // waits up to the options' timeout for queued records

  // Enqueues a record for an explicit partition (with the kRequestHeader
  // header when `request` is given).
  void Produce(const std::string& topic, int32_t partition, std::string_view key,
               std::string_view value, Delivered done, std::string_view request = {});
  // Whether the producer hit a fatal error (it can never send again; make a
  // new one).
  bool fatal() const;

  struct Impl;

 private:
  explicit KafkaProducer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads every partition of one topic with isolation.level=read_committed,
// without a consumer group (no commits): records of aborted or open
// transactions are never returned. Not thread-safe: one thread polls.
class KafkaTopicReader {
 public:
  // Starts at the current end of every partition (records written from now
  // on), or at `from` (one offset per partition) when given.
  static Result<std::unique_ptr<KafkaTopicReader>> Open(const KafkaClientOptions& options,
                                                        const std::string& topic,
                                                        std::vector<int64_t> from = {});
  ~KafkaTopicReader();

  int32_t partitions() const;
  // Up to `max` records, waiting up to `timeout` for the first one.
  Result<std::vector<ConsumedRecord>> Poll(std::chrono::milliseconds timeout, size_t max = 1000);

  struct Impl;

 private:
  explicit KafkaTopicReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pl
