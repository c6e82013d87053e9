// The EventLog port: an ordered, durable, partitioned log of records.
//
// Records are keyed by stream id (a permit id, or "governance") and a key
// always maps to the same partition, so one stream's events are totally
// ordered. The governance stream always lives in partition 0.
//
// Offsets: within a partition, offsets increase but need not be contiguous
// (Kafka's transaction markers take offsets too). Readers resume from the
// offset after the last record they processed.
//
// Thread safety: every method may be called from any thread concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/ids.h"
#include "events/result.h"

namespace pl {

struct AppendRecord {
  PartitionId partition;
  std::string key;
  std::string value;
};

struct LogPosition {
  PartitionId partition;
  Offset offset;
};

struct LogRecord {
  PartitionId partition;
  Offset offset;
  std::string key;
  std::string value;
};

// A follower of every partition of a log: the records of all partitions as
// they become visible, each partition's in offset order (partitions
// interleave). Used from one thread.
class LogTail {
 public:
  virtual ~LogTail() = default;
  // Up to `max` records, waiting up to `timeout` for the first one.
  virtual Result<std::vector<LogRecord>> Next(size_t max, std::chrono::milliseconds timeout) = 0;
};

class EventLog {
 public:
  EventLog() = default;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  virtual ~EventLog() = default;

  virtual int32_t partitions() const = 0;

  // Appends all records atomically (all become visible, or none) and returns
  // only once they are durable; the offsets returned match the records.
  virtual Result<std::vector<Offset>> Append(std::span<const AppendRecord> records) = 0;

  // Up to `max` records of partition `p` at or after offset `from`, in order.
  virtual Result<std::vector<LogRecord>> Read(PartitionId p, Offset from, size_t max) = 0;

  // The offset just past the last visible record of partition `p`.
  virtual Result<Offset> EndOffset(PartitionId p) = 0;
  // EndOffset for a caller that must not wait on a remote log (an HTTP
  // thread: the metrics): on Kafka, asked with a short timeout, and while
  // the cluster is out of reach the end last known ("unavailable" before
  // any).
  virtual Result<Offset> EndOffsetNow(PartitionId p) { return EndOffset(p); }

  // How long an end offset told to a reader may stay behind records read
  // before (a leader changing hands on Kafka); zero when it is exact.
  virtual std::chrono::milliseconds end_offset_lag() const { return {}; }
  // Why a store built from this log could hold more records than the log,
  // and what brings them back: the start of a log_inconsistent refusal.
  virtual std::string LostRecordsCause() const {
    return "records were lost from the log (a damaged disk, a log restored from an older "
           "copy, or a copy of the data directory taken while the ledger ran, the views "
           "copied after the log: copy it with the ledger stopped). Restore the log in full";
  }
  // EndOffset, asked again for up to end_offset_lag() while it is below
  // `at_least`: the end a store built from `at_least` records is compared
  // with.
  Result<Offset> EndOffsetReaching(PartitionId p, uint64_t at_least);

  // Blocks until partition `p` has a visible record at or after `from`, or the
  // timeout passes. Returns whether such a record exists.
  virtual bool WaitFor(PartitionId p, Offset from, std::chrono::milliseconds timeout) = 0;

  // Follows every partition from `from` (the next offset of each). The
  // default reads the partitions in turn and waits on partition 0 (which
  // wakes at once on an append) for at most 20 ms; a log that can push
  // records to its reader does better.
  virtual Result<std::unique_ptr<LogTail>> Tail(std::vector<uint64_t> from);
  // The partition of a stream key: stable for the life of the log.
  PartitionId PartitionFor(std::string_view key) const;
};

// The refusal (log_inconsistent) of a store derived from `log` (`store`,
// "the views at DIR") that was built from `built` records of partition `p`
// while the log now ends at `end`: records were lost from the log, and new
// ones would take their offsets. `remedy`: what moving the store away does.
inline Status LogLostRecords(const EventLog& log, const std::string& store, int32_t p,
                             uint64_t built, uint64_t end, const std::string& remedy) {
  return Status("log_inconsistent",
                "the event log ends at offset " + std::to_string(end) + " of partition " +
                    std::to_string(p) + ", but " + store + " " + std::to_string(built) +
                    " of its records: " + log.LostRecordsCause() + "; " + remedy);
}

}  // namespace pl
