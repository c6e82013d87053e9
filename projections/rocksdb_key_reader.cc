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

}  // namespace pl
