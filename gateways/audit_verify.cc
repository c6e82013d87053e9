// `permitledger audit verify` (AuditVerify): reads the whole event log once,
// recomputing every leaf and the root in O(log n) memory, and checks every
// signed checkpoint (signature, root at its size, consistency with the one
// before) and the view store's leaves against it; each event goes to the
// domain checks of audit_stream_checks.cc. Also the report's printout.
#include <rocksdb/db.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

#include "events/embedded_log.h"
#include "events/kafka_log.h"
#include "events/personal_vault.h"
#include "gateways/audit_internal.h"
#include "gateways/checkpoint_publisher.h"
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

// "name+0a1b2c3d": a key as a signed note names it.
std::string KeyLabel(const std::string& name, uint32_t id) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", id);
  return name + "+" + hex;
}

// The keys that signed a note ("name+keyid", from its signature lines "— name
// base64(key id || signature)"): two keys may share a name.
std::string SignerKeys(const std::string& note) {
  std::string out;
  const std::string dash = "\xe2\x80\x94 ";
  size_t at = note.find("\n\n");
  while (at != std::string::npos) {
    at = note.find(dash, at);
    if (at == std::string::npos) break;
    const size_t end = note.find('\n', at);
    const std::string line = note.substr(
        at + dash.size(), end == std::string::npos ? std::string::npos : end - at - dash.size());
    at = end;
    const size_t sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    auto raw = Base64Decode(line.substr(sp + 1));
    if (!raw || raw->size() < 4) continue;
    const auto* b = reinterpret_cast<const unsigned char*>(raw->data());
    const uint32_t id =
        (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    out += (out.empty() ? "" : ", ") + KeyLabel(line.substr(0, sp), id);
  }
  return out.empty() ? "no key" : out;
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

}  // namespace

void Auditor::LoadCheckpoints(const NoteVerifierKey& key, const std::string& vkey) {
  auto file = CheckpointLog::ReadFile(
      CheckpointLog::FilePath(CheckpointPublisher::CheckpointDir(options_.data_dir)));
  if (!file.ok()) return Problem("checkpoint_log", "checkpoint log", file.status().message());
  if (file->error && file->torn)
    report_.torn_checkpoint = *file->error;
  else if (file->error)
    Problem("checkpoint_log", "checkpoint log", *file->error);
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
                   cp.status().code() + ": " + cp.status().message() + " (signed by " +
                       SignerKeys(note) + "; the verifier key is " +
                       KeyLabel(key.name, key.key_id) + ")");
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

void Auditor::CheckConsistency() {
  // Every matched checkpoint has the recomputed root at its size, so each
  // extends the one before by construction; the view store's consistency
  // proofs, checked with the independent verifier, must say the same.
  if (!views_) return;
  DbReader reader(views_.get());
  const MerkleTree& tree = TransparencyProjection::Tree();
  auto size = tree.Size(reader);
  if (size.ok() && *size < report_.events) report_.view_leaves_behind = *size;
  for (size_t i = 1; i < matched_.size(); ++i) {
    const Pending& a = matched_[i - 1];
    const Pending& b = matched_[i];
    if (report_.view_leaves_behind && b.size > *report_.view_leaves_behind) break;
    auto proof = tree.ConsistencyProof(reader, a.size, b.size);
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
  lo.create_if_missing = false;  // an audit creates nothing on the cluster it checks
  auto log = KafkaLog::Open(lo);
  if (!log.ok()) return refused(log.status());
  return std::unique_ptr<EventLog>(std::move(*log));
}

Status Auditor::Run() {
  const auto start = std::chrono::steady_clock::now();
  const std::string& dir = options_.data_dir;
  if (!fs::exists(fs::path(dir) / "log") && options_.kafka.bootstrap.empty())
    return NoLedgerIn(dir);
  std::string vkey = options_.verifier_key;
  const std::string pub = CheckpointPublisher::PublicKeyPath(dir);
  if (vkey.empty() && !fs::exists(pub))
    return Status("invalid_key", pub +
                                     " does not exist: give the log's verifier key with --key (a "
                                     "copy you were handed, or a file holding it)");
  if (vkey.empty()) vkey = ReadFirstLine(pub);
  auto key = ParseVerifierKey(vkey);
  if (!key.ok())
    return Status("invalid_key", (options_.verifier_key.empty() ? pub : std::string("--key")) +
                                     " holds no usable verifier key: " + key.status().message());
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

  auto log = OpenLog();
  if (!log.ok()) return log.status();
  // Kafka offsets have gaps (transaction markers): only the embedded log's
  // offsets must be dense.
  const bool dense = options_.kafka.bootstrap.empty();
  size_t next_checkpoint = 0;
  uint64_t offset = 0;

  // What does not depend on the checks: reading a batch of the log, its leaf
  // hashes, the tree's root at each checkpoint's size, the comparison with
  // the view store's leaf hashes, the events decoded. A second thread does
  // it for the next batch while this one checks the batch before (one task
  // at a time: the reader's state is the running task's).
  struct Batch {
    std::vector<LogRecord> records;
    std::vector<Result<Envelope>> events;
    std::vector<std::pair<uint64_t, Hash>> roots;  // the root at each checkpoint size reached
    uint64_t views_compared = 0;
    std::optional<size_t> leaf_differs;  // the record whose leaf the view store has otherwise
  };
  struct Reader {
    EventLog& source;
    CompactRange tree;
    std::vector<uint64_t> sizes;  // the checkpoints' sizes, ascending
    size_t next_size = 0;
    rocksdb::Iterator* view_leaves;
    bool view_diverged = false;
  } reader{**log, {}, {}, 0, view_leaves.get()};
  for (const Pending& p : pending_) reader.sizes.push_back(p.size);
  auto read = [&reader, &view_tree](uint64_t from, Batch done) -> Result<Batch> {
    done = Batch{};  // the batch checked before is freed here, off the checking thread
    auto records = reader.source.Read(PartitionId{0}, Offset{from}, 8192);
    if (!records.ok()) return records.status();
    Batch b;
    b.records = std::move(*records);
    b.events.reserve(b.records.size());
    std::string tile_key;  // the view store's key of the current leaf's tile
    for (size_t i = 0; i < b.records.size(); ++i) {
      const std::string& value = b.records[i].value;
      const Hash leaf_hash = HashLeaf(value);
      const uint64_t leaf = reader.tree.size();
      reader.tree.Append(leaf_hash);
      while (reader.next_size < reader.sizes.size() &&
             reader.sizes[reader.next_size] <= reader.tree.size())
        if (reader.sizes[reader.next_size++] == reader.tree.size() &&
            (b.roots.empty() || b.roots.back().first != reader.tree.size()))
          b.roots.emplace_back(reader.tree.size(), reader.tree.Root());
      b.events.push_back(Decode(value));

      rocksdb::Iterator* views = reader.view_leaves;
      if (!views || reader.view_diverged) continue;
      if (tile_key.empty() || leaf % kWidth == 0) tile_key = view_tree.TileKey(0, leaf / kWidth);
      if (!views->Valid() || views->key().ToStringView() != tile_key) continue;
      const auto recorded = MerkleTree::TileNode(views->value().ToStringView(), 0, leaf % kWidth);
      if (recorded) {
        ++b.views_compared;
        if (*recorded != leaf_hash) {
          reader.view_diverged = true;
          b.leaf_differs = i;
        }
      }
      if (leaf % kWidth == kWidth - 1) views->Next();
    }
    return b;
  };

  uint64_t leaves = 0;
  auto ahead = std::async(std::launch::async, read, offset, Batch{});
  std::string where;                 // the position of the event being checked (one buffer for all)
  Batch checked;                     // the batch checked last, freed by the next task
  std::vector<PermitState*> states;  // by record of the batch: its stream's state
  for (;;) {
    auto batch = ahead.get();
    if (!batch.ok()) return batch.status();
    if (batch->records.empty()) break;
    ahead = std::async(std::launch::async, read, batch->records.back().offset.value + 1,
                       std::move(checked));
    report_.views_compared += batch->views_compared;
    // Each permit event's stream state, looked up for the whole batch first:
    // the look-ups miss the caches once the log holds millions of permits,
    // and a loop of nothing else lets the processor wait for several at once.
    states.resize(batch->records.size());
    for (size_t i = 0; i < batch->records.size(); ++i) {
      const auto& e = batch->events[i];
      states[i] = e.ok() && e->stream != kGovernanceStream ? &streams_[e->stream.str()] : nullptr;
    }
    size_t root_at = 0;
    for (size_t i = 0; i < batch->records.size(); ++i) {
      const LogRecord& r = batch->records[i];
      if (i + 4 < states.size() && states[i + 4]) __builtin_prefetch(states[i + 4]);
      const uint64_t leaf = leaves++;
      where.assign("partition 0 offset ")
          .append(std::to_string(r.offset.value))
          .append(" leaf ")
          .append(std::to_string(leaf));
      if (dense && r.offset.value != offset)
        Problem("offset_gap", where,
                "the log has no record at offset " + std::to_string(offset) +
                    (r.offset.value - 1 > offset ? " to " + std::to_string(r.offset.value - 1)
                                                 : std::string()) +
                    "; the next one is at offset " + std::to_string(r.offset.value));
      offset = r.offset.value + 1;
      auto& event = batch->events[i];
      if (!event.ok()) {
        // The record's key still names the stream (the permit) it was written for.
        Problem("corrupt_event", where + " stream " + r.key + " (the record's key)",
                event.status().message());
      } else {
        where.append(" stream ")
            .append(event->stream.str())
            .append(" seq ")
            .append(std::to_string(event->seq));
        if (r.key != event->stream.str())
          Problem("wrong_key", where, "the record is keyed \"" + r.key + "\"");
        if (event->event_id != event->stream.str() + "/" + std::to_string(event->seq))
          Problem("wrong_event_id", where, "event id \"" + event->event_id + "\"");
        if (event->stream == kGovernanceStream)
          CheckGovernance(*event, where);
        else
          CheckPermit(*event, *states[i], where, leaf);
      }
      if (batch->leaf_differs == i)
        Problem("leaf_differs", where,
                "the event's leaf hash differs from the one the view store recorded for leaf " +
                    std::to_string(leaf) +
                    ": the log was changed at or before this position, or the view store was "
                    "(a log that the checkpoints past this leaf still vouch for is the view "
                    "store's fault: rebuild the views)");
      while (next_checkpoint < pending_.size() && pending_[next_checkpoint].size == leaves) {
        const Pending& p = pending_[next_checkpoint++];
        while (batch->roots[root_at].first < leaves) ++root_at;
        if (p.root == batch->roots[root_at].second) {
          matched_.push_back(p);
        } else {
          // From the largest smaller size that matched (a checkpoint of the
          // same size that matched says nothing of where it changed).
          uint64_t from = 0;
          std::string fork;
          for (const Pending& m : matched_) {
            if (m.size < p.size) from = std::max(from, m.size);
            if (m.size == p.size && fork.empty())
              fork = "; " + m.label +
                     ", of the same size and signed with the same key, matches the log: the "
                     "ledger signed two histories (a fork); keep both notes as evidence";
          }
          if (fork.empty()) root_mismatches_.emplace_back(report_.problems.size(), p.size);
          Problem("checkpoint_root", p.label,
                  "its root differs from the log's recomputed tree at that size: the log's leaves "
                  "in [" +
                      std::to_string(from) + ", " + std::to_string(p.size) +
                      ") are not the ones signed" + fork);
        }
      }
      while (next_checkpoint < pending_.size() && pending_[next_checkpoint].size < leaves)
        ++next_checkpoint;  // size 0 checkpoints only
    }
    checked = std::move(*batch);
  }
  const CompactRange& tree = reader.tree;
  const bool view_diverged = reader.view_diverged;
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
            "the view store holds leaves beyond the log's " + std::to_string(tree.size()) +
                " (records lost from the log, or a copy of the data directory taken while the "
                "ledger ran, its views copied after its log: copy it with the ledger stopped)");
  // A larger checkpoint that matched the log extends the log's tree, not
  // the one this checkpoint signed: two histories were signed.
  for (const auto& [index, size] : root_mismatches_) {
    if (index >= report_.problems.size()) continue;
    for (const Pending& m : matched_)
      if (m.size > size) {
        report_.problems[index].message +=
            "; " + m.label +
            ", a larger checkpoint signed with the same key, matches the log: the ledger signed "
            "two histories (a fork); keep both notes as evidence";
        break;
      }
  }
  report_.events = tree.size();
  CheckConsistency();
  CheckVault();
  SummariseFollowOns();
  report_.checkpoints_verified = matched_.size();
  for (const auto& m : matched_) report_.covered = std::max(report_.covered, m.size);
  report_.streams = streams_.size() + (gov_.version ? 1 : 0);
  report_.root = tree.Root();
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::Ok();
}

void Auditor::CheckVault() {
  if (!options_.kafka.bootstrap.empty()) {
    report_.vault_not_checked =
        "on Kafka every instance's copy of the vault follows the key topic at its own pace";
    return;
  }
  const std::string path = (fs::path(options_.data_dir) / "keys").string();
  if (!fs::exists(path)) {
    if (!application_keys_.empty())
      report_.vault_not_checked = path +
                                  " does not exist (a copy of the data directory without "
                                  "it: the applicants' personal data cannot be read)";
    return;
  }
  auto vault = PersonalVault::Open(path, /*read_only=*/true);
  if (!vault.ok())
    return Problem("vault_unavailable", path,
                   vault.status().message() + ": the vault's keys could not be checked");
  // An erasure on the log whose keys a stop left to destroy: the ledger
  // destroys them when it starts.
  std::unordered_set<std::string> pending;
  if (auto p = (*vault)->PendingErasures(); p.ok())
    for (const auto& [id, keys] : *p)
      for (const auto& [person, key_id] : keys) pending.insert(person + "/" + key_id);
  for (const ApplicationKey& k : application_keys_) {
    const PermitState& st = streams_.at(k.stream);
    const std::string& person = st.applicant.person_id;
    const auto order = person_erased_leaf_.find(person);
    const bool erased =
        st.personal_erased || (order != person_erased_leaf_.end() && order->second > k.leaf);
    const std::string name = person + "/" + k.key_id;
    const auto state = (*vault)->StateOfKey(person, k.key_id);
    const bool destroyed = state == PersonalVault::KeyState::kDestroyed;
    const bool held = state == PersonalVault::KeyState::kStored;
    const std::string where =
        "stream " + k.stream + " (its application at leaf " + std::to_string(k.leaf) + ")";
    ++report_.vault_keys_checked;
    if (erased && held && !pending.count(name))
      Problem("vault_key_not_destroyed", where,
              "the log erased this application's personal data, but the vault (" + path +
                  ") still holds the key it was sealed under (" + name +
                  "): the data can be read again against the erasure. Was DATA/keys restored "
                  "from a copy older than the erasure? Restore it from a copy taken after it");
    else if (!erased && destroyed)
      Problem("vault_key_destroyed", where,
              "the vault (" + path + ") marks the key of this application's personal data (" +
                  name +
                  ") destroyed, but no erasure on the log ordered it: the applicant's data was "
                  "made unreadable outside the audited history");
    else if (!erased && !held)
      Problem("vault_key_missing", where,
              "the vault (" + path + ") holds no key " + name +
                  " for this application's personal data, and no erasure on the log destroyed "
                  "it: the applicant's data can no longer be read (DATA/keys restored from a "
                  "copy older than the application, or the key deleted). Restore DATA/keys from "
                  "a copy that holds it");
  }
}

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
      << (r.held_checkpoints ? "; of the " + std::to_string(r.checkpoints + r.held_checkpoints) +
                                   ", " + std::to_string(r.held_checkpoints) + " held by you"
                             : std::string())
      << "\n";
  if (r.covered < r.events)
    out << "uncovered:   the last " << (r.events - r.covered)
        << " events are under no verified checkpoint (signed later, or not yet)\n";
  if (r.views_compared) out << "views:       " << r.views_compared << " leaves compared\n";
  if (r.vault_not_checked)
    out << "vault:       not checked: " << *r.vault_not_checked << "\n";
  else if (r.vault_keys_checked)
    out << "vault:       " << r.vault_keys_checked
        << " applications' keys checked against the log's erasures\n";
  if (r.view_leaves_behind)
    out << "note:        the view store holds " << *r.view_leaves_behind << " of the log's "
        << r.events
        << " leaves: its views stop before the log's end (on Kafka, other instances may have "
           "appended since; on the embedded log, a ledger stopped normally leaves them caught "
           "up: it crashed, or views/ was cut short or damaged). Its consistency "
           "proofs were checked up to its size; the log's own tree is checked whole. The ledger "
           "re-applies the rest from the log when it starts\n";
  if (r.torn_checkpoint)
    out << "note:        the checkpoint log ends in a record cut short (" << *r.torn_checkpoint
        << "): the trace of a crash while a checkpoint was appended; the server cuts it off at "
           "its next start, and the records before it were checked\n";
  if (r.text_note_count) {
    out << "note:        " << r.text_note_count
        << " event(s) hold a text that this version's personal-data check reads as personal "
           "data. The check may be newer than them (the ledger took each under the check of its "
           "day), so they break no rule of the workflow; review them, as the log keeps them "
           "for good:\n";
    for (const auto& n : r.text_notes) out << "  at " << n.where << ": " << n.message << "\n";
    if (r.text_note_count > r.text_notes.size())
      out << "  ... and " << (r.text_note_count - r.text_notes.size()) << " more\n";
  }
  out << "time:        " << r.seconds << " s ("
      << (r.seconds > 0 ? static_cast<uint64_t>(r.events / r.seconds) : 0) << " events/s)\n";
  if (r.ok() && !r.vouched()) {
    out << "NOT VOUCHED FOR: every event follows the charter, but no signed checkpoint covers "
           "the log, so a log rewritten with its checkpoint file would pass too. Pass the "
           "checkpoints you kept (--checkpoint FILE).\n";
    return;
  }
  if (r.ok() && r.covered < r.events) {
    // The rules held for all; the signatures only up to the last checkpoint.
    out << "OK up to leaf " << r.covered << ": the log matches every checkpoint and every event "
        << "follows the charter; the last " << (r.events - r.covered)
        << " events are vouched for by no checkpoint yet (a server signs one within seconds "
           "and at a clean stop: after a crash, or an edit of the log past its last "
           "checkpoint, none). Check again once one covers them, or with --checkpoint FILE "
           "of a later one you fetched\n";
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

}  // namespace pl
