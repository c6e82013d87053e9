// A batch of commands through CommandCore (projections/command_core.h):
// deciding it against the state without writing anything (Decide), placing
// its outcomes at the offsets its events got (Place), recording it in the
// state store once the events are durable (Commit), or forgetting it (Abort).
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/state_codec.h"
#include "projections/command_core.h"
#include "projections/command_core_internal.h"

namespace pl {
using namespace command_core_internal;

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
      // An order erased the person through another application (the vault
      // destroyed every key of the person, this application's too), which
      // this permit's own history does not record: the decisions that read
      // the erasure see it, so that the permit is never issued nor its data
      // shared.
      const PermitState& st = it->second;
      if (ReadsPersonalErasure(cmd.action) && !st.personal_erased &&
          !st.applicant.person_id.empty() &&
          (std::find(plan.erased.begin(), plan.erased.end(), st.applicant.person_id) !=
               plan.erased.end() ||
           vault.IsErased(st.applicant))) {
        PermitState erased = st;
        erased.personal_erased = true;
        decision = DecidePermit(cmd, erased, *gov_cur);
      } else {
        decision = DecidePermit(cmd, st, *gov_cur);
      }
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
  // Reserved at once (a permit's state is about the size of its latest
  // events): a batch of thousands of applications otherwise grows its
  // buffer by copying it again and again, into fresh pages.
  size_t reserve = 64 * (plan.slots.size() + plan.overlay.size() + 2 * partitions_);
  for (const auto& r : plan.records) reserve += r.key.size() + r.value.size();
  rocksdb::WriteBatch store_batch(reserve);
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

}  // namespace pl
