#include "projections/projection_engine.h"

#include <openssl/evp.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>

#include "events/store_options.h"
#include "events/thread_name.h"
#include "projections/overlay_batch.h"

namespace pl {

// Runs one job at a time on a thread of its own.
class ProjectionEngine::Helper {
 public:
  Helper()
      : thread_([this] {
          NameThisThread("pl-views-fold");
          Loop();
        }) {}
  ~Helper() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Start(std::function<void()> job) {
    {
      std::lock_guard lock(mu_);
      job_ = std::move(job);
      done_ = false;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return done_; });
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || job_; });
      if (!job_) return;
      auto job = std::move(job_);
      job_ = nullptr;
      lock.unlock();
      job();
      lock.lock();
      done_ = true;
      cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool done_ = true, stopping_ = false;
  std::thread thread_;
};

namespace {

// A batch this small is folded on the calling thread alone: handing it to
// the helpers would cost more than it saves.
constexpr size_t kParallelFrom = 32;

std::string CheckpointKey(int32_t p) { return "checkpoint/" + std::to_string(p); }
constexpr const char* kFormatKey = "format";

}  // namespace

bool ProjectionEngine::Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec);
}

Result<std::unique_ptr<ProjectionEngine>> ProjectionEngine::Open(
    EventLog& log, std::vector<std::unique_ptr<Projection>> projections,
    ProjectionEngineOptions options) {
  for (size_t i = 0; i < projections.size(); ++i) {
    const std::string_view leader = projections[i]->follows();
    if (!leader.empty() && std::none_of(projections.begin(), projections.begin() + i,
                                        [&](const auto& p) { return p->name() == leader; }))
      return Status("invalid_argument", "projection '" + std::string(projections[i]->name()) +
                                            "' follows '" + std::string(leader) +
                                            "', which is not listed before it");
  }
  rocksdb::Options o = StoreOptions(options.block_cache_bytes);
  if (options.bulk_load) {
    o.write_buffer_size = 128 << 20;
    o.max_write_buffer_number = 4;
  }
  rocksdb::DB* raw = nullptr;
  std::unique_ptr<rocksdb::Env> memory;
  // An offline tool reads the views on disk as they are; the others may
  // write (and rebuild a store of another layout).
  const bool as_they_are = options.read_only && Exists(options.path);
  if (as_they_are) {
    const std::string advice =
        ": an offline tool reads the views as the ledger left them; restart the ledger on "
        "its own data directory (it rebuilds them from the log), then take a new copy and run "
        "this again";
    o.create_if_missing = false;
    auto s = rocksdb::DB::OpenForReadOnly(o, options.path, &raw);
    if (!s.ok()) return Status("views_unavailable", OpenFailure("the view store", options.path, s));
    std::unique_ptr<rocksdb::DB> db(raw);
    std::string stored;
    if (!db->Get(rocksdb::ReadOptions(), kFormatKey, &stored).ok() || stored != kViewFormat)
      return Status("views_unavailable", "the views at " + options.path + " are of layout '" +
                                             stored + "', not this version's '" + kViewFormat +
                                             "'" + advice);
    raw = db.release();
  } else {
    if (options.read_only) {
      // No views to read: an empty store, in memory, writes nothing anywhere
      // (`permitledger replay` rebuilds them all, with nothing to compare).
      memory.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
      o.env = memory.get();
    }
    // A store in memory is named by an absolute path (its Env cannot make
    // one of a relative --data).
    std::error_code ec;
    const std::string path =
        memory ? std::filesystem::absolute(options.path, ec).string() : options.path;
    if (auto s = rocksdb::DB::Open(o, path, &raw); !s.ok())
      return Status("store_unavailable", OpenFailure("the view store", options.path, s));
  }
  rocksdb::Status s;
  bool relaid = false;
  // Views are derived: a store of another layout is dropped and rebuilt.
  if (std::string stored;
      !as_they_are &&
      (!raw->Get(rocksdb::ReadOptions(), kFormatKey, &stored).ok() || stored != kViewFormat)) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions()));
    it->SeekToFirst();
    const bool empty = !it->Valid();
    it.reset();
    if (!empty) {
      spdlog::warn("view store {}: layout '{}' is not '{}': rebuilding every view from the log",
                   options.path, stored, kViewFormat);
      delete raw;
      raw = nullptr;
      relaid = true;
      if (s = rocksdb::DestroyDB(options.path, o); s.ok())
        s = rocksdb::DB::Open(o, options.path, &raw);
      if (!s.ok())
        return Status("store_unavailable",
                      "cannot recreate the view store at " + options.path + ": " + s.ToString());
    }
    if (s = raw->Put(rocksdb::WriteOptions(), kFormatKey, kViewFormat); !s.ok()) {
      delete raw;
      return Status("store_unavailable", s.ToString());
    }
  }
  std::unique_ptr<ProjectionEngine> e(new ProjectionEngine(
      log, std::move(projections), std::move(options), std::unique_ptr<rocksdb::DB>(raw)));
  e->memory_ = std::move(memory);
  e->relaid_ = relaid;
  e->next_.assign(log.partitions(), 0);
  for (int32_t p = 0; p < log.partitions(); ++p) {
    std::string v;
    if (e->db_->Get(rocksdb::ReadOptions(), CheckpointKey(p), &v).ok())
      e->next_[p] = std::stoull(v);
    // Views ahead of their log: records the views were built from are gone
    // from it. New events would take their offsets and be skipped as
    // applied, so nothing is served until someone decides.
    if (!e->options_.refuse_ahead_of_log) continue;
    auto end = log.EndOffsetReaching(PartitionId{p}, e->next_[p]);
    if (!end.ok()) return end.status();
    if (e->next_[p] > end->value)
      return LogLostRecords(log, "the views at " + e->options_.path + " were built from", p,
                            e->next_[p], end->value,
                            "only if those records are gone for good, serve what the log holds "
                            "by moving the views away (they are rebuilt from it)");
  }
  return e;
}

ProjectionEngine::ProjectionEngine(EventLog& log,
                                   std::vector<std::unique_ptr<Projection>> projections,
                                   ProjectionEngineOptions options, std::unique_ptr<rocksdb::DB> db)
    : log_(log),
      projections_(std::move(projections)),
      options_(std::move(options)),
      db_(std::move(db)) {
  // A projection stays with the one it follows, after it; each such run
  // goes to the thread with the fewest projections so far (AllProjections
  // lists them so that the halves cost about the same).
  std::vector<std::vector<Projection*>> runs;
  for (const auto& p : projections_) {
    if (p->follows().empty()) {
      runs.push_back({p.get()});
      continue;
    }
    // Open checked that the leader is listed before.
    auto leader = std::find_if(runs.begin(), runs.end(), [&](const auto& run) {
      return std::any_of(run.begin(), run.end(),
                         [&](Projection* q) { return q->name() == p->follows(); });
    });
    leader->push_back(p.get());
  }
  groups_.resize(std::clamp<size_t>(options_.threads, 1, std::max<size_t>(1, runs.size())));
  for (const auto& run : runs) {
    auto g = std::min_element(groups_.begin(), groups_.end(),
                              [](const auto& a, const auto& b) { return a.size() < b.size(); });
    g->insert(g->end(), run.begin(), run.end());
  }
  for (size_t g = 1; g < groups_.size(); ++g) helpers_.push_back(std::make_unique<Helper>());
}

ProjectionEngine::~ProjectionEngine() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (options_.bulk_load) db_->Flush(rocksdb::FlushOptions());
}

Result<size_t> ProjectionEngine::ApplyOnce(int32_t partition, uint64_t until) {
  uint64_t from;
  {
    std::lock_guard lock(mu_);
    from = next_[partition];
  }
  if (from >= until) return 0;
  auto records = log_.Read(PartitionId{partition}, Offset{from}, options_.batch_events);
  if (!records.ok()) return records.status();
  std::erase_if(*records, [&](const LogRecord& r) { return r.offset.value >= until; });
  if (Status s = Apply(partition, *records); !s.ok()) return s;
  return records->size();
}

Status ProjectionEngine::ApplyGroup(size_t g, std::span<const LogRecord> records,
                                    const std::vector<Envelope>& events, ViewBatch& overlay) {
  for (size_t i = 0; i < records.size(); ++i)
    for (Projection* p : groups_[g])
      if (Status s = p->Apply(records[i], events[i], overlay); !s.ok()) return s;
  return Status::Ok();
}

Status ProjectionEngine::Apply(int32_t partition, std::span<const LogRecord> records) {
  if (records.empty()) return Status::Ok();
  std::vector<Envelope> events;
  events.reserve(records.size());
  for (const auto& r : records) {
    auto event = Decode(r.value);
    if (!event.ok())
      return Status(event.status().code(), "partition " + std::to_string(partition) + " offset " +
                                               std::to_string(r.offset.value) + ": " +
                                               event.status().message());
    events.push_back(std::move(*event));
  }
  // Each group folds the batch into an overlay of its own (the projections
  // write disjoint keys), the helpers' groups on their threads.
  const size_t n = records.size() >= kParallelFrom ? groups_.size() : 1;
  std::vector<OverlayBatch> overlays(n, OverlayBatch(db_.get()));
  std::vector<Status> status(groups_.size());
  rocksdb::WriteOptions wo;
  wo.disableWAL = options_.bulk_load;
  // A replay into a fresh store (no WAL: a crash loses it whole anyway)
  // lets each helper write its own keys, in parallel with the others'
  // folding and writing, instead of handing them to this thread to write
  // in one atomic batch.
  const bool write_apart = options_.bulk_load;
  auto write = [&](rocksdb::WriteBatch& batch) {
    auto s = db_->Write(wo, &batch);
    return s.ok() ? Status::Ok() : Status("store_unavailable", s.ToString());
  };
  for (size_t g = 1; g < n; ++g)
    helpers_[g - 1]->Start([&, g] {
      status[g] = ApplyGroup(g, records, events, overlays[g]);
      overlays[g].Sort();
      if (write_apart && status[g].ok()) {
        rocksdb::WriteBatch own(OverlayBatch::Bytes({&overlays[g], 1}));
        overlays[g].Fill(own);
        status[g] = write(own);
      }
    });
  // This thread folds the first group, and every group when alone.
  const size_t here = n == 1 ? groups_.size() : 1;
  for (size_t g = 0; g < here && status[0].ok(); ++g)
    status[0] = ApplyGroup(g, records, events, overlays[0]);
  if (write_apart && status[0].ok()) {
    rocksdb::WriteBatch own(OverlayBatch::Bytes({overlays.data(), 1}));
    overlays[0].Fill(own);
    status[0] = write(own);
  }
  for (size_t g = 1; g < n; ++g) helpers_[g - 1]->Wait();
  for (const Status& s : status)
    if (!s.ok()) return s;

  // The checkpoint, with the views' writes or (written apart) after them.
  uint64_t next = records.back().offset.value + 1;
  rocksdb::WriteBatch batch(write_apart ? 0 : OverlayBatch::Bytes(overlays));
  if (!write_apart) OverlayBatch::Fill(batch, overlays);
  batch.Put(CheckpointKey(partition), std::to_string(next));
  if (Status s = write(batch); !s.ok()) return s;
  {
    std::lock_guard lock(mu_);
    next_[partition] = next;
  }
  applied_ += records.size();
  Notify();
  return Status::Ok();
}

Result<uint64_t> ProjectionEngine::CatchUp(const std::vector<uint64_t>* until) {
  if (options_.read_only)
    return Status("invalid_argument", "the views at " + options_.path + " are open read-only");
  uint64_t total = 0;
  for (int32_t p = 0; p < log_.partitions(); ++p) {
    for (;;) {
      auto n =
          ApplyOnce(p, until && static_cast<size_t>(p) < until->size() ? (*until)[p] : UINT64_MAX);
      if (!n.ok()) return n.status();
      if (*n == 0) break;
      total += *n;
    }
  }
  return total;
}

void ProjectionEngine::Start() {
  thread_ = std::thread([this] {
    NameThisThread("pl-views");
    Follow();
  });
}

// Follows the log's tail, applying what arrives partition by partition (in
// runs of one partition's records, each committed with its checkpoint).
// After an error the tail is opened again from the checkpoints, so nothing
// is skipped and nothing applied twice.
void ProjectionEngine::Follow() {
  std::unique_ptr<LogTail> tail;
  auto fail = [&](const Status& s) {
    spdlog::error("projection engine: {}", s.ToString());
    {
      std::lock_guard lock(mu_);
      last_error_ = s;
    }
    tail.reset();
    for (int i = 0; i < 10 && !stopping_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  auto last_expiry = std::chrono::steady_clock::now();
  while (!stopping_) {
    // Waiters past their deadline are answered even while nothing applies.
    if (auto now = std::chrono::steady_clock::now(); now - last_expiry >= std::chrono::seconds(1)) {
      last_expiry = now;
      Notify();
    }
    if (!tail) {
      auto opened = log_.Tail(checkpoints());
      if (!opened.ok()) {
        fail(opened.status());
        continue;
      }
      tail = std::move(*opened);
    }
    auto records = tail->Next(options_.batch_events, std::chrono::milliseconds(100));
    if (!records.ok()) {
      fail(records.status());
      continue;
    }
    // Group by partition, keeping each partition's order; drop what the
    // views already hold.
    std::map<int32_t, std::vector<LogRecord>> runs;
    {
      std::lock_guard lock(mu_);
      for (auto& r : *records)
        if (r.offset.value >= next_[r.partition.value])
          runs[r.partition.value].push_back(std::move(r));
    }
    // A partition that fails does not hold the others back; the tail is
    // reopened from the checkpoints to read it again.
    Status failed;
    for (auto& [p, run] : runs)
      if (Status s = Apply(p, run); !s.ok()) failed = s;
    if (!failed.ok()) fail(failed);
  }
}

void ProjectionEngine::WhenApplied(LogPosition position, std::function<void()> fn,
                                   std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(mu_);
    if (next_[position.partition.value] <= position.offset.value) {
      waiters_.emplace(std::make_pair(position.partition.value, position.offset.value),
                       Waiter{deadline, std::move(fn)});
      return;
    }
  }
  fn();
}

void ProjectionEngine::Notify() {
  std::vector<std::function<void()>> ready;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (next_[it->first.first] > it->first.second || it->second.deadline <= now) {
        ready.push_back(std::move(it->second.fn));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& fn : ready) fn();
}

std::vector<uint64_t> ProjectionEngine::checkpoints() const {
  std::lock_guard lock(mu_);
  return next_;
}

Status ProjectionEngine::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

std::string ProjectionEngine::Digest(rocksdb::DB* db) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    for (auto slice : {it->key(), it->value()}) {
      uint64_t n = slice.size();
      EVP_DigestUpdate(ctx, &n, sizeof n);
      EVP_DigestUpdate(ctx, slice.data(), slice.size());
    }
  }
  unsigned char md[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* d = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(d[md[i] >> 4]);
    hex.push_back(d[md[i] & 15]);
  }
  return hex;
}

}  // namespace pl
