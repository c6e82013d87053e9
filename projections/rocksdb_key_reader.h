// RocksSnapshotReader: a KeyReader over one RocksDB snapshot of the view
// store, so that everything read through it (a tree size and the nodes it
// implies, a leaf and its proof) comes from one consistent state even while
// the projection engine keeps committing batches.
//
// Thread safety: Get may be called from any thread; the reader must not
// outlive the database.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "projections/key_reader.h"

namespace rocksdb {
class DB;
class Snapshot;
}  // namespace rocksdb

namespace pl {

class RocksSnapshotReader final : public KeyReader {
 public:
  explicit RocksSnapshotReader(rocksdb::DB* db);
  ~RocksSnapshotReader() override;
  std::optional<std::string> Get(std::string_view key) const override;

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// A cache of Merkle tree nodes shared by readers of one view store. A node
// is written once, when its subtree completes, and never changes, and a
// proof only asks for nodes its tree size implies, so cached nodes are
// valid for every snapshot that needs them. Only nodes at `min_level` and
// above are kept (1/2^min_level of the leaves: the top of the tree that
// every proof walks), at most `max_entries` of them.
//
// Thread safety: Get may be called from any thread.
class MerkleNodeCache {
 public:
  explicit MerkleNodeCache(std::string node_prefix, int min_level = 6,
                           size_t max_entries = size_t{1} << 20)
      : prefix_(std::move(node_prefix)), min_level_(min_level), max_entries_(max_entries) {}
  // The value of `key` through the cache, reading `inner` on a miss.
  std::optional<std::string> Get(const KeyReader& inner, std::string_view key) const;

 private:
  const std::string prefix_;  // "<tree prefix>node/"
  const int min_level_;
  const size_t max_entries_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, std::string> nodes_;  // guarded by mu_
};

// Reads through a MerkleNodeCache, then `inner`.
class CachingKeyReader final : public KeyReader {
 public:
  CachingKeyReader(const KeyReader& inner, const MerkleNodeCache& cache)
      : inner_(inner), cache_(cache) {}
  std::optional<std::string> Get(std::string_view key) const override {
    return cache_.Get(inner_, key);
  }

 private:
  const KeyReader& inner_;
  const MerkleNodeCache& cache_;
};

}  // namespace pl
