// JSON renderings of the views for the API: what each reader may see.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "domain/charter.h"
#include "domain/decider.h"
#include "domain/state.h"
#include "events/personal_vault.h"

namespace pl {

// The officer's and auditor's view of a permit (GET /v1/permits/{id}), as
// JSON text. Personal data is included (decrypted) only when a vault is
// given; once erased it shows as such. `person_erased`: the application's
// key is gone, whichever of the person's applications the erasure came
// through (the permit's own events know only of an erasure through it).
// `person_id`: whether the applicant's pseudonym is shown (not to the
// applicant: anyone may apply under a guessed NIK and compare the
// pseudonym with one a permit shows).
std::string RenderPermit(const PermitState& s, const GovernanceState& gov, int64_t now_ms,
                         const PersonalVault* vault_for_personal, bool person_erased = false,
                         bool person_id = true);
// Removes the applicant's pseudonym from events as ToJson renders them
// (for the applicant's eyes; see RenderPermit).
void DropPersonIds(nlohmann::json& events);
// Where a permit stands (Stage), with an erasure of the person made through
// another of their applications (`person_erased`: its key destroyed in the
// vault) counted as one of this application's: no step but reject is left.
StageInfo StageOf(const PermitState& s, const GovernanceState& gov, bool person_erased);
// Whether a stage is past its due date on the kecamatan's date at `now_ms`.
bool Overdue(const StageInfo& st, const Charter& c, int64_t now_ms);
// Where a permit stands: stage, next_actions, next_roles, service_days,
// due_date and overdue, under the charter in force.
nlohmann::json RenderStage(const StageInfo& st, const Charter& c, int64_t now_ms);
// The applicant's view (GET /v1/track/{code}): stage, timeline, what is
// missing, the next step and who takes it, the due date, the history.
nlohmann::json RenderTracking(const PermitState& s, const GovernanceState& gov, int64_t now_ms,
                              const std::vector<nlohmann::json>& history, bool person_erased);
// Public verification of a permit number: valid, revoked, expired or unknown.
// An RFC 6902 JSON Patch from `from` to `to`, as a reader of a charter's
// amendment reads it: objects key by key; an array of the same length
// item by item; an array that grew or shrank by the items removed and
// added (a holiday declared is one "add", not every later date
// "replace"d), those it keeps in order untouched.
nlohmann::json ChangesPatch(const nlohmann::json& from, const nlohmann::json& to);

nlohmann::json RenderVerification(const std::string& number, const nlohmann::json* entry,
                                  const std::string& today);

}  // namespace pl
