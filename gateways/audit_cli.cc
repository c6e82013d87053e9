#include "gateways/audit_cli.h"

#include <rocksdb/db.h>

#include <bit>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "domain/decider.h"
#include "domain/decider_util.h"
#include "events/embedded_log.h"
#include "events/json.h"
#include "events/kafka_log.h"
#include "gateways/checkpoint_publisher.h"
#include "gateways/ledger.h"
#include "gateways/transparency_gateway.h"
#include "projections/checkpoint.h"
#include "projections/encoding.h"
#include "projections/kafka_command_processor.h"
#include "projections/merkle_verify.h"
#include "projections/rocksdb_key_reader.h"
#include "projections/transparency_projection.h"

namespace pl {
namespace fs = std::filesystem;
namespace {

// The Merkle tree of a stream of leaves in O(log n) memory: the roots of the
// perfect subtrees the leaves so far make up (RFC 9162's compact range).
class CompactRange {
 public:
  void Append(const Hash& leaf) {
    Hash h = leaf;
    for (uint64_t i = size_; i & 1; i >>= 1) {
      h = HashChildren(peaks_.back(), h);
      peaks_.pop_back();
    }
    peaks_.push_back(h);
    ++size_;
  }
  uint64_t size() const { return size_; }
  Hash Root() const {
    if (peaks_.empty()) return EmptyTreeRoot();
    Hash acc = peaks_.back();
    for (size_t i = peaks_.size() - 1; i-- > 0;) acc = HashChildren(peaks_[i], acc);
    return acc;
  }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> peaks_;
};

// Reads a RocksDB opened read-only.
class DbReader final : public KeyReader {
 public:
  explicit DbReader(rocksdb::DB* db) : db_(db) {}
  std::optional<std::string> Get(std::string_view key) const override {
    std::string v;
    if (db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &v).ok()) return v;
    return std::nullopt;
  }

 private:
  rocksdb::DB* db_;
};

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

// What the domain checks remember of a permit stream.
struct StreamCheck {
  uint64_t seq = 0;
  PermitStatus status = PermitStatus::kNone;
  bool erased = false;
  std::string kelurahan;
};

class Auditor {
 public:
  explicit Auditor(const AuditOptions& o) : options_(o) {}

  void Problem(std::string kind, std::string where, std::string message) {
    ++report_.problem_count;
    if (report_.problems.size() < options_.max_problems)
      report_.problems.push_back({std::move(kind), std::move(where), std::move(message)});
  }

  Status Run();
  Result<std::unique_ptr<EventLog>> OpenLog();
  AuditReport& report() { return report_; }

 private:
  struct Pending {      // a signed checkpoint awaiting its size in the stream
    std::string label;  // "checkpoint 3 (size 645)", or "held checkpoint 1 (size 645)"
    uint64_t size;
    Hash root;
  };
  // Checks one signed note and queues it for its size (nullopt: refused).
  void Queue(const std::string& where, const std::string& note, std::optional<uint64_t> stored_size,
             const NoteVerifierKey& key, const std::string& vkey);
  void LoadCheckpoints(const NoteVerifierKey& key, const std::string& vkey);
  void CheckGovernance(const Envelope& e, const std::string& where);
  void CheckPermit(const Envelope& e, const std::string& where);
  void CheckConsistency();

  const AuditOptions& options_;
  AuditReport report_;
  std::vector<Pending> pending_;  // sorted by size
  std::vector<Pending> matched_;  // checkpoints whose root matched the log
  GovernanceState gov_;
  std::unordered_map<std::string, StreamCheck> streams_;
  std::unique_ptr<rocksdb::DB> views_;
};

void Auditor::LoadCheckpoints(const NoteVerifierKey& key, const std::string& vkey) {
  auto file = CheckpointLog::ReadFile(
      CheckpointLog::FilePath(CheckpointPublisher::CheckpointDir(options_.data_dir)));
  if (!file.ok()) return Problem("checkpoint_log", "checkpoint log", file.status().message());
  if (file->error) Problem("checkpoint_log", "checkpoint log", *file->error);
  report_.checkpoints = file->records.size();
  std::optional<uint64_t> previous;
  for (const auto& r : file->records) {
    const std::string where =
        "checkpoint " + std::to_string(r.number) + " (size " + std::to_string(r.size) + ")";
    const size_t queued = pending_.size();
    Queue(where, r.note, r.size, key, vkey);
    if (pending_.size() == queued) continue;
    const uint64_t size = pending_.back().size;
    if (previous && size <= *previous)
      Problem("checkpoint_order", where,
              "tree size " + std::to_string(size) + " does not exceed the previous " +
                  std::to_string(*previous) + ": checkpoints must only grow");
    previous = size;
  }
  // The checkpoints the auditor kept: the log must extend every one of them
  // (the server's own file could have been rolled back with the log).
  for (size_t i = 0; i < options_.held_checkpoints.size(); ++i)
    Queue("held checkpoint " + std::to_string(i + 1), options_.held_checkpoints[i], std::nullopt,
          key, vkey);
  report_.held_checkpoints = options_.held_checkpoints.size();
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Pending& a, const Pending& b) { return a.size < b.size; });
}

void Auditor::Queue(const std::string& where, const std::string& note,
                    std::optional<uint64_t> stored_size, const NoteVerifierKey& key,
                    const std::string& vkey) {
  auto cp = VerifyCheckpoint(note, vkey);
  if (!cp.ok())
    return Problem("checkpoint_signature", where,
                   cp.status().code() + ": " + cp.status().message() + " (key " + key.name + ")");
  if (cp->origin != key.name)
    Problem("checkpoint_origin", where,
            "origin \"" + cp->origin + "\" is not the log's " + key.name);
  if (stored_size && cp->size != *stored_size)
    Problem("checkpoint_size", where,
            "the note says tree size " + std::to_string(cp->size) + ", its record " +
                std::to_string(*stored_size));
  const std::string label =
      stored_size ? where : where + " (size " + std::to_string(cp->size) + ")";
  pending_.push_back({label, cp->size, cp->root});
}

void Auditor::CheckGovernance(const Envelope& e, const std::string& where) {
  if (e.seq != gov_.version + 1)
    Problem(e.seq <= gov_.version ? "seq_repeated" : "seq_gap", where,
            "governance event seq " + std::to_string(e.seq) + " follows " +
                std::to_string(gov_.version));
  if (e.actor_role != "admin")
    Problem("role_not_permitted", where,
            std::string(EventTypeName(e.type())) + " by role \"" + e.actor_role +
                "\": only the administrator acts on the governance stream");
  if (const auto* a = std::get_if<CharterAdopted>(&e.payload)) {
    auto c = Charter::FromJson(a->charter_json);
    if (!c.ok()) Problem("invalid_charter", where, c.status().message());
  } else if (const auto* r = std::get_if<OfficerRetired>(&e.payload)) {
    if (!gov_.officers.count(r->officer_id))
      Problem("unknown_officer", where, "officer " + r->officer_id + " retired while not enrolled");
  } else if (const auto* o = std::get_if<OfficerEnrolled>(&e.payload)) {
    if (!gov_.charter)
      Problem("no_charter", where, "officer enrolled before any charter");
    else if (!gov_.charter->roles.count(o->role))
      Problem("unknown_role", where,
              "officer " + o->officer_id + " enrolled in role \"" + o->role +
                  "\", which the charter does not define");
    if (gov_.officers.count(o->officer_id))
      Problem("officer_exists", where, "officer " + o->officer_id + " enrolled twice");
  } else {
    Problem("wrong_stream", where,
            std::string(EventTypeName(e.type())) + " is a permit event on the governance stream");
  }
  EvolveGovernance(gov_, e);
}

void Auditor::CheckPermit(const Envelope& e, const std::string& where) {
  StreamCheck& st = streams_[e.stream.str()];
  const char* type = EventTypeName(e.type());
  if (e.seq != st.seq + 1)
    Problem(e.seq <= st.seq ? "seq_repeated" : "seq_gap", where,
            std::string(type) + " has seq " + std::to_string(e.seq) + " but the stream is at " +
                std::to_string(st.seq) +
                (e.seq <= st.seq ? " (repeated or reordered event)" : " (missing events)"));
  const std::string action = ActionOfEvent(e.type());
  const Charter* charter = gov_.charter.get();
  if (!charter) {
    Problem("no_charter", where, std::string(type) + " before any charter was adopted");
  } else if (action == "adopt_charter" || action == "enroll_officer") {
    Problem("wrong_stream", where, std::string(type) + " is a governance event on a permit stream");
  } else {
    if (!ActionAllowedFrom(st.status, action))
      Problem("transition_not_allowed", where,
              std::string(type) + " (" + action + ") is not allowed from status " +
                  StatusName(st.status));
    if (action == "erase_personal_data" && st.erased)
      Problem("transition_not_allowed", where, "personal data erased twice");
    if (!charter->RoleMay(e.actor_role, action))
      Problem("role_not_permitted", where,
              "role \"" + e.actor_role + "\" may not " + action + " under charter version " +
                  std::to_string(charter->version));
    std::string kelurahan = st.kelurahan;
    if (const auto* s = std::get_if<ApplicationSubmitted>(&e.payload)) {
      kelurahan = s->kelurahan;
      if (!charter->FindKelurahan(kelurahan))
        Problem("unknown_kelurahan", where,
                "kelurahan \"" + kelurahan + "\" is not in the charter");
    }
    if (e.actor_role == "applicant") {
      if (e.actor_id != "applicant")
        Problem("outside_jurisdiction", where,
                "actor \"" + e.actor_id + "\" claims the applicant role");
    } else {
      std::string jurisdiction;
      bool known = true;
      if (e.actor_role == "admin" && e.actor_id == "admin") {
        jurisdiction = "";
      } else if (auto o = gov_.officers.find(e.actor_id); o != gov_.officers.end()) {
        jurisdiction = o->second.jurisdiction;
        if (o->second.role != e.actor_role) {
          Problem("role_not_permitted", where,
                  "officer " + e.actor_id + " is enrolled as " + o->second.role + ", not " +
                      e.actor_role);
        }
      } else {
        known = false;
        Problem("unknown_officer", where,
                "actor \"" + e.actor_id + "\" is not an enrolled officer");
      }
      if (known && !charter->Covers(e.actor_role, jurisdiction, kelurahan))
        Problem("outside_jurisdiction", where,
                "role \"" + e.actor_role + "\" of jurisdiction \"" + jurisdiction +
                    "\" may not act on a permit of kelurahan \"" + kelurahan + "\"");
    }
  }
  // Fold with the domain's own Evolve, keeping only what the checks need.
  PermitState s;
  s.version = st.seq;
  s.status = st.status;
  s.personal_erased = st.erased;
  s.kelurahan = std::move(st.kelurahan);
  EvolvePermit(s, e);
  st.seq = std::max(st.seq, e.seq);
  st.status = s.status;
  st.erased = s.personal_erased;
  st.kelurahan = std::move(s.kelurahan);
}

void Auditor::CheckConsistency() {
  // Every matched checkpoint has the recomputed root at its size, so each
  // extends the one before by construction; the view store's consistency
  // proofs, checked with the independent verifier, must say the same.
  if (!views_) return;
  DbReader reader(views_.get());
  for (size_t i = 1; i < matched_.size(); ++i) {
    const Pending& a = matched_[i - 1];
    const Pending& b = matched_[i];
    auto proof = TransparencyProjection::Tree().ConsistencyProof(reader, a.size, b.size);
    Status s =
        proof.ok() ? VerifyConsistency(a.size, b.size, *proof, a.root, b.root) : proof.status();
    if (!s.ok())
      Problem("checkpoint_consistency", b.label,
              "the view store proves no consistency with " + a.label + ": " + s.message());
  }
}

Result<std::unique_ptr<EventLog>> Auditor::OpenLog() {
  const std::string why =
      " (audit verify recomputes the tree of a one-partition log, in log order)";
  // The reason is told where the log's partitions are what refused it, not
  // where the log could not be opened at all (held by a server, say).
  auto refused = [&](const Status& s) {
    const bool partitions = s.code() == "invalid_argument" || s.code() == "topic_mismatch";
    return Status(s.code(), s.message() + (partitions ? why : ""));
  };
  if (options_.kafka.bootstrap.empty()) {
    EmbeddedLogOptions lo{(fs::path(options_.data_dir) / "log").string(), 1, false};
    lo.read_only = true;  // an audit changes nothing it audits
    auto log = EmbeddedLog::Open(lo);
    if (!log.ok()) return refused(log.status());
    return std::unique_ptr<EventLog>(std::move(*log));
  }
  const auto& k = options_.kafka;
  if (k.partitions != 1)
    return Status("invalid_argument",
                  "--kafka-partitions is " + std::to_string(k.partitions) +
                      ": audit verify needs an event topic of one partition; pass "
                      "--kafka-partitions 1 for it" +
                      why);
  KafkaLogOptions lo;  // read-only: no transactional id
  lo.bootstrap_servers = k.bootstrap;
  lo.topic = KafkaTopics::WithPrefix(k.topic_prefix).events;
  lo.partitions = 1;
  lo.client_config = k.client_config;
  auto log = KafkaLog::Open(lo);
  if (!log.ok()) return refused(log.status());
  return std::unique_ptr<EventLog>(std::move(*log));
}

Status Auditor::Run() {
  const auto start = std::chrono::steady_clock::now();
  const std::string& dir = options_.data_dir;
  if (!fs::exists(fs::path(dir) / "log") && options_.kafka.bootstrap.empty())
    return Status("invalid_argument", "no ledger in " + dir);
  std::string vkey = options_.verifier_key;
  if (vkey.empty()) vkey = ReadFirstLine(CheckpointPublisher::PublicKeyPath(dir));
  auto key = ParseVerifierKey(vkey);
  if (!key.ok())
    return Status("invalid_key", "no usable verifier key (pass --key, or keep " +
                                     CheckpointPublisher::PublicKeyPath(dir) +
                                     "): " + key.status().message());
  LoadCheckpoints(*key, vkey);

  if (options_.compare_views && fs::exists(fs::path(dir) / "views")) {
    rocksdb::DB* raw = nullptr;
    if (rocksdb::DB::OpenForReadOnly(rocksdb::Options(), (fs::path(dir) / "views").string(), &raw)
            .ok())
      views_.reset(raw);
  }
  std::unique_ptr<rocksdb::Iterator> view_leaves;
  // The leaf hashes the view store recorded: the base nodes of band 0's tiles.
  const MerkleTree& view_tree = TransparencyProjection::Tree();
  constexpr uint64_t kWidth = MerkleTree::kTileWidth;
  const std::string leaf_tiles = view_tree.TilePrefix() + "00/";
  if (views_) {
    view_leaves.reset(views_->NewIterator(rocksdb::ReadOptions()));
    view_leaves->Seek(leaf_tiles);
  }
  bool view_diverged = false;

  auto log = OpenLog();
  if (!log.ok()) return log.status();
  // Kafka offsets have gaps (transaction markers): only the embedded log's
  // offsets must be dense.
  const bool dense = options_.kafka.bootstrap.empty();
  CompactRange tree;
  size_t next_checkpoint = 0;
  uint64_t last_good_size = 0;
  uint64_t offset = 0;
  for (;;) {
    auto batch = (*log)->Read(PartitionId{0}, Offset{offset}, 8192);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (const LogRecord& r : *batch) {
      const uint64_t leaf = tree.size();
      std::string where =
          "partition 0 offset " + std::to_string(r.offset.value) + " leaf " + std::to_string(leaf);
      if (dense && r.offset.value != offset)
        Problem("offset_gap", where,
                "the log has no record at offset " + std::to_string(offset) +
                    (r.offset.value - 1 > offset ? " to " + std::to_string(r.offset.value - 1)
                                                 : std::string()) +
                    "; the next one is at offset " + std::to_string(r.offset.value));
      offset = r.offset.value + 1;
      const Hash leaf_hash = HashLeaf(r.value);
      tree.Append(leaf_hash);
      auto event = Decode(r.value);
      if (!event.ok()) {
        Problem("corrupt_event", where, event.status().message());
      } else {
        where += " stream " + event->stream.str() + " seq " + std::to_string(event->seq);
        if (r.key != event->stream.str())
          Problem("wrong_key", where, "the record is keyed \"" + r.key + "\"");
        if (event->event_id != event->stream.str() + "/" + std::to_string(event->seq))
          Problem("wrong_event_id", where, "event id \"" + event->event_id + "\"");
        if (event->stream == kGovernanceStream)
          CheckGovernance(*event, where);
        else
          CheckPermit(*event, where);
      }
      if (view_leaves && !view_diverged) {
        const std::string key = view_tree.TileKey(0, leaf / kWidth);
        if (view_leaves->Valid() && view_leaves->key().ToStringView() == key) {
          const auto recorded =
              MerkleTree::TileNode(view_leaves->value().ToStringView(), 0, leaf % kWidth);
          if (recorded) {
            ++report_.views_compared;
            if (*recorded != leaf_hash) {
              view_diverged = true;
              Problem("leaf_differs", where,
                      "the event's leaf hash differs from the one the view store recorded for "
                      "leaf " +
                          std::to_string(leaf) +
                          ": the log was changed at or before this position");
            }
          }
          if (leaf % kWidth == kWidth - 1) view_leaves->Next();
        }
      }
      while (next_checkpoint < pending_.size() && pending_[next_checkpoint].size == tree.size()) {
        const Pending& p = pending_[next_checkpoint++];
        if (p.root == tree.Root()) {
          matched_.push_back(p);
          last_good_size = p.size;
        } else {
          Problem("checkpoint_root", p.label,
                  "its root differs from the log's recomputed tree at that size: the log's leaves "
                  "in [" +
                      std::to_string(last_good_size) + ", " + std::to_string(p.size) +
                      ") are not the ones signed");
        }
      }
      while (next_checkpoint < pending_.size() && pending_[next_checkpoint].size < tree.size())
        ++next_checkpoint;  // size 0 checkpoints only
    }
  }
  for (; next_checkpoint < pending_.size(); ++next_checkpoint) {
    const Pending& p = pending_[next_checkpoint];
    Problem("checkpoint_beyond_log", p.label,
            "it signs " + std::to_string(p.size) + " leaves but the log holds only " +
                std::to_string(tree.size()) + ": signed events are missing from the log");
  }
  if (view_leaves && !view_diverged && view_leaves->Valid() &&
      view_leaves->key().starts_with(leaf_tiles) &&
      (view_leaves->key().ToStringView() != view_tree.TileKey(0, tree.size() / kWidth) ||
       MerkleTree::TileNode(view_leaves->value().ToStringView(), 0, tree.size() % kWidth)))
    Problem("log_shorter_than_views", "leaf " + std::to_string(tree.size()),
            "the view store holds leaves beyond the log's " + std::to_string(tree.size()));
  CheckConsistency();
  report_.checkpoints_verified = matched_.size();
  for (const auto& m : matched_) report_.covered = std::max(report_.covered, m.size);
  report_.events = tree.size();
  report_.streams = streams_.size() + (gov_.version ? 1 : 0);
  report_.root = tree.Root();
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::Ok();
}

std::string JsonText(const nlohmann::json& j) {
  return j.is_string() ? j.get<std::string>() : j.is_null() ? "" : j.dump();
}

}  // namespace

Result<AuditReport> AuditVerify(const AuditOptions& options) {
  Auditor a(options);
  if (Status s = a.Run(); !s.ok()) return s;
  return std::move(a.report());
}

void PrintAuditReport(const AuditReport& r, std::ostream& out) {
  out << "events:      " << r.events << " in " << r.streams << " streams\n"
      << "root:        " << Base64Encode(HashBytes(r.root)) << " (size " << r.events << ")\n"
      << "checkpoints: " << r.checkpoints_verified << " of " << r.checkpoints + r.held_checkpoints
      << " verified (signature, root at their size, consistency)"
      << (r.held_checkpoints ? ", " + std::to_string(r.held_checkpoints) + " of them held by you"
                             : std::string())
      << "\n";
  if (r.covered < r.events)
    out << "uncovered:   the last " << (r.events - r.covered)
        << " events are under no verified checkpoint (signed later, or not yet)\n";
  if (r.views_compared) out << "views:       " << r.views_compared << " leaves compared\n";
  out << "time:        " << r.seconds << " s ("
      << (r.seconds > 0 ? static_cast<uint64_t>(r.events / r.seconds) : 0) << " events/s)\n";
  if (r.ok() && !r.vouched()) {
    out << "NOT VOUCHED FOR: every event follows the charter, but no signed checkpoint covers "
           "the log, so a log rewritten with its checkpoint file would pass too. Pass the "
           "checkpoints you kept (--checkpoint FILE).\n";
    return;
  }
  if (r.ok()) {
    out << "OK: the log matches every checkpoint and every event follows the charter\n";
    return;
  }
  out << r.problem_count << " problem(s):\n";
  for (const auto& p : r.problems)
    out << "  " << p.kind << " at " << p.where << ": " << p.message << "\n";
  if (r.problem_count > r.problems.size())
    out << "  ... and " << (r.problem_count - r.problems.size()) << " more\n";
}

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
  auto n = (*fresh)->CatchUp();
  if (!n.ok()) return n.status();
  ReplayResult r;
  r.events = *n;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.live = ProjectionEngine::Digest((*ledger)->engine().db());
  r.rebuilt = ProjectionEngine::Digest((*fresh)->db());
  return r;
}

std::string CsvField(const std::string& text) {
  // A cell a spreadsheet would read as a formula (a command id is anyone's
  // choice, an applicant's too) starts with an apostrophe: shown as text.
  const bool formula =
      !text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos;
  const std::string s = formula ? "'" + text : text;
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status ExportTrail(const std::string& data_dir, const std::string& permit_id,
                   const std::string& format, std::ostream& out) {
  if (format != "csv" && format != "jsonl")
    return Status("invalid_argument", "--format must be csv or jsonl");
  if (!fs::exists(fs::path(data_dir) / "log"))
    return Status("invalid_argument", "no ledger in " + data_dir);
  LedgerOptions lo;
  lo.data_dir = data_dir;
  lo.follow = false;
  lo.adopt_charter = false;
  lo.read_only_log = true;
  auto ledger = Ledger::Open(lo);
  if (!ledger.ok()) return ledger.status();
  auto history = (*ledger)->queries().History(permit_id);
  if (history.empty()) return Status("not_found", "there is no permit " + permit_id);
  RocksSnapshotReader reader((*ledger)->engine().db());
  if (format == "csv")
    out << "seq,time,type,actor_id,actor_role,event_id,command_id,partition,offset,leaf_index,"
           "leaf_hash,payload\n";
  for (auto& e : history) {
    const uint64_t seq = e.value("seq", uint64_t{0});
    auto leaf = TransparencyProjection::LeafIndexOf(reader, StreamId(permit_id), seq);
    nlohmann::json leaf_index = nullptr, leaf_hash = nullptr;
    if (leaf.ok()) {
      leaf_index = *leaf;
      auto h = TransparencyProjection::Tree().LeafHash(reader, *leaf);
      if (h.ok()) leaf_hash = Base64Encode(HashBytes(*h));
    }
    if (format == "jsonl") {
      e["leaf_index"] = leaf_index;
      e["leaf_hash"] = leaf_hash;
      out << e.dump() << "\n";
      continue;
    }
    const auto& pos = e.contains("log_position") ? e["log_position"] : nlohmann::json::object();
    out << seq << "," << CsvField(JsonText(e.value("time", nlohmann::json()))) << ","
        << CsvField(JsonText(e.value("type", nlohmann::json()))) << ","
        << CsvField(JsonText(e.value("actor_id", nlohmann::json()))) << ","
        << CsvField(JsonText(e.value("actor_role", nlohmann::json()))) << ","
        << CsvField(JsonText(e.value("event_id", nlohmann::json()))) << ","
        << CsvField(JsonText(e.value("command_id", nlohmann::json()))) << ","
        << JsonText(pos.value("partition", nlohmann::json())) << ","
        << JsonText(pos.value("offset", nlohmann::json())) << "," << JsonText(leaf_index) << ","
        << JsonText(leaf_hash) << "," << CsvField(JsonText(e.value("payload", nlohmann::json())))
        << "\n";
  }
  return Status::Ok();
}

const char* VerdictName(PermitVerdict v) {
  switch (v) {
    case PermitVerdict::kValid:
      return "valid";
    case PermitVerdict::kRevoked:
      return "revoked";
    case PermitVerdict::kExpired:
      return "expired";
    case PermitVerdict::kNotYetValid:
      return "not yet valid";
    case PermitVerdict::kNotGenuine:
      return "not genuine";
    case PermitVerdict::kCannotCheck:
      return "cannot check";
  }
  return "?";
}

namespace {

std::optional<std::vector<Hash>> Hashes(const nlohmann::json& a) {
  if (!a.is_array()) return std::nullopt;
  std::vector<Hash> out;
  for (const auto& h : a) {
    if (!h.is_string()) return std::nullopt;
    auto raw = Base64Decode(h.get<std::string>());
    auto hash = raw ? HashFromBytes(*raw) : std::nullopt;
    if (!hash) return std::nullopt;
    out.push_back(*hash);
  }
  return out;
}

// The leaf data of a proven leaf: its bytes, checked into the tree of `cp`.
Result<Envelope> ProvenEvent(const nlohmann::json& leaf, const Checkpoint& cp) {
  if (!leaf.is_object() || !leaf.contains("leaf_data") || !leaf.contains("leaf_index") ||
      !leaf["leaf_data"].is_string() || !leaf["leaf_index"].is_number_unsigned())
    return Status("malformed", "a leaf has no leaf_data or leaf_index");
  auto data = Base64Decode(leaf["leaf_data"].get<std::string>());
  auto proof = Hashes(leaf.value("inclusion_proof", nlohmann::json()));
  if (!data || !proof) return Status("malformed", "malformed leaf_data or inclusion_proof");
  const uint64_t index = leaf["leaf_index"].get<uint64_t>();
  if (Status s = VerifyInclusion(HashLeaf(*data), index, cp.size, *proof, cp.root); !s.ok())
    return Status("bad_proof", "leaf " + std::to_string(index) + " is not in the tree of size " +
                                   std::to_string(cp.size) + ": " + s.message());
  return Decode(*data);
}

}  // namespace

Result<PermitCheck> VerifyPermitOffline(std::string_view verifier_key,
                                        std::string_view checkpoint_note,
                                        const nlohmann::json& answer, std::string_view today) {
  if (!answer.is_object() || !answer.contains("permit_number") ||
      !answer["permit_number"].is_string() || !answer.contains("result") ||
      !answer["result"].is_string())
    return Status("invalid_argument",
                  "this is not a saved answer of GET /v1/public/verify/{permit number} (it has no "
                  "permit_number and result): save that answer and check it");
  PermitCheck c;
  auto fail = [&](std::string why) {
    c.verdict = PermitVerdict::kNotGenuine;
    c.reason = std::move(why);
    return c;
  };
  auto cannot = [&](std::string why) {
    c.verdict = PermitVerdict::kCannotCheck;
    c.reason = std::move(why);
    return c;
  };
  try {
    c.permit_number = answer.value("permit_number", "");
    auto given = VerifyCheckpoint(checkpoint_note, verifier_key);
    if (!given.ok())
      return cannot("your checkpoint does not verify with your key (check both files): " +
                    given.status().message());
    c.origin = given->origin;
    if (answer["result"] == "unknown") return fail("the log has not issued " + c.permit_number);
    if (!answer.contains("verification") || !answer["verification"].is_object())
      return cannot(
          "the answer holds no proof: no signed checkpoint covered the permit yet when "
          "it was saved; save the answer again in a minute");
    const auto& v = answer["verification"];
    auto code = ParseVerificationCode(v.value("code", ""));
    if (!code) return fail("malformed verification code \"" + v.value("code", "") + "\"");
    if (code->permit_number != c.permit_number || v.value("permit_number", "") != c.permit_number)
      return fail("the verification code is for " + code->permit_number + ", not " +
                  c.permit_number);
    if (v.value("leaf_index", uint64_t{0}) != code->leaf ||
        v.value("tree_size", uint64_t{0}) != code->size)
      return fail("the proof is not for the code's leaf and tree size");
    c.leaf = code->leaf;
    c.tree_size = code->size;
    auto at_issue = VerifyCheckpoint(v.value("checkpoint", ""), verifier_key);
    if (!at_issue.ok())
      return fail("the code's checkpoint does not verify: " + at_issue.status().message());
    if (at_issue->size != code->size) return fail("the code's checkpoint has another tree size");
    const auto& l = v.value("latest", nlohmann::json::object());
    auto latest = VerifyCheckpoint(l.value("checkpoint", ""), verifier_key);
    if (!latest.ok())
      return fail("the latest checkpoint does not verify: " + latest.status().message());
    auto consistency = Hashes(l.value("consistency_proof", nlohmann::json()));
    if (!consistency) return fail("malformed consistency proof");
    if (Status s = VerifyConsistency(at_issue->size, latest->size, *consistency, at_issue->root,
                                     latest->root);
        !s.ok())
      return fail("the latest checkpoint does not extend the code's: " + s.message());
    // The checkpoint the verifier holds must be one of the two, exactly.
    const Checkpoint* same = given->size == at_issue->size ? &*at_issue
                             : given->size == latest->size ? &*latest
                                                           : nullptr;
    if (!same)
      return cannot("your checkpoint (size " + std::to_string(given->size) +
                    ") is neither the code's (" + std::to_string(at_issue->size) +
                    ") nor the answer's latest (" + std::to_string(latest->size) +
                    "): fetch the checkpoint and the answer together");
    if (same->root != given->root)
      return fail("the given checkpoint and the answer's sign different trees of size " +
                  std::to_string(given->size) + ": the log shows different histories");
    auto issued = ProvenEvent(v, *at_issue);
    if (!issued.ok()) return fail(issued.status().message());
    const auto* p = std::get_if<PermitIssued>(&issued->payload);
    if (!p || p->permit_number != c.permit_number)
      return fail("leaf " + std::to_string(c.leaf) + " is not the issue of " + c.permit_number);
    c.valid_from = p->valid_from;
    c.valid_until = p->valid_until;
    if (v.contains("revocation")) {
      auto revoked = ProvenEvent(v["revocation"], *latest);
      if (!revoked.ok()) return fail("revocation: " + revoked.status().message());
      if (!std::holds_alternative<PermitRevoked>(revoked->payload) ||
          revoked->stream != issued->stream)
        return fail("the revocation leaf is not a revocation of this permit");
      c.verdict = PermitVerdict::kRevoked;
      c.reason = "revoked on " + IsoTime(revoked->time_ms) + ": " +
                 std::get<PermitRevoked>(revoked->payload).reason;
      return c;
    }
    if (c.valid_until < today) {
      c.verdict = PermitVerdict::kExpired;
      c.reason = "valid until " + c.valid_until;
      return c;
    }
    if (today < c.valid_from) {
      c.verdict = PermitVerdict::kNotYetValid;
      c.reason = "valid from " + c.valid_from + " (asked for " + std::string(today) + ")";
      return c;
    }
    c.verdict = PermitVerdict::kValid;
    c.reason = "issued " + c.valid_from + ", valid until " + c.valid_until + ", leaf " +
               std::to_string(c.leaf) + " of " + c.origin + " at tree size " +
               std::to_string(c.tree_size) +
               " (the number and these dates are signed; the answer's business name is not)"
               "; this answer names no revocation (trust that only for an answer you fetched "
               "from the ledger yourself)";
    return c;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("malformed answer: ") + e.what());
  }
}

}  // namespace pl
