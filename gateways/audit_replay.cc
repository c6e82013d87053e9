// `permitledger audit replay` (ReplayViews): every view rebuilt from the log
// into a fresh store, its digest compared with the live views'.
#include <algorithm>
#include <chrono>
#include <filesystem>

#include "gateways/audit_cli.h"
#include "gateways/ledger.h"

namespace pl {
namespace fs = std::filesystem;
namespace {

// Where a replay may write, since it first deletes what is there: a new
// directory, or the store of an earlier replay; never the ledger's own
// files (the data directory, a folder in it other than views.replay, or a
// folder that holds the data directory).
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
  if (fs::exists(out, ec) && !fs::is_empty(out, ec) && !fs::exists(out / "CURRENT", ec))
    return Status("invalid_argument", "--output " + output.string() +
                                          " holds files that are not an earlier replay's store: "
                                          "give a new directory");
  return Status::Ok();
}

}  // namespace

Result<ReplayResult> ReplayViews(LedgerOptions lo, std::string output) {
  const fs::path dir(lo.data_dir);
  if (output.empty()) output = (dir / "views.replay").string();
  if (!fs::exists(dir / (lo.kafka.bootstrap.empty() ? "log" : "views")))
    return Status("invalid_argument", "no ledger in " + lo.data_dir);
  if (Status s = CheckReplayOutput(dir, output); !s.ok()) return s;
  fs::remove_all(output);
  lo.follow = false;
  lo.adopt_charter = false;
  lo.read_only_log = true;
  lo.kafka.process_commands = false;
  auto ledger = Ledger::Open(lo);
  if (!ledger.ok()) return ledger.status();
  auto start = std::chrono::steady_clock::now();
  auto fresh = ProjectionEngine::Open((*ledger)->log(), AllProjections(),
                                      {output, 8192, /*bulk_load=*/true});
  if (!fresh.ok()) return fresh.status();
  // As far as the live views reach: on Kafka another instance may append
  // meanwhile, which the live views have not read.
  const std::vector<uint64_t> live = (*ledger)->engine().checkpoints();
  auto n = (*fresh)->CatchUp(&live);
  if (!n.ok()) return n.status();
  ReplayResult r;
  r.events = *n;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.live = ProjectionEngine::Digest((*ledger)->engine().db());
  r.rebuilt = ProjectionEngine::Digest((*fresh)->db());
  return r;
}

}  // namespace pl
