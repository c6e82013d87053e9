// The EventLog conformance suite on the embedded log.
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>

#include "events/embedded_log.h"
#include "tests/events/event_log_conformance.h"
#include "tests/scratch.h"

namespace pl {
namespace {

struct EmbeddedTraits {
  static std::string NewName() { return ::pl::scratch::ScratchDir("conformance"); }
  static std::unique_ptr<EventLog> Open(const std::string& name, int32_t partitions) {
    auto log = EmbeddedLog::Open({name, partitions, true});
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    if (!log.ok()) return nullptr;
    return std::move(*log);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Embedded, EventLogConformance, EmbeddedTraits);

// A damaged record before intact ones stops the opening, the files left as
// they are (RocksDB's default would drop it and every record after it); an
// auditor's read-only opening writes nothing and refuses appends.
TEST(EmbeddedLog, ADamagedRecordStopsTheOpeningAndChangesNothing) {
  const std::string dir = ::pl::scratch::ScratchDir("damaged-log");
  {
    auto log = EmbeddedLog::Open({dir, 1, true});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    for (int i = 0; i < 60; ++i) {
      AppendRecord r{PartitionId{0}, "k", std::string(200, static_cast<char>('a' + i % 26))};
      ASSERT_TRUE((*log)->Append({&r, 1}).ok());
    }
  }
  {
    EmbeddedLogOptions ro{dir, 1, true};
    ro.read_only = true;
    auto log = EmbeddedLog::Open(ro);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    EXPECT_EQ((*log)->EndOffset(PartitionId{0})->value, 60u);
    AppendRecord r{PartitionId{0}, "k", "v"};
    EXPECT_EQ((*log)->Append({&r, 1}).status().code(), "read_only");
  }
  // The records are in the write-ahead log (no flush happened): damage one
  // a third of the way in.
  std::string wal;
  for (const auto& f : std::filesystem::directory_iterator(dir))
    if (f.path().extension() == ".log" && std::filesystem::file_size(f.path()) > 10000)
      wal = f.path().string();
  ASSERT_FALSE(wal.empty());
  const auto size = std::filesystem::file_size(wal);
  {
    std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 3));
    f.put('\x7f');
  }
  auto damaged = EmbeddedLog::Open({dir, 1, true});
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), "log_unavailable");
  EXPECT_NE(damaged.status().message().find("damaged"), std::string::npos)
      << damaged.status().message();
  EXPECT_EQ(std::filesystem::file_size(wal), size) << "the write-ahead log is left as it was";
  std::filesystem::remove_all(dir);
}

// A damaged block met while reading (a table file's checksum): the
// reader is told the files are damaged and what to do, not RocksDB's words
// alone.
TEST(EmbeddedLog, ADamagedTableFileIsNamedWhenRead) {
  const std::string dir = ::pl::scratch::ScratchDir("damaged-table");
  {
    auto log = EmbeddedLog::Open({dir, 1, true});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    for (int i = 0; i < 200; ++i) {
      AppendRecord r{PartitionId{0}, "k", std::string(300, static_cast<char>('a' + i % 26))};
      ASSERT_TRUE((*log)->Append({&r, 1}).ok());
    }
  }
  {  // into a table file
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  }
  std::string table;
  for (const auto& f : std::filesystem::directory_iterator(dir))
    if (f.path().extension() == ".sst") table = f.path().string();
  ASSERT_FALSE(table.empty());
  {  // one byte changed, whatever it held
    std::fstream f(table, std::ios::in | std::ios::out | std::ios::binary);
    const auto at = static_cast<std::streamoff>(std::filesystem::file_size(table) / 4);
    f.seekg(at);
    const char was = static_cast<char>(f.get());
    f.seekp(at);
    f.put(static_cast<char>(was ^ 0x5a));
  }
  EmbeddedLogOptions ro{dir, 1, true};
  ro.read_only = true;
  auto log = EmbeddedLog::Open(ro);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto read = (*log)->Read(PartitionId{0}, Offset{0}, 1000);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), "log_unavailable");
  EXPECT_NE(read.status().message().find("damaged"), std::string::npos) << read.status().message();
  log->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pl
