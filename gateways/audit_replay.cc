// `permitledger audit replay` (ReplayViews): every view rebuilt from the log
// into a fresh store, its digest compared with the live views'.
#include <rocksdb/db.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>

#include "gateways/audit_cli.h"
#include "gateways/ledger.h"

namespace pl {
namespace fs = std::filesystem;
namespace {

// The file a replay leaves in its output: the mark of a directory a later
// replay may empty. Any other RocksDB store (another ledger's views, event
// log or key vault) looks like an earlier replay's but for it.
constexpr const char* kReplayMark = "PERMITLEDGER-REPLAY";

// Where a replay may write, since it first deletes what is there: a new or
// empty directory, or an earlier replay's output (kReplayMark); never the
// ledger's own files (the data directory, a folder in it other than
// views.replay, or a folder that holds the data directory).
Status CheckReplayOutput(const fs::path& data_dir, const fs::path& output) {
  std::error_code ec;
  const fs::path data = fs::weakly_canonical(data_dir, ec);
  const fs::path out = fs::weakly_canonical(output, ec);
  if (ec)
    return Status("invalid_argument", "cannot resolve " + output.string() + ": " + ec.message());
  auto inside = [](const fs::path& child, const fs::path& parent) {
    auto [p, c] = std::mismatch(parent.begin(), parent.end(), child.begin(), child.end());
    return p == parent.end();
  };
  const bool ledger_files =
      inside(data, out) ||
      (inside(out, data) && *out.lexically_relative(data).begin() != "views.replay");
  if (ledger_files)
    return Status("invalid_argument",
                  "--output " + output.string() + " would overwrite the ledger's own files in " +
                      data_dir.string() + ": give a new directory (default: DATA/views.replay)");
  if (!fs::exists(out, ec)) return Status::Ok();
  if (!fs::is_directory(out, ec))
    return Status("invalid_argument", "--output " + output.string() +
                                          " is a file, not a directory: give a new directory");
  if (!fs::is_empty(out, ec) && !fs::exists(out / kReplayMark, ec))
    return Status("invalid_argument",
                  "--output " + output.string() +
                      " holds files that are not an earlier replay's output (it has no " +
                      kReplayMark +
                      " file; it may be another ledger's store): give a new "
                      "directory");
  return Status::Ok();
}

std::string Printable(rocksdb::Slice key) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : key.ToStringView()) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// Walks both stores in key order and notes the first keys that differ.
void FindDifferences(rocksdb::DB* live, rocksdb::DB* rebuilt, ReplayResult& r) {
  std::unique_ptr<rocksdb::Iterator> a(live->NewIterator(rocksdb::ReadOptions()));
  std::unique_ptr<rocksdb::Iterator> b(rebuilt->NewIterator(rocksdb::ReadOptions()));
  a->SeekToFirst();
  b->SeekToFirst();
  auto note = [&](rocksdb::Slice key, ViewDifference::Side side) {
    if (r.differences.size() == ReplayResult::kMaxDifferences) {
      r.more_differences = true;
      return;
    }
    const std::string_view k = key.ToStringView();
    r.differences.push_back(
        {Printable(rocksdb::Slice(k.substr(0, k.find('/')))), Printable(key), side});
  };
  while ((a->Valid() || b->Valid()) && !r.more_differences) {
    const int cmp = !a->Valid() ? 1 : !b->Valid() ? -1 : a->key().compare(b->key());
    if (cmp < 0) {
      note(a->key(), ViewDifference::kLiveOnly);
      a->Next();
    } else if (cmp > 0) {
      note(b->key(), ViewDifference::kRebuiltOnly);
      b->Next();
    } else {
      if (a->value() != b->value()) note(a->key(), ViewDifference::kValuesDiffer);
      a->Next();
      b->Next();
    }
  }
}

}  // namespace

const char* SideName(ViewDifference::Side s) {
  switch (s) {
    case ViewDifference::kLiveOnly:
      return "only in the live views";
    case ViewDifference::kRebuiltOnly:
      return "only in the rebuilt views";
    case ViewDifference::kValuesDiffer:
      return "values differ";
  }
  return "?";
}

void PrintReplayDifferences(const ReplayResult& r, std::ostream& out) {
  if (r.no_live_views) {
    out << "live views:    none (the data directory holds no views/): nothing to compare\n"
        << "rebuilt views: " << r.rebuilt << "\n";
    return;
  }
  out << "live views:    " << r.live << "\nrebuilt views: " << r.rebuilt << "\n"
      << (r.identical() ? "identical\n" : "DIFFERENT\n");
  if (r.log_ahead)
    out << "the log holds " << r.log_ahead << (r.log_ahead == 1 ? " event" : " events")
        << " past the live views' checkpoint, not compared. On Kafka, other instances may "
           "have appended them since; on the embedded log, a ledger stopped normally leaves "
           "none (it crashed, or its views/ were cut short or damaged). The ledger applies them "
           "when it next runs; until then `audit trail` refuses a permit with events among "
           "them\n";
  if (r.identical()) return;
  out << "first differing keys (live views against the ones rebuilt from the log):\n";
  for (const auto& d : r.differences)
    out << "  view " << d.view << ", key " << d.key << ": " << SideName(d.side) << "\n";
  if (r.more_differences)
    out << "  ... and more (the first " << ReplayResult::kMaxDifferences << " are shown)\n";
}

Status NoLedgerIn(const std::string& data_dir) {
  return Status("invalid_argument",
                "no ledger in " + data_dir +
                    ": a ledger's data directory holds its event log (log/, the embedded "
                    "ledger) or, on Kafka, its views (views/); give --data the directory that "
                    "`permitledger serve` or `permitledger demo` was started with");
}

Result<uint64_t> ForEachRecordPast(EventLog& log, const std::vector<uint64_t>& from,
                                   const std::function<Status(const LogRecord&)>& fn) {
  uint64_t n = 0;
  for (size_t p = 0; p < from.size(); ++p)
    for (uint64_t next = from[p];;) {
      auto past = log.Read(PartitionId{static_cast<int32_t>(p)}, Offset{next}, 4096);
      if (!past.ok()) return past.status();
      if (past->empty()) break;
      for (const LogRecord& r : *past)
        if (Status s = fn(r); !s.ok()) return s;
      n += past->size();
      next = past->back().offset.value + 1;
    }
  return n;
}

Result<ReplayResult> ReplayViews(LedgerOptions lo, std::string output) {
  const fs::path dir(lo.data_dir);
  if (output.empty()) output = (dir / "views.replay").string();
  if (!fs::exists(dir / (lo.kafka.bootstrap.empty() ? "log" : "views")))
    return NoLedgerIn(lo.data_dir);
  if (Status s = CheckReplayOutput(dir, output); !s.ok()) return s;
  fs::remove_all(output);
  const bool live_views = ProjectionEngine::Exists((dir / "views").string());
  lo.follow = false;
  lo.adopt_charter = false;
  lo.read_only_log = true;
  lo.kafka.process_commands = false;
  auto ledger = Ledger::Open(lo);
  if (!ledger.ok()) return ledger.status();
  auto start = std::chrono::steady_clock::now();
  // Marked first: a replay cut short leaves an output the next one may empty.
  std::error_code ec;
  fs::create_directories(output, ec);
  if (std::ofstream mark(output + "/" + kReplayMark);
      ec || !(mark << "views rebuilt by permitledger replay; a later replay may empty this "
                      "directory\n"))
    return Status("store_unavailable",
                  "cannot write " + output + "/" + kReplayMark +
                      " (a read-only copy of the data, or another user's?): give --output a new "
                      "or empty directory you may write; the data directory itself is only read");
  auto fresh = ProjectionEngine::Open((*ledger)->log(), AllProjections(),
                                      {output, 8192, /*bulk_load=*/true});
  if (!fresh.ok()) return fresh.status();
  // As far as the live views reach: on Kafka another instance may append
  // meanwhile, which the live views have not read. With none, the log
  // whole.
  ReplayResult r;
  r.no_live_views = !live_views;
  const std::vector<uint64_t> live = (*ledger)->engine().checkpoints();
  auto n = (*fresh)->CatchUp(live_views ? &live : nullptr);
  if (!n.ok()) return n.status();
  r.events = *n;
  // Events, not offsets: on Kafka a transaction's commit marker takes one.
  if (live_views) {
    auto past =
        ForEachRecordPast((*ledger)->log(), live, [](const LogRecord&) { return Status::Ok(); });
    if (!past.ok()) return past.status();
    r.log_ahead = *past;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (live_views) r.live = ProjectionEngine::Digest((*ledger)->engine().db());
  r.rebuilt = ProjectionEngine::Digest((*fresh)->db());
  if (live_views && !r.identical()) FindDifferences((*ledger)->engine().db(), (*fresh)->db(), r);
  return r;
}

}  // namespace pl
