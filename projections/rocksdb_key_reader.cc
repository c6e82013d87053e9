#include "projections/rocksdb_key_reader.h"

#include <rocksdb/db.h>

namespace pl {

RocksSnapshotReader::RocksSnapshotReader(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}

RocksSnapshotReader::~RocksSnapshotReader() { db_->ReleaseSnapshot(snapshot_); }

std::optional<std::string> RocksSnapshotReader::Get(std::string_view key) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string v;
  if (db_->Get(ro, rocksdb::Slice(key.data(), key.size()), &v).ok()) return v;
  return std::nullopt;
}

std::optional<std::string> MerkleNodeCache::Get(const KeyReader& inner,
                                                std::string_view key) const {
  // Node keys: <prefix><2 hex digits of level>/<16 hex digits of index>.
  if (!key.starts_with(prefix_) || key.size() < prefix_.size() + 2) return inner.Get(key);
  const int level = std::stoi(std::string(key.substr(prefix_.size(), 2)), nullptr, 16);
  if (level < min_level_) return inner.Get(key);
  {
    std::shared_lock lock(mu_);
    if (auto it = nodes_.find(std::string(key)); it != nodes_.end()) return it->second;
  }
  auto v = inner.Get(key);
  if (v) {
    std::unique_lock lock(mu_);
    if (nodes_.size() < max_entries_) nodes_.emplace(std::string(key), *v);
  }
  return v;
}

}  // namespace pl
