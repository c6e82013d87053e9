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
#include <string_view>

#include "events/result.h"

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

// How a message about a store whose lock another process holds ends, until
// WithHeldAdvice adds what to do.
inline constexpr std::string_view kHeldByAnotherProcess =
    " (another process holds it, a running permitledger perhaps)";

// Who opened a store: what to do when another process holds it depends on
// it. An offline tool (replay, audit) may read a copy of the data
// directory; a server may not be pointed at one, for two live ledgers with
// one signing key would sign diverging histories.
enum class StoreOpener { kServer, kOfflineTool };

// `s`, and if it says another process holds a store, what `opener` can do.
inline Status WithHeldAdvice(Status s, StoreOpener opener) {
  std::string m = s.message();
  if (s.ok() || !m.ends_with(kHeldByAnotherProcess)) return s;
  m.pop_back();  // the ")"
  m += opener == StoreOpener::kOfflineTool
           ? ": stop it, or work on a copy of the data directory)"
           : ": stop it first, or give --data another directory to start a new, separate "
             "ledger; never serve a copy of this one beside it)";
  return Status(s.code(), std::move(m));
}

inline constexpr const char* kDamagedStore =
    " (the store's files are damaged: nothing was changed in them; restore the data directory "
    "from a backup, and keep this copy for an audit)";

// Why a store at `path` did not open, for a person to act on: RocksDB's
// reason, and, when another process holds the store's lock (a running
// server), that it does (the opener adds what to do: WithHeldAdvice).
inline std::string OpenFailure(const std::string& what, const std::string& path,
                               const rocksdb::Status& s) {
  std::string m = "cannot open " + what + " at " + path + ": " + s.ToString();
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    m += kHeldByAnotherProcess;
    return m;
  }
  if (s.IsCorruption()) m += kDamagedStore;
  return m;
}

// Why reading `what` failed, for a person to act on: as OpenFailure, for a
// damage found while reading (a block whose checksum does not match).
inline std::string ReadFailure(const std::string& what, const rocksdb::Status& s) {
  std::string m = "reading " + what + " failed: " + s.ToString();
  if (s.IsCorruption()) m += kDamagedStore;
  return m;
}

}  // namespace pl
