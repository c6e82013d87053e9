// Every transition of the permit workflow: given events, when command, then
// events, and the state Evolve folds from them.
#include <nlohmann/json.hpp>

#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using S = PermitStatus;

TEST(Workflow, SubmitCreatesThePermitWithAFullEnvelope) {
  PermitWorld w;
  Command cmd = Cmd(kPermit, Applicant(), GoodSubmission(), w.now);
  Decision d = DecidePermit(cmd, w.state, w.gov);
  ASSERT_TRUE(d.accepted());
  ASSERT_EQ(d.events.size(), 1u);
  const Envelope& e = d.events[0];
  EXPECT_EQ(e.event_id, "p-0001/1");
  EXPECT_EQ(e.stream.str(), kPermit);
  EXPECT_EQ(e.seq, 1u);
  EXPECT_EQ(e.time_ms, w.now);
  EXPECT_EQ(e.actor_id, "applicant");
  EXPECT_EQ(e.actor_role, "applicant");
  EXPECT_EQ(e.command_id, cmd.id);
  const auto& p = std::get<ApplicationSubmitted>(e.payload);
  EXPECT_EQ(p.kelurahan, kKel);
  EXPECT_EQ(p.applicant.person_id, "person-1");
  EXPECT_EQ(p.business.name, "Warung Bu Sari");
  EXPECT_EQ(p.tracking_hash, "abc123");

  EvolvePermit(w.state, e);
  EXPECT_EQ(w.state.version, 1u);
  EXPECT_EQ(w.state.status, S::kSubmitted);
  EXPECT_EQ(w.state.permit_id, kPermit);
  EXPECT_EQ(w.state.kelurahan, kKel);
  EXPECT_EQ(w.state.submitted_ms, w.now);
  EXPECT_EQ(w.state.stage_entered_ms, w.now);
  EXPECT_EQ(w.state.documents.size(), 6u);
}

TEST(Workflow, AnOfficerMaySubmitAtTheCounter) {
  PermitWorld w;
  Decision d = w.Run(Officer("ptsp_officer"), GoodSubmission());
  EXPECT_ACCEPTED(d);
  EXPECT_EQ(w.state.status, S::kSubmitted);
}

TEST(Workflow, IncompleteAndCompletedAgain) {
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  w.now += 3600000;
  auto d = w.Run(Officer("ptsp_officer"), RequestCompletion{{"kk", "npwp"}});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(std::get<CompletionRequested>(d.events[0].payload).missing,
            (std::vector<std::string>{"kk", "npwp"}));
  EXPECT_EQ(w.state.status, S::kIncomplete);
  EXPECT_EQ(w.state.missing.size(), 2u);
  EXPECT_EQ(w.state.stage_entered_ms, w.now);

  w.now += 3600000;
  EXPECT_REFUSED(w.Try(Applicant(), CompleteDocuments{{"npwp"}}), "documents_still_missing");
  // The NPWP is optional in the charter: asked for, it holds nothing back.
  EXPECT_ACCEPTED(w.Try(Applicant(), CompleteDocuments{{"kk"}}));
  d = w.Run(Applicant(), CompleteDocuments{{"npwp", "kk"}});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].seq, 3u);
  EXPECT_EQ(w.state.status, S::kSubmitted);
  EXPECT_TRUE(w.state.missing.empty());
  EXPECT_EQ(w.state.documents.back(), "npwp");
  EXPECT_EQ(w.state.stage_entered_ms, w.now);
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), RequestCompletion{{"kk"}}));
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), CompleteDocuments{{"kk"}}));
  EXPECT_EQ(w.state.status, S::kSubmitted);
}

TEST(Workflow, EachStepOfTheHappyPath) {
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), VerifyDocuments{}));
  EXPECT_EQ(w.state.status, S::kDocumentsVerified);
  EXPECT_TRUE(std::holds_alternative<DocumentsVerified>(w.log.back().payload));

  EXPECT_ACCEPTED(
      w.Run(Officer("ptsp_officer"), ScheduleSurvey{"2026-03-02", {"ptsp_officer@31.74.10.1002"}}));
  EXPECT_EQ(w.state.status, S::kSurveyScheduled);
  EXPECT_EQ(w.state.survey_date, "2026-03-02");
  EXPECT_EQ(w.state.survey_team, std::vector<std::string>{"ptsp_officer@31.74.10.1002"});

  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), RecordSurvey{true, "ok"}));
  EXPECT_EQ(w.state.status, S::kSurveyed);
  EXPECT_EQ(w.state.zoning_compliant, true);

  EXPECT_ACCEPTED(w.Run(Officer("lurah"), Recommend{"REK-7"}));
  EXPECT_EQ(w.state.status, S::kRecommended);
  EXPECT_EQ(w.state.letter_number, "REK-7");

  w.now = Jakarta(2026, 3, 9, 23, 30);
  auto d = w.Run(Officer("ptsp_head"), IssuePermit{});
  ASSERT_EQ(d.events.size(), 1u);
  const auto& issued = std::get<PermitIssued>(d.events[0].payload);
  EXPECT_EQ(issued.permit_number, "IUMK/3174101002/2026/P-0001");
  EXPECT_EQ(issued.valid_from, "2026-03-09");  // Jakarta date, 16:30 UTC
  EXPECT_EQ(issued.valid_until, "2031-03-09");
  EXPECT_EQ(w.state.status, S::kIssued);
  EXPECT_EQ(w.state.permit_number, issued.permit_number);
  EXPECT_EQ(w.state.valid_from, "2026-03-09");
  EXPECT_EQ(w.state.valid_until, "2031-03-09");
  EXPECT_EQ(w.state.version, 6u);
}

TEST(Workflow, PermitIssuedOnLeapDayIsValidUntilFebruary28) {
  PermitWorld w;
  w.now = Jakarta(2028, 1, 3);
  w.AdvanceTo(S::kRecommended);
  w.now = Jakarta(2028, 2, 29);
  auto d = w.Run(Officer("ptsp_head"), IssuePermit{});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(std::get<PermitIssued>(d.events[0].payload).valid_until, "2033-02-28");
  EXPECT_EQ(std::get<PermitIssued>(d.events[0].payload).permit_number,
            "IUMK/3174101002/2028/P-0001");
}

TEST(Workflow, LurahDeclinesAfterTheSurvey) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyed);
  EXPECT_ACCEPTED(w.Run(Officer("lurah"), DeclineRecommendation{"road reserve"}));
  EXPECT_EQ(w.state.status, S::kRejected);
  EXPECT_EQ(w.state.outcome_code, "recommendation_declined");
  EXPECT_EQ(w.state.outcome_reason, "road reserve");
}

TEST(Workflow, RejectAndWithdrawFromEveryOpenStatus) {
  for (S s : {S::kSubmitted, S::kIncomplete, S::kDocumentsVerified, S::kSurveyScheduled,
              S::kSurveyed, S::kRecommended}) {
    SCOPED_TRACE(StatusName(s));
    PermitWorld w;
    w.AdvanceTo(s);
    w.now += 1000;
    PermitWorld w2 = w;
    EXPECT_ACCEPTED(w.Run(Officer("ptsp_head"), Reject{"zoning", "premises in a green zone"}));
    EXPECT_EQ(w.state.status, S::kRejected);
    EXPECT_EQ(w.state.outcome_code, "zoning");
    EXPECT_EQ(w.state.outcome_reason, "premises in a green zone");
    EXPECT_EQ(w.state.stage_entered_ms, w.now);
    EXPECT_ACCEPTED(w2.Run(Applicant(), Withdraw{"moved away"}));
    EXPECT_EQ(w2.state.status, S::kWithdrawn);
    EXPECT_EQ(w2.state.outcome_code, "withdrawn");
    EXPECT_EQ(w2.state.outcome_reason, "moved away");
  }
}

TEST(Workflow, RevokeAnIssuedPermit) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_head"), Revoke{"business closed"}));
  EXPECT_EQ(w.state.status, S::kRevoked);
  EXPECT_EQ(w.state.outcome_code, "revoked");
  EXPECT_EQ(w.state.outcome_reason, "business closed");
}

TEST(Workflow, ConsentIsGrantedAndWithdrawnAndRepeatsAreNoOps) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  auto d = w.Run(Applicant(), GrantConsent{"bank-dki"});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(w.state.consents, std::set<std::string>{"bank-dki"});
  const PermitState before = w.state;
  d = w.Run(Applicant(), GrantConsent{"bank-dki"});
  EXPECT_TRUE(d.accepted());
  EXPECT_TRUE(d.events.empty());
  EXPECT_EQ(w.state, before);
  d = w.Run(Applicant(), WithdrawConsent{"bank-dki"});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_TRUE(w.state.consents.empty());
  d = w.Run(Applicant(), WithdrawConsent{"bank-dki"});
  EXPECT_TRUE(d.accepted());
  EXPECT_TRUE(d.events.empty());
}

TEST(Workflow, ConsentToASubscriberTheCharterDoesNotNameIsRefused) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  const PermitState before = w.state;
  auto d = w.Run(Applicant(), GrantConsent{"bank_dki"});
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, "unknown_subscriber");
  EXPECT_NE(d.refusal->message.find("bank-dki"), std::string::npos) << d.refusal->message;
  d = w.Run(Applicant(), WithdrawConsent{"nobody"});
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, "unknown_subscriber");
  EXPECT_EQ(w.state, before);
}

TEST(Workflow, ConsentToASubscriberThatNeedsNoneIsRefused) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  const PermitState before = w.state;
  for (Action a :
       {Action{GrantConsent{"ministry-umkm"}}, Action{WithdrawConsent{"ministry-umkm"}}}) {
    auto d = w.Run(Applicant(), a);
    ASSERT_TRUE(d.refusal);
    EXPECT_EQ(d.refusal->code, "consent_not_required");
    EXPECT_NE(d.refusal->message.find("ministry-umkm"), std::string::npos) << d.refusal->message;
  }
  EXPECT_EQ(w.state, before);
}

TEST(Workflow, ConsentAndErasureInEveryStatus) {
  for (S s : {S::kSubmitted, S::kIncomplete, S::kSurveyed, S::kIssued}) {
    SCOPED_TRACE(StatusName(s));
    PermitWorld w;
    w.AdvanceTo(s);
    EXPECT_ACCEPTED(w.Run(Applicant(), GrantConsent{"bank-dki"}));
    EXPECT_EQ(w.state.status, s);
  }
  // A closed application holds no valid permit to share: consent is
  // refused, and one given while it was open can still be withdrawn.
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  EXPECT_ACCEPTED(w.Run(Applicant(), GrantConsent{"bank-dki"}));
  EXPECT_ACCEPTED(w.Run(Applicant(), Withdraw{"changed my mind"}));
  EXPECT_REFUSED(w.Run(Applicant(), GrantConsent{"other-bank"}), "unknown_subscriber");
  // Held still, and given again: refused as well (not taken as a repeat).
  EXPECT_REFUSED(w.Run(Applicant(), GrantConsent{"bank-dki"}), "transition_not_allowed");
  EXPECT_ACCEPTED(w.Run(Applicant(), WithdrawConsent{"bank-dki"}));
  EXPECT_REFUSED(w.Run(Applicant(), GrantConsent{"bank-dki"}), "transition_not_allowed");
  EXPECT_ACCEPTED(w.Run(Applicant(), ErasePersonalData{}));
  EXPECT_EQ(w.state.status, S::kWithdrawn);
}

TEST(Workflow, ErasureByApplicantThenRepeatIsNoOp) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  auto d = w.Run(Applicant(), ErasePersonalData{});
  ASSERT_EQ(d.events.size(), 1u);
  const auto& p = std::get<PersonalDataErased>(d.events[0].payload);
  EXPECT_EQ(p.person_id, "person-1");
  EXPECT_EQ(p.legal_basis, "applicant_request");
  EXPECT_EQ(p.scope, "application") << "a tracking code proves the application, not the person";
  EXPECT_FALSE(p.person_wide());
  EXPECT_TRUE(w.state.personal_erased);
  EXPECT_TRUE(w.state.applicant.ciphertext.empty());
  EXPECT_EQ(w.state.applicant.person_id, "person-1");
  EXPECT_EQ(w.state.status, S::kIssued);
  d = w.Run(Applicant(), ErasePersonalData{});
  EXPECT_TRUE(d.accepted());
  EXPECT_TRUE(d.events.empty());
  // A legal order through an application erased already is carried out:
  // it reaches the person's other applications.
  d = w.Run(Admin(), ErasePersonalData{"court order 12/2026"});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_TRUE(std::get<PersonalDataErased>(d.events[0].payload).person_wide());
}

TEST(Workflow, AnApplicantErasesOnlyAClosedApplicationAndCitesNoOrder) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyed);
  EXPECT_REFUSED(w.Try(Applicant(), ErasePersonalData{}), "application_open");
  EXPECT_ACCEPTED(w.Run(Applicant(), Withdraw{"pindah usaha"}));
  EXPECT_REFUSED(w.Try(Applicant(), ErasePersonalData{"saya minta"}), "role_not_permitted");
  EXPECT_ACCEPTED(w.Run(Applicant(), ErasePersonalData{}));
  // Nothing of the applicant is left to share.
  EXPECT_REFUSED(w.Try(Applicant(), GrantConsent{"bank-dki"}), "personal_data_erased");
}

// A refused transition says what to do instead where the status tells it.
TEST(Workflow, AnIssuedPermitIsRevokedNotWithdrawn) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  auto d = w.Try(Applicant(), Withdraw{"tutup usaha"});
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, "transition_not_allowed");
  EXPECT_NE(d.refusal->message.find("revoke"), std::string::npos) << d.refusal->message;
}

TEST(Workflow, AnApplicationErasedByOrderIsNotIssued) {
  PermitWorld w;
  w.AdvanceTo(S::kRecommended);
  EXPECT_ACCEPTED(w.Run(Admin(), ErasePersonalData{"court order 12/2026"}));
  EXPECT_REFUSED(w.Try(Officer("ptsp_head"), IssuePermit{}), "personal_data_erased");
  // Its worklists and its tracking page offer the one step left.
  StageInfo left = Stage(w.state, *w.gov.charter);
  EXPECT_EQ(left.next_actions, std::vector<std::string>{"reject"});
  EXPECT_EQ(left.next_roles, std::vector<std::string>{"ptsp_head"});
  EXPECT_FALSE(left.due_date.empty()) << "still due: the head rejects it within the stage's level";
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_head"), Reject{"ineligible", "data erased by court order"}));
  EXPECT_TRUE(Stage(w.state, *w.gov.charter).next_actions.empty());
}

// The documents asked for are missing while the documents are checked; a
// closed application lacks nothing.
TEST(Stage, AClosedApplicationListsNothingMissing) {
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), RequestCompletion{{"ktp", "kk"}}));
  EXPECT_EQ(Stage(w.state, *w.gov.charter).missing, (std::vector<std::string>{"ktp", "kk"}));
  EXPECT_ACCEPTED(w.Run(Applicant(), Withdraw{"tutup usaha"}));
  EXPECT_EQ(w.state.status, S::kWithdrawn);
  EXPECT_TRUE(Stage(w.state, *w.gov.charter).missing.empty());
}

TEST(Workflow, ErasureByAdminNeedsALegalBasis) {
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  EXPECT_REFUSED(w.Try(Admin(), ErasePersonalData{}), "missing_field");
  // The legal basis stays in the history after the erasure: no numbers of
  // the person in it.
  EXPECT_REFUSED(w.Try(Admin(), ErasePersonalData{"Putusan PN 12/2026, NIK 3174/0112/3456/7890"}),
                 "personal_data_in_text");
  auto d = w.Run(Admin(), ErasePersonalData{"court order 12/2026"});
  ASSERT_EQ(d.events.size(), 1u);
  const auto& p = std::get<PersonalDataErased>(d.events[0].payload);
  EXPECT_EQ(p.legal_basis, "court order 12/2026");
  EXPECT_EQ(p.scope, "person") << "the administrator, on a legal order, erases the person";
  EXPECT_EQ(d.events[0].actor_role, "admin");
}

TEST(Workflow, SeqFollowsTheStateVersion) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyed);
  ASSERT_EQ(w.log.size(), 4u);
  for (size_t i = 0; i < w.log.size(); ++i) {
    EXPECT_EQ(w.log[i].seq, i + 1);
    EXPECT_EQ(w.log[i].event_id, "p-0001/" + std::to_string(i + 1));
  }
  EXPECT_ACCEPTED(w.Run(Officer("lurah"), Recommend{"R-1"}, 4));
  EXPECT_EQ(w.log.back().seq, 5u);
}

TEST(Stage, NextActionsRolesAndDueDate) {
  PermitWorld w;
  const Charter& c = *w.gov.charter;
  StageInfo none = Stage(w.state, c);
  EXPECT_EQ(none.stage, "none");
  EXPECT_EQ(none.next_actions, std::vector<std::string>{"submit_application"});
  EXPECT_EQ(none.due_date, "");

  w.now = Jakarta(2026, 3, 5);  // Thursday
  w.AdvanceTo(S::kSubmitted);
  StageInfo s = Stage(w.state, c);
  EXPECT_EQ(s.stage, "submitted");
  EXPECT_EQ(s.next_actions, (std::vector<std::string>{"verify_documents", "request_completion"}));
  EXPECT_EQ(s.next_roles, std::vector<std::string>{"ptsp_officer"});
  EXPECT_EQ(s.service_days, 2);
  EXPECT_EQ(s.due_date, "2026-03-09");  // Fri 6, Mon 9

  w.Run(Officer("ptsp_officer"), VerifyDocuments{});
  w.Run(Officer("ptsp_officer"), ScheduleSurvey{"2026-03-06", {"ptsp_officer@31.74.10.1002"}});
  w.Run(Officer("ptsp_officer"), RecordSurvey{true, ""});
  StageInfo surveyed = Stage(w.state, c);
  EXPECT_EQ(surveyed.next_actions,
            (std::vector<std::string>{"recommend", "decline_recommendation"}));
  EXPECT_EQ(surveyed.next_roles, std::vector<std::string>{"lurah"});

  w.Run(Officer("lurah"), Recommend{"R"});
  w.Run(Officer("ptsp_head"), IssuePermit{});
  StageInfo issued = Stage(w.state, c);
  EXPECT_EQ(issued.stage, "issued");
  EXPECT_TRUE(issued.next_actions.empty());
  EXPECT_TRUE(issued.next_roles.empty());
  EXPECT_EQ(issued.due_date, "");
  EXPECT_EQ(issued.service_days, 0);
}

// A due date, once promised, is the service level in force when the stage
// was entered: amending the charter does not move it (nor hide a delay).
TEST(Stage, AnAmendedServiceLevelAppliesToStagesEnteredAfterIt) {
  PermitWorld w;
  w.now = Jakarta(2026, 3, 5);  // Thursday
  w.AdvanceTo(S::kSubmitted);
  ASSERT_EQ(Stage(w.state, w.gov).due_date, "2026-03-09");  // 2 working days
  auto doc = nlohmann::json::parse(DefaultCharterText());
  doc["charter_version"] = 2;
  doc["service_days"]["submitted"] = 10;
  auto d = DecideGovernance(
      Cmd("governance", Admin(), AdoptCharter{doc.dump()}, Jakarta(2026, 3, 6)), w.gov);
  ASSERT_EQ(d.events.size(), 1u);
  EvolveGovernance(w.gov, d.events[0]);
  StageInfo before = Stage(w.state, w.gov);
  EXPECT_EQ(before.due_date, "2026-03-09");
  EXPECT_EQ(before.service_days, 2);
  PermitWorld later;
  later.gov = w.gov;
  later.now = Jakarta(2026, 3, 9);  // Monday, under version 2
  later.AdvanceTo(S::kSubmitted);
  StageInfo after = Stage(later.state, later.gov);
  EXPECT_EQ(after.service_days, 10);
  EXPECT_EQ(after.due_date, "2026-03-25");  // past Nyepi and Idul Fitri (19-20 March)
}

// Nor does a holiday declared or dropped since: the promise was counted on
// the calendar of the charter in force when the stage was entered.
TEST(Stage, AHolidayDeclaredOrDroppedLaterMovesNoPromisedDueDate) {
  PermitWorld w;
  w.now = Jakarta(2026, 3, 5);  // Thursday
  w.AdvanceTo(S::kSubmitted);
  ASSERT_EQ(Stage(w.state, w.gov).due_date, "2026-03-09");  // Fri 6, Mon 9
  auto doc = nlohmann::json::parse(DefaultCharterText());
  doc["charter_version"] = 2;
  doc["holidays"].push_back("2026-03-06");
  auto d = DecideGovernance(
      Cmd("governance", Admin(), AdoptCharter{doc.dump()}, Jakarta(2026, 3, 5, 12)), w.gov);
  ASSERT_EQ(d.events.size(), 1u) << (d.refusal ? d.refusal->message : "");
  EvolveGovernance(w.gov, d.events[0]);
  EXPECT_EQ(Stage(w.state, w.gov).due_date, "2026-03-09");
  // A stage entered after the amendment counts the new holiday.
  PermitWorld later;
  later.gov = w.gov;
  later.now = Jakarta(2026, 3, 5, 13);
  later.AdvanceTo(S::kSubmitted);
  EXPECT_EQ(Stage(later.state, later.gov).due_date, "2026-03-10");  // Mon 9, Tue 10
}

TEST(Stage, AfterASurveyThatFoundTheZoningNotMetTheLurahCanOnlyDecline) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyScheduled);
  w.Run(Officer("kelurahan_economy"), RecordSurvey{false, "zona hijau"});
  ASSERT_EQ(w.state.status, S::kSurveyed);
  EXPECT_EQ(Stage(w.state, *w.gov.charter).next_actions,
            std::vector<std::string>{"decline_recommendation"});
}

// An application handed in without every required document shows what it
// lacks, and its next step is to ask for them, not a verification the
// ledger would refuse; once asked, the list is every one it lacks, named
// in the request or not.
TEST(Stage, ASubmissionLackingDocumentsShowsThemAndAsksForThem) {
  PermitWorld w;
  SubmitApplication lacking = GoodSubmission();
  lacking.documents = {"form", "undertaking", "ktp"};
  w.Run(Applicant(), lacking);
  ASSERT_EQ(w.state.status, S::kSubmitted);
  StageInfo s = Stage(w.state, *w.gov.charter);
  EXPECT_EQ(s.missing, (std::vector<std::string>{"kk", "premises_photo", "premises_proof"}));
  EXPECT_EQ(s.next_actions, std::vector<std::string>{"request_completion"});
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), VerifyDocuments{}), "documents_missing");
  w.Run(Officer("ptsp_officer"), RequestCompletion{{"kk", "premises_photo"}});
  EXPECT_EQ(Stage(w.state, *w.gov.charter).missing,
            (std::vector<std::string>{"kk", "premises_photo", "premises_proof"}));
  w.Run(Applicant(), CompleteDocuments{{"kk", "premises_photo", "premises_proof"}});
  s = Stage(w.state, *w.gov.charter);
  EXPECT_TRUE(s.missing.empty());
  EXPECT_EQ(s.next_actions, (std::vector<std::string>{"verify_documents", "request_completion"}));
}

TEST(Stage, IncompleteShowsApplicantAndOfficer) {
  PermitWorld w;
  w.AdvanceTo(S::kIncomplete);
  StageInfo s = Stage(w.state, *w.gov.charter);
  EXPECT_EQ(s.next_actions, std::vector<std::string>{"complete_documents"});
  EXPECT_EQ(s.next_roles, (std::vector<std::string>{"applicant", "ptsp_officer"}));
  EXPECT_EQ(s.service_days, 14);
}

}  // namespace
}  // namespace pl::testing
