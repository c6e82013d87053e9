#include "events/embedded_log.h"

#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include "events/store_copy.h"
#include "events/store_options.h"

namespace pl {
namespace {

// Keys: 'r' ‖ partition (4 bytes, big-endian) ‖ offset (8 bytes, big-endian).
// Values: key length (4 bytes, big-endian) ‖ stream key ‖ record bytes.
// Meta key "m/partitions" holds the partition count.
void PutBE(std::string& s, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetBE(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
std::string RecordKey(int32_t p, uint64_t offset) {
  std::string k = "r";
  PutBE(k, static_cast<uint32_t>(p), 4);
  PutBE(k, offset, 8);
  return k;
}
const char kPartitionsKey[] = "m/partitions";

}  // namespace

struct EmbeddedLog::Pending {
  std::span<const AppendRecord> records;
  std::vector<Offset> offsets;
  Status status;
  bool done = false;
};

namespace {

// Whether another process holds the POSIX write lock of `lock_file`.
bool HeldByAnotherProcess(const std::string& lock_file) {
  const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  ::close(fd);
  return held;
}

}  // namespace

Result<std::unique_ptr<EmbeddedLog>> EmbeddedLog::Open(const EmbeddedLogOptions& options) {
  if (options.partitions < 1)
    return Status("invalid_argument", "an embedded log needs at least one partition");
  rocksdb::Options o = StoreOptions();
  // Acknowledged records were synced: only a record being written when the
  // power went can be torn, at the tail, and it was never acknowledged. A
  // damaged record before intact ones (a failing disk, an edit) stops the
  // opening, with the write-ahead log left as it is, instead of RocksDB's
  // default of dropping it and every record after it.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // What the write-ahead log held stays in it until a later flush, instead
  // of going into a new table file at once and the file being deleted: a
  // log found shorter than its views (a damaged file) is refused before
  // anything is written, and stays as it was found, for an audit.
  o.avoid_flush_during_recovery = true;
  // A read-only opening takes no lock: a log a server is writing to is
  // refused as a read-write opening would refuse it (RocksDB's LOCK file
  // holds a POSIX write lock while a process has the store open).
  if (options.read_only && HeldByAnotherProcess(options.path + "/LOCK"))
    return Status("log_unavailable",
                  "cannot open the event log at " + options.path +
                      ": another process holds it, a running permitledger perhaps: stop it, or "
                      "work on a copy of the data directory");
  rocksdb::DB* raw = nullptr;
  auto s = options.read_only ? rocksdb::DB::OpenForReadOnly(o, options.path, &raw)
                             : rocksdb::DB::Open(o, options.path, &raw);
  if (!s.ok()) return Status("log_unavailable", OpenFailure("the event log", options.path, s));
  std::unique_ptr<rocksdb::DB> db(raw);

  std::string stored;
  s = db->Get(rocksdb::ReadOptions(), kPartitionsKey, &stored);
  if (s.IsNotFound() && options.read_only) {
    return Status("log_unavailable", "the event log at " + options.path + " holds nothing");
  } else if (s.IsNotFound()) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = db->Put(wo, kPartitionsKey, std::to_string(options.partitions));
    if (!s.ok()) return Status("log_unavailable", s.ToString());
    stored = std::to_string(options.partitions);
  } else if (!s.ok()) {
    return Status("log_unavailable", s.ToString());
  }
  int32_t partitions = std::stoi(stored);
  if (partitions != options.partitions)
    return Status("invalid_argument", "the event log at " + options.path + " has " + stored +
                                          " partitions, not " + std::to_string(options.partitions));

  // Recover each partition's end offset from its last record.
  std::vector<uint64_t> ends(partitions, 0);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (int32_t p = 0; p < partitions; ++p) {
    it->SeekForPrev(RecordKey(p, UINT64_MAX));
    if (it->Valid() && it->key().size() == 13 && it->key()[0] == 'r' &&
        GetBE(it->key().ToStringView(), 1, 4) == static_cast<uint32_t>(p)) {
      ends[p] = GetBE(it->key().ToStringView(), 5, 8) + 1;
    }
  }
  return std::unique_ptr<EmbeddedLog>(
      new EmbeddedLog(std::move(db), partitions, options.sync, options.read_only, std::move(ends)));
}

EmbeddedLog::EmbeddedLog(std::unique_ptr<rocksdb::DB> db, int32_t partitions, bool sync,
                         bool read_only, std::vector<uint64_t> ends)
    : db_(std::move(db)),
      partitions_(partitions),
      sync_(sync),
      read_only_(read_only),
      ends_(std::move(ends)) {}

EmbeddedLog::~EmbeddedLog() = default;

Status EmbeddedLog::CopyTo(const std::string& dir) { return CopyStore(*db_, dir, "the log"); }

Result<std::vector<Offset>> EmbeddedLog::Append(std::span<const AppendRecord> records) {
  if (read_only_) return Status("read_only", "this event log was opened for reading only");
  for (const auto& r : records)
    if (r.partition.value < 0 || r.partition.value >= partitions_)
      return Status("invalid_argument", "no partition " + std::to_string(r.partition.value));
  Pending me{records, {}, {}, false};
  std::unique_lock lock(mu_);
  queue_.push_back(&me);
  cv_.wait(lock, [&] { return me.done || !leader_active_; });
  if (me.done) {
    if (!me.status.ok()) return me.status;
    return std::move(me.offsets);
  }

  // This caller leads a group commit of everything queued so far.
  leader_active_ = true;
  std::vector<Pending*> group(queue_.begin(), queue_.end());
  queue_.clear();
  std::vector<uint64_t> ends = ends_;
  rocksdb::WriteBatch batch;
  std::string value;
  for (Pending* p : group) {
    p->offsets.reserve(p->records.size());
    for (const auto& r : p->records) {
      uint64_t off = ends[r.partition.value]++;
      value.clear();
      PutBE(value, r.key.size(), 4);
      value += r.key;
      value += r.value;
      batch.Put(RecordKey(r.partition.value, off), value);
      p->offsets.push_back(Offset{off});
    }
  }
  lock.unlock();
  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  auto s = db_->Write(wo, &batch);
  lock.lock();
  if (s.ok()) ends_ = std::move(ends);
  for (Pending* p : group) {
    if (!s.ok()) {
      p->status = Status("log_unavailable", "the event log refused the write: " + s.ToString());
      p->offsets.clear();
    }
    p->done = true;
  }
  leader_active_ = false;
  cv_.notify_all();
  if (!me.status.ok()) return me.status;
  return std::move(me.offsets);
}

Result<std::vector<LogRecord>> EmbeddedLog::Read(PartitionId p, Offset from, size_t max) {
  if (p.value < 0 || p.value >= partitions_)
    return Status("invalid_argument", "no partition " + std::to_string(p.value));
  uint64_t end;
  {
    std::lock_guard lock(mu_);
    end = ends_[p.value];  // only committed, fully visible records
  }
  std::vector<LogRecord> out;
  if (from.value >= end) return out;
  rocksdb::ReadOptions ro;
  std::string upper = RecordKey(p.value, end);
  rocksdb::Slice upper_slice(upper);
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  out.reserve(std::min<uint64_t>(max, end - from.value));
  for (it->Seek(RecordKey(p.value, from.value)); it->Valid() && out.size() < max; it->Next()) {
    std::string_view k = it->key().ToStringView();
    std::string_view v = it->value().ToStringView();
    if (v.size() < 4)
      return Status("corrupt_log", "short record in partition " + std::to_string(p.value));
    size_t klen = GetBE(v, 0, 4);
    if (v.size() < 4 + klen)
      return Status("corrupt_log", "short key in partition " + std::to_string(p.value));
    out.push_back(LogRecord{p, Offset{GetBE(k, 5, 8)}, std::string(v.substr(4, klen)),
                            std::string(v.substr(4 + klen))});
  }
  if (!it->status().ok())
    return Status("log_unavailable", ReadFailure("the event log", it->status()));
  return out;
}

Result<Offset> EmbeddedLog::EndOffset(PartitionId p) {
  if (p.value < 0 || p.value >= partitions_)
    return Status("invalid_argument", "no partition " + std::to_string(p.value));
  std::lock_guard lock(mu_);
  return Offset{ends_[p.value]};
}

bool EmbeddedLog::WaitFor(PartitionId p, Offset from, std::chrono::milliseconds timeout) {
  if (p.value < 0 || p.value >= partitions_) return false;
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return ends_[p.value] > from.value; });
}

}  // namespace pl
