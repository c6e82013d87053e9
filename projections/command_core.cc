// CommandCore's state store (projections/command_core.h): opening it, its
// checkpoints, folding what the log holds past them (CatchUp), and the
// permit and governance states it keeps.
#include "projections/command_core.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "domain/state_codec.h"
#include "events/store_copy.h"
#include "events/store_options.h"
#include "projections/command_core_internal.h"

namespace pl {
using namespace command_core_internal;

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

Status CommandCore::CopyStore(const std::string& dir) {
  return pl::CopyStore(*store_, dir, "the processor's state store");
}

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
                          "only if those records are gone for good, go on from what the log "
                          "holds by moving the processor's state (DATA/state) away (it is "
                          "rebuilt from the log)");
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

Status CommandCore::ForEachState(
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  const std::string prefix = StateKey("");
  std::unique_ptr<rocksdb::Iterator> it(store_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
    if (!fn(it->key().ToStringView().substr(prefix.size()), it->value().ToStringView())) break;
  return it->status().ok() ? Status::Ok() : Status("store_unavailable", it->status().ToString());
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

}  // namespace pl
