// OverlayBatch: the ViewBatch the projection engine hands to projections.
// It reads its own writes first, then the store; Fill writes the final value
// of every touched key once, in key order, into one RocksDB write batch.
//
// Thread safety: none; one batch per ApplyOnce.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "projections/projection.h"

namespace pl {

class OverlayBatch final : public ViewBatch {
 public:
  explicit OverlayBatch(rocksdb::DB* db) : db_(db) {}
  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  std::string& Edit(std::string_view key) override;
  // Puts the touched keys in order (Fill's order); may run on another
  // thread than Fill, and need not be called at all.
  void Sort();
  // Writes the final value of every key the overlays touched, in key order:
  // the memtable's skip list then inserts each key next to the previous one
  // instead of searching for it from the top (a third of a replay's time, in
  // random order). The overlays must touch disjoint keys and share one
  // store; a deletion is written only if that store may hold the key.
  static void Fill(rocksdb::WriteBatch& batch, std::span<OverlayBatch> overlays);
  // About the bytes Fill writes, to reserve a write batch's buffer at once
  // instead of growing (copying) it as it fills.
  static size_t Bytes(std::span<const OverlayBatch> overlays);
  void Fill(rocksdb::WriteBatch& batch) { Fill(batch, {this, 1}); }

 private:
  // Looked up by string_view, without a temporary string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Map = std::unordered_map<std::string, std::optional<std::string>, Hash, std::equal_to<>>;
  rocksdb::DB* db_;
  Map overlay_;
  std::vector<const Map::value_type*> sorted_;  // by Sort; stale once a key is added
};

}  // namespace pl
