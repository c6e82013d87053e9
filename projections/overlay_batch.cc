#include "projections/overlay_batch.h"

#include <algorithm>
#include <vector>

namespace pl {

std::optional<std::string> OverlayBatch::Get(std::string_view key) {
  if (auto it = overlay_.find(key); it != overlay_.end()) return it->second;
  std::string v;
  auto s = db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &v);
  if (s.ok()) return v;
  return std::nullopt;
}

void OverlayBatch::Put(std::string_view key, std::string_view value) {
  if (auto it = overlay_.find(key); it != overlay_.end())
    it->second.emplace(value);
  else
    overlay_.emplace(std::string(key), std::string(value));
}

void OverlayBatch::Delete(std::string_view key) {
  if (auto it = overlay_.find(key); it != overlay_.end())
    it->second.reset();
  else
    overlay_.emplace(std::string(key), std::nullopt);
}

std::string& OverlayBatch::Edit(std::string_view key) {
  auto it = overlay_.find(key);
  if (it == overlay_.end()) {
    it = overlay_.try_emplace(std::string(key)).first;
    std::string v;
    if (db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &v).ok())
      it->second = std::move(v);
  }
  if (!it->second) it->second.emplace();
  return *it->second;
}

void OverlayBatch::Sort() {
  sorted_.clear();
  sorted_.reserve(overlay_.size());
  for (const auto& e : overlay_) sorted_.push_back(&e);
  std::sort(sorted_.begin(), sorted_.end(), [](auto* a, auto* b) { return a->first < b->first; });
}

size_t OverlayBatch::Bytes(std::span<const OverlayBatch> overlays) {
  size_t n = 0;
  for (const OverlayBatch& o : overlays)
    for (const auto& [key, value] : o.overlay_) n += key.size() + (value ? value->size() : 0) + 12;
  return n;
}

void OverlayBatch::Fill(rocksdb::WriteBatch& batch, std::span<OverlayBatch> overlays) {
  std::vector<const Map::value_type*> all;
  for (OverlayBatch& o : overlays) {
    if (o.sorted_.size() != o.overlay_.size()) o.Sort();
    const size_t mid = all.size();
    all.insert(all.end(), o.sorted_.begin(), o.sorted_.end());
    std::inplace_merge(all.begin(), all.begin() + mid, all.end(),
                       [](auto* a, auto* b) { return a->first < b->first; });
  }
  // A key the store does not hold needs no tombstone: most deletions in a
  // replay are of keys the same batch wrote (a permit's worklist entry for
  // each stage it passed), and each would cost a memtable insert, and a
  // flush and a compaction to drop it again. Asked of what is in memory
  // only (the bloom filters mostly answer): anything but a sure "not
  // found" (a block not cached, an error) writes the tombstone.
  rocksdb::DB* db = overlays.empty() ? nullptr : overlays.front().db_;
  rocksdb::ReadOptions in_memory;
  in_memory.read_tier = rocksdb::kBlockCacheTier;
  rocksdb::PinnableSlice found;
  for (const auto* e : all) {
    if (e->second) {
      batch.Put(e->first, *e->second);
    } else {
      if (!db->Get(in_memory, db->DefaultColumnFamily(), e->first, &found).IsNotFound())
        batch.Delete(e->first);
      found.Reset();
    }
  }
}

}  // namespace pl
