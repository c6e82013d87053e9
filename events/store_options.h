// The RocksDB options every store of the ledger starts from: created when
// missing, two background threads (this is a 2-core machine), bloom filters
// (most look-ups of command ids and keys are misses) and, where a store asks
// for one, a block cache of the given size.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>

#include <string>

namespace pl {

// `block_cache_bytes` 0: RocksDB's default block cache (8 MiB).
inline rocksdb::Options StoreOptions(size_t block_cache_bytes = 0) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.IncreaseParallelism(2);
  o.max_background_jobs = 2;
  rocksdb::BlockBasedTableOptions t;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.whole_key_filtering = true;
  if (block_cache_bytes) t.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.memtable_whole_key_filtering = true;  // misses skip the memtable's skip list too
  o.memtable_prefix_bloom_size_ratio = 0.02;
  return o;
}

// Why a store at `path` did not open, for a person to act on: RocksDB's
// reason, and what to do when another process holds the store's lock (a
// running server, while an offline tool is started on its directory).
inline std::string OpenFailure(const std::string& what, const std::string& path,
                               const rocksdb::Status& s) {
  std::string m = "cannot open " + what + " at " + path + ": " + s.ToString();
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
    m += " (another process holds it, a running permitledger perhaps: stop it, or work on a "
         "copy of the data directory)";
  if (s.IsCorruption())
    m += " (the store's files are damaged: nothing was changed in them; restore the data "
         "directory from a backup, and keep this copy for an audit)";
  return m;
}

}  // namespace pl
