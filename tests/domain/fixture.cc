#include "tests/domain/fixture.h"

namespace pl::testing {

namespace {

void Apply(GovernanceState& gov, const Command& cmd) {
  Decision d = DecideGovernance(cmd, gov);
  if (!d.accepted()) {
    ADD_FAILURE() << "governance fixture refused: " << d.refusal->code << " " << d.refusal->message;
    return;
  }
  for (const auto& e : d.events) EvolveGovernance(gov, e);
}

void Enroll(GovernanceState& gov, const std::string& role, const std::string& jurisdiction) {
  Actor a = Officer(role, jurisdiction);
  Apply(gov, Cmd(kGovernanceStream.str(), Admin(),
                 EnrollOfficer{a.id, "Officer " + role, role, jurisdiction, "token-" + a.id},
                 Jakarta(2026, 1, 5)));
}

}  // namespace

GovernanceState DefaultGovernance() {
  static const GovernanceState kGov = [] {
    GovernanceState gov;
    Apply(gov, Cmd(kGovernanceStream.str(), Admin(), AdoptCharter{DefaultCharterText()},
                   Jakarta(2026, 1, 2)));
    for (const auto& k : gov.charter->kelurahan) {
      for (const char* role : {"ptsp_officer", "ptsp_head", "lurah", "kelurahan_economy"}) {
        Enroll(gov, role, k.code);
      }
    }
    Enroll(gov, "kecamatan_umkm", kKec);
    Enroll(gov, "kecamatan_monitor", kKec);
    Enroll(gov, "auditor", "");
    return gov;
  }();
  return kGov;
}

Action SampleAction(const std::string& a, const std::string& kelurahan) {
  if (a == "submit_application") return GoodSubmission(kelurahan);
  if (a == "verify_documents") return VerifyDocuments{};
  if (a == "request_completion") return RequestCompletion{{"kk"}};
  if (a == "complete_documents") return CompleteDocuments{{"kk"}};
  if (a == "schedule_survey")
    return ScheduleSurvey{"2026-12-01",
                          {"ptsp_officer@" + kelurahan, "kelurahan_economy@" + kelurahan}};
  if (a == "record_survey") return RecordSurvey{true, "fits"};
  if (a == "recommend") return Recommend{"REK-1"};
  if (a == "decline_recommendation") return DeclineRecommendation{"not a business area"};
  if (a == "issue_permit") return IssuePermit{};
  if (a == "reject")
    return Reject{"duplicate_application", "a permit already exists for this business"};
  if (a == "withdraw") return Withdraw{"closing the business"};
  if (a == "revoke") return Revoke{"business closed"};
  if (a == "grant_consent") return GrantConsent{"bank-dki"};
  if (a == "withdraw_consent") return WithdrawConsent{"bank-dki"};
  if (a == "erase_personal_data") return ErasePersonalData{"court order 1/2026"};
  ADD_FAILURE() << "no sample for " << a;
  return VerifyDocuments{};
}

std::string JurisdictionFor(const Charter& c, const std::string& role, const std::string& kelurahan,
                            const std::string& permit) {
  if (role == "applicant") return permit;
  auto it = c.roles.find(role);
  if (it == c.roles.end()) return kelurahan;
  switch (it->second.scope) {
    case Scope::kKelurahan:
      return kelurahan;
    case Scope::kKecamatan:
      return c.kecamatan_code;
    case Scope::kAll:
      return "";
  }
  return kelurahan;
}

void PermitWorld::AdvanceTo(PermitStatus target, const std::string& kelurahan) {
  using S = PermitStatus;
  bool ok = true;
  auto step = [&](Actor actor, Action action) {
    if (!ok) return;
    Decision d = Run(std::move(actor), std::move(action));
    ok = d.accepted();
    EXPECT_TRUE(ok) << "AdvanceTo: " << d.refusal->code << ": " << d.refusal->message;
  };
  step(Applicant(stream), GoodSubmission(kelurahan));
  if (target == S::kSubmitted) return;
  if (target == S::kIncomplete) {
    step(Officer("ptsp_officer", kelurahan), RequestCompletion{{"kk"}});
    return;
  }
  step(Officer("ptsp_officer", kelurahan), VerifyDocuments{});
  if (target == S::kDocumentsVerified) return;
  step(Officer("ptsp_officer", kelurahan),
       ScheduleSurvey{AddWorkingDays(now, 2, *gov.charter),
                      {"ptsp_officer@" + kelurahan, "kelurahan_economy@" + kelurahan,
                       "kecamatan_umkm@31.74.10"}});
  if (target == S::kSurveyScheduled) return;
  step(Officer("kelurahan_economy", kelurahan), RecordSurvey{true, "fits the zoning plan"});
  if (target == S::kSurveyed) return;
  step(Officer("lurah", kelurahan), Recommend{"REK-001/2026"});
  if (target == S::kRecommended) return;
  step(Officer("ptsp_head", kelurahan), IssuePermit{});
  ASSERT_EQ(target, S::kIssued) << "AdvanceTo does not reach " << StatusName(target);
}

}  // namespace pl::testing
