// Checking a logged event by deciding its command again (decider.h,
// RedecidePermitEvent): the verifier of `audit verify` applies the very
// rules a live command meets.
#include <type_traits>

#include "domain/decider_util.h"
#include "events/json.h"

namespace pl {
namespace {

Action ActionOf(const Envelope& e) {
  return std::visit(
      [&](const auto& p) -> Action {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, ApplicationSubmitted>) {
          SubmitApplication a;
          a.kelurahan = p.kelurahan;
          a.sealed = p.applicant;
          a.business = p.business;
          a.documents = p.documents;
          a.tracking_hash = p.tracking_hash;
          return a;
        } else if constexpr (std::is_same_v<T, CompletionRequested>) {
          return RequestCompletion{p.missing};
        } else if constexpr (std::is_same_v<T, DocumentsCompleted>) {
          return CompleteDocuments{p.provided};
        } else if constexpr (std::is_same_v<T, DocumentsVerified>) {
          return VerifyDocuments{};
        } else if constexpr (std::is_same_v<T, SurveyScheduled>) {
          return ScheduleSurvey{p.date, p.team};
        } else if constexpr (std::is_same_v<T, SurveyRecorded>) {
          return RecordSurvey{p.zoning_compliant, p.notes};
        } else if constexpr (std::is_same_v<T, Recommended>) {
          return Recommend{p.letter_number};
        } else if constexpr (std::is_same_v<T, RecommendationDeclined>) {
          return DeclineRecommendation{p.reason};
        } else if constexpr (std::is_same_v<T, PermitIssued>) {
          return IssuePermit{};
        } else if constexpr (std::is_same_v<T, ApplicationRejected>) {
          return Reject{p.reason_code, p.reason};
        } else if constexpr (std::is_same_v<T, ApplicationWithdrawn>) {
          return Withdraw{p.reason};
        } else if constexpr (std::is_same_v<T, PermitRevoked>) {
          return Revoke{p.reason};
        } else if constexpr (std::is_same_v<T, ConsentGranted>) {
          return GrantConsent{p.subscriber};
        } else if constexpr (std::is_same_v<T, ConsentWithdrawn>) {
          return WithdrawConsent{p.subscriber};
        } else if constexpr (std::is_same_v<T, PersonalDataErased>) {
          // An applicant's erasure is sent without a legal basis; the
          // decider records it as "applicant_request".
          return ErasePersonalData{e.actor_role == "applicant" ? std::string() : p.legal_basis};
        } else if constexpr (std::is_same_v<T, CharterAdopted>) {
          return AdoptCharter{p.charter_json};
        } else if constexpr (std::is_same_v<T, OfficerEnrolled>) {
          return EnrollOfficer{p.officer_id, p.name, p.role, p.jurisdiction, p.token_hash};
        } else {
          static_assert(std::is_same_v<T, OfficerRetired>, "an event without its command");
          return RetireOfficer{p.officer_id, p.reason};
        }
      },
      e.payload);
}

std::string Shown(const nlohmann::json& j) { return j.is_null() ? "nothing" : j.dump(); }

// What differs between the logged event and the one decided again.
std::string Difference(const Envelope& logged, const Envelope& decided) {
  // As their canonical bytes would compare, without encoding both (audit
  // verify does this for every event).
  if (logged == decided) return "";
  std::string out;
  auto add = [&](const std::string& field, const std::string& log, const std::string& ours) {
    out +=
        (out.empty() ? "" : "; ") + field + " is " + log + " in the log, the decider gives " + ours;
  };
  if (logged.type() != decided.type()) {
    add("the event", EventTypeName(logged.type()), EventTypeName(decided.type()));
    return out;
  }
  const nlohmann::json a = PayloadToJson(logged.payload), b = PayloadToJson(decided.payload);
  for (const auto& [k, v] : a.items())
    if (!b.contains(k) || b[k] != v) add(k, Shown(v), Shown(b.contains(k) ? b[k] : nullptr));
  for (const auto& [k, v] : b.items())
    if (!a.contains(k)) add(k, "nothing", Shown(v));
  if (out.empty()) out = "the payload's bytes differ from the decider's";
  return out;
}

Redecision Compare(const Envelope& e, Decision d) {
  Redecision r;
  if (d.refusal) {
    r.refusal = std::move(d.refusal);
  } else if (d.events.empty()) {
    r.no_change = true;
  } else {
    // The position is the caller's check (seq_gap, wrong_event_id).
    Envelope& ours = d.events.front();
    ours.seq = e.seq;
    ours.event_id = e.event_id;
    r.difference = Difference(e, ours);
    if (d.events.size() > 1)
      r.difference += (r.difference.empty() ? "" : "; ") +
                      std::string("the decider writes more events for this command");
  }
  return r;
}

}  // namespace

Command CommandOfEvent(const Envelope& e, const GovernanceState& gov) {
  Command c;
  c.id = e.command_id;
  c.stream = e.stream;
  c.time_ms = e.time_ms;
  c.actor.id = e.actor_id;
  c.actor.role = e.actor_role;
  if (e.actor_role == "applicant") {
    c.actor.jurisdiction = e.stream.str();
  } else if (auto o = gov.officers.find(e.actor_id); o != gov.officers.end()) {
    c.actor.jurisdiction = o->second.jurisdiction;
  }
  c.action = ActionOf(e);
  return c;
}

Redecision RedecidePermitEvent(const Envelope& e, const PermitState& before,
                               const GovernanceState& gov) {
  return RedecidePermitEvent(e, CommandOfEvent(e, gov), before, gov);
}

Redecision RedecidePermitEvent(const Envelope& e, const Command& command, const PermitState& before,
                               const GovernanceState& gov) {
  return Compare(e, DecidePermit(command, before, gov, /*personal_known=*/false));
}

void DropWhatNoDecisionReads(PermitState& st) {
  st.applicant.ciphertext.clear();
  st.applicant.ciphertext.shrink_to_fit();
  st.business = Business{};
  st.permit_number = {};
  st.valid_from = {};
  st.valid_until = {};
  st.tracking_hash = {};
  st.outcome_reason = {};
  st.letter_number = {};
}

Redecision RedecideGovernanceEvent(const Envelope& e, const GovernanceState& gov) {
  return Compare(e, DecideGovernance(CommandOfEvent(e, gov), gov));
}

}  // namespace pl
