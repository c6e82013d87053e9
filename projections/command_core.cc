#include "projections/command_core.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cereal/types/string.hpp>
#include <sstream>

#include "domain/command_codec.h"
#include "domain/state_codec.h"
#include "events/binary_archive.h"
#include "events/store_options.h"
#include "projections/merkle_hash.h"

namespace pl {
namespace {

// State store keys:
//   p/<stream>                 folded PermitState
//   g/<seq, 20 digits>         governance events, to fold the charter and officers on open
//   c/<partition>              next log offset to fold
//   o/<partition>              next outcome offset to fold (Kafka mode)
//   d/<stream>\0<command id>   what a command did (for repeats)
std::string StateKey(const std::string& stream) { return "p/" + stream; }
std::string GovKey(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "g/%020llu", static_cast<unsigned long long>(seq));
  return buf;
}
std::string CheckpointKey(int32_t p) { return "c/" + std::to_string(p); }
std::string OutcomeCheckpointKey(int32_t p) { return "o/" + std::to_string(p); }
std::string DedupeKey(const std::string& stream, const CommandId& id) {
  std::string k = "d/" + stream;
  k.push_back('\0');
  k += id.str();
  return k;
}

// A refusal on a stream that does not exist yet (an application refused
// as invalid, an action on an unknown permit) is not remembered: nothing
// exists to protect, and the command id stays free, for the corrected
// application or for the application whose id it is. Nor is a refusal of
// a sender outside the permit's jurisdiction (an officer of another
// kelurahan, another application's applicant): any token holder could
// otherwise take the command id an officer of the permit is about to send,
// and have that request answered 409. (A colleague's refusal, a role that
// may not take the action, is remembered: the officer the command was meant
// for is told the id is taken.)
bool ForgetRefusal(const Outcome& o) {
  return o.refusal && (o.version == 0 || o.refusal->code == "outside_jurisdiction");
}

}  // namespace

std::string ActionDigest(const Action& action) {
  if (std::holds_alternative<SubmitApplication>(action)) return "";
  Command only;  // the action alone: no id, stream, actor or time
  only.action = action;
  const Hash h = Sha256({EncodeCommand(only)});
  return std::string(reinterpret_cast<const char*>(h.data()), 16);
}

struct CommandCore::Dedupe {
  enum Kind : uint8_t { kAccepted = 0, kRefused = 1, kNoop = 2 };
  uint8_t kind = kAccepted;
  int32_t partition = 0;
  uint64_t first_offset = 0;
  uint64_t count = 0;
  uint64_t version = 0;
  std::string status;
  std::string code, message;
  std::string sender, action;  // refusals and no-ops; records before them end at `message`
  std::string digest;          // Outcome::digest; records before it end at `action`

  // What a refused or no-op command did: there is no event to point at.
  static Dedupe Unwritten(const Outcome& o) {
    Dedupe d;
    d.kind = o.refusal ? kRefused : kNoop;
    d.version = o.version;
    d.status = o.status;
    if (o.refusal) {
      d.code = o.refusal->code;
      d.message = o.refusal->message;
    }
    d.sender = o.sender;
    d.action = o.action;
    d.digest = o.digest;
    return d;
  }
  std::string Encode() const {
    return WriteBinary(kind, partition, first_offset, count, version, status, code, message, sender,
                       action, digest);
  }
  static std::optional<Dedupe> Decode(const std::string& s) {
    try {
      ReadArchive ar(s);
      Dedupe d;
      ar(d.kind, d.partition, d.first_offset, d.count, d.version, d.status, d.code, d.message);
      if (ar.remaining() > 0) ar(d.sender, d.action);
      if (ar.remaining() > 0) ar(d.digest);
      return d;
    } catch (...) {
      return std::nullopt;
    }
  }
};

Result<std::unique_ptr<CommandCore>> CommandCore::Open(const std::string& path, int32_t partitions,
                                                       bool refuse_ahead_of_log) {
  rocksdb::Options o = StoreOptions();
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(o, path, &raw);
  if (!s.ok())
    return Status("store_unavailable", OpenFailure("the processor's state store", path, s));
  std::unique_ptr<CommandCore> c(new CommandCore(std::unique_ptr<rocksdb::DB>(raw), partitions));
  c->refuse_ahead_of_log_ = refuse_ahead_of_log;
  auto gov = std::make_shared<GovernanceState>();
  std::unique_ptr<rocksdb::Iterator> it(c->store_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("g/"); it->Valid() && it->key().starts_with("g/"); it->Next()) {
    auto e = Decode(it->value().ToStringView());
    if (!e.ok()) return e.status();
    EvolveGovernance(*gov, *e);
  }
  c->gov_ = std::move(gov);
  c->LoadCheckpoints();
  return c;
}

void CommandCore::LoadCheckpoints() {
  for (int32_t p = 0; p < partitions_; ++p) {
    std::string v;
    next_offsets_[p] =
        store_->Get(rocksdb::ReadOptions(), CheckpointKey(p), &v).ok() ? std::stoull(v) : 0;
    outcome_next_[p] =
        store_->Get(rocksdb::ReadOptions(), OutcomeCheckpointKey(p), &v).ok() ? std::stoull(v) : 0;
  }
}

CommandCore::CommandCore(std::unique_ptr<rocksdb::DB> store, int32_t partitions)
    : store_(std::move(store)),
      partitions_(partitions),
      next_offsets_(partitions, 0),
      outcome_next_(partitions, 0) {}

CommandCore::~CommandCore() = default;

// Folds everything the log holds past the store's checkpoint: events
// appended before a crash that the store had not recorded yet, or (Kafka)
// events another processor wrote while it owned the partition.
Status CommandCore::CheckNotAhead(EventLog& log, int32_t p) {
  auto end = log.EndOffsetReaching(PartitionId{p}, next_offsets_[p]);
  if (!end.ok()) return end.status();
  // A state folded from records the log does not hold: deciding on it
  // would contradict the log (see ProjectionEngine::Open).
  if (next_offsets_[p] > end->value)
    return LogLostRecords(log, "the processor's state was folded from", p, next_offsets_[p],
                          end->value,
                          "to go on from what it holds, move the processor's state (DATA/state) "
                          "away (it is rebuilt from the log)");
  return Status::Ok();
}

Status CommandCore::CatchUp(EventLog& log, int32_t p) {
  if (refuse_ahead_of_log_)
    if (Status s = CheckNotAhead(log, p); !s.ok()) return s;
  auto end = log.EndOffset(PartitionId{p});
  if (!end.ok()) return end.status();
  if (next_offsets_[p] >= end->value) return Status::Ok();
  std::shared_ptr<GovernanceState> gov;
  while (next_offsets_[p] < end->value) {
    auto records = log.Read(PartitionId{p}, Offset{next_offsets_[p]}, 8192);
    if (!records.ok()) return records.status();
    rocksdb::WriteBatch batch;
    if (records->empty()) {  // only transaction markers or aborted records left
      next_offsets_[p] = end->value;
      batch.Put(CheckpointKey(p), std::to_string(next_offsets_[p]));
      if (auto s = store_->Write(rocksdb::WriteOptions(), &batch); !s.ok())
        return Status("store_unavailable", s.ToString());
      break;
    }
    std::unordered_map<std::string, Dedupe> dedupe;
    std::unordered_map<std::string, PermitState> touched;
    // Records that the event at `r` came of its command (so that a repeat
    // of the command answers with it), leaving `version` and `status`.
    auto record = [&](const LogRecord& r, const Envelope& e, uint64_t version, std::string status) {
      std::string dk = DedupeKey(e.stream.str(), e.command_id);
      auto [d, fresh] = dedupe.try_emplace(dk);
      if (fresh) {
        std::string old;
        if (store_->Get(rocksdb::ReadOptions(), dk, &old).ok())
          if (auto prev = Dedupe::Decode(old)) d->second = *prev;
        if (d->second.count == 0) {
          d->second.partition = p;
          d->second.first_offset = r.offset.value;
        }
      }
      d->second.count++;
      d->second.version = version;
      d->second.status = std::move(status);
    };
    for (const auto& r : *records) {
      auto e = Decode(r.value);
      if (!e.ok()) return e.status();
      const std::string& stream = e->stream.str();
      if (e->stream == kGovernanceStream) {
        if (!gov) gov = std::make_shared<GovernanceState>(*governance());
        if (e->seq <= gov->version) continue;  // already folded
        EvolveGovernance(*gov, *e);
        batch.Put(GovKey(e->seq), r.value);
        record(r, *e, gov->version, "");
        continue;
      }
      auto it = touched.find(stream);
      if (it == touched.end()) {
        auto st = LoadState(stream);
        if (!st.ok()) return st.status();
        it = touched.emplace(stream, std::move(*st)).first;
      }
      PermitState& state = it->second;
      if (e->seq <= state.version) continue;  // already folded (a store ahead of its checkpoint)
      EvolvePermit(state, *e);
      record(r, *e, state.version, StatusName(state.status));
    }
    for (auto& [stream, state] : touched) {
      batch.Put(StateKey(stream), EncodePermitState(state));
      cache_[stream] = state;
    }
    for (auto& [k, d] : dedupe) batch.Put(k, d.Encode());
    next_offsets_[p] = records->back().offset.value + 1;
    batch.Put(CheckpointKey(p), std::to_string(next_offsets_[p]));
    if (auto s = store_->Write(rocksdb::WriteOptions(), &batch); !s.ok())
      return Status("store_unavailable", s.ToString());
  }
  if (gov) {
    std::lock_guard lock(gov_mu_);
    gov_ = std::move(gov);
  }
  return Status::Ok();
}

Status CommandCore::FoldOutcome(int32_t p, uint64_t offset, const Outcome& o) {
  rocksdb::WriteBatch batch;
  if (o.error.ok() && !o.duplicate && o.events.empty() && !ForgetRefusal(o))
    batch.Put(DedupeKey(o.stream, o.command_id), Dedupe::Unwritten(o).Encode());
  outcome_next_[p] = std::max(outcome_next_[p], offset + 1);
  batch.Put(OutcomeCheckpointKey(p), std::to_string(outcome_next_[p]));
  if (auto s = store_->Write(rocksdb::WriteOptions(), &batch); !s.ok())
    return Status("store_unavailable", s.ToString());
  return Status::Ok();
}

uint64_t CommandCore::outcome_checkpoint(int32_t p) const { return outcome_next_[p]; }

Result<PermitState> CommandCore::LoadState(const std::string& stream) {
  if (auto it = cache_.find(stream); it != cache_.end()) return it->second;
  std::string v;
  auto s = store_->Get(rocksdb::ReadOptions(), StateKey(stream), &v);
  if (s.IsNotFound()) {
    PermitState fresh;
    fresh.permit_id = stream;
    return fresh;
  }
  if (!s.ok()) return Status("store_unavailable", s.ToString());
  return DecodePermitState(v);
}

std::shared_ptr<const GovernanceState> CommandCore::governance() const {
  std::lock_guard lock(gov_mu_);
  return gov_;
}

Result<PermitState> CommandCore::State(const StreamId& stream) {
  std::string v;
  auto s = store_->Get(rocksdb::ReadOptions(), StateKey(stream.str()), &v);
  if (s.IsNotFound()) {
    PermitState fresh;
    fresh.permit_id = stream.str();
    return fresh;
  }
  if (!s.ok()) return Status("store_unavailable", s.ToString());
  return DecodePermitState(v);
}

Outcome CommandCore::ReplayDuplicate(const Dedupe& d, const std::string& stream, EventLog& log) {
  Outcome out;
  out.duplicate = true;
  out.stream = stream;
  out.version = d.version;
  out.status = d.status;
  out.sender = d.sender;
  out.action = d.action;
  out.digest = d.digest;
  if (d.kind == Dedupe::kRefused) {
    out.refusal = Refusal{d.code, d.message};
    return out;
  }
  if (d.kind == Dedupe::kNoop) return out;
  auto records = log.Read(PartitionId{d.partition}, Offset{d.first_offset}, d.count);
  if (!records.ok()) {
    out.error = records.status();
    return out;
  }
  if (records->size() < d.count) {  // (Kafka) its transaction's markers are still on their way
    out.error = Status("unavailable",
                       "the first outcome of this command is not readable yet; repeat the request");
    return out;
  }
  for (const auto& r : *records) {
    auto e = Decode(r.value);
    if (!e.ok()) {
      out.error = e.status();
      return out;
    }
    out.events.push_back(std::move(*e));
    out.last = LogPosition{r.partition, r.offset};
  }
  if (!out.events.empty()) {  // its first event says who sent it, and what for
    out.sender = out.events.front().actor_id;
    out.action = ActionOfEvent(out.events.front().type());
  }
  return out;
}

CommandCore::Plan CommandCore::Decide(std::vector<Command>& cmds, EventLog& log,
                                      PersonalVault& vault) {
  Plan plan;
  plan.slots.resize(cmds.size());
  std::unordered_map<std::string, size_t> batch_commands;  // dedupe key -> slot
  std::shared_ptr<const GovernanceState> gov_cur = governance();

  for (size_t i = 0; i < cmds.size(); ++i) {
    Command& cmd = cmds[i];
    Plan::Slot& slot = plan.slots[i];
    const std::string stream = cmd.stream.str();
    slot.out.stream = stream;
    slot.out.command_id = cmd.id;
    slot.dedupe_key = DedupeKey(stream, cmd.id);
    if (auto it = batch_commands.find(slot.dedupe_key); it != batch_commands.end()) {
      slot.same_as = it->second;
      continue;
    }
    std::string stored;
    if (store_->Get(rocksdb::ReadOptions(), slot.dedupe_key, &stored).ok()) {
      if (auto d = Dedupe::Decode(stored)) {
        slot.out = ReplayDuplicate(*d, stream, log);
        slot.out.command_id = cmd.id;
        continue;
      }
    }
    batch_commands[slot.dedupe_key] = i;
    slot.out.sender = cmd.actor.id;
    slot.out.action = ActionName(cmd.action);
    slot.out.digest = ActionDigest(cmd.action);

    Decision decision;
    const bool governance_cmd = cmd.stream == kGovernanceStream;
    const size_t keys_before = plan.new_keys.size();
    if (governance_cmd) {
      decision = DecideGovernance(cmd, *gov_cur);
    } else {
      if (auto* submit = std::get_if<SubmitApplication>(&cmd.action)) {
        auto sealed = vault.Seal(submit->personal, plan.new_keys);
        if (!sealed.ok()) {
          slot.out.error = sealed.status();
          continue;
        }
        submit->sealed = std::move(*sealed);
      }
      auto it = plan.overlay.find(stream);
      if (it == plan.overlay.end()) {
        auto st = LoadState(stream);
        if (!st.ok()) {
          slot.out.error = st.status();
          plan.new_keys.resize(keys_before);
          continue;
        }
        it = plan.overlay.emplace(stream, std::move(*st)).first;
      }
      decision = DecidePermit(cmd, it->second, *gov_cur);
    }

    // The version and status right after this command (later commands of
    // the batch may change them again).
    auto settle = [&] {
      if (governance_cmd) {
        slot.out.version = gov_cur->version;
      } else {
        slot.out.version = plan.overlay[stream].version;
        slot.out.status = StatusName(plan.overlay[stream].status);
      }
    };
    if (!decision.accepted()) {
      plan.new_keys.resize(keys_before);  // sealed nothing that will be written
      slot.out.refusal = decision.refusal;
      ++refused_;
      settle();
      continue;
    }
    ++accepted_;
    slot.out.events = std::move(decision.events);
    if (slot.out.events.empty()) {  // a no-op: nothing to write
      settle();
      continue;
    }
    slot.pending = true;
    slot.first_record = plan.records.size();
    PartitionId partition = log.PartitionFor(stream);
    for (const auto& e : slot.out.events) {
      plan.records.push_back(AppendRecord{partition, stream, Encode(e)});
      if (const auto* erased = std::get_if<PersonalDataErased>(&e.payload)) {
        // The person's keys, or the one this application was sealed under
        // (read before the erasure clears the permit's sealed data).
        const VaultKey own = PersonalVault::KeyOf(plan.overlay[stream].applicant);
        if (erased->person_wide())
          plan.erased.push_back(erased->person_id);
        else
          plan.erased_keys.emplace(e.event_id, own);
        auto of_erased = std::stable_partition(
            plan.new_keys.begin(), plan.new_keys.end(), [&](const VaultKey& k) {
              return erased->person_wide() ? k.person_id != erased->person_id
                                           : k.Name() != own.Name();
            });
        plan.dropped_keys.insert(plan.dropped_keys.end(), of_erased, plan.new_keys.end());
        plan.new_keys.erase(of_erased, plan.new_keys.end());
      }
      if (governance_cmd) {
        if (!plan.gov_next) plan.gov_next = std::make_shared<GovernanceState>(*gov_cur);
        EvolveGovernance(*plan.gov_next, e);
        plan.gov_events.emplace_back(e.seq, plan.records.back().value);
      } else {
        EvolvePermit(plan.overlay[stream], e);
      }
    }
    if (governance_cmd) gov_cur = plan.gov_next;
    settle();
  }
  return plan;
}

void CommandCore::Abort(const Plan& plan) {
  for (const auto& [stream, st] : plan.overlay) cache_.erase(stream);
}

void CommandCore::Place(Plan& plan, const std::vector<Offset>& offsets) const {
  for (auto& slot : plan.slots) {
    if (!slot.pending) continue;
    size_t last = slot.first_record + slot.out.events.size() - 1;
    slot.out.last = LogPosition{plan.records[last].partition, offsets[last]};
  }
}

Status CommandCore::Commit(Plan& plan, const std::vector<Offset>& offsets,
                           const std::vector<std::pair<int32_t, uint64_t>>& outcome_next) {
  rocksdb::WriteBatch store_batch;
  if (!plan.records.empty()) {
    Place(plan, offsets);
    for (auto& slot : plan.slots) {
      if (!slot.pending) continue;
      Dedupe d;
      d.partition = plan.records[slot.first_record].partition.value;
      d.first_offset = offsets[slot.first_record].value;
      d.count = slot.out.events.size();
      d.version = slot.out.version;
      d.status = slot.out.status;
      d.digest = slot.out.digest;
      store_batch.Put(slot.dedupe_key, d.Encode());
    }
    std::vector<int64_t> next(partitions_, -1);
    for (size_t r = 0; r < plan.records.size(); ++r)
      next[plan.records[r].partition.value] =
          std::max<int64_t>(next[plan.records[r].partition.value], offsets[r].value + 1);
    for (int32_t p = 0; p < partitions_; ++p) {
      if (next[p] < 0) continue;
      next_offsets_[p] = next[p];
      store_batch.Put(CheckpointKey(p), std::to_string(next[p]));
    }
  }
  for (auto& slot : plan.slots) {
    if (slot.same_as || slot.out.duplicate || !slot.out.error.ok() || slot.pending) continue;
    if (ForgetRefusal(slot.out)) continue;
    store_batch.Put(slot.dedupe_key, Dedupe::Unwritten(slot.out).Encode());
  }
  for (auto& [stream, st] : plan.overlay) {
    if (st.version == 0) continue;  // refused commands on a permit that does not exist
    store_batch.Put(StateKey(stream), EncodePermitState(st));
    if (cache_.size() > 200000) cache_.clear();
    cache_[stream] = st;
  }
  for (auto& [seq, bytes] : plan.gov_events) store_batch.Put(GovKey(seq), bytes);
  for (auto [p, next] : outcome_next) {
    outcome_next_[p] = std::max(outcome_next_[p], next);
    store_batch.Put(OutcomeCheckpointKey(p), std::to_string(outcome_next_[p]));
  }
  // The log is the source of truth: should this write fail, the core goes
  // back to the store's checkpoints and CatchUp folds the events again.
  if (auto s = store_->Write(rocksdb::WriteOptions(), &store_batch); !s.ok()) {
    LoadCheckpoints();
    cache_.clear();
    return Status("store_unavailable",
                  "the processor's state store could not record a batch: " + s.ToString());
  }
  if (plan.gov_next) {
    std::lock_guard lock(gov_mu_);
    gov_ = plan.gov_next;
  }
  return Status::Ok();
}

std::vector<Outcome> CommandCore::Outcomes(const Plan& plan) const {
  std::vector<Outcome> out;
  out.reserve(plan.slots.size());
  for (const auto& slot : plan.slots) {
    out.push_back(slot.same_as ? plan.slots[*slot.same_as].out : slot.out);
    if (slot.same_as) {
      out.back().duplicate = true;
      out.back().command_id = slot.out.command_id;
    }
  }
  return out;
}

Result<std::vector<std::string>> CommandCore::PrepareKeys(const Plan& plan, PersonalVault& vault) {
  // Named before the batch's new keys are stored: a key made for the
  // person after the erasure (a new application in the same batch) is not
  // the erasure's.
  std::vector<std::string> pending;
  for (const auto& slot : plan.slots) {
    if (!slot.pending) continue;
    for (const auto& e : slot.out.events) {
      const auto* erased = std::get_if<PersonalDataErased>(&e.payload);
      if (!erased) continue;
      auto stored = vault.KeysOf(erased->person_id, /*held=*/false);
      if (!stored.ok()) return stored.status();
      PersonalVault::KeyIds keys;
      if (erased->person_wide()) {
        keys.emplace_back(erased->person_id, std::string());  // marks the person
        for (const auto& k : *stored) keys.emplace_back(k.person_id, k.key_id);
        for (const auto& k : plan.dropped_keys)
          if (k.person_id == erased->person_id) keys.emplace_back(k.person_id, k.key_id);
      } else {
        const VaultKey& own = plan.erased_keys.at(e.event_id);
        keys.emplace_back(own.person_id, own.key_id);
        // Data sealed before key ids existed is under the person's one key:
        // erasing it reaches every such application of the person.
        for (const auto& k : *stored)
          if (k.key_id.empty()) keys.emplace_back(k.person_id, k.key_id);
      }
      pending.push_back(e.event_id);
      if (Status s = vault.AddPendingErasure(e.event_id, keys); !s.ok()) return s;
    }
  }
  if (Status s = vault.Store(plan.new_keys, /*sync=*/true); !s.ok()) return s;
  return pending;
}

Status CommandCore::ResolvePendingErasure(PersonalVault& vault, const std::string& id,
                                          const PersonalVault::KeyIds& keys) {
  // On the log if the permit reached the event's version erased (nothing
  // else takes that version before this runs).
  const size_t slash = id.rfind('/');
  const uint64_t seq =
      slash == std::string::npos ? 0 : std::strtoull(id.c_str() + slash + 1, nullptr, 10);
  if (seq > 0) {
    auto state = State(StreamId(id.substr(0, slash)));
    if (state.ok() && state->version >= seq && state->personal_erased)
      if (Status s = vault.EraseKeys(keys); !s.ok()) return s;
  }
  return vault.RemovePendingErasure(id);
}

}  // namespace pl
