// KeyReader: the read half of a key-value view, the least a view's query
// side needs. The HTTP layer implements it over a RocksDB snapshot; during
// Apply a projection reads through its ViewBatch with BatchKeyReader.
//
// Thread safety: as the underlying store; a KeyReader over a RocksDB
// snapshot may be shared between threads, a BatchKeyReader may not.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "projections/projection.h"

namespace pl {

class MerkleTileCache;

class KeyReader {
 public:
  KeyReader() = default;
  KeyReader(const KeyReader&) = delete;
  KeyReader& operator=(const KeyReader&) = delete;
  virtual ~KeyReader() = default;

  // The value stored under `key`, or nullopt if there is none.
  virtual std::optional<std::string> Get(std::string_view key) const = 0;
  // The cache of Merkle tree tiles readers of this store share, if any
  // (projections/merkle_tree.h).
  virtual const MerkleTileCache* tile_cache() const { return nullptr; }
};

// Reads through a ViewBatch: its pending writes first, then the store.
class BatchKeyReader final : public KeyReader {
 public:
  explicit BatchKeyReader(ViewBatch& batch) : batch_(&batch) {}
  std::optional<std::string> Get(std::string_view key) const override { return batch_->Get(key); }

 private:
  ViewBatch* batch_;
};

}  // namespace pl
