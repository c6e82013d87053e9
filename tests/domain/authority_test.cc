// Who may act, where, and from which status: the charter's permissions, the
// jurisdictions of roles, and the transition table, checked exhaustively.
#include <nlohmann/json.hpp>

#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using S = PermitStatus;

const std::vector<S> kAllStatuses = {
    S::kNone,     S::kSubmitted,   S::kIncomplete, S::kDocumentsVerified, S::kSurveyScheduled,
    S::kSurveyed, S::kRecommended, S::kIssued,     S::kRejected,          S::kWithdrawn,
    S::kRevoked};

// A world whose permit is in `s` (kNone: no application yet).
PermitWorld InStatus(S s, const std::string& kel = kKel) {
  PermitWorld w;
  switch (s) {
    case S::kNone:
      break;
    case S::kRejected:
      w.AdvanceTo(S::kSubmitted, kel);
      w.Run(Officer("ptsp_head", kel), Reject{"zoning", "y"});
      break;
    case S::kWithdrawn:
      w.AdvanceTo(S::kSubmitted, kel);
      w.Run(Applicant(), Withdraw{"z"});
      break;
    case S::kRevoked:
      w.AdvanceTo(S::kIssued, kel);
      w.Run(Officer("ptsp_head", kel), Revoke{"z"});
      break;
    default:
      w.AdvanceTo(s, kel);
  }
  EXPECT_EQ(w.state.status, s);
  return w;
}

// The status each action leads to; nullopt when it leaves the status as is.
std::optional<S> Target(const std::string& a, S from) {
  if (a == "submit_application") return S::kSubmitted;
  if (a == "verify_documents") return S::kDocumentsVerified;
  if (a == "request_completion") return S::kIncomplete;
  if (a == "complete_documents") return S::kSubmitted;
  if (a == "schedule_survey")
    return from == S::kSurveyScheduled ? std::nullopt : std::optional(S::kSurveyScheduled);
  if (a == "record_survey") return S::kSurveyed;
  if (a == "recommend") return S::kRecommended;
  if (a == "decline_recommendation" || a == "reject") return S::kRejected;
  if (a == "issue_permit") return S::kIssued;
  if (a == "withdraw") return S::kWithdrawn;
  if (a == "revoke") return S::kRevoked;
  return std::nullopt;
}

// The transition table of docs/charter.md, written out independently of the
// decider's.
bool Allowed(const std::string& a, S s) {
  static const std::map<std::string, std::set<S>> kTable = {
      {"submit_application", {S::kNone}},
      {"verify_documents", {S::kSubmitted}},
      {"request_completion", {S::kSubmitted}},
      {"complete_documents", {S::kIncomplete}},
      {"schedule_survey", {S::kDocumentsVerified, S::kSurveyScheduled}},  // again: rescheduled
      {"record_survey", {S::kSurveyScheduled}},
      {"recommend", {S::kSurveyed}},
      {"decline_recommendation", {S::kSurveyed}},
      {"issue_permit", {S::kRecommended}},
      {"reject",
       {S::kSubmitted, S::kIncomplete, S::kDocumentsVerified, S::kSurveyScheduled, S::kSurveyed,
        S::kRecommended}},
      {"withdraw",
       {S::kSubmitted, S::kIncomplete, S::kDocumentsVerified, S::kSurveyScheduled, S::kSurveyed,
        S::kRecommended}},
      {"revoke", {S::kIssued}},
      // Consent is for a permit: on an open application or an issued one.
      {"grant_consent",
       {S::kSubmitted, S::kIncomplete, S::kDocumentsVerified, S::kSurveyScheduled, S::kSurveyed,
        S::kRecommended, S::kIssued}},
  };
  auto it = kTable.find(a);
  if (it == kTable.end()) return s != S::kNone;  // consent withdrawn, erasure
  return it->second.count(s) > 0;
}

TEST(Authority, TransitionTableForEveryStatusAndAction) {
  for (S s : kAllStatuses) {
    const PermitWorld base = InStatus(s);
    const Charter& c = *base.gov.charter;
    for (const auto& a : AllActions()) {
      SCOPED_TRACE(std::string(StatusName(s)) + " / " + a);
      const std::string role = c.permissions.at(a).front();
      // An erasure by legal order (the applicant's own waits for the
      // application's end: Workflow tests).
      Actor actor = a == "erase_personal_data" ? Admin()
                    : role == "applicant"      ? Applicant()
                                               : Officer(role, JurisdictionFor(c, role, kKel));
      PermitWorld w = base;
      Decision d = w.Run(actor, SampleAction(a));
      if (s == S::kNone && a != "submit_application") {
        EXPECT_REFUSED(d, "unknown_permit");
      } else if (s != S::kNone && a == "submit_application") {
        EXPECT_REFUSED(d, "already_exists");
      } else if (!Allowed(a, s)) {
        EXPECT_REFUSED(d, "transition_not_allowed");
        EXPECT_NE(d.refusal->message.find(StatusName(s)), std::string::npos);
        EXPECT_NE(d.refusal->message.find(a), std::string::npos);
      } else {
        EXPECT_ACCEPTED(d);
        auto to = Target(a, s);
        EXPECT_EQ(w.state.status, to ? *to : s);
        if (to) {
          EXPECT_EQ(w.state.stage_entered_ms, w.now);
        }
      }
    }
  }
}

TEST(Authority, EveryRoleNotGrantedAnActionIsRefused) {
  const PermitWorld submitted = InStatus(S::kSubmitted);
  const PermitWorld empty = InStatus(S::kNone);
  const Charter& c = *submitted.gov.charter;
  std::vector<std::string> roles = {"stranger", "bank"};
  for (const auto& [id, def] : c.roles) roles.push_back(id);
  int refusals = 0;
  for (const auto& a : AllActions()) {
    const auto& granted = c.permissions.at(a);
    for (const auto& role : roles) {
      if (std::find(granted.begin(), granted.end(), role) != granted.end()) continue;
      SCOPED_TRACE(role + " / " + a);
      const PermitWorld& w = a == "submit_application" ? empty : submitted;
      Decision d = w.Try(Actor{"x", role, JurisdictionFor(c, role, kKel)}, SampleAction(a));
      EXPECT_REFUSED(d, "role_not_permitted");
      EXPECT_NE(d.refusal->message.find(role), std::string::npos);
      ++refusals;
    }
  }
  EXPECT_GT(refusals, 100);
}

TEST(Authority, MonitorsAndAuditorsCanNeverWrite) {
  for (S s : {S::kNone, S::kSubmitted, S::kSurveyed, S::kIssued}) {
    const PermitWorld w = InStatus(s);
    for (const auto& a : AllActions()) {
      for (const Actor& actor : {Officer("kecamatan_monitor", kKec), Officer("auditor", ""),
                                 Officer("auditor", kKel), Officer("kecamatan_umkm", kKec)}) {
        SCOPED_TRACE(actor.role + " / " + a + " / " + StatusName(s));
        Decision d = w.Try(actor, SampleAction(a));
        ASSERT_FALSE(d.accepted());
        EXPECT_TRUE(d.events.empty());
        EXPECT_TRUE(d.refusal->code == "role_not_permitted" ||
                    d.refusal->code == "unknown_permit" || d.refusal->code == "already_exists")
            << d.refusal->code;
      }
    }
  }
}

TEST(Authority, OfficersOutsideTheirKelurahanAreRefusedForEveryAction) {
  for (S s : kAllStatuses) {
    const PermitWorld w = InStatus(s);
    const Charter& c = *w.gov.charter;
    for (const auto& a : AllActions()) {
      if (s == S::kNone ? a != "submit_application" : a == "submit_application") continue;
      for (const auto& role : c.permissions.at(a)) {
        if (role == "applicant" || role == "admin") continue;
        SCOPED_TRACE(role + " / " + a + " / " + StatusName(s));
        EXPECT_REFUSED(w.Try(Officer(role, kOtherKel), SampleAction(a)), "outside_jurisdiction");
        EXPECT_REFUSED(w.Try(Officer(role, kKec), SampleAction(a)), "outside_jurisdiction");
        EXPECT_REFUSED(w.Try(Officer(role, ""), SampleAction(a)), "outside_jurisdiction");
      }
    }
  }
}

// Where before what: an officer of another kelurahan is refused as such
// whatever the action, one its role is not granted too (a refusal that is
// not remembered, so that it takes no command id of the permit); a role
// the charter does not know is refused as granted nothing.
TEST(Authority, WhereComesBeforeWhat) {
  const PermitWorld w = InStatus(S::kSubmitted);
  const Charter& c = *w.gov.charter;
  int checked = 0;
  for (const auto& [role, def] : c.roles) {
    if (role == "applicant" || def.scope != Scope::kKelurahan) continue;
    for (const auto& a : AllActions()) {
      const auto& granted = c.permissions.at(a);
      if (a == "submit_application" ||
          std::find(granted.begin(), granted.end(), role) != granted.end())
        continue;
      SCOPED_TRACE(role + " / " + a);
      EXPECT_REFUSED(w.Try(Officer(role, kOtherKel), SampleAction(a)), "outside_jurisdiction");
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
  EXPECT_REFUSED(w.Try(Officer("stranger", kOtherKel), SampleAction("verify_documents")),
                 "role_not_permitted");
}

TEST(Authority, ApplicantsActOnlyOnTheirOwnPermit) {
  const PermitWorld w = InStatus(S::kSubmitted);
  for (const auto& a : {"complete_documents", "withdraw", "grant_consent", "withdraw_consent",
                        "erase_personal_data"}) {
    SCOPED_TRACE(a);
    EXPECT_REFUSED(w.Try(Applicant("p-9999"), SampleAction(a)), "outside_jurisdiction");
  }
  const PermitWorld fresh = InStatus(S::kNone);
  EXPECT_REFUSED(fresh.Try(Applicant("p-9999"), GoodSubmission()), "outside_jurisdiction");
  EXPECT_ACCEPTED(fresh.Try(Applicant(), GoodSubmission(kOtherKel)));
}

TEST(Authority, OfficerSubmittingForAnotherKelurahanIsRefused) {
  const PermitWorld w = InStatus(S::kNone);
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer", kKel), GoodSubmission(kOtherKel)),
                 "outside_jurisdiction");
  EXPECT_ACCEPTED(w.Try(Officer("ptsp_officer", kOtherKel), GoodSubmission(kOtherKel)));
}

TEST(Authority, AdminMayEraseAnywhereButNothingElse) {
  const PermitWorld w = InStatus(S::kSurveyed, "31.74.10.1005");
  EXPECT_ACCEPTED(w.Try(Admin(), ErasePersonalData{"court order"}));
  EXPECT_REFUSED(w.Try(Admin(), Recommend{"R"}), "role_not_permitted");
}

// A charter (version 2) that lets the kecamatan UMKM unit record surveys:
// kecamatan scope covers every kelurahan of the kecamatan, and only those.
TEST(Authority, KecamatanScopeCoversItsKelurahan) {
  PermitWorld w = InStatus(S::kSurveyScheduled, "31.74.10.1004");
  auto doc = nlohmann::json::parse(DefaultCharterText());
  doc["charter_version"] = 2;
  doc["permissions"]["record_survey"].push_back("kecamatan_umkm");
  Decision adopt = DecideGovernance(
      Cmd(kGovernanceStream.str(), Admin(), AdoptCharter{doc.dump()}, w.now), w.gov);
  ASSERT_TRUE(adopt.accepted()) << adopt.refusal->message;
  for (const auto& e : adopt.events) EvolveGovernance(w.gov, e);
  EXPECT_EQ(w.gov.charter->version, 2u);
  EXPECT_REFUSED(w.Try(Officer("kecamatan_umkm", "31.74.11"), RecordSurvey{true, ""}),
                 "outside_jurisdiction");
  EXPECT_REFUSED(w.Try(Officer("kecamatan_umkm", "31.74.10.1004"), RecordSurvey{true, ""}),
                 "outside_jurisdiction");
  EXPECT_ACCEPTED(w.Try(Officer("kecamatan_umkm", kKec), RecordSurvey{true, ""}));
}

}  // namespace
}  // namespace pl::testing
