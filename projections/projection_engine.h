// The projection engine: feeds the event log into a set of projections that
// share one RocksDB view store.
//
// For each partition it reads from the stored checkpoint, decodes each event
// once, lets every projection fold it into a ViewBatch, and commits the
// batch together with the new checkpoint ("checkpoint/<partition>") in one
// RocksDB write: a crash can neither skip nor double-apply an event. The
// projections are split into groups (options.threads) that fold a batch at
// the same time, each into a ViewBatch of its own; a projection that
// follows another (Projection::follows) is in its group, after it.
//
// Thread safety: Start runs one follower thread, and each group but the
// first has a helper thread (a projection is only ever called by one thread
// at a time); the read accessors and WhenApplied may be called from any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "events/event_log.h"
#include "projections/projection.h"

namespace rocksdb {
class DB;
class Env;
}  // namespace rocksdb

namespace pl {

struct ProjectionEngineOptions {
  std::string path;
  size_t batch_events = 8192;  // events per committed batch, at most
  // A replay into a fresh store: no WAL, each folding thread writes its own
  // keys (a batch is not atomic: a crash loses the store whole anyway),
  // flushed at the end.
  bool bulk_load = false;
  // The view store's block cache: the blocks every query reads again (the
  // Merkle tree's tiles for proofs, the permits of the status page).
  size_t block_cache_bytes = size_t{256} << 20;
  // Threads that apply a batch: the projections are split among them (each
  // writes keys of its own), and a batch of more than a few events is
  // folded by all of them at once.
  int threads = 2;
  // A store whose checkpoint is past the log's end (asked again for as
  // long as the log's end may lag: EventLog::end_offset_lag) was built from
  // records the log does not hold, and is refused (log_inconsistent): new
  // events would take their offsets and be skipped as applied.
  bool refuse_ahead_of_log = false;
  // An offline tool's look at the live views (replay, audit trail): the
  // store is opened read-only (RocksDB's recovery included, nothing is
  // written), never caught up with the log, and refused
  // (views_unavailable), not rebuilt, when of another layout; when there
  // is none (Exists), the engine holds empty views, in memory.
  bool read_only = false;
};

class ProjectionEngine {
 public:
  // The layout of the views' keys and values. Bump it with any change to
  // what a projection stores: a store of another layout (or of none, from
  // before this key) is dropped on Open and rebuilt from the log.
  static constexpr const char* kViewFormat = "14";

  static Result<std::unique_ptr<ProjectionEngine>> Open(
      EventLog& log, std::vector<std::unique_ptr<Projection>> projections,
      ProjectionEngineOptions options);
  ~ProjectionEngine();
  ProjectionEngine(const ProjectionEngine&) = delete;
  ProjectionEngine& operator=(const ProjectionEngine&) = delete;

  // Applies everything the log holds now, or with `until` (the next offset
  // per partition, as checkpoints() gives them) the records before it;
  // returns the number of events.
  Result<uint64_t> CatchUp(const std::vector<uint64_t>* until = nullptr);
  // Follows the tail of the log on a background thread until destruction.
  void Start();

  // Calls `fn` once (on the engine's thread, or at once) when the views
  // include the record at `offset` of `partition`, or at `deadline` if they
  // do not by then (the log unreachable): a caller is never left waiting.
  void WhenApplied(LogPosition position, std::function<void()> fn,
                   std::chrono::steady_clock::time_point deadline =
                       std::chrono::steady_clock::time_point::max());
  // The next offset to apply per partition.
  std::vector<uint64_t> checkpoints() const;
  uint64_t events_applied() const { return applied_; }
  // The last error the follower met, if any (it retries).
  Status last_error() const;

  rocksdb::DB* db() { return db_.get(); }
  // Whether Open dropped a store of another layout (kViewFormat) to
  // rebuild it: the views are then this version's fold of the log, which
  // other stores folded by an earlier version need not match.
  bool relaid() const { return relaid_; }
  // Whether there is a view store at `path`.
  static bool Exists(const std::string& path);

  // A digest of every key and value of the store (SHA-256, hex): two stores
  // with equal digests hold byte-identical views.
  static std::string Digest(rocksdb::DB* db);

 private:
  ProjectionEngine(EventLog& log, std::vector<std::unique_ptr<Projection>> projections,
                   ProjectionEngineOptions options, std::unique_ptr<rocksdb::DB> db);
  Result<size_t> ApplyOnce(int32_t partition, uint64_t until = UINT64_MAX);
  // Applies `records` (of one partition, in order, from its checkpoint on)
  // in one batch with the new checkpoint.
  Status Apply(int32_t partition, std::span<const LogRecord> records);
  // Folds `events` into `overlay` with the projections of group `g`.
  Status ApplyGroup(size_t g, std::span<const LogRecord> records,
                    const std::vector<Envelope>& events, ViewBatch& overlay);
  void Follow();
  void Notify();

  class Helper;  // a thread that folds the other groups

  EventLog& log_;
  std::vector<std::unique_ptr<Projection>> projections_;
  std::vector<std::vector<Projection*>> groups_;  // projections_ split for the threads
  std::vector<std::unique_ptr<Helper>> helpers_;  // one per group but the first
  ProjectionEngineOptions options_;
  std::unique_ptr<rocksdb::Env> memory_;  // of an offline tool's empty views; outlives db_
  std::unique_ptr<rocksdb::DB> db_;

  mutable std::mutex mu_;
  std::vector<uint64_t> next_;  // guarded by mu_
  struct Waiter {
    std::chrono::steady_clock::time_point deadline;
    std::function<void()> fn;
  };
  std::multimap<std::pair<int32_t, uint64_t>, Waiter> waiters_;  // guarded by mu_
  Status last_error_;                                            // guarded by mu_
  bool relaid_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> applied_{0};
  std::thread thread_;
};

}  // namespace pl
