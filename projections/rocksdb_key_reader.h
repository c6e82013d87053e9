// RocksSnapshotReader: a KeyReader over one RocksDB snapshot of the view
// store, so that everything read through it (a tree size and the nodes it
// implies, a leaf and its proof) comes from one consistent state even while
// the projection engine keeps committing batches.
//
// Thread safety: Get may be called from any thread; the reader must not
// outlive the database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "projections/key_reader.h"
#include "projections/merkle_tree.h"

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
  // For iterators over the same state.
  const rocksdb::Snapshot* snapshot() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// A KeyReader that hands the tree a shared tile cache.
class CachingKeyReader final : public KeyReader {
 public:
  CachingKeyReader(const KeyReader& inner, const MerkleTileCache& cache)
      : inner_(inner), cache_(cache) {}
  std::optional<std::string> Get(std::string_view key) const override { return inner_.Get(key); }
  const MerkleTileCache* tile_cache() const override { return &cache_; }

 private:
  const KeyReader& inner_;
  const MerkleTileCache& cache_;
};

}  // namespace pl
