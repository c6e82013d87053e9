// Randomized property test: thousands of random command sequences, with
// random actors, roles, jurisdictions and payloads, never break the
// workflow's invariants.
#include <random>

#include "domain/decider_util.h"
#include "domain/state_codec.h"
#include "events/envelope.h"
#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using S = PermitStatus;

// Statuses each status may move to (the transition table).
bool LegalMove(S from, S to) {
  if (from == to) return true;
  switch (from) {
    case S::kNone:
      return to == S::kSubmitted;
    case S::kSubmitted:
      return to == S::kIncomplete || to == S::kDocumentsVerified || to == S::kRejected ||
             to == S::kWithdrawn;
    case S::kIncomplete:
      return to == S::kSubmitted || to == S::kRejected || to == S::kWithdrawn;
    case S::kDocumentsVerified:
      return to == S::kSurveyScheduled || to == S::kRejected || to == S::kWithdrawn;
    case S::kSurveyScheduled:
      return to == S::kSurveyed || to == S::kRejected || to == S::kWithdrawn;
    case S::kSurveyed:
      return to == S::kRecommended || to == S::kRejected || to == S::kWithdrawn;
    case S::kRecommended:
      return to == S::kIssued || to == S::kRejected || to == S::kWithdrawn;
    case S::kIssued:
      return to == S::kRevoked;
    default:
      return false;  // final statuses never change
  }
}

class Generator {
 public:
  Generator(uint32_t seed, const Charter& c) : rng_(seed), c_(c) {
    for (const auto& [id, def] : c.roles) roles_.push_back(id);
    roles_.push_back("stranger");
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }

  std::string Kelurahan() {
    if (Chance(5)) return "31.74.10.9999";
    return c_.kelurahan[Pick(static_cast<int>(c_.kelurahan.size()))].code;
  }

  Actor RandomActor(const std::string& permit_kel) {
    const std::string& role = roles_[Pick(static_cast<int>(roles_.size()))];
    std::string jur = JurisdictionFor(c_, role, Chance(70) ? permit_kel : Kelurahan());
    if (role == "applicant" && Chance(15)) jur = "p-other";
    if (Chance(5)) jur = "31.74.10";
    if (role == "applicant") return {"applicant", role, jur};
    // An enrolled officer (the fixture's ids), now and then one never enrolled.
    return Chance(3) ? Actor{"ghost", role, jur} : Officer(role, jur);
  }

  std::string Doc() {
    static const char* kDocs[] = {"form", "ktp", "kk", "npwp", "premises_photo", "selfie"};
    return kDocs[Pick(6)];
  }

  // Mostly an action the workflow expects next, taken by a role the charter
  // grants it to; otherwise anything, by anyone.
  std::pair<Actor, Action> Next(const PermitState& state, const std::string& kel) {
    std::vector<std::string> actions = AllActions();
    if (Chance(70)) {
      StageInfo stage = Stage(state, c_);
      if (!stage.next_actions.empty()) actions = stage.next_actions;
      if (Chance(10))
        actions = {"reject", "withdraw", "revoke", "grant_consent", "erase_personal_data"};
    }
    const std::string name = actions[Pick(static_cast<int>(actions.size()))];
    Actor actor = RandomActor(kel);
    if (Chance(80)) {
      const auto& granted = c_.permissions.at(name);
      const std::string& role = granted[Pick(static_cast<int>(granted.size()))];
      const std::string jur = JurisdictionFor(c_, role, Chance(90) ? kel : Kelurahan());
      actor = role == "applicant" ? Actor{"applicant", role, jur} : Officer(role, jur);
    }
    return {actor, RandomAction(name, kel)};
  }

  Action RandomAction(const std::string& name, const std::string& kel) {
    Action a = SampleAction(name, kel);
    // Perturb payloads so validation refusals happen too.
    if (auto* s = std::get_if<SubmitApplication>(&a)) {
      if (Chance(10)) s->business.capital = 500000000 + Pick(3) - 1;
      if (Chance(10)) s->business.workers = 18 + Pick(4);
      if (Chance(5)) s->personal.nik.pop_back();
      if (Chance(5)) s->documents.push_back(Doc());
    } else if (auto* r = std::get_if<RequestCompletion>(&a)) {
      r->missing = {Doc()};
    } else if (auto* cd = std::get_if<CompleteDocuments>(&a)) {
      cd->provided = {Doc()};
    } else if (auto* rs = std::get_if<RecordSurvey>(&a)) {
      rs->zoning_compliant = Chance(75);
    } else if (auto* g = std::get_if<GrantConsent>(&a)) {
      g->subscriber = Chance(50) ? "bank-dki" : "ministry-umkm";
    } else if (auto* w = std::get_if<WithdrawConsent>(&a)) {
      w->subscriber = Chance(50) ? "bank-dki" : "ministry-umkm";
    } else if (auto* e = std::get_if<ErasePersonalData>(&a)) {
      if (Chance(50)) e->legal_basis.clear();
    } else if (auto* sv = std::get_if<ScheduleSurvey>(&a)) {
      if (Chance(10)) sv->date = "2020-01-01";
    }
    return a;
  }

 private:
  std::mt19937 rng_;
  const Charter& c_;
  std::vector<std::string> roles_;
};

// What a permit in each status must carry: no status is reached without
// the facts the later steps and the views rely on.
void ExpectWhatTheStatusCarries(const PermitState& s) {
  const std::string at = std::string(" (status ") + StatusName(s.status) + ")";
  ASSERT_NE(s.status, S::kNone);
  ASSERT_FALSE(s.permit_id.empty()) << at;
  ASSERT_FALSE(s.kelurahan.empty()) << at;
  ASSERT_GT(s.submitted_ms, 0) << at;
  ASSERT_GE(s.stage_entered_ms, s.submitted_ms) << at;
  if (s.status == S::kIncomplete) {
    ASSERT_FALSE(s.missing.empty()) << "what to bring" << at;
  }
  const bool scheduled = s.status == S::kSurveyScheduled || s.status == S::kSurveyed ||
                         s.status == S::kRecommended || s.status == S::kIssued;
  if (scheduled) {
    ASSERT_FALSE(s.survey_date.empty()) << at;
    ASSERT_FALSE(s.survey_team.empty()) << at;
  }
  const bool surveyed =
      s.status == S::kSurveyed || s.status == S::kRecommended || s.status == S::kIssued;
  if (surveyed) {
    ASSERT_TRUE(s.zoning_compliant.has_value()) << at;
  }
  if (s.status == S::kRecommended || s.status == S::kIssued) {
    ASSERT_EQ(s.zoning_compliant, true) << "recommended only where the zoning fits" << at;
    ASSERT_FALSE(s.letter_number.empty()) << at;
  }
  const bool permitted = s.status == S::kIssued || s.status == S::kRevoked;
  ASSERT_EQ(!s.permit_number.empty(), permitted) << "a permit number exactly when issued" << at;
  if (permitted) {
    ASSERT_FALSE(s.valid_from.empty()) << at;
    ASSERT_GT(s.valid_until, s.valid_from) << at;
  }
  ASSERT_EQ(!s.outcome_code.empty(), IsFinal(s.status)) << "an outcome exactly when closed" << at;
}

// Decisions compared as the log would hold them: the refusal, or the events'
// canonical bytes.
std::string Shown(const Decision& d) {
  if (d.refusal) return "refused " + d.refusal->code + ": " + d.refusal->message;
  std::string out = "accepted";
  for (const auto& e : d.events) out += " " + Encode(e);
  return out;
}

TEST(Property, RandomSequencesKeepTheInvariants) {
  const GovernanceState gov = DefaultGovernance();
  const Charter& charter = *gov.charter;
  int accepted = 0, refused = 0, events = 0;
  std::map<S, int> reached;
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    Generator gen(seed, charter);
    const std::string stream = "p-" + std::to_string(seed);
    const std::string home = gen.Kelurahan();
    PermitState state;
    PermitState lean;  // what audit verify keeps between events (DropWhatNoDecisionReads)
    std::vector<Envelope> log;
    int64_t now = Jakarta(2026, 1, 5) + gen.Pick(86400000);
    for (int step = 0; step < 30; ++step) {
      now += gen.Pick(3 * 86400000);
      const std::string kel = state.version ? state.kelurahan : home;
      auto [actor, action] = gen.Next(state, kel);
      if (actor.role == "applicant" && actor.jurisdiction != "p-other") actor.jurisdiction = stream;
      std::optional<uint64_t> expected;
      if (gen.Chance(20)) expected = state.version + gen.Pick(3) - 1;
      Command cmd = Cmd(stream, actor, action, now, expected);
      Decision d = DecidePermit(cmd, state, gov);
      // Audit verify decides on the lean state, the personal data unknown:
      // the decision must be the one the whole state gives.
      ASSERT_EQ(Shown(DecidePermit(cmd, lean, gov, /*personal_known=*/false)),
                Shown(DecidePermit(cmd, state, gov, /*personal_known=*/false)))
          << ActionName(cmd.action) << " at step " << step << " of seed " << seed;
      if (!d.accepted()) {
        ++refused;
        ASSERT_TRUE(d.events.empty()) << "refused decisions carry no events";
        ASSERT_FALSE(d.refusal->code.empty());
        continue;
      }
      ++accepted;
      const S before = state.status;
      for (size_t i = 0; i < d.events.size(); ++i) {
        const Envelope& e = d.events[i];
        ASSERT_EQ(e.seq, state.version + 1) << "seq contiguous from version+1";
        ASSERT_EQ(e.event_id, stream + "/" + std::to_string(e.seq));
        ASSERT_EQ(e.command_id, cmd.id);
        ASSERT_EQ(e.actor_role, actor.role);
        ASSERT_EQ(e.time_ms, now);
        const S from = state.status;
        EvolvePermit(state, e);
        EvolvePermit(lean, e);
        DropWhatNoDecisionReads(lean);
        ASSERT_TRUE(LegalMove(from, state.status))
            << StatusName(from) << " -> " << StatusName(state.status) << " by "
            << ActionName(cmd.action);
        log.push_back(e);
        ++events;
      }
      ASSERT_TRUE(LegalMove(before, state.status));
      if (IsFinal(before)) {
        ASSERT_EQ(state.status, before) << "final statuses never change";
      }
      ASSERT_NO_FATAL_FAILURE(ExpectWhatTheStatusCarries(state));
    }
    ++reached[state.status];
    // Folding what the log holds reproduces the state, the way a restarted
    // processor rebuilds it: each event read back from its stored bytes, the
    // state kept in its store's encoding between events.
    PermitState replayed;
    for (const auto& e : log) {
      auto stored = Decode(Encode(e));
      ASSERT_TRUE(stored.ok()) << stored.status().message();
      ASSERT_EQ(Encode(*stored), Encode(e)) << "the event encoding is canonical";
      EvolvePermit(replayed, *stored);
      auto kept = DecodePermitState(EncodePermitState(replayed));
      ASSERT_TRUE(kept.ok()) << kept.status().message();
      replayed = std::move(*kept);
    }
    ASSERT_EQ(replayed, state) << "folding the stored events from scratch reproduces the state";
    ASSERT_EQ(state.version, log.size());
  }
  // The generator must actually explore the workflow.
  EXPECT_GT(accepted, 10000);
  EXPECT_GT(refused, 10000);
  EXPECT_GT(events, 10000);
  EXPECT_GT(reached[S::kIssued], 50);
  EXPECT_GT(reached[S::kRevoked], 50);
  EXPECT_GT(reached[S::kRejected], 100);
  EXPECT_GT(reached[S::kWithdrawn], 100);
}

}  // namespace
}  // namespace pl::testing
