// Test fixture for the domain suite: the default charter adopted on a
// governance stream with officers enrolled in every kelurahan, and a permit
// stream driven by Decide + Evolve ("given events, when command, then ...").
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "domain/decider.h"

namespace pl::testing {

inline constexpr const char* kKec = "31.74.10";
inline constexpr const char* kKel = "31.74.10.1002";       // Pesanggrahan
inline constexpr const char* kOtherKel = "31.74.10.1003";  // Ulujami
inline constexpr const char* kPermit = "p-0001";

inline std::string DefaultCharterText() {
  std::ifstream in(PL_SOURCE_DIR "/charters/pesanggrahan.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Milliseconds since the epoch of a Jakarta (UTC+7) wall-clock time.
inline int64_t Jakarta(int y, unsigned m, unsigned d, int hour = 9, int minute = 0) {
  using namespace std::chrono;
  sys_days day{year(y) / month(m) / std::chrono::day(d)};
  auto t = day + hours(hour) + minutes(minute) - hours(7);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

inline Actor Admin() { return {"admin", "admin", ""}; }
inline Actor Applicant(const std::string& permit = kPermit) {
  return {"applicant", "applicant", permit};
}
// An officer of `role` in `jurisdiction` (a kelurahan code, or the kecamatan
// code for kecamatan roles, or "" for roles of scope all). Its id is the one
// the governance fixture enrolls.
inline Actor Officer(const std::string& role, const std::string& jurisdiction = kKel) {
  return {role + "@" + jurisdiction, role, jurisdiction};
}

inline Command Cmd(const std::string& stream, Actor actor, Action action, int64_t time_ms,
                   std::optional<uint64_t> expected = std::nullopt) {
  static int counter = 0;
  return Command{CommandId("c-" + std::to_string(++counter)),
                 StreamId(stream),
                 std::move(actor),
                 expected,
                 time_ms,
                 std::move(action)};
}

// The default charter adopted and, for every kelurahan, one officer of each
// kelurahan role; one officer of each kecamatan role; one auditor.
GovernanceState DefaultGovernance();

inline SubmitApplication GoodSubmission(const std::string& kelurahan = kKel) {
  SubmitApplication s;
  s.kelurahan = kelurahan;
  s.personal = {
      "3174055204880003", "Sari Wulandari", "Jl. Mawar 1", "081234567890", "3174050101010001", ""};
  s.sealed = {"person-1", "sealed-bytes"};
  s.business = {"Warung Bu Sari", "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  s.documents = {"form", "undertaking", "ktp", "kk", "premises_photo", "premises_proof"};
  s.tracking_hash = "abc123";
  return s;
}

// A valid command body for a permit action name, as a clerk would send it
// on a permit in the status that action needs.
Action SampleAction(const std::string& action, const std::string& kelurahan = kKel);
// The jurisdiction an actor of `role` holds to act in `kelurahan`.
std::string JurisdictionFor(const Charter& c, const std::string& role, const std::string& kelurahan,
                            const std::string& permit = kPermit);

// One permit stream under the default governance.
struct PermitWorld {
  GovernanceState gov = DefaultGovernance();
  PermitState state;
  std::vector<Envelope> log;
  std::string stream = kPermit;
  int64_t now = Jakarta(2026, 3, 2);  // a Monday

  // Decides without applying.
  Decision Try(Actor actor, Action action, std::optional<uint64_t> expected = std::nullopt) const {
    return DecidePermit(Cmd(stream, std::move(actor), std::move(action), now, expected), state,
                        gov);
  }
  // Decides and applies the events of an accepted decision.
  Decision Run(Actor actor, Action action, std::optional<uint64_t> expected = std::nullopt) {
    Decision d = Try(std::move(actor), std::move(action), expected);
    for (const auto& e : d.events) {
      EvolvePermit(state, e);
      log.push_back(e);
    }
    return d;
  }
  // Drives the permit along the happy path until it reaches `target`
  // (submitted .. issued, or incomplete).
  void AdvanceTo(PermitStatus target, const std::string& kelurahan = kKel);
};

// Asserts a refusal with `code`.
#define EXPECT_REFUSED(decision, expected_code)                              \
  do {                                                                       \
    const ::pl::Decision& d_ = (decision);                                   \
    ASSERT_FALSE(d_.accepted()) << "accepted, expected " << (expected_code); \
    EXPECT_EQ(d_.refusal->code, (expected_code)) << d_.refusal->message;     \
    EXPECT_TRUE(d_.events.empty());                                          \
    EXPECT_FALSE(d_.refusal->message.empty());                               \
  } while (0)

#define EXPECT_ACCEPTED(decision)                                                  \
  do {                                                                             \
    const ::pl::Decision& d_ = (decision);                                         \
    EXPECT_TRUE(d_.accepted()) << d_.refusal->code << ": " << d_.refusal->message; \
  } while (0)

}  // namespace pl::testing
