// Signed checkpoints of the transparency log, published and kept.
//
// CheckpointLog is the append-only record of every checkpoint the ledger
// ever signed, one file DATA/checkpoints/checkpoints.log. It lives outside
// the view store on purpose: views are a pure function of the events (a
// replay must give byte-identical views) while checkpoints are signatures
// made over time. Each record is
//
//   <tree size, decimal> <note length in bytes, decimal>\n<signed note>
//
// Records are appended and fsynced, never rewritten; tree sizes strictly
// increase. An auditor reads the file and checks each note's signature, its
// root against the log, and its consistency with the one before
// (gateways/audit_cli.h).
//
// CheckpointPublisher owns the log's signing key (DATA/transparency.key,
// mode 0600, created on first start; DATA/transparency.pub holds the public
// verifier key) and signs a checkpoint of the view store's tree every
// `interval` when the tree grew, on demand, and once more when it stops.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "events/result.h"
#include "projections/checkpoint.h"
#include "projections/rocksdb_key_reader.h"

namespace rocksdb {
class DB;
}

namespace pl {

struct StoredCheckpoint {
  uint64_t number = 0;  // 0-based position in the checkpoint log
  uint64_t size = 0;    // tree size, from the record header
  std::string note;     // the signed note
};

class CheckpointLog {
 public:
  // Opens (creating if needed) DIR/checkpoints.log. A torn last record (a
  // crash during an append) is cut off.
  static Result<std::unique_ptr<CheckpointLog>> Open(const std::string& dir);
  ~CheckpointLog();

  // Appends a note for tree size `size`, which must exceed the latest's.
  Result<StoredCheckpoint> Append(uint64_t size, const std::string& note);

  size_t count() const;
  std::optional<StoredCheckpoint> Latest() const;
  // The checkpoint of exactly `size` leaves, if one was published.
  std::optional<StoredCheckpoint> AtSize(uint64_t size) const;
  // The first checkpoint whose tree includes leaf `leaf` (size > leaf).
  std::optional<StoredCheckpoint> FirstCovering(uint64_t leaf) const;

  // Every record of a checkpoint file, in order, without trusting it: a
  // malformed record ends the list and is reported in `error`.
  struct FileContents {
    std::vector<StoredCheckpoint> records;
    std::optional<std::string> error;  // e.g. "record 7 at byte 1234: ..."
    bool torn = false;                 // the error is a last record cut short (a crash mid-append)
  };
  static Result<FileContents> ReadFile(const std::string& path);
  // The file as it is now (every whole record), written into the new
  // directory `dir` (a backup).
  Status CopyTo(const std::string& dir) const;
  static std::string FilePath(const std::string& dir);

 private:
  struct Entry {
    uint64_t size, offset, length;
  };
  CheckpointLog(int fd, std::string path, std::vector<Entry> entries, uint64_t end);
  std::string ReadNote(const Entry& e) const;
  StoredCheckpoint At(size_t i) const;

  const int fd_;
  const std::string path_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;  // guarded by mu_
  uint64_t end_;                // guarded by mu_: file length
};

struct CheckpointPublisherOptions {
  std::string data_dir;
  std::string key_name;  // the log's origin, e.g. "permitledger.local/31.74.10"
  std::chrono::milliseconds interval{10000};
};

class CheckpointPublisher {
 public:
  // Loads or creates the key and opens the checkpoint log; `views` is the
  // view store holding the transparency projection's tree.
  static Result<std::unique_ptr<CheckpointPublisher>> Open(rocksdb::DB* views,
                                                           CheckpointPublisherOptions options);
  // Stops the background thread; publishes a last checkpoint if the tree grew.
  ~CheckpointPublisher();

  // Publishes every `interval` (if positive) while the tree grows, on a
  // background thread, and once more at destruction. Call once.
  void Start();

  // Signs and stores a checkpoint of the current tree if it grew since the
  // latest checkpoint; returns the latest checkpoint (nullopt: empty tree).
  // Refuses (CheckConsistent) to sign a tree that does not extend it.
  Result<std::optional<StoredCheckpoint>> Publish();
  // Ok when the tree extends the latest checkpoint: at least as many leaves,
  // and its first ones hash to the signed root. Else "log_inconsistent":
  // the log lost events or was changed since that checkpoint was signed.
  Status CheckConsistent() const;
  // Ok when every stored checkpoint verifies with this ledger's key and
  // names the tree size its record says; else "log_inconsistent" naming
  // the first that does not (the file was altered: its checkpoints are
  // served to auditors and verifiers). Asked at start; CheckConsistent
  // then checks the latest against the tree.
  Status CheckStored() const;
  // The first checkpoint covering `leaf`, publishing one if none does yet.
  Result<StoredCheckpoint> Covering(uint64_t leaf);

  CheckpointLog& checkpoints() { return *log_; }
  // The top of the tree, cached for the proofs served from these views.
  const MerkleTileCache& tile_cache() const { return tile_cache_; }
  const CheckpointSigner& signer() const { return signer_; }
  std::string verifier_key() const { return signer_.verifier_key(); }

  static std::string KeyPath(const std::string& data_dir);
  static std::string PublicKeyPath(const std::string& data_dir);
  static std::string CheckpointDir(const std::string& data_dir);

 private:
  CheckpointPublisher(rocksdb::DB* views, CheckpointPublisherOptions options,
                      CheckpointSigner signer, std::unique_ptr<CheckpointLog> log);
  void Run();

  rocksdb::DB* views_;
  CheckpointPublisherOptions options_;
  CheckpointSigner signer_;
  std::unique_ptr<CheckpointLog> log_;
  MerkleTileCache tile_cache_;
  std::mutex publish_mu_;  // one publication at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool started_ = false;   // set by Start, before any thread
  std::thread thread_;
};

}  // namespace pl
