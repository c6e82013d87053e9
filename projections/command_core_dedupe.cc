// What a command did, for its repeats (projections/command_core.h): the
// digest of an action, the first outcome of a repeated command read back
// (from its record, and the log for its events), the records of refused and
// no-op commands folded from the outcome topic, and the outcomes of a batch
// with repeats in it.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/command_codec.h"
#include "projections/command_core.h"
#include "projections/command_core_internal.h"
#include "projections/merkle_hash.h"

namespace pl {
using namespace command_core_internal;

std::string ActionDigest(const Action& action) {
  if (std::holds_alternative<SubmitApplication>(action)) return "";
  Command only;  // the action alone: no id, stream, actor or time
  only.action = action;
  const Hash h = Sha256({EncodeCommand(only)});
  return std::string(reinterpret_cast<const char*>(h.data()), 16);
}

Status CommandCore::FoldOutcome(int32_t p, uint64_t offset, const Outcome& o) {
  rocksdb::WriteBatch batch;
  if (o.error.ok() && !o.duplicate && o.events.empty() && !ForgetRefusal(o))
    batch.Put(DedupeKey(o.stream, o.command_id), Dedupe::Unwritten(o).Encode());
  // An accepted command's digest, which its events do not hold: what was
  // rebuilt of it from the event topic (CatchUp, first) gains it, so that
  // the same command id with other fields is refused after a takeover as
  // before it.
  if (o.error.ok() && !o.duplicate && !o.events.empty() && !o.digest.empty()) {
    const std::string key = DedupeKey(o.stream, o.command_id);
    std::string stored;
    if (store_->Get(rocksdb::ReadOptions(), key, &stored).ok())
      if (auto d = Dedupe::Decode(stored); d && d->kind == Dedupe::kAccepted && d->digest.empty()) {
        d->digest = o.digest;
        batch.Put(key, d->Encode());
      }
  }
  outcome_next_[p] = std::max(outcome_next_[p], offset + 1);
  batch.Put(OutcomeCheckpointKey(p), std::to_string(outcome_next_[p]));
  if (auto s = store_->Write(rocksdb::WriteOptions(), &batch); !s.ok())
    return Status("store_unavailable", s.ToString());
  return Status::Ok();
}

uint64_t CommandCore::outcome_checkpoint(int32_t p) const { return outcome_next_[p]; }

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

}  // namespace pl
