// Evolve: folds events into state. Total and deterministic: it never
// refuses, so replaying a stream always reproduces the same state.
#include <algorithm>
#include <memory>
#include <type_traits>

#include "domain/decider_util.h"

namespace pl {
namespace {

void Enter(PermitState& s, PermitStatus status, int64_t time_ms) {
  s.status = status;
  s.stage_entered_ms = time_ms;
}

void Close(PermitState& s, PermitStatus status, int64_t time_ms, std::string code,
           std::string reason) {
  Enter(s, status, time_ms);
  s.outcome_code = std::move(code);
  s.outcome_reason = std::move(reason);
}

}  // namespace

void EvolvePermit(PermitState& s, const Envelope& e) {
  s.version = e.seq;
  const int64_t t = e.time_ms;
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, ApplicationSubmitted>) {
          s.permit_id = e.stream.str();
          s.kelurahan = p.kelurahan;
          s.applicant = p.applicant;
          s.business = p.business;
          s.documents = p.documents;
          s.tracking_hash = p.tracking_hash;
          s.submitted_ms = t;
          Enter(s, PermitStatus::kSubmitted, t);
        } else if constexpr (std::is_same_v<T, CompletionRequested>) {
          s.missing = p.missing;
          Enter(s, PermitStatus::kIncomplete, t);
        } else if constexpr (std::is_same_v<T, DocumentsCompleted>) {
          for (const auto& d : p.provided) {
            if (std::find(s.documents.begin(), s.documents.end(), d) == s.documents.end()) {
              s.documents.push_back(d);
            }
          }
          s.missing.clear();
          Enter(s, PermitStatus::kSubmitted, t);
        } else if constexpr (std::is_same_v<T, DocumentsVerified>) {
          Enter(s, PermitStatus::kDocumentsVerified, t);
        } else if constexpr (std::is_same_v<T, SurveyScheduled>) {
          s.survey_date = p.date;
          s.survey_team = p.team;
          // A survey rescheduled stays in its stage: the stage's service
          // level still counts from the first scheduling.
          if (s.status != PermitStatus::kSurveyScheduled)
            Enter(s, PermitStatus::kSurveyScheduled, t);
        } else if constexpr (std::is_same_v<T, SurveyRecorded>) {
          s.zoning_compliant = p.zoning_compliant;
          Enter(s, PermitStatus::kSurveyed, t);
        } else if constexpr (std::is_same_v<T, Recommended>) {
          s.letter_number = p.letter_number;
          Enter(s, PermitStatus::kRecommended, t);
        } else if constexpr (std::is_same_v<T, RecommendationDeclined>) {
          Close(s, PermitStatus::kRejected, t, "recommendation_declined", p.reason);
        } else if constexpr (std::is_same_v<T, PermitIssued>) {
          s.permit_number = p.permit_number;
          s.valid_from = p.valid_from;
          s.valid_until = p.valid_until;
          Enter(s, PermitStatus::kIssued, t);
        } else if constexpr (std::is_same_v<T, ApplicationRejected>) {
          Close(s, PermitStatus::kRejected, t, p.reason_code, p.reason);
        } else if constexpr (std::is_same_v<T, ApplicationWithdrawn>) {
          Close(s, PermitStatus::kWithdrawn, t, "withdrawn", p.reason);
        } else if constexpr (std::is_same_v<T, PermitRevoked>) {
          Close(s, PermitStatus::kRevoked, t, "revoked", p.reason);
        } else if constexpr (std::is_same_v<T, ConsentGranted>) {
          s.consents.insert(p.subscriber);
        } else if constexpr (std::is_same_v<T, ConsentWithdrawn>) {
          s.consents.erase(p.subscriber);
        } else if constexpr (std::is_same_v<T, PersonalDataErased>) {
          // The key is destroyed by the vault; the ciphertext is useless now.
          s.personal_erased = true;
          s.applicant.ciphertext.clear();
        }
        // CharterAdopted, OfficerEnrolled: governance events, not on permit streams.
      },
      e.payload);
}

void EvolveGovernance(GovernanceState& g, const Envelope& e) {
  g.version = e.seq;
  if (const auto* p = std::get_if<CharterAdopted>(&e.payload)) {
    // Decide only emits charters that parse; an unparsable one (a corrupt or
    // hand-written log) leaves the previous charter in force.
    auto parsed = Charter::FromJson(p->charter_json);
    if (parsed.ok()) {
      g.charter = std::make_shared<const Charter>(std::move(parsed).value());
      g.adopted[e.time_ms] = g.charter;
    }
  } else if (const auto* p = std::get_if<OfficerEnrolled>(&e.payload)) {
    g.officers[p->officer_id] =
        Officer{p->officer_id, p->name, p->role, p->jurisdiction, p->token_hash};
    g.officer_by_token[p->token_hash] = p->officer_id;
    g.retired.erase(p->officer_id);
  } else if (const auto* p = std::get_if<OfficerRetired>(&e.payload)) {
    if (auto o = g.officers.find(p->officer_id); o != g.officers.end()) {
      g.officer_by_token.erase(o->second.token_hash);
      g.officers.erase(o);
      g.retired.insert(p->officer_id);
    }
  }
}

const Charter& ServiceLevelsFor(const PermitState& state, const GovernanceState& gov) {
  auto in_force = gov.adopted.upper_bound(state.stage_entered_ms);
  if (in_force == gov.adopted.begin()) return *gov.charter;  // entered before any charter
  return *std::prev(in_force)->second;
}

StageInfo Stage(const PermitState& state, const GovernanceState& gov) {
  const Charter& charter = *gov.charter;
  StageInfo info = Stage(state, charter, ServiceLevelsFor(state, gov));
  if (state.status != PermitStatus::kSurveyScheduled || state.personal_erased) return info;
  // Someone on the team may still record the survey: enrolled, in a role
  // that records, working in the permit's kelurahan (not moved since).
  const bool recorder_left =
      std::any_of(state.survey_team.begin(), state.survey_team.end(), [&](const std::string& id) {
        auto o = gov.officers.find(id);
        return o != gov.officers.end() && charter.RoleMay(o->second.role, "record_survey") &&
               charter.Covers(o->second.role, o->second.jurisdiction, state.kelurahan);
      });
  if (recorder_left) return info;
  info.survey_team_unavailable = true;
  info.next_actions.clear();
  info.next_roles.clear();
  auto schedulers = charter.permissions.find("schedule_survey");
  if (schedulers != charter.permissions.end() && !schedulers->second.empty()) {
    info.next_actions = {"schedule_survey"};
    info.next_roles = schedulers->second;
    std::sort(info.next_roles.begin(), info.next_roles.end());
  }
  return info;
}

StageInfo Stage(const PermitState& state, const Charter& charter) {
  return Stage(state, charter, charter);
}

std::vector<std::string> LackingDocuments(const PermitState& state, const Charter& charter) {
  std::vector<std::string> lacking;
  for (const auto& d : charter.required_documents)
    if (std::find(state.documents.begin(), state.documents.end(), d) == state.documents.end())
      lacking.push_back(d);
  return lacking;
}

StageInfo Stage(const PermitState& state, const Charter& charter, const Charter& levels) {
  static const std::set<std::string> kSideActions = {
      "reject", "withdraw", "revoke", "grant_consent", "withdraw_consent", "erase_personal_data"};
  StageInfo info;
  info.stage = StatusName(state.status);
  // What the applicant still has to bring: only while the documents are
  // being checked (a closed application lacks nothing).
  if (state.status == PermitStatus::kSubmitted) info.missing = LackingDocuments(state, charter);
  if (state.status == PermitStatus::kIncomplete) info.missing = state.missing;
  // A legal order erased the applicant's data while the application was
  // open: no permit can name its holder, so the one step left is to reject
  // it (as issue_permit's refusal says).
  std::set<std::string> roles;
  for (const auto& action : AllActions()) {
    if (state.personal_erased && IsOpen(state.status)) {
      if (action != "reject") continue;
    } else if (kSideActions.count(action) || !ActionAllowedFrom(state.status, action)) {
      continue;
    }
    // After a survey that found the zoning not met, the Lurah can only decline.
    if (action == "recommend" && state.zoning_compliant == false) continue;
    // Nor is a permit issued to an applicant a legal order erased.
    if (action == "issue_permit" && state.personal_erased) continue;
    // A scheduled survey may be rescheduled, but its next step is the survey.
    if (action == "schedule_survey" && state.status == PermitStatus::kSurveyScheduled) continue;
    // Documents are verified once every required one is in: until then the
    // officer asks for the rest.
    if (action == "verify_documents" && !info.missing.empty()) continue;
    auto it = charter.permissions.find(action);
    if (it == charter.permissions.end() || it->second.empty()) continue;
    info.next_actions.push_back(action);
    roles.insert(it->second.begin(), it->second.end());
  }
  info.next_roles.assign(roles.begin(), roles.end());
  auto days = levels.service_days.find(info.stage);
  if (days != levels.service_days.end()) {
    info.service_days = days->second;
    // On that charter's calendar too: a holiday declared or dropped since
    // moves no due date already promised.
    info.due_date = AddWorkingDays(state.stage_entered_ms, days->second, levels);
  }
  return info;
}

}  // namespace pl
