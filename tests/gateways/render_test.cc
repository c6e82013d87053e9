// The permit answer (GET /v1/permits/{id}) is written directly as text; it
// must be exactly what nlohmann would dump for the same document (sorted
// keys, its escaping), in every status and for every reader.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "domain/decider.h"
#include "events/json_writer.h"
#include "gateways/api_render.h"
#include "gateways/audit_cli.h"
#include "gateways/key_wait.h"
#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using nlohmann::json;

// Parses `text` and dumps it again: equal only if `text` is nlohmann's own
// canonical form.
void ExpectCanonical(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(parsed.is_discarded()) << text;
  EXPECT_EQ(parsed.dump(), text);
}

TEST(JsonWriter, WritesWhatNlohmannDumps) {
  const std::string tricky = std::string("Warung \"Bu\" Sari\\\n\t\r\b\f") + '\x01' + '\x1f' +
                             "\x7f caf\xc3\xa9 \xe2\x9c\x93 /";
  JsonWriter w;
  w.BeginObject().Key("a").BeginArray().EndArray();
  w.Key("b").BeginObject().EndObject();
  w.Key("c").BeginArray().Int(-5).Int(0).Bool(true).Null().String(tricky);
  w.BeginObject().Key("x").Int(INT64_MAX).EndObject().EndArray();
  w.Key("d").String("");
  std::string text = w.EndObject().Take();
  ExpectCanonical(text);
  EXPECT_EQ(json::parse(text)["c"][4], tricky);
}

TEST(RenderPermit, IsNlohmannsCanonicalTextInEveryStatus) {
  for (PermitStatus status :
       {PermitStatus::kSubmitted, PermitStatus::kIncomplete, PermitStatus::kDocumentsVerified,
        PermitStatus::kSurveyScheduled, PermitStatus::kSurveyed, PermitStatus::kRecommended,
        PermitStatus::kIssued}) {
    SCOPED_TRACE(StatusName(status));
    PermitWorld w;
    w.AdvanceTo(status);
    w.state.business.name = "Kopi \"Kenangan\"\\\n";
    w.state.consents = {"ministry-umkm", "bank-dki"};
    const Charter& c = *w.gov.charter;
    const std::string text = RenderPermit(w.state, w.gov, w.now, nullptr);
    ExpectCanonical(text);
    json j = json::parse(text);
    EXPECT_EQ(j["status"], StatusName(status));
    EXPECT_EQ(j["version"], w.state.version);
    EXPECT_EQ(j["business"]["name"], w.state.business.name);
    EXPECT_EQ(j["applicant"], (json{{"person_id", w.state.applicant.person_id}}));
    EXPECT_EQ(j["consents"], (json{"bank-dki", "ministry-umkm"}));
    const StageInfo st = Stage(w.state, c);
    EXPECT_EQ(j["next_actions"], st.next_actions);
    EXPECT_EQ(j["due_date"], st.due_date.empty() ? json() : json(st.due_date));
    EXPECT_EQ(j.contains("permit_number"), status == PermitStatus::kIssued);
    EXPECT_EQ(j.contains("survey"), !w.state.survey_date.empty());
  }
  PermitWorld rejected;
  rejected.AdvanceTo(PermitStatus::kSubmitted);
  rejected.Run(Officer("ptsp_head"), Reject{"duplicate_application", "sudah punya"});
  auto text = RenderPermit(rejected.state, rejected.gov, rejected.now, nullptr);
  ExpectCanonical(text);
  EXPECT_EQ(json::parse(text)["outcome"]["code"], "duplicate_application");
}

TEST(RenderPermit, ShowsPersonalDataToThoseWhoMaySeeItUntilErased) {
  const auto dir = std::filesystem::temp_directory_path() / "pl-render-vault";
  std::filesystem::remove_all(dir);
  auto vault = PersonalVault::Open(dir.string());
  ASSERT_TRUE(vault.ok());
  PermitWorld w;
  w.AdvanceTo(PermitStatus::kSubmitted);
  PersonalData p{"3174051234567890", "Sari \"Wulan\"", "Jl. Mawar 1", "0812", "3174", ""};
  std::vector<VaultKey> staged;
  auto sealed = (*vault)->Seal(p, staged);
  ASSERT_TRUE(sealed.ok());
  ASSERT_TRUE((*vault)->Store(staged, true).ok());
  w.state.applicant = *sealed;
  std::string text = RenderPermit(w.state, w.gov, w.now, vault->get());
  ExpectCanonical(text);
  json a = json::parse(text)["applicant"];
  EXPECT_EQ(a["nik"], p.nik);
  EXPECT_EQ(a["name"], p.name);
  EXPECT_EQ(a["person_id"], sealed->person_id);
  EXPECT_FALSE(a.contains("erased"));

  ASSERT_TRUE((*vault)->Erase(sealed->person_id).ok());
  text = RenderPermit(w.state, w.gov, w.now, vault->get());
  ExpectCanonical(text);
  EXPECT_EQ(json::parse(text)["applicant"],
            (json{{"erased", true}, {"person_id", sealed->person_id}}));
  w.state.personal_erased = true;
  text = RenderPermit(w.state, w.gov, w.now, nullptr);
  ExpectCanonical(text);
  EXPECT_EQ(json::parse(text)["applicant"]["erased"], true);
  std::filesystem::remove_all(dir);
}

// On Kafka a permit's events can reach an instance before its applicant's
// key does: the answer says so, and that the data is not erased.
TEST(RenderPermit, SaysWhenTheKeyHasNotArrivedYet) {
  const auto dir = std::filesystem::temp_directory_path() / "pl-render-shared-vault";
  std::filesystem::remove_all(dir);
  auto vault = PersonalVault::OpenShared(dir.string(), "the secret of every instance");
  ASSERT_TRUE(vault.ok());
  PermitWorld w;
  w.AdvanceTo(PermitStatus::kSubmitted);
  std::vector<VaultKey> staged;
  auto sealed = (*vault)->Seal({"3174051234567890", "Sari", "Jl. Mawar 1", "0812", "", ""}, staged);
  ASSERT_TRUE(sealed.ok());
  w.state.applicant = *sealed;
  std::string text = RenderPermit(w.state, w.gov, w.now, vault->get());
  ExpectCanonical(text);
  EXPECT_EQ(json::parse(text)["applicant"],
            (json{{"erased", false}, {"person_id", sealed->person_id}, {"unavailable", true}}));
  ASSERT_TRUE((*vault)->Store(staged, false).ok());  // it arrives
  EXPECT_EQ(json::parse(RenderPermit(w.state, w.gov, w.now, vault->get()))["applicant"]["name"],
            "Sari");
  std::filesystem::remove_all(dir);
}

// A feed message whose key is on its way is held back up to the limit,
// counted from the first time it was asked for, per feed and message.
TEST(KeyWait, HoldsAMessageUntilItsLimitThenLetsItGo) {
  using namespace std::chrono_literals;
  KeyWait wait(60s);
  const auto t0 = KeyWait::Clock::now();
  EXPECT_TRUE(wait.Hold("bank-dki", 7, t0));
  EXPECT_TRUE(wait.Hold("bank-dki", 7, t0 + 59s));
  EXPECT_FALSE(wait.Hold("bank-dki", 7, t0 + 60s));
  EXPECT_TRUE(wait.Hold("bank-dki", 8, t0 + 60s));       // the next message: its own wait
  EXPECT_TRUE(wait.Hold("ministry-umkm", 7, t0 + 60s));  // another feed: its own wait
  EXPECT_FALSE(wait.Hold("bank-dki", 8, t0 + 120s));
  // Let go once, not held back again when read again (a replay of the feed).
  EXPECT_FALSE(wait.Hold("bank-dki", 7, t0 + 30min));
  // Remembered for an hour: after that a message is asked anew.
  EXPECT_TRUE(wait.Hold("bank-dki", 7, t0 + 2h));
  EXPECT_FALSE(wait.Hold("bank-dki", 7, t0 + 2h + 60s));
  // And no more than KeyWait::kMaxRemembered messages, the oldest forgotten.
  for (uint64_t seq = 1000; seq < 1000 + KeyWait::kMaxRemembered; ++seq)
    wait.Hold("ministry-umkm", seq, t0 + 2h + 61s);
  EXPECT_TRUE(wait.Hold("bank-dki", 7, t0 + 2h + 62s));  // forgotten: asked anew
  EXPECT_FALSE(wait.Hold("ministry-umkm", 1000 + KeyWait::kMaxRemembered - 1, t0 + 2h + 200s));
}

}  // namespace
}  // namespace pl::testing

// The audit trail's CSV: a cell a spreadsheet would run as a formula (a
// command id is anyone's choice) is text; quotes and commas are quoted.
TEST(CsvField, QuotesAndNeutralisesFormulas) {
  using pl::CsvField;
  EXPECT_EQ(CsvField("c-1"), "c-1");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"https://x\",\"Buka\")"),
            "\"'=HYPERLINK(\"\"https://x\"\",\"\"Buka\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1+1"), "'-1+1");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
}

// A charter's amendment as a reader reads it: a holiday declared is one
// "add", not every later date replaced; and the patch, applied, gives the
// amended charter.
TEST(ChangesPatch, AddsAndRemovesWhatAnArrayGainsOrLoses) {
  using nlohmann::json;
  using pl::ChangesPatch;
  const json before = {{"holidays", {"2026-12-25", "2027-01-01", "2027-03-20"}},
                       {"roles", {{"lurah", {{"name", "Lurah"}}}}},
                       {"documents", {"ktp", "npwp"}}};
  json after = before;
  after["holidays"] = {"2026-12-07", "2026-12-25", "2027-01-01", "2027-02-17", "2027-03-20"};
  after["roles"]["lurah"]["name"] = "Lurah/Kepala Kelurahan";
  after["documents"] = {"ktp"};
  after["new~key/x"] = 1;
  const json patch = ChangesPatch(before, after);
  EXPECT_EQ(patch, json::parse(R"([
    {"op": "remove", "path": "/documents/1"},
    {"op": "add", "path": "/holidays/0", "value": "2026-12-07"},
    {"op": "add", "path": "/holidays/3", "value": "2027-02-17"},
    {"op": "add", "path": "/new~0key~1x", "value": 1},
    {"op": "replace", "path": "/roles/lurah/name", "value": "Lurah/Kepala Kelurahan"}])"))
      << patch.dump(1);
  EXPECT_EQ(before.patch(patch), after);
  EXPECT_EQ(ChangesPatch(after, after), json::array());
  // Any two lists: the patch gives the second from the first.
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    json a = json::array(), b = json::array();
    for (size_t i = rng() % 8; i > 0; --i) a.push_back(static_cast<int>(rng() % 5));
    for (size_t i = rng() % 8; i > 0; --i) b.push_back(static_cast<int>(rng() % 5));
    const json x = {{"list", a}}, y = {{"list", b}};
    ASSERT_EQ(x.patch(ChangesPatch(x, y)), y) << a << " -> " << b;
  }
  // Lists too long to compare pair by pair: item by item, still right.
  json a = json::array(), b = json::array();
  for (int i = 0; i < 700; ++i) a.push_back(i);
  for (int i = 0; i < 650; ++i) b.push_back(i % 3 ? i : -i);
  b.push_back(699);  // the common end is trimmed first
  const json x = {{"list", a}}, y = {{"list", b}};
  EXPECT_EQ(x.patch(ChangesPatch(x, y)), y);
  EXPECT_EQ(y.patch(ChangesPatch(y, x)), x);
}
