// The auditor's tools behind `permitledger audit ...` and
// `permitledger verify-permit` (docs/transparency.md, "Auditing"):
//
//   AuditVerify     reads the whole event log once, streaming: recomputes
//                   every leaf and the root, checks every stored checkpoint
//                   (signature, root at its size, consistency with the one
//                   before) and every event with the domain's own decider
//                   (its command decided again against the permit and the
//                   charter at that point must give that very event), plus
//                   seq order, unique permit numbers and actors' enrolment;
//                   on the embedded log, the vault (DATA/keys) against the
//                   log's erasures: each application's key held unless an
//                   erasure destroyed it.
//   ReplayViews     rebuilds every view into a fresh store and compares
//                   digests with the live views.
//   ExportTrail     a permit's history with each event's leaf, as CSV or JSONL.
//   VerifyPermitOffline  a bank's check of a saved /v1/public/verify answer
//                   against the log's verifier key and a checkpoint.
//
// Memory: AuditVerify keeps O(log n) hashes for the tree and each permit's
// folded state (without its sealed data and texts: a few hundred bytes) for
// the domain checks, never the events.
//
// These work on a data directory that no running ledger holds (stop the
// server, or audit a copy: the RocksDB stores are locked while open).
//
// Each is in a file of its own: audit_verify.cc (its domain checks in
// audit_stream_checks.cc), audit_replay.cc, audit_trail.cc (with CsvField)
// and audit_verify_permit.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "events/result.h"
#include "gateways/ledger.h"
#include "projections/merkle_hash.h"

namespace pl {

struct AuditProblem {
  std::string kind;   // e.g. "corrupt_event", "checkpoint_root", "seq_gap"
  std::string where;  // "partition 0 offset 12 leaf 12 stream P.. seq 3", "checkpoint 4 (size 120)"
  std::string message;  // what is wrong, in words
};

struct AuditOptions {
  std::string data_dir;
  // The log's verifier key; empty: read DATA/transparency.pub. An auditor
  // should pass the key published out of band.
  std::string verifier_key;
  // Signed checkpoints the auditor kept (the notes' text, e.g. answers of
  // GET /v1/transparency/checkpoint saved over time): the log must extend
  // each, whatever the data directory's own checkpoint file says.
  std::vector<std::string> held_checkpoints;
  size_t max_problems = 1000;  // kept in the report; all are counted
  // Locate leaves that differ from the view store's (DATA/views), if present.
  bool compare_views = true;
  // Set bootstrap to audit the event topic of a ledger on Kafka instead of
  // DATA/log (the checkpoints and views are still read from DATA). The tree
  // is the log's order, defined for a topic of one partition.
  LedgerKafkaOptions kafka;
};

struct AuditReport {
  uint64_t events = 0;
  uint64_t streams = 0;
  uint64_t checkpoints = 0;           // records in the checkpoint log
  uint64_t held_checkpoints = 0;      // passed by the auditor (AuditOptions)
  uint64_t checkpoints_verified = 0;  // signature, root and consistency all good
  uint64_t covered = 0;               // leaves under the largest verified checkpoint
  uint64_t views_compared = 0;        // leaves compared with the view store
  Hash root{};                        // of the whole recomputed tree
  double seconds = 0;
  uint64_t problem_count = 0;
  std::vector<AuditProblem> problems;  // the first max_problems
  // The checkpoint log's last record cut short: a crash's trace, which the
  // server cuts off at its next start (a note, not a problem).
  std::optional<std::string> torn_checkpoint;
  // The view store's tree holds fewer leaves than the log (its views stop
  // before the log's end: a crash, or views/ cut short or damaged): its
  // consistency proofs are checked up to its size (a note, not a problem:
  // the ledger re-applies the rest from the log when it starts).
  std::optional<uint64_t> view_leaves_behind;
  // Events whose text this version's personal-data check reads as personal
  // data (deciding the event again is refused with personal_data_in_text):
  // the check may be newer than the event, which the ledger took under the
  // check of its day. A note to review, not a problem: the rules of the
  // workflow held, and the log keeps the text for good.
  uint64_t text_note_count = 0;
  std::vector<AuditProblem> text_notes;  // the first max_problems
  // The applications whose key the vault (DATA/keys) was checked for: held
  // unless an erasure on the log destroyed it, destroyed only then.
  uint64_t vault_keys_checked = 0;
  std::optional<std::string> vault_not_checked;  // why not (on Kafka, no DATA/keys)
  bool ok() const { return problem_count == 0; }
  // Whether any signature vouches for the log: without one, a log rewritten
  // together with its checkpoint file would pass every other check.
  bool vouched() const { return checkpoints_verified > 0 || events == 0; }
};

// The refusal of a data directory that holds no ledger (code
// invalid_argument): what a ledger's directory holds, and what makes one.
Status NoLedgerIn(const std::string& data_dir);

Result<AuditReport> AuditVerify(const AuditOptions& options);
void PrintAuditReport(const AuditReport& report, std::ostream& out);

// A key where the live views and the rebuilt ones differ.
struct ViewDifference {
  std::string view;  // the key's first part: "status", "register", "audit", "stats", ...
  std::string key;   // printable: bytes outside ASCII's printable range as \xNN
  enum Side { kLiveOnly, kRebuiltOnly, kValuesDiffer } side = kValuesDiffer;
};
const char* SideName(ViewDifference::Side s);  // "only in the live views", ...

struct ReplayResult {
  uint64_t events = 0;
  double seconds = 0;
  std::string live, rebuilt;  // view store digests
  // Events the log holds past the live views' checkpoint, not compared:
  // the ledger applies them when it runs.
  uint64_t log_ahead = 0;
  // There were no live views (DATA/views missing): every event rebuilt,
  // nothing compared.
  bool no_live_views = false;
  // When they differ: the first keys that do, in key order (at most
  // kMaxDifferences), and whether there are more.
  static constexpr size_t kMaxDifferences = 10;
  std::vector<ViewDifference> differences;
  bool more_differences = false;
  bool identical() const { return !no_live_views && live == rebuilt; }
};
// The replay's verdict as `permitledger replay` prints it: the digests,
// IDENTICAL or DIFFERENT, and the first differing keys.
void PrintReplayDifferences(const ReplayResult& r, std::ostream& out);
// Rebuilds every view of the ledger in `data_dir` into `output` (a fresh
// store; default DATA/views.replay) and compares digests with the live views.
// `ledger` names the data directory (and, for a ledger on Kafka, the
// cluster); its views are compared with a fresh replay into `output`.
Result<ReplayResult> ReplayViews(LedgerOptions ledger, std::string output);

// Calls `fn` with each record of `log` from `from` on (the next offset per
// partition: the views' checkpoints, which a ledger stopped normally leaves
// at the log's end); returns how many there were.
Result<uint64_t> ForEachRecordPast(EventLog& log, const std::vector<uint64_t>& from,
                                   const std::function<Status(const LogRecord&)>& fn);

// One CSV cell: quoted when it holds a comma, quote or line break; one a
// spreadsheet would take for a formula (starting with = + - @, a tab or a
// carriage return) is prefixed with an apostrophe.
std::string CsvField(const std::string& text);
// The history of one permit, oldest first, each event with its leaf index
// and leaf hash: format "csv" or "jsonl".
Status ExportTrail(const std::string& data_dir, const std::string& permit_id,
                   const std::string& format, std::ostream& out);

// kCannotCheck: the verifier's own key and checkpoint do not fit together or
// with the answer (a setup mistake, or a checkpoint fetched apart from the
// answer): nothing is said of the permit.
enum class PermitVerdict { kValid, kRevoked, kExpired, kNotYetValid, kNotGenuine, kCannotCheck };
const char* VerdictName(PermitVerdict v);

struct PermitCheck {
  PermitVerdict verdict = PermitVerdict::kNotGenuine;
  std::string permit_number, valid_from, valid_until, origin;
  uint64_t leaf = 0, tree_size = 0;
  std::string reason;  // why, in words
};
// Checks a saved answer of GET /v1/public/verify/{number} offline:
// `checkpoint_note` (obtained independently, e.g. from a witness) must
// verify with `verifier_key` and be one of the answer's two checkpoints;
// the issuing event must be included at the code's tree size, the latest
// checkpoint must extend that one, a revocation (if shown) must be included
// too. `today` is YYYY-MM-DD for the expiry check. A JSON document that is
// not such an answer at all (no permit_number and result) is
// "invalid_argument": nothing is said of any permit.
Result<PermitCheck> VerifyPermitOffline(std::string_view verifier_key,
                                        std::string_view checkpoint_note,
                                        const nlohmann::json& answer, std::string_view today);

}  // namespace pl
