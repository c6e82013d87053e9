// A batch's key material in the personal vault (projections/command_core.h):
// its new keys stored and its erasures named before its events are written
// (PrepareKeys), and an erasure's keys destroyed once its event is on the
// log (ResolvePendingErasure).
#include <cstdlib>
#include <string>
#include <vector>

#include "projections/command_core.h"

namespace pl {

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
