// The EventLog port on Apache Kafka (docs/kafka.md), and the two thin Kafka
// clients the exactly-once command processor is built from.
//
// KafkaLog: one topic, a fixed number of partitions. Append is one Kafka
// transaction (idempotent, transactional producer, acks=all), so a batch of
// records becomes visible atomically or not at all. Reads use
// isolation.level=read_committed: aborted records are never returned and the
// end of a partition is its last stable offset. Offsets have gaps: every
// transaction leaves a commit marker that takes an offset.
//
// No librdkafka header is included here; the handles live behind pimpls.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/event_log.h"

namespace pl {

struct KafkaLogOptions {
  std::string bootstrap_servers;   // "host:port[,host:port...]"
  std::string topic;               // e.g. "permitledger.events"
  int32_t partitions = 12;         // used to create the topic; checked if present
  int16_t replication_factor = 1;  // used only when creating the topic
  int32_t min_insync_replicas = 1;
  // -1 (the default): records are kept forever, and a present topic with a
  // finite retention is refused. A positive value (milliseconds) is for
  // transient topics such as the command topic: used when creating the
  // topic (with segments rolled hourly, so that records deleted sooner
  // leave the disks); a present topic's retention is then not checked.
  int64_t retention_ms = -1;
  // A compacted topic (the vault's key topic, events/vault_share.h) instead:
  // created with cleanup.policy=compact (and segments rolled hourly, so that
  // a destroyed key leaves the broker's disks within hours); a present topic
  // must be compacted and nothing else (deletion would expire keys).
  bool compacted = false;
  // False: an absent topic is refused ("not_found") instead of created (a
  // reader such as an audit creates nothing on the cluster it checks).
  bool create_if_missing = true;
  // Required for Append. One live writer per id: opening a second KafkaLog (or
  // KafkaTransactionalProducer) with the same id fences this one, whose
  // Append then fails with code "fenced". Empty: a read-only log.
  std::string transactional_id;
  std::chrono::milliseconds timeout{30000};  // for metadata, admin and commit calls
  // Extra librdkafka properties for every client (e.g. security settings).
  std::map<std::string, std::string> client_config;
};

// Append returns once the transaction is committed (durable on all in-sync
// replicas) and its commit markers are written, so a Read after Append sees
// the records.
//
// Status codes: "invalid_argument", "unavailable" (broker unreachable or an
// operation timed out), "topic_mismatch" (existing topic differs from the
// options: partition count, compaction, retention), "aborted" (the
// transaction was rolled back; nothing was written), "fenced" (a newer
// producer with the same transactional.id took over, or another fatal producer
// error: this instance can never write again), "read_only", "kafka_error".
class KafkaLog : public EventLog {
 public:
  // Connects, creates the topic if absent (retention.ms=-1,
  // cleanup.policy=delete, the given partitions, replication and
  // min.insync.replicas), refuses a present topic that does not match, and,
  // with a transactional id, initialises the transactional producer.
  static Result<std::unique_ptr<KafkaLog>> Open(const KafkaLogOptions& options);
  ~KafkaLog() override;

  int32_t partitions() const override;
  Result<std::vector<Offset>> Append(std::span<const AppendRecord> records) override;
  Result<std::vector<LogRecord>> Read(PartitionId p, Offset from, size_t max) override;
  Result<Offset> EndOffset(PartitionId p) override;
  Result<Offset> EndOffsetNow(PartitionId p) override;
  // The end a reader is told may lag a leader change: 10 s.
  std::chrono::milliseconds end_offset_lag() const override;
  // Topics holding fewer records than were read from them are other topics:
  // another cluster or prefix, or topics deleted and made again.
  std::string LostRecordsCause() const override;
  // The first offset the partition still holds (its low watermark): records
  // before it were deleted (by retention, or by DeleteRecords).
  Result<Offset> StartOffset(PartitionId p);
  // Waits until no transaction is open on partition `p` (its last stable
  // offset has reached its high watermark): every record written to it so
  // far is committed or aborted. "unavailable" after `timeout`.
  Status Settle(PartitionId p, std::chrono::milliseconds timeout);
  bool WaitFor(PartitionId p, Offset from, std::chrono::milliseconds timeout) override;
  // A read_committed consumer of its own with every partition assigned: the
  // broker pushes each record as it becomes stable, with no ListOffsets and
  // no reassignment per partition.
  Result<std::unique_ptr<LogTail>> Tail(std::vector<uint64_t> from) override;

  const std::string& topic() const;

  struct Impl;

 private:
  explicit KafkaLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct TopicPartitionOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;  // for commits: the next offset to consume
  auto operator<=>(const TopicPartitionOffset&) const = default;
};

// A consumer group member's identity (group, generation, member id), as
// needed by SendOffsetsToTransaction to fence zombie group members.
class ConsumerGroupMetadata {
 public:
  ~ConsumerGroupMetadata();
  ConsumerGroupMetadata(ConsumerGroupMetadata&&) noexcept;
  ConsumerGroupMetadata& operator=(ConsumerGroupMetadata&&) noexcept;
  void* handle() const { return handle_; }  // rd_kafka_consumer_group_metadata_t*

 private:
  friend class KafkaGroupConsumer;
  explicit ConsumerGroupMetadata(void* handle) : handle_(handle) {}
  void* handle_ = nullptr;
};

struct KafkaClientOptions {
  std::string bootstrap_servers;
  std::chrono::milliseconds timeout{30000};
  std::map<std::string, std::string> client_config;
};

// A transactional, idempotent producer (acks=all). Not thread-safe: use it
// from one thread, or serialise calls. After a call returns "fenced", every
// further call returns "fenced".
class KafkaTransactionalProducer {
 public:
  // Initialises transactions for `transactional_id`, fencing any older
  // producer with the same id and completing or aborting its open transaction.
  static Result<std::unique_ptr<KafkaTransactionalProducer>> Create(
      const KafkaClientOptions& options, const std::string& transactional_id);
  ~KafkaTransactionalProducer();

  Status BeginTransaction();
  // Enqueues one record of the current transaction for an explicit
  // partition (with the kRequestHeader header when `request` is given).
  Status Produce(const std::string& topic, int32_t partition, std::string_view key,
                 std::string_view value, std::string_view request = {});
  // Adds consumer offsets (the next offsets to consume) to the transaction:
  // they are committed for the group if and only if the transaction commits.
  Status SendOffsetsToTransaction(const ConsumerGroupMetadata& group,
                                  const std::vector<TopicPartitionOffset>& offsets);
  // Flushes and commits. Returns the offsets of the records produced in this
  // transaction, in Produce order. On an abortable error the transaction is
  // aborted here and the result is "aborted"; nothing of it is visible.
  Result<std::vector<Offset>> CommitTransaction();
  // Waits until every record produced so far in the current transaction is
  // acknowledged and returns their offsets, in Produce order (the
  // transaction stays open). On a delivery error the transaction is aborted
  // here and the result is "aborted".
  Result<std::vector<Offset>> Flush();
  Status AbortTransaction();

  // Whether the producer is unusable (fenced, or another fatal error).
  bool fatal() const;

  struct Impl;

 private:
  explicit KafkaTransactionalProducer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The record header that names the request a command came from: a
// gateway sets it (random, one per submission) on the command, and the
// processor copies it onto the command's outcome, so that a request is
// answered by its own command's outcome even when another request, on this
// instance or another, sent the same command id at the same time.
inline constexpr const char* kRequestHeader = "pl-request";

struct ConsumedRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  std::string request;  // the kRequestHeader header ("" when absent)
};

// A consumer-group member: subscribe, isolation.level=read_committed, no
// automatic offset commits. The rebalance callback runs on the thread calling
// Poll, before the assignment changes: on revoke the owner should finish (or
// abort) its transaction and drop the partitions' state; on assign it should
// rebuild it. Not thread-safe: one thread polls.
class KafkaGroupConsumer {
 public:
  enum class Rebalance { kAssigned, kRevoked };
  using RebalanceCallback =
      std::function<void(Rebalance, const std::vector<TopicPartitionOffset>& partitions)>;

  static Result<std::unique_ptr<KafkaGroupConsumer>> Create(const KafkaClientOptions& options,
                                                            const std::string& group_id,
                                                            const std::vector<std::string>& topics,
                                                            RebalanceCallback on_rebalance = {});
  ~KafkaGroupConsumer();  // leaves the group

  // Up to `max` records, waiting up to `timeout` for the first one. Serves
  // rebalance callbacks. Fails only on fatal consumer errors.
  Result<std::vector<ConsumedRecord>> Poll(std::chrono::milliseconds timeout, size_t max = 500);

  // Commits offsets synchronously (outside any transaction).
  Status CommitOffsets(const std::vector<TopicPartitionOffset>& offsets);
  // The group's committed offsets for these partitions (-1001 when none).
  Result<std::vector<TopicPartitionOffset>> Committed(
      const std::vector<TopicPartitionOffset>& partitions);
  // Restarts consumption of an assigned partition at `offset`.
  Status Seek(const std::string& topic, int32_t partition, int64_t offset);
  std::vector<TopicPartitionOffset> Assignment();
  ConsumerGroupMetadata GroupMetadata();
  // Starts a request that deletes every record before `offsets` (Kafka's
  // DeleteRecords: each partition's log start moves up to its offset, never
  // down; the bytes leave the broker's disks with their segment). Does not
  // wait. One at a time: false, and nothing started, while the previous one
  // is unanswered.
  bool StartDeleteBefore(const std::vector<TopicPartitionOffset>& offsets);
  // The answer to the request started last, once, when it has come (ok, or
  // the first partition's failure); nothing otherwise.
  std::optional<Status> DeleteAnswer();
  // Leaves the group (revoking the assignment through the callback).
  void Close();

  struct Impl;

 private:
  explicit KafkaGroupConsumer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pl
