#include "events/store_copy.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>
#include <memory>

namespace pl {

Status CopyStore(rocksdb::DB& db, const std::string& to, const std::string& what) {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(&db, &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // RocksDB asks for an absolute path.
  std::error_code ec;
  if (s.ok()) s = checkpoint->CreateCheckpoint(std::filesystem::absolute(to, ec).string());
  if (!s.ok())
    return Status("store_unavailable", "cannot copy " + what + " to " + to + ": " + s.ToString());
  return Status::Ok();
}

}  // namespace pl
