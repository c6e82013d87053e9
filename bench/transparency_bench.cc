// The transparency log at scale, on RocksDB, beside SHA-256's own rate in
// the same run (docs/performance.md, "Transparency log"):
//   1. SHA-256 of 200-byte messages per second (the yardstick);
//   2. leaves appended per second into a RocksDB view store (WAL on, as
//      live), twice: the tree and leaf data alone
//      (TransparencyProjection::AppendLeaf, batches of 8,192 as the engine
//      commits them, the leaf bytes already in memory), and the whole
//      TransparencyProjection through the projection engine (reading and
//      decoding the log, the duplicate check, the event index);
//   3. inclusion proofs served per second from that store, each through its
//      own RocksDB snapshot as the HTTP layer does;
//   4. `audit verify` over the whole log: events per second, and the time
//      that means for 10,000,000 events.
// The log is synthetic but legal: a charter, officers, and permits going
// through the whole workflow, interleaved, written unsynced to an embedded
// log.
//
//   ninja -C build transparency_bench
//   build/bench/transparency_bench --events 1000000 --dir /tmp/pl-tbench
#include <rocksdb/db.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "domain/charter.h"
#include "domain/decider.h"
#include "events/embedded_log.h"
#include "events/store_options.h"
#include "gateways/audit_cli.h"
#include "gateways/checkpoint_publisher.h"
#include "gateways/ledger.h"
#include "gateways/shipped_charter.h"
#include "projections/merkle_verify.h"
#include "projections/overlay_batch.h"
#include "projections/projection_engine.h"
#include "projections/rocksdb_key_reader.h"
#include "projections/transparency_projection.h"

namespace pl {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double Sha256Rate() {
  std::string msg(200, 'x');
  uint64_t n = 0;
  auto start = Clock::now();
  Hash h{};
  while (Since(start) < 1.0) {
    for (int i = 0; i < 10000; ++i) {
      msg[i % 200] = static_cast<char>(h[0] + i);
      h = Sha256({msg});
    }
    n += 10000;
  }
  return n / Since(start);
}

// Writes a legal synthetic history of `events` events.
uint64_t WriteLog(EventLog& log, uint64_t events) {
  auto charter = Charter::FromJson(std::string(ShippedCharter()));
  if (!charter.ok()) throw std::runtime_error(charter.status().ToString());
  std::mt19937_64 rng(7);
  std::vector<AppendRecord> batch;
  uint64_t written = 0, gov_seq = 0;
  int64_t t = 1764288000000;
  auto put = [&](Envelope e) {
    e.event_id = e.stream.str() + "/" + std::to_string(e.seq);
    e.time_ms = t += 1000;
    e.command_id = CommandId("bench-" + e.event_id);
    batch.push_back({PartitionId{0}, e.stream.str(), Encode(e)});
    ++written;
    if (batch.size() == 10000) {
      if (!log.Append(batch).ok()) throw std::runtime_error("append failed");
      batch.clear();
    }
  };
  auto gov = [&](Payload p) {
    Envelope e;
    e.stream = kGovernanceStream;
    e.seq = ++gov_seq;
    e.actor_id = e.actor_role = "admin";
    e.payload = std::move(p);
    put(std::move(e));
  };
  gov(CharterAdopted{charter->version, charter->canonical_json});
  const std::vector<std::string> roles = {"ptsp_officer", "ptsp_head", "kelurahan_economy",
                                          "lurah"};
  for (const auto& k : charter->kelurahan)
    for (const auto& r : roles)
      gov(OfficerEnrolled{r + "-" + k.code, r, r, k.code, "hash-" + r + k.code});
  // Permits in waves of 1000, each wave stepping through the workflow.
  std::string cipher(160, '\0');
  for (uint64_t wave = 0; written < events; ++wave) {
    for (int step = 0; step < 6 && written < events; ++step) {
      for (int i = 0; i < 1000 && written < events; ++i) {
        const auto& k = charter->kelurahan[(wave + i) % charter->kelurahan.size()];
        Envelope e;
        e.stream = StreamId("PB" + std::to_string(wave * 1000 + i));
        e.seq = step + 1;
        auto officer = [&](const std::string& role) {
          e.actor_id = role + "-" + k.code;
          e.actor_role = role;
        };
        switch (step) {
          case 0: {
            for (auto& c : cipher) c = static_cast<char>(rng());
            e.actor_id = e.actor_role = "applicant";
            ApplicationSubmitted a;
            a.kelurahan = k.code;
            a.applicant = {"person-" + std::to_string(rng() % 1000000000), cipher};
            a.business = {"Warung Makan " + std::to_string(i),
                          "56103",
                          "warung makan",
                          25000000,
                          180000000,
                          2,
                          "owned"};
            a.documents = charter->required_documents;
            a.tracking_hash = std::string(64, 'a');
            e.payload = a;
            break;
          }
          case 1:
            officer("ptsp_officer");
            e.payload = DocumentsVerified{};
            break;
          case 2:
            officer("ptsp_officer");
            // A working day after every event's date, and within a year of it
            // (audit verify decides each event again: it must be one the
            // decider writes).
            e.payload = SurveyScheduled{"2026-06-02",
                                        {"ptsp_officer-" + k.code, "kelurahan_economy-" + k.code}};
            break;
          case 3:
            officer("kelurahan_economy");
            e.payload = SurveyRecorded{true, "sesuai zonasi"};
            break;
          case 4:
            officer("lurah");
            e.payload = Recommended{"REK-" + std::to_string(wave * 1000 + i)};
            break;
          case 5:
            officer("ptsp_head");
            {
              // As the decider issues it at the event's time (put() adds 1 s).
              const std::string from = LocalDate(t + 1000, *charter);
              std::string kel = k.code;
              kel.erase(std::remove(kel.begin(), kel.end(), '.'), kel.end());
              e.payload = PermitIssued{
                  charter->permit_type + "/" + kel + "/" + from.substr(0, 4) + "/" + e.stream.str(),
                  from,
                  std::to_string(std::stoi(from.substr(0, 4)) + charter->validity_years) +
                      from.substr(4)};
            }
            break;
        }
        put(std::move(e));
      }
    }
  }
  if (!batch.empty() && !log.Append(batch).ok()) throw std::runtime_error("append failed");
  return written;
}

int Main(int argc, char** argv) {
  uint64_t events = 1000000, proofs = 200000;
  bool append_only = false;  // --append-only 1: stop after the appends (for profiling)
  bool reuse = false;  // --reuse 1: keep the log and views of an earlier run, measure proofs only
  std::string dir = "/tmp/pl-transparency-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--events"))
      events = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--proofs"))
      proofs = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--append-only"))
      append_only = std::strcmp(argv[i + 1], "0") != 0;
    else if (!std::strcmp(argv[i], "--reuse"))
      reuse = std::strcmp(argv[i + 1], "0") != 0;
    else if (!std::strcmp(argv[i], "--dir"))
      dir = argv[i + 1];
  }
  if (!reuse) fs::remove_all(dir);
  fs::create_directories(dir);
  const double sha = Sha256Rate();
  std::cout << "SHA-256, 200-byte messages:   " << static_cast<uint64_t>(sha) << " /s\n";

  auto log = EmbeddedLog::Open({dir + "/log", 1, /*sync=*/false});
  if (!log.ok()) return std::cerr << log.status().ToString() << "\n", 1;
  auto t = Clock::now();
  const uint64_t n = reuse ? 0 : WriteLog(**log, events);
  std::cout << "synthetic log:                " << n << " events written in " << Since(t) << " s\n";

  // 2a. Appending leaves to the tree and leaf data alone.
  if (!reuse) {
    std::vector<std::string> leaves;
    leaves.reserve(n);
    for (uint64_t from = 0;;) {
      auto records = (*log)->Read(PartitionId{0}, Offset{from}, 8192);
      if (!records.ok() || records->empty()) break;
      for (auto& r : *records) leaves.push_back(std::move(r.value));
      from = records->back().offset.value + 1;
    }
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(StoreOptions(), dir + "/tree-only", &raw).ok()) return 1;
    std::unique_ptr<rocksdb::DB> db(raw);
    t = Clock::now();
    for (size_t i = 0; i < leaves.size();) {
      OverlayBatch batch(db.get());
      for (size_t end = std::min(leaves.size(), i + 8192); i < end; ++i)
        if (!TransparencyProjection::AppendLeaf(batch, leaves[i]).ok()) return 1;
      rocksdb::WriteBatch wb;
      batch.Fill(wb);
      if (!db->Write(rocksdb::WriteOptions(), &wb).ok()) return 1;
    }
    const double secs = Since(t);
    const double rate = leaves.size() / secs;
    std::cout << "append leaves (tree + data):  " << static_cast<uint64_t>(rate) << " /s ("
              << leaves.size() << " in " << secs << " s), " << rate / sha << " x SHA-256 rate\n";
  }

  // 2b. Appending leaves through the projection into RocksDB.
  uint64_t size = 0;
  {
    std::vector<std::unique_ptr<Projection>> p;
    p.push_back(std::make_unique<TransparencyProjection>());
    auto engine = ProjectionEngine::Open(**log, std::move(p), {dir + "/views"});
    if (!engine.ok()) return std::cerr << engine.status().ToString() << "\n", 1;
    t = Clock::now();
    auto applied = (*engine)->CatchUp();
    if (!applied.ok()) return std::cerr << applied.status().ToString() << "\n", 1;
    const double secs = Since(t);
    const double rate = *applied / secs;
    std::cout << "append leaves (projection):   " << static_cast<uint64_t>(rate) << " /s ("
              << *applied << " in " << secs << " s), " << rate / sha << " x SHA-256 rate\n";
    if (append_only) return 0;

    // 3. Inclusion proofs, each through its own snapshot.
    rocksdb::DB* db = (*engine)->db();
    {
      RocksSnapshotReader reader(db);
      size = *TransparencyProjection::Tree().Size(reader);
    }
    // The same cache of the tree's top levels the HTTP layer uses.
    MerkleTileCache cache;
    auto proof_run = [&](int threads) {
      std::vector<std::thread> pool;
      std::atomic<uint64_t> done{0}, bad{0};
      auto start = Clock::now();
      for (int th = 0; th < threads; ++th) {
        pool.emplace_back([&, th] {
          std::mt19937_64 rng(th + 1);
          for (uint64_t i = 0; i < proofs / threads; ++i) {
            RocksSnapshotReader snapshot(db);
            CachingKeyReader reader(snapshot, cache);
            const uint64_t index = rng() % size;
            auto proof = TransparencyProjection::Tree().InclusionProof(reader, index, size);
            if (!proof.ok()) ++bad;
            if (i % 997 == 0) {  // spot-check with the independent verifier
              auto leaf = TransparencyProjection::Tree().LeafHash(reader, index);
              auto root = TransparencyProjection::Tree().Root(reader, size);
              if (!VerifyInclusion(*leaf, index, size, *proof, *root).ok()) ++bad;
            }
            ++done;
          }
        });
      }
      for (auto& th : pool) th.join();
      const double secs = Since(start);
      std::cout << "inclusion proofs, " << threads << " thread" << (threads > 1 ? "s: " : ":  ")
                << "  " << static_cast<uint64_t>(done / secs) << " /s (" << done << " in " << secs
                << " s, tree size " << size << ", " << bad << " bad), " << done / secs / sha
                << " x SHA-256 rate\n";
    };
    proof_run(1);
    proof_run(2);
    if (reuse) return 0;

    // Checkpoints every tenth of the log, signed and stored as the ledger does.
    auto signer =
        CheckpointSigner::LoadOrCreate(CheckpointPublisher::KeyPath(dir), "bench.example/log");
    std::ofstream(CheckpointPublisher::PublicKeyPath(dir)) << signer->verifier_key() << "\n";
    auto cps = CheckpointLog::Open(CheckpointPublisher::CheckpointDir(dir));
    RocksSnapshotReader reader(db);
    for (int i = 1; i <= 10; ++i) {
      uint64_t s = size * i / 10;
      auto root = TransparencyProjection::Tree().Root(reader, s);
      if (!(*cps)->Append(s, signer->SignCheckpoint(s, *root)).ok()) return 1;
    }
  }
  log->reset();

  // 4. audit verify over the whole log.
  AuditOptions o;
  o.data_dir = dir;
  auto report = AuditVerify(o);
  if (!report.ok()) return std::cerr << report.status().ToString() << "\n", 1;
  std::ostringstream out;
  PrintAuditReport(*report, out);
  const double rate = report->events / report->seconds;
  std::cout << "audit verify:                 " << static_cast<uint64_t>(rate) << " events/s ("
            << report->events << " in " << report->seconds << " s, " << report->problem_count
            << " problems), " << rate / sha << " x SHA-256 rate\n"
            << "audit verify, 10M events:     " << 1e7 / rate << " s (extrapolated)\n"
            << out.str();
  return report->ok() ? 0 : 2;
}

}  // namespace
}  // namespace pl

int main(int argc, char** argv) {
  try {
    return pl::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
