// Benchmarks of the ledger on one machine (issue "The ledger on one
// machine"); each figure is printed beside the machine's own limit measured
// in the same run, as a ratio. Run on demand, never in the tests:
//
//   ninja -C build ledger_bench
//   build/bench/ledger_bench commands [--commands N] [--dir D]
//       validated commands durably appended through the command processor,
//       against RocksDB's own synced write-batch rate (same batch sizes)
//   build/bench/ledger_bench validate [--applications N]
//       the domain's check of a new application (ValidateSubmission: its
//       fields, eligibility and the personal-data guard over the public
//       texts) per application, against one plain pass over the same
//       texts' bytes (the least any check of them does)
//   build/bench/ledger_bench generate --events N --dir D
//       writes a log of about N events (the happy path, 6 events a permit)
//   build/bench/ledger_bench replay --dir D
//       rebuilds every view from that log into a fresh store, against a raw
//       scan and decode of the same log and against writing the rebuilt
//       views alone again (nothing to compute: what RocksDB's write path,
//       and an SST file ingested, can store them at); prints the peak
//       resident memory (of the rebuild, before that last measurement).
//       PL_ONLY=<name>[,<name>...] replays those projections alone (the
//       feeds need the status projection they follow); PL_THREADS=<n>
//       sets the threads that fold a batch; PL_BATCH=<n> the batch size;
//       PL_DIGEST=1 prints the digest of the rebuilt views (after timing).
#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "bench/workload.h"
#include "domain/decider_util.h"
#include "events/embedded_log.h"
#include "events/store_options.h"
#include "gateways/ledger.h"
#include "projections/projection_engine.h"

namespace {
using namespace pl;
using namespace pl::bench;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// RocksDB's own rate of synced write batches of `records` records of
// `bytes` bytes each, in the same directory's file system.
double RawSyncedRecordsPerSecond(const std::string& dir, int records, int bytes, double budget_s) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  std::filesystem::remove_all(dir);
  if (!rocksdb::DB::Open(o, dir, &raw).ok()) return 0;
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  std::string value(bytes, 'x');
  uint64_t key = 0, written = 0;
  auto start = Clock::now();
  while (Seconds(start) < budget_s) {
    rocksdb::WriteBatch b;
    for (int r = 0; r < records; ++r) {
      char k[16];
      std::snprintf(k, sizeof k, "r%014llu", static_cast<unsigned long long>(key++));
      b.Put(k, value);
    }
    db->Write(wo, &b);
    written += records;
  }
  return written / Seconds(start);
}

// The machine's limit for storing the views a rebuild made, with nothing
// to compute: the store at `views` is read in key order and written again
// into fresh stores under `dir`, (1) in write batches of 8192 keys without
// a WAL, as a rebuild writes, flushed at the end, and (2) as one SST file
// ingested, the cheapest way RocksDB takes data. The time of a read alone
// is taken off both.
struct ViewsAlone {
  uint64_t keys = 0, bytes = 0;
  double batches_s = 0, sst_s = 0;
  // Keys and bytes (key and value) by the first two parts of the key
  // ("audit/officer", "status/queue"): where the views' bytes are.
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_kind;
};

ViewsAlone WriteViewsAlone(const std::string& views, const std::string& dir) {
  ViewsAlone r;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::Options(), views, &raw).ok()) return r;
  std::unique_ptr<rocksdb::DB> from(raw);
  // `sink` gets every key and value in order; returns the seconds it took.
  auto pass = [&](const std::function<void(rocksdb::Slice, rocksdb::Slice)>& sink) {
    auto start = Clock::now();
    std::unique_ptr<rocksdb::Iterator> it(from->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) sink(it->key(), it->value());
    return Seconds(start);
  };
  const double read_s = pass([&](rocksdb::Slice k, rocksdb::Slice v) {
    ++r.keys;
    r.bytes += k.size() + v.size();
    const std::string_view key(k.data(), k.size());
    const size_t first = key.find('/');
    auto& [keys, bytes] = r.by_kind[std::string(
        key.substr(0, first == key.npos ? key.npos : key.find('/', first + 1)))];
    ++keys;
    bytes += k.size() + v.size();
  });
  rocksdb::Options o = StoreOptions();
  o.write_buffer_size = 128 << 20;  // as the engine's bulk_load
  o.max_write_buffer_number = 4;
  const std::string a = dir + "/alone.batches", b = dir + "/alone.sst";
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
  if (!rocksdb::DB::Open(o, a, &raw).ok()) return r;
  {
    std::unique_ptr<rocksdb::DB> to(raw);
    rocksdb::WriteOptions wo;
    wo.disableWAL = true;
    rocksdb::WriteBatch batch;
    auto start = Clock::now();
    pass([&](rocksdb::Slice k, rocksdb::Slice v) {
      batch.Put(k, v);
      if (batch.Count() == 8192) to->Write(wo, &batch), batch.Clear();
    });
    to->Write(wo, &batch);
    to->Flush(rocksdb::FlushOptions());
    r.batches_s = Seconds(start) - read_s;
  }
  if (!rocksdb::DB::Open(o, b, &raw).ok()) return r;
  {
    std::unique_ptr<rocksdb::DB> to(raw);
    const std::string file = dir + "/alone.sst.file";
    auto start = Clock::now();
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), o);
    if (!writer.Open(file).ok()) return r;
    pass([&](rocksdb::Slice k, rocksdb::Slice v) { writer.Put(k, v); });
    writer.Finish();
    rocksdb::IngestExternalFileOptions io;
    io.move_files = true;
    to->IngestExternalFile({file}, io);
    r.sst_s = Seconds(start) - read_s;
  }
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
  return r;
}

// The ledger the benchmarks write through: no view follower (the replay is
// measured apart), no disk reserve check.
LedgerOptions BenchOptions(const std::string& dir) {
  LedgerOptions o = LedgerOptions::At(dir);
  o.follow = false;
  o.disk_reserve = 0;
  return o;
}

int Commands(int argc, char** argv) {
  int permits = 50000;  // 300,000 commands
  std::string dir = "/tmp/pl-bench-commands";
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--commands")) permits = std::atoi(argv[i + 1]) / 6;
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  auto ledger = Ledger::Open(BenchOptions(dir));
  if (!ledger.ok()) return std::fprintf(stderr, "%s\n", ledger.status().ToString().c_str()), 1;
  EnrolOfficers(**ledger);
  DriveCommands(**ledger, 0, 500, 20000);  // warm up
  uint64_t events_before = (*ledger)->log().EndOffset(PartitionId{0})->value;
  Drive d = DriveCommands(**ledger, 1000, permits, 20000);
  uint64_t events = (*ledger)->log().EndOffset(PartitionId{0})->value - events_before;
  auto sample = (*ledger)->log().Read(PartitionId{0}, Offset{events_before}, 1000);
  size_t bytes = 0;
  for (auto& r : *sample) bytes += r.key.size() + r.value.size() + 16;
  int record_bytes = static_cast<int>(bytes / std::max<size_t>(1, sample->size()));
  ledger->reset();
  std::filesystem::remove_all(dir);
  double rate = d.commands / d.seconds;
  // The processor group-commits: compare with RocksDB syncing batches of the
  // size one group commit wrote on average (batches per second are bounded
  // by fsync latency either way).
  double raw_single = RawSyncedRecordsPerSecond(dir + "-raw", 1, record_bytes, 3);
  double syncs_per_s = raw_single;  // one record per synced batch
  int group = std::max(1, static_cast<int>(rate / syncs_per_s));
  double raw_grouped = RawSyncedRecordsPerSecond(dir + "-raw", group, record_bytes, 5);
  std::filesystem::remove_all(dir + "-raw");
  std::printf("commands through the processor: %llu in %.2f s (%llu refused, %llu failed)\n",
              (unsigned long long)d.commands, d.seconds, (unsigned long long)d.refused,
              (unsigned long long)d.errors);
  std::printf("  events appended: %llu, average record %d bytes\n", (unsigned long long)events,
              record_bytes);
  std::printf("validated commands durably appended: %.0f /s (target >= 50,000)\n", rate);
  std::printf("raw RocksDB synced write batches: %.0f batches/s (1 record each)\n", raw_single);
  std::printf("raw RocksDB synced batches of %d records: %.0f records/s\n", group, raw_grouped);
  std::printf("ratio processor / raw synced batches of the same size: %.2f\n", rate / raw_grouped);
  return 0;
}

int Validate(int argc, char** argv) {
  int n = 20000;
  for (int i = 2; i + 1 < argc; i += 2)
    if (!std::strcmp(argv[i], "--applications")) n = std::atoi(argv[i + 1]);
  std::ifstream in(PL_SOURCE_DIR "/charters/pesanggrahan.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto charter = Charter::FromJson(text);
  if (!charter.ok()) return std::fprintf(stderr, "%s\n", charter.status().ToString().c_str()), 1;
  // Applications as a counter takes them: a trade name, a description, a
  // home address with its RT/RW, a phone and a KK number.
  std::vector<SubmitApplication> apps(n);
  for (int i = 0; i < n; ++i) {
    SubmitApplication& s = apps[i];
    s.kelurahan = charter->kelurahan[i % charter->kelurahan.size()].code;
    s.personal = {bench::BenchNik(i),
                  "Sari Wulandari",
                  "Jl. Delman Utama No. " + std::to_string(i % 200) + " RT 005/RW 008",
                  "081234567890",
                  "3174050101010001",
                  ""};
    s.business = {"Warung Bu Sari " + std::to_string(i),
                  "56103",
                  "warung makan dan minuman ringan di depan rumah, buka 07.00-21.00",
                  25000000,
                  180000000,
                  2,
                  "owned"};
    s.documents = charter->required_documents;
    s.tracking_hash = HashToken("code-" + std::to_string(i));
    s.sealed.person_id = "person-" + std::to_string(i);
  }
  const int rounds = std::max(1, 200000 / std::max(1, n));
  int refused = 0;
  auto start = Clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& s : apps)
      if (ValidateSubmission(s, *charter, /*personal_known=*/true)) ++refused;
  const double check_us = Seconds(start) * 1e6 / (double(rounds) * n);
  // The floor: every byte of the texts the guard reads, once.
  uint64_t code_points = 0;
  start = Clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& s : apps)
      for (const std::string* t :
           {&s.business.name, &s.business.description, &s.personal.name, &s.personal.address,
            &s.personal.phone, &s.personal.nik, &s.personal.kk_number})
        for (char c : *t) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  const double pass_us = Seconds(start) * 1e6 / (double(rounds) * n);
  std::printf("checking a new application: %.2f us each (%d applications x %d, %d refused)\n",
              check_us, n, rounds, refused / rounds);
  std::printf("one pass over its texts' bytes: %.3f us each (%llu code points)\n", pass_us,
              (unsigned long long)(code_points / rounds / n));
  std::printf("ratio check / pass: %.0f\n", check_us / pass_us);
  return refused ? 1 : 0;
}

int Generate(int argc, char** argv) {
  uint64_t events = 1000000;
  std::string dir = "/tmp/pl-bench-log";
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--events")) events = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  auto ledger = Ledger::Open(BenchOptions(dir));
  if (!ledger.ok()) return std::fprintf(stderr, "%s\n", ledger.status().ToString().c_str()), 1;
  EnrolOfficers(**ledger);
  int permits = static_cast<int>(events / 6);
  auto start = Clock::now();
  for (int first = 0; first < permits; first += 100000) {
    Drive d = DriveCommands(**ledger, first, std::min(100000, permits - first), 20000);
    if (d.errors)
      return std::fprintf(stderr, "%llu commands failed\n", (unsigned long long)d.errors), 1;
    std::fprintf(stderr, "  %d / %d permits\n", first + std::min(100000, permits - first), permits);
  }
  std::printf("generated %llu events in %.1f s into %s\n",
              (unsigned long long)(*ledger)->log().EndOffset(PartitionId{0})->value, Seconds(start),
              dir.c_str());
  return 0;
}

int Replay(int argc, char** argv) {
  std::string dir = "/tmp/pl-bench-log";
  for (int i = 2; i + 1 < argc; i += 2)
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  auto log = EmbeddedLog::Open({dir + "/log", 1, true});
  if (!log.ok()) return std::fprintf(stderr, "%s\n", log.status().ToString().c_str()), 1;
  // The machine's limit: read and decode every event, nothing else.
  auto start = Clock::now();
  uint64_t n = 0, bytes = 0;
  for (Offset at{0};;) {
    auto records = (*log)->Read(PartitionId{0}, at, 8192);
    if (!records.ok() || records->empty()) break;
    for (auto& r : *records) {
      auto e = Decode(r.value);
      if (!e.ok()) return 1;
      bytes += r.value.size();
    }
    n += records->size();
    at = Offset{records->back().offset.value + 1};
  }
  double raw_s = Seconds(start);
  const std::string out = dir + "/views.bench";
  std::filesystem::remove_all(out);
  start = Clock::now();
  uint64_t applied = 0;
  {
    size_t batch = getenv("PL_BATCH") ? std::strtoul(getenv("PL_BATCH"), nullptr, 10) : 8192;
    // PL_ONLY=<name>[,<name>...] replays those projections alone (to see where time goes).
    auto projections = AllProjections();
    if (const char* only = getenv("PL_ONLY")) {
      const std::string list = "," + std::string(only) + ",";
      std::erase_if(projections, [&](const auto& p) {
        return list.find("," + std::string(p->name()) + ",") == std::string::npos;
      });
    }
    // PL_THREADS=<n>: threads that fold a batch (default: the engine's).
    ProjectionEngineOptions options{out, batch, true};
    if (const char* t = getenv("PL_THREADS")) options.threads = std::atoi(t);
    auto engine = ProjectionEngine::Open(**log, std::move(projections), options);
    if (!engine.ok()) return std::fprintf(stderr, "%s\n", engine.status().ToString().c_str()), 1;
    auto r = (*engine)->CatchUp();
    if (!r.ok()) return std::fprintf(stderr, "%s\n", r.status().ToString().c_str()), 1;
    applied = *r;
  }  // includes the final flush
  double views_s = Seconds(start);
  // PL_DIGEST=1: the digest of the rebuilt views, to compare two builds'.
  if (getenv("PL_DIGEST")) {
    rocksdb::DB* db = nullptr;
    if (auto s = rocksdb::DB::OpenForReadOnly(rocksdb::Options(), out, &db); !s.ok())
      return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    std::printf("views digest: %s\n", ProjectionEngine::Digest(db).c_str());
    delete db;
  }
  const long rss_mib = PeakRssMiB();
  const ViewsAlone alone = WriteViewsAlone(out, dir);
  std::filesystem::remove_all(out);
  std::printf("log: %llu events, %.1f MiB\n", (unsigned long long)n, bytes / 1048576.0);
  std::printf("raw scan and decode: %.0f events/s\n", n / raw_s);
  std::printf("rebuild every view: %llu events in %.2f s = %.0f events/s (target >= 300,000)\n",
              (unsigned long long)applied, views_s, applied / views_s);
  std::printf("ratio rebuild / raw scan: %.2f\n", (applied / views_s) / (n / raw_s));
  std::printf(
      "the rebuilt views alone (%llu keys, %.1f MiB), written again with nothing to compute:\n"
      "  write batches, no WAL, flushed: %.2f s = %.0f events/s (ratio rebuild / this: %.2f)\n"
      "  one SST file ingested:          %.2f s = %.0f events/s (ratio rebuild / this: %.2f)\n",
      (unsigned long long)alone.keys, alone.bytes / 1048576.0, alone.batches_s,
      applied / alone.batches_s, alone.batches_s / views_s, alone.sst_s, applied / alone.sst_s,
      alone.sst_s / views_s);
  std::printf("peak resident memory of the rebuild: %ld MiB (bound: 1024 MiB)\n", rss_mib);
  std::printf("the views by kind of key (keys, MiB of keys and values, bytes an event):\n");
  for (const auto& [kind, size] : alone.by_kind)
    std::printf("  %-24s %10llu %9.1f %8.1f\n", kind.c_str(), (unsigned long long)size.first,
                size.second / 1048576.0, double(size.second) / applied);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string what = argc > 1 ? argv[1] : "";
  if (what == "commands") return Commands(argc, argv);
  if (what == "generate") return Generate(argc, argv);
  if (what == "validate") return Validate(argc, argv);
  if (what == "replay") return Replay(argc, argv);
  std::fprintf(
      stderr, "usage: ledger_bench commands|validate|generate|replay [options] (see the source)\n");
  return 2;
}
