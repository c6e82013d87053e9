// The embedded EventLog adapter: a durable, partitioned log in one RocksDB
// database, the default when no Kafka broker is given.
//
// Durability: Append returns only after a synced write (fsync of RocksDB's
// write-ahead log). Concurrent Append calls are group-committed: one caller
// writes everyone's records in one synced batch, so many small appends cost
// one fsync.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "events/event_log.h"

namespace rocksdb {
class DB;
}

namespace pl {

struct EmbeddedLogOptions {
  std::string path;
  int32_t partitions = 1;  // fixed when the log is created; checked on reopen
  bool sync = true;        // false only for benchmarks of the unsynced rate
  // Opened without writing anything, not even RocksDB's recovery (for an
  // auditor's reading); Append is refused.
  bool read_only = false;
};

class EmbeddedLog final : public EventLog {
 public:
  static Result<std::unique_ptr<EmbeddedLog>> Open(const EmbeddedLogOptions& options);
  ~EmbeddedLog() override;

  int32_t partitions() const override { return partitions_; }
  Result<std::vector<Offset>> Append(std::span<const AppendRecord> records) override;
  Result<std::vector<LogRecord>> Read(PartitionId p, Offset from, size_t max) override;
  Result<Offset> EndOffset(PartitionId p) override;
  bool WaitFor(PartitionId p, Offset from, std::chrono::milliseconds timeout) override;
  // The log as it is now, copied into the new directory `dir` (CopyStore).
  Status CopyTo(const std::string& dir);

 private:
  struct Pending;
  EmbeddedLog(std::unique_ptr<rocksdb::DB> db, int32_t partitions, bool sync, bool read_only,
              std::vector<uint64_t> ends);

  std::unique_ptr<rocksdb::DB> db_;
  const int32_t partitions_;
  const bool sync_;
  const bool read_only_;

  std::mutex mu_;
  std::condition_variable cv_;  // signalled when a group commit finishes
  std::vector<uint64_t> ends_;  // guarded by mu_: next offset per partition
  std::deque<Pending*> queue_;  // guarded by mu_: appends waiting for a leader
  bool leader_active_ = false;  // guarded by mu_
};

}  // namespace pl
