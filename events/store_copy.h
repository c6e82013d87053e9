// CopyStore: a live RocksDB store copied as it is at one moment, for a
// backup taken while the ledger runs (POST /v1/admin/backup).
#pragma once

#include <string>

#include "events/result.h"

namespace rocksdb {
class DB;
}

namespace pl {

// Copies `db` into the directory `to` (which must not exist): its memtable
// flushed first, then its files hard-linked where `to` is on the same file
// system (a copy costs no room until the store compacts them away) and
// copied otherwise. `what` names the store in an error.
Status CopyStore(rocksdb::DB& db, const std::string& to, const std::string& what);

}  // namespace pl
