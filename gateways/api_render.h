// JSON renderings of the views for the API: what each reader may see.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "domain/charter.h"
#include "domain/state.h"
#include "events/personal_vault.h"

namespace pl {

// The officer's and auditor's view of a permit (GET /v1/permits/{id}), as
// JSON text. Personal data is included (decrypted) only when a vault is
// given; once erased it shows as such. `person_erased`: the person's key is
// gone, whichever of their applications the erasure came through (the
// permit's own events know only of an erasure through it).
std::string RenderPermit(const PermitState& s, const GovernanceState& gov, int64_t now_ms,
                         const PersonalVault* vault_for_personal, bool person_erased = false);
// Where a permit stands: stage, next_actions, next_roles, service_days,
// due_date and overdue.
nlohmann::json RenderStage(const PermitState& s, const GovernanceState& gov, int64_t now_ms);
// The applicant's view (GET /v1/track/{code}): stage, timeline, what is
// missing, the next step and who takes it, the due date, the history.
nlohmann::json RenderTracking(const PermitState& s, const GovernanceState& gov, int64_t now_ms,
                              const std::vector<nlohmann::json>& history);
// Public verification of a permit number: valid, revoked, expired or unknown.
nlohmann::json RenderVerification(const std::string& number, const nlohmann::json* entry,
                                  const std::string& today);

}  // namespace pl
