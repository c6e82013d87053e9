// Checking logged events with the decider (RedecidePermitEvent,
// RedecideGovernanceEvent): what audit verify runs on every event.
#include <nlohmann/json.hpp>

#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using S = PermitStatus;

// Every event of `log` re-decided against the state before it.
std::vector<Redecision> RedecideAll(const std::vector<Envelope>& log, const GovernanceState& gov) {
  std::vector<Redecision> out;
  PermitState state;
  for (const auto& e : log) {
    out.push_back(RedecidePermitEvent(e, state, gov));
    EvolvePermit(state, e);
  }
  return out;
}

TEST(Redecide, EveryEventTheDeciderWroteIsTheOneItWritesAgain) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  w.now += 3600 * 1000;
  w.Run(Applicant(), GrantConsent{"bank-dki"});
  w.Run(Officer("ptsp_head"), Revoke{"premises closed"});
  w.Run(Applicant(), ErasePersonalData{});
  ASSERT_EQ(w.log.size(), 9u);
  for (const auto& r : RedecideAll(w.log, w.gov))
    EXPECT_TRUE(r.ok()) << (r.refusal ? r.refusal->code + ": " + r.refusal->message : r.difference);
}

TEST(Redecide, AnEventTheDeciderWouldRefuseNamesTheRule) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyScheduled);
  // A survey team naming an officer never enrolled, or one of another kelurahan.
  Envelope team = w.log.back();
  team.payload = SurveyScheduled{std::get<SurveyScheduled>(team.payload).date, {"ghost"}};
  PermitState before;
  for (size_t i = 0; i + 1 < w.log.size(); ++i) EvolvePermit(before, w.log[i]);
  auto r = RedecidePermitEvent(team, before, w.gov);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->code, "unknown_officer");
  team.payload = SurveyScheduled{std::get<SurveyScheduled>(team.payload).date,
                                 {"ptsp_officer@" + std::string(kOtherKel)}};
  r = RedecidePermitEvent(team, before, w.gov);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->code, "team_outside_jurisdiction");

  // A recommendation after a survey that found the zoning non-compliant.
  w.Run(Officer("kelurahan_economy"), RecordSurvey{false, "outside the zoning plan"});
  Envelope rec = w.log.back();
  rec.seq += 1;
  rec.actor_id = Officer("lurah").id;
  rec.actor_role = "lurah";
  rec.payload = Recommended{"REK-9/2026"};
  r = RedecidePermitEvent(rec, w.state, w.gov);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->code, "zoning_non_compliant");
}

TEST(Redecide, AnIssuanceNotAsTheCharterGivesItIsNamedFieldByField) {
  PermitWorld w;
  w.AdvanceTo(S::kRecommended);
  const PermitState before = w.state;
  w.Run(Officer("ptsp_head"), IssuePermit{});
  Envelope issued = w.log.back();
  EXPECT_TRUE(RedecidePermitEvent(issued, before, w.gov).ok());
  auto p = std::get<PermitIssued>(issued.payload);
  p.valid_until = "2099-12-31";
  p.permit_number = "IUMK/3174101002/2026/OTHER";
  issued.payload = p;
  auto r = RedecidePermitEvent(issued, before, w.gov);
  EXPECT_FALSE(r.refusal);
  EXPECT_NE(r.difference.find("valid_until is \"2099-12-31\" in the log"), std::string::npos)
      << r.difference;
  EXPECT_NE(r.difference.find("permit_number"), std::string::npos) << r.difference;
}

TEST(Redecide, AnEventThatChangesNothingIsFlagged) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  w.Run(Applicant(), GrantConsent{"bank-dki"});
  Envelope again = w.log.back();
  again.seq += 1;
  auto r = RedecidePermitEvent(again, w.state, w.gov);
  EXPECT_TRUE(r.no_change);
  EXPECT_FALSE(r.ok());
}

// A history never goes back in time beyond the clocks' tolerance.
TEST(Redecide, ABackdatedEventIsRefusedLiveAndFlaggedInTheLog) {
  PermitWorld w;
  w.AdvanceTo(S::kRecommended);
  const int64_t entered = w.state.stage_entered_ms;
  w.now = entered - 4 * 60 * 1000;  // a clock 4 minutes behind: within the tolerance
  EXPECT_ACCEPTED(w.Try(Officer("ptsp_head"), IssuePermit{}));
  w.now = entered - 400LL * 24 * 3600 * 1000;
  EXPECT_REFUSED(w.Try(Officer("ptsp_head"), IssuePermit{}), "time_before_history");
  w.now = entered + 1000;
  const PermitState before = w.state;
  w.Run(Officer("ptsp_head"), IssuePermit{});
  Envelope issued = w.log.back();
  issued.time_ms = before.submitted_ms - 400LL * 24 * 3600 * 1000;
  auto r = RedecidePermitEvent(issued, before, w.gov);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->code, "time_before_history");
}

TEST(Redecide, GovernanceEvents) {
  GovernanceState gov;
  Command adopt =
      Cmd("governance", Admin(), AdoptCharter{DefaultCharterText()}, Jakarta(2026, 1, 5));
  Decision d = DecideGovernance(adopt, gov);
  ASSERT_TRUE(d.accepted());
  EXPECT_TRUE(RedecideGovernanceEvent(d.events.front(), gov).ok());
  EvolveGovernance(gov, d.events.front());
  // Version 1 followed by version 7.
  Envelope skip = d.events.front();
  skip.seq = 2;
  auto text = nlohmann::json::parse(std::get<CharterAdopted>(skip.payload).charter_json);
  text["charter_version"] = 7;
  skip.payload = CharterAdopted{7, text.dump()};
  auto r = RedecideGovernanceEvent(skip, gov);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->code, "invalid_charter");
  EXPECT_NE(r.refusal->message.find("skips versions"), std::string::npos) << r.refusal->message;
  // Version 2 without a kelurahan.
  text["charter_version"] = 2;
  text["kelurahan"].erase(text["kelurahan"].size() - 1);
  skip.payload = CharterAdopted{2, text.dump()};
  r = RedecideGovernanceEvent(skip, gov);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->code, "kelurahan_removed");
}

}  // namespace
}  // namespace pl::testing
