// The subscribers' feeds of the real binary over HTTP (docs/feeds.md): the
// data-sharing policy of the charter, consent, the Server-Sent Events feed
// and its resume position, erasure, and a policy changed by a charter event.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "harness.h"

namespace pl::test {
namespace {

using nlohmann::json;

const std::string kUlujami = "31.74.10.1003";

// The messages of one SSE answer, in order: {id, data}.
std::vector<std::pair<uint64_t, json>> ParseSse(const std::string& body) {
  std::vector<std::pair<uint64_t, json>> out;
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find("\n\n", at);
    if (end == std::string::npos) break;
    std::string block = body.substr(at, end - at);
    at = end + 2;
    uint64_t id = 0;
    json data;
    size_t line_at = 0;
    while (line_at <= block.size()) {
      size_t nl = block.find('\n', line_at);
      std::string line = block.substr(line_at, nl == std::string::npos ? nl : nl - line_at);
      if (line.starts_with("id: ")) id = std::stoull(line.substr(4));
      if (line.starts_with("data: ")) data = json::parse(line.substr(6));
      if (nl == std::string::npos) break;
      line_at = nl + 1;
    }
    if (id) out.emplace_back(id, std::move(data));
  }
  return out;
}

class FeedsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(TempDir("feeds"));
    ledger_ = new LedgerProcess(*data_);
    tokens_ = new std::map<std::string, std::string>;
    HttpClient c(ledger_->port());
    for (auto [id, role] :
         {std::pair{"ptsp", "ptsp_officer"}, std::pair{"head", "ptsp_head"},
          std::pair{"ekbang", "kelurahan_economy"}, std::pair{"lurah", "lurah"}}) {
      auto r = c.Post("/v1/officers",
                      {{"id", id}, {"name", "Officer"}, {"role", role}, {"kelurahan", kUlujami}},
                      ledger_->admin_token());
      ASSERT_EQ(r.status, 201) << r.body;
      (*tokens_)[id] = r.json()["token"];
    }
    for (const char* sub : {"bank-dki", "ministry-umkm"}) {
      auto r = c.Get(std::string("/v1/feeds/") + sub + "/token", ledger_->admin_token());
      ASSERT_EQ(r.status, 200) << r.body;
      (*tokens_)[sub] = r.json()["token"];
    }
  }
  static void TearDownTestSuite() {
    delete ledger_;
    delete tokens_;
    delete data_;
  }

  HttpClient client_{ledger_->port()};
  std::string Token(const std::string& id) { return tokens_->at(id); }

  HttpResult Act(const std::string& permit, const std::string& token, json body) {
    static int n = 0;
    body["command_id"] = "feeds-" + std::to_string(++n);
    auto r = client_.Post("/v1/permits/" + permit + "/actions", body, token);
    EXPECT_EQ(r.status, 200) << body.dump() << " -> " << r.body;
    return r;
  }
  // Submits an application (a distinct NIK each) and takes it to `issued`.
  // Returns {permit id, tracking code, nik}.
  std::tuple<std::string, std::string, std::string> Issued(const std::string& name) {
    static int n = 0;
    std::string nik = "31740101019000" + std::to_string(10 + ++n);
    auto r = client_.Post("/v1/applications", Application(name, kUlujami, nik));
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id = r.json()["permit_id"], code = r.json()["tracking_code"];
    Act(id, Token("ptsp"), {{"action", "verify_documents"}});
    Act(id, Token("ptsp"),
        {{"action", "schedule_survey"}, {"date", SurveyDate()}, {"team", {"ptsp", "ekbang"}}});
    Act(id, Token("ekbang"), {{"action", "record_survey"}, {"zoning_compliant", true}});
    Act(id, Token("lurah"), {{"action", "recommend"}, {"letter_number", "7/REK/" + name}});
    Act(id, Token("head"), {{"action", "issue_permit"}});
    return {id, code, nik};
  }
  // Every message of a feed, read one page of `page` at a time, resuming
  // each time with Last-Event-ID on a new connection.
  std::vector<std::pair<uint64_t, json>> ReadFeed(const std::string& sub, size_t page = 1000) {
    std::vector<std::pair<uint64_t, json>> all;
    while (true) {
      HttpClient fresh(ledger_->port());
      std::string last = all.empty() ? "0" : std::to_string(all.back().first);
      auto r = fresh.Request("GET", "/v1/feeds/" + sub + "?limit=" + std::to_string(page), "",
                             Token(sub), {{"Last-Event-ID", last}});
      EXPECT_EQ(r.status, 200) << r.body;
      EXPECT_TRUE(r.body.starts_with("retry: ")) << r.body.substr(0, 100);
      auto got = ParseSse(r.body);
      if (got.empty()) return all;
      all.insert(all.end(), got.begin(), got.end());
    }
  }
  static std::vector<json> OfPermit(const std::vector<std::pair<uint64_t, json>>& feed,
                                    const std::string& permit) {
    std::vector<json> out;
    for (const auto& [id, m] : feed)
      if (m["permit_id"] == permit) out.push_back(m);
    return out;
  }
  // The policy of the shipped charter.
  static json Policy(const std::string& sub) {
    std::ifstream in(PL_SOURCE_DIR "/charters/pesanggrahan.json");
    return json::parse(in)["data_sharing"][sub];
  }
  // Every field of `m` is one the policy of its subscriber allows.
  static void ExpectOnlyAllowedFields(const json& m) {
    const json policy = Policy(m["subscriber"]);
    std::set<std::string> allowed(policy["fields"].begin(), policy["fields"].end());
    const std::set<std::string> envelope = {
        "schema_version", "subscriber", "seq",          "event_id", "event_type",
        "occurred_at",    "permit_id",  "log_position", "permit",   "applicant"};
    for (const auto& [k, v] : m.items()) EXPECT_TRUE(envelope.count(k)) << k;
    const json permit = m.value("permit", json::object());
    const json applicant = m.value("applicant", json::object());
    for (const auto& [k, v] : permit.items())
      EXPECT_TRUE(allowed.count(k)) << m["subscriber"] << " may not receive " << k;
    for (const auto& [k, v] : applicant.items())
      EXPECT_TRUE(k == "erased" || allowed.count("applicant." + k))
          << m["subscriber"] << " may not receive applicant." << k;
    std::set<std::string> events(policy["events"].begin(), policy["events"].end());
    EXPECT_TRUE(events.count(m["event_type"])) << m.dump();
  }

  static std::string* data_;
  static LedgerProcess* ledger_;
  static std::map<std::string, std::string>* tokens_;
};
std::string* FeedsTest::data_;
LedgerProcess* FeedsTest::ledger_;
std::map<std::string, std::string>* FeedsTest::tokens_;

TEST_F(FeedsTest, TheBankReceivesOnlyConsentedPermitsWithOnlyTheFieldsThePolicyAllows) {
  auto [with, code, nik] = Issued("consented");
  auto [without, code2, nik2] = Issued("not-consented");
  Act(with, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(with, Token("head"), {{"action", "revoke"}, {"reason", "usaha tutup"}});
  Act(without, Token("head"), {{"action", "revoke"}, {"reason", "usaha tutup"}});

  auto bank = ReadFeed("bank-dki");
  EXPECT_TRUE(OfPermit(bank, without).empty()) << "a permit without consent reached the bank";
  auto mine = OfPermit(bank, with);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0]["event_type"], "consent_granted");
  EXPECT_EQ(mine[0]["permit"]["status"], "issued");
  EXPECT_FALSE(mine[0]["permit"]["permit_number"].get<std::string>().empty());
  EXPECT_EQ(mine[0]["applicant"]["nik"], nik);
  EXPECT_EQ(mine[0]["applicant"]["name"], "Sari Rahayu");
  EXPECT_EQ(mine[1]["event_type"], "permit_revoked");
  EXPECT_EQ(mine[1]["permit"]["reason"]["text"], "usaha tutup");
  for (const auto& [id, m] : bank) {
    ExpectOnlyAllowedFields(m);
    EXPECT_EQ(m.dump().find("Jl. Mawar"), std::string::npos) << "the home address is not shared";
  }

  // The ministry needs no consent and receives no personal data.
  auto ministry = ReadFeed("ministry-umkm");
  std::vector<std::string> types;
  for (const auto& m : OfPermit(ministry, without)) types.push_back(m["event_type"]);
  EXPECT_EQ(types,
            (std::vector<std::string>{"application_submitted", "permit_issued", "permit_revoked"}));
  for (const auto& [id, m] : ministry) {
    ExpectOnlyAllowedFields(m);
    EXPECT_FALSE(m.contains("applicant")) << m.dump();
    EXPECT_EQ(m.dump().find(nik2), std::string::npos);
  }
}

// A Lurah's decline closes the application as rejected: the ministry,
// which follows every application to its outcome, hears of it with the
// reason, and the reason, published so, may not name the applicant.
TEST_F(FeedsTest, ADeclinedRecommendationReachesTheMinistryWithItsReason) {
  auto r = client_.Post("/v1/applications", Application("declined", kUlujami, "3174010101900099"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["permit_id"];
  Act(id, Token("ptsp"), {{"action", "verify_documents"}});
  Act(id, Token("ptsp"),
      {{"action", "schedule_survey"}, {"date", SurveyDate()}, {"team", {"ptsp", "ekbang"}}});
  Act(id, Token("ekbang"), {{"action", "record_survey"}, {"zoning_compliant", false}});
  auto named = client_.Post("/v1/permits/" + id + "/actions",
                            {{"action", "decline_recommendation"},
                             {"command_id", "decline-named"},
                             {"reason", "ibu Sari Rahayu berdagang di jalur hijau"}},
                            Token("lurah"));
  EXPECT_EQ(named.status, 422) << named.body;
  EXPECT_EQ(named.json()["error"]["code"], "personal_data_in_text");
  Act(id, Token("lurah"),
      {{"action", "decline_recommendation"}, {"reason", "lokasi di jalur hijau (RDTR)"}});

  auto mine = OfPermit(ReadFeed("ministry-umkm"), id);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0]["event_type"], "application_submitted");
  EXPECT_EQ(mine[1]["event_type"], "recommendation_declined");
  EXPECT_EQ(mine[1]["permit"]["status"], "rejected");
  EXPECT_EQ(mine[1]["permit"]["reason"],
            (json{{"code", "recommendation_declined"}, {"text", "lokasi di jalur hijau (RDTR)"}}));
  for (const auto& m : mine) ExpectOnlyAllowedFields(m);
}

TEST_F(FeedsTest, NothingOfAPermitButItsRevocationReachesTheBankAfterConsentIsWithdrawn) {
  auto [id, code, nik] = Issued("withdrawn");
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  ASSERT_EQ(OfPermit(ReadFeed("bank-dki"), id).at(0)["applicant"]["nik"], nik);
  Act(id, code, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  auto mine = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0]["event_type"], "consent_granted");
  EXPECT_EQ(mine[0]["applicant"], (json{{"consent_withdrawn", true}}))
      << "a message read again after the withdrawal no longer opens the personal data";
  EXPECT_EQ(mine[1]["event_type"], "consent_withdrawn");
  EXPECT_FALSE(mine[1].contains("permit")) << "the withdrawal carries nothing of the permit";
  EXPECT_FALSE(mine[1].contains("applicant"));
  // Consenting again opens them again, in the old message and the new one.
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  mine = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[0]["applicant"]["nik"], nik);
  EXPECT_EQ(mine[2]["applicant"]["nik"], nik);
  EXPECT_EQ(mine[2]["permit"]["status"], "issued");
  // The revocation, public anyway, reaches the bank that holds the permit
  // (it may have lent against it), bare, its consent withdrawn again.
  Act(id, code, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  Act(id, Token("head"), {{"action", "revoke"}, {"reason", "pindah"}});
  mine = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(mine.size(), 5u);
  EXPECT_EQ(mine[4]["event_type"], "permit_revoked");
  EXPECT_FALSE(mine[4].contains("permit")) << mine[4].dump();
  EXPECT_FALSE(mine[4].contains("applicant"));
  // A revoked permit is no valid one to share: consent is refused now.
  auto r = client_.Post(
      "/v1/permits/" + id + "/actions",
      {{"action", "grant_consent"}, {"subscriber", "bank-dki"}, {"command_id", "late"}}, code);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "transition_not_allowed");
  // Consent to a subscriber the policy does not name is refused.
  r = client_.Post("/v1/permits/" + id + "/actions",
                   {{"action", "grant_consent"}, {"subscriber", "bank-bri"}, {"command_id", "bri"}},
                   code);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "unknown_subscriber");
}

// Consent given on an open application shares the applicant's data at
// once; when the application then closes without a permit, the bank hears
// of it, bare, and can delete what it received.
TEST_F(FeedsTest, TheBankHearsOfAnApplicationThatClosesWithoutAPermit) {
  auto r = client_.Post("/v1/applications", Application("closing", kUlujami, "3174010101900298"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["permit_id"], code = r.json()["tracking_code"];
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(id, code, {{"action", "withdraw"}, {"reason", "tidak jadi"}});
  auto mine = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0]["event_type"], "consent_granted");
  EXPECT_EQ(mine[0]["applicant"]["nik"], "3174010101900298");
  EXPECT_EQ(mine[0]["permit"]["status"], "submitted");
  EXPECT_EQ(mine[1]["event_type"], "application_withdrawn");
  EXPECT_FALSE(mine[1].contains("permit")) << mine[1].dump();
  EXPECT_FALSE(mine[1].contains("applicant"));
  // Its consent withdrawn first, the bank was told to delete then: the
  // rejection that follows is none of its business.
  r = client_.Post("/v1/applications", Application("closing-2", kUlujami, "3174010101900299"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id2 = r.json()["permit_id"], code2 = r.json()["tracking_code"];
  Act(id2, code2, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(id2, code2, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  Act(id2, Token("head"),
      {{"action", "reject"}, {"reason_code", "duplicate_application"}, {"reason", "sudah ada"}});
  mine = OfPermit(ReadFeed("bank-dki"), id2);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[1]["event_type"], "consent_withdrawn");
}

// The one message after a withdrawal: the bank still holds what it received
// under the consent, so it hears of an erasure, with nothing of the permit.
TEST_F(FeedsTest, AnErasureAfterAWithdrawalStillReachesTheBank) {
  auto [id, code, nik] = Issued("withdrawn-erased");
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(id, code, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  Act(id, Token("head"), {{"action", "revoke"}, {"reason", "pindah"}});
  Act(id, code, {{"action", "erase_personal_data"}});
  auto mine = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(mine.size(), 4u);
  EXPECT_EQ(mine[1]["event_type"], "consent_withdrawn");
  // The revocation is public, and the bank may have lent against the permit.
  EXPECT_EQ(mine[2]["event_type"], "permit_revoked");
  EXPECT_FALSE(mine[2].contains("permit"));
  EXPECT_EQ(mine[3]["event_type"], "personal_data_erased");
  EXPECT_FALSE(mine[3].contains("permit"));
  EXPECT_FALSE(mine[2].contains("applicant"));
  EXPECT_EQ(mine[0]["applicant"], (json{{"erased", true}}));
  // Erased before the revocation: the bank still hears of it.
  auto [id2, code2, nik2] = Issued("withdrawn-erased-revoked");
  Act(id2, code2, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(id2, code2, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  Act(id2, code2, {{"action", "erase_personal_data"}});
  Act(id2, Token("head"), {{"action", "revoke"}, {"reason", "pindah"}});
  mine = OfPermit(ReadFeed("bank-dki"), id2);
  ASSERT_EQ(mine.size(), 4u);
  EXPECT_EQ(mine[2]["event_type"], "personal_data_erased");
  EXPECT_EQ(mine[3]["event_type"], "permit_revoked");
  EXPECT_FALSE(mine[3].contains("permit")) << mine[3].dump();
  EXPECT_FALSE(mine[3].contains("applicant")) << mine[3].dump();
}

TEST_F(FeedsTest, TheFeedResumesFromLastEventIdWithoutGapOrDuplicate) {
  for (int i = 0; i < 3; ++i) {
    auto [id, code, nik] = Issued("resume-" + std::to_string(i));
    Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  }
  auto whole = ReadFeed("ministry-umkm");
  auto paged = ReadFeed("ministry-umkm", 2);  // a new connection every two messages
  ASSERT_GE(whole.size(), 9u);
  ASSERT_EQ(paged.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(whole[i].first, i + 1) << "ids run 1, 2, 3, ... without a gap";
    EXPECT_EQ(whole[i].second["seq"], i + 1);
    EXPECT_EQ(paged[i], whole[i]);
  }
  // The feed's last seq is in every answer: a cursor above it is ahead.
  EXPECT_EQ(client_.Get("/v1/feeds/ministry-umkm?after=999999", Token("ministry-umkm"))
                .headers["feed-last-seq"],
            std::to_string(whole.back().first));
  // ?after= does what Last-Event-ID does, for clients that cannot set it.
  auto r = client_.Get("/v1/feeds/ministry-umkm?after=" + std::to_string(whole.size() - 1),
                       Token("ministry-umkm"));
  auto last = ParseSse(r.body);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0], whole.back());
}

// Requests the server has received (its handler counted them) and not
// answered yet, from /metrics; the /metrics request itself not counted.
uint64_t Unanswered(HttpClient& c) {
  const std::string m = c.Get("/metrics").body;
  auto value = [&](const std::string& name) -> uint64_t {
    std::smatch match;
    EXPECT_TRUE(std::regex_search(m, match, std::regex(name + R"( (\d+))"))) << name << "\n" << m;
    return match.empty() ? 0 : std::stoull(match[1]);
  };
  return value("permitledger_http_requests_total") - 1 -
         value(R"(permitledger_http_responses_total\{class="2xx"\})") -
         value(R"(permitledger_http_responses_total\{class="4xx"\})") -
         value(R"(permitledger_http_responses_total\{class="5xx"\})");
}

TEST_F(FeedsTest, AWaitingFeedRequestIsAnsweredByTheNextMessage) {
  auto [id, code, nik] = Issued("long-poll");
  const auto feed = ReadFeed("bank-dki");
  const uint64_t last = feed.empty() ? 0 : feed.back().first;
  const uint64_t others = Unanswered(client_);  // 0, unless another test left one waiting
  HttpResult answer;
  std::atomic<bool> answered{false};
  std::thread waiter([&] {
    HttpClient c(ledger_->port());
    answer = c.Request("GET", "/v1/feeds/bank-dki?wait=60", "", Token("bank-dki"),
                       {{"Last-Event-ID", std::to_string(last)}});
    answered = true;
  });
  // The request waits before anything is new: the server has received it
  // (its handler counted it) and holds it unanswered. A server that ignored
  // ?wait= would answer it at once, with no message (nothing is new yet).
  bool held = false;
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       !answered && std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(10))) {
    if (Unanswered(client_) > others) {
      held = true;
      break;
    }
  }
  EXPECT_TRUE(held) << "the server never showed the waiting request received";
  // And still after another request, on another connection, came and went.
  EXPECT_EQ(client_.Get("/healthz").status, 200);
  EXPECT_FALSE(answered) << "answered before any new message: " << answer.body;
  // The next message answers it.
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  waiter.join();
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto got = ParseSse(answer.body);
  ASSERT_EQ(got.size(), 1u) << answer.body;
  EXPECT_EQ(got[0].first, last + 1);
  EXPECT_EQ(got[0].second["permit_id"], id);
  EXPECT_EQ(got[0].second["event_type"], "consent_granted");
  EXPECT_EQ(client_.Get("/v1/feeds/bank-dki?wait=61", Token("bank-dki")).status, 400);
}

TEST_F(FeedsTest, AFeedIsReadOnlyWithItsSubscribersToken) {
  auto status = [&](const std::string& target, const std::string& token,
                    std::map<std::string, std::string> headers = {}) {
    auto r = client_.Request("GET", target, "", token, headers);
    return std::pair{r.status,
                     r.json().is_object() ? r.json()["error"].value("code", "") : std::string()};
  };
  EXPECT_EQ(status("/v1/feeds/bank-dki", ""), (std::pair{401, std::string("unauthenticated")}));
  EXPECT_EQ(status("/v1/feeds/bank-dki", Token("ministry-umkm")),
            (std::pair{403, std::string("role_not_permitted")}));
  EXPECT_EQ(status("/v1/feeds/bank-dki", Token("ptsp")),
            (std::pair{401, std::string("unauthenticated")}));
  EXPECT_EQ(status("/v1/feeds/bank-bri", Token("bank-dki")),
            (std::pair{404, std::string("unknown_subscriber")}));
  // The message tells a token not sent from a token of another feed, and
  // that from a token of none; a 401 names the scheme (RFC 9110 11.6.1).
  auto none = client_.Get("/v1/feeds/bank-dki", "");
  EXPECT_NE(none.body.find("needs 'Authorization: Bearer"), std::string::npos);
  EXPECT_EQ(none.headers["www-authenticate"], R"(Bearer realm="permitledger")");
  const std::string other =
      client_.Get("/v1/feeds/bank-dki", Token("ministry-umkm")).json()["error"]["message"];
  EXPECT_NE(other.find("feed token of subscriber \"ministry-umkm\""), std::string::npos) << other;
  auto unknown = client_.Get("/v1/feeds/bank-dki", Token("ptsp"));
  EXPECT_NE(unknown.json()["error"]["message"].get<std::string>().find(
                "is not the token of subscriber \"bank-dki\""),
            std::string::npos)
      << unknown.body;
  EXPECT_EQ(unknown.headers["www-authenticate"],
            R"(Bearer realm="permitledger", error="invalid_token")");
  // More than one space after the scheme is still the token (RFC 9110).
  EXPECT_EQ(client_
                .Request("GET", "/v1/feeds/bank-dki", "", "",
                         {{"Authorization", "Bearer   " + Token("bank-dki")}})
                .status,
            200);
  EXPECT_EQ(status("/v1/feeds/bank-dki", Token("bank-dki"), {{"Last-Event-ID", "x1"}}),
            (std::pair{400, std::string("invalid_parameter")}));
  // A malformed ?after= is refused beside a well-formed Last-Event-ID too.
  EXPECT_EQ(status("/v1/feeds/bank-dki?after=abc", Token("bank-dki"), {{"Last-Event-ID", "0"}}),
            (std::pair{400, std::string("invalid_parameter")}));
  EXPECT_EQ(status("/v1/feeds/bank-dki?after=0", Token("bank-dki"), {{"Last-Event-ID", "1"}}),
            (std::pair{200, std::string()}));
  EXPECT_EQ(status("/v1/feeds/bank-dki?limit=0", Token("bank-dki")),
            (std::pair{400, std::string("invalid_parameter")}));
  // An empty value is no value: an unset cursor would read the feed again.
  for (const char* target :
       {"/v1/feeds/bank-dki?after=", "/v1/feeds/bank-dki?limit=", "/v1/feeds/bank-dki?wait="})
    EXPECT_EQ(status(target, Token("bank-dki")), (std::pair{400, std::string("invalid_parameter")}))
        << target;
  EXPECT_EQ(status("/v1/feeds/bank-dki", Token("bank-dki"), {{"Last-Event-ID", ""}}),
            (std::pair{400, std::string("invalid_parameter")}));
  // Each message names the parameter that is wrong.
  for (auto [target, names] : {std::pair{"/v1/feeds/bank-dki?after=x", "Last-Event-ID"},
                               std::pair{"/v1/feeds/bank-dki?limit=x", "?limit="},
                               std::pair{"/v1/feeds/bank-dki?wait=x", "?wait="}}) {
    const std::string message =
        client_.Get(target, Token("bank-dki")).json()["error"].value("message", "");
    EXPECT_TRUE(message.starts_with(names)) << target << ": " << message;
  }
  EXPECT_EQ(status("/v1/feeds/bank-dki/token", Token("ptsp")),
            (std::pair{403, std::string("role_not_permitted")}));
  EXPECT_EQ(status("/v1/feeds/bank-dki/token", ""),
            (std::pair{401, std::string("unauthenticated")}));
  EXPECT_EQ(client_.Request("POST", "/v1/feeds/bank-dki", "{}", Token("bank-dki")).status, 405);
  // The token on a path mistyped or another endpoint: the token is fine, the
  // path is not (not 401, which would send the bank for a new token).
  for (const char* target : {"/v1/feed/bank-dki", "/v1/feeds", "/v1/worklist"}) {
    EXPECT_EQ(status(target, Token("bank-dki")),
              (std::pair{403, std::string("role_not_permitted")}))
        << target;
    const std::string message =
        client_.Get(target, Token("bank-dki")).json()["error"].value("message", "");
    EXPECT_NE(message.find("opens its feed only: GET /v1/feeds/bank-dki"), std::string::npos)
        << message;
  }
}

TEST_F(FeedsTest, ErasureShowsInEveryFeedMessageFromThenOn) {
  auto [id, code, nik] = Issued("erased");
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  ASSERT_EQ(OfPermit(ReadFeed("bank-dki"), id).at(0)["applicant"]["nik"], nik);
  Act(id, code, {{"action", "erase_personal_data"}});
  auto mine = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0]["applicant"], (json{{"erased", true}}));
  EXPECT_EQ(mine[1]["event_type"], "personal_data_erased");
  EXPECT_EQ(mine[1].dump().find(nik), std::string::npos);
}

// Anyone may apply under another's NIK, so an applicant's erasure reaches
// only the application its tracking code opens; the administrator's, on a
// legal order, reaches every application of the person, and whoever holds
// the person's data hears of it.
TEST_F(FeedsTest, AnApplicantErasesOneApplicationAndTheAdministratorThePerson) {
  auto [id, code, nik] = Issued("erased-elsewhere");
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  ASSERT_EQ(OfPermit(ReadFeed("bank-dki"), id).at(0)["applicant"]["nik"], nik);
  auto apply = [&](const std::string& name) {
    auto r = client_.Post("/v1/applications", Application(name, kUlujami, nik));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::pair<std::string, std::string>(r.json()["permit_id"], r.json()["tracking_code"]);
  };
  // Someone else applies with the same NIK and erases through that
  // application: the first permit and the bank's copy are untouched.
  auto [other, other_code] = apply("erased-elsewhere-2");
  auto mine = client_.Get("/v1/permits/" + other, other_code).json();
  EXPECT_FALSE(mine["applicant"].contains("person_id"))
      << "the pseudonym would confirm a guessed NIK: " << mine.dump();
  Act(other, other_code, {{"action", "withdraw"}, {"reason", "tidak jadi"}});
  auto erased = Act(other, other_code, {{"action", "erase_personal_data"}});
  EXPECT_EQ(erased.body.find("person-"), std::string::npos) << erased.body;
  auto first = client_.Get("/v1/permits/" + id, Token("ptsp")).json();
  EXPECT_EQ(first["applicant"]["nik"], nik) << first.dump();
  EXPECT_EQ(client_.Get("/v1/permits/" + other, Token("ptsp")).json()["applicant"]["erased"], true);
  for (const auto& m : OfPermit(ReadFeed("bank-dki"), id)) {
    EXPECT_NE(m["event_type"], "personal_data_erased") << m.dump();
    EXPECT_EQ(m["applicant"]["nik"], nik) << m.dump();
  }

  // The administrator erases the person on a legal order, through a third
  // application the bank never heard of.
  auto third = apply("erased-elsewhere-3").first;
  Act(third, ledger_->admin_token(),
      {{"action", "erase_personal_data"}, {"legal_basis", "Putusan PN Jakarta Selatan 12/2026"}});
  auto held = OfPermit(ReadFeed("bank-dki"), id);
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0]["applicant"], (json{{"erased", true}}));
  EXPECT_EQ(held[1]["event_type"], "personal_data_erased");
  EXPECT_EQ(held[1]["permit_id"], id);
  EXPECT_FALSE(held[1].contains("permit"));
  // Nothing names the application the bank has no consent for: neither its
  // event nor its place in the log.
  EXPECT_FALSE(held[1].contains("event_id")) << held[1].dump();
  EXPECT_FALSE(held[1].contains("log_position")) << held[1].dump();
  EXPECT_EQ(held[1].dump().find(third), std::string::npos) << held[1].dump();
  EXPECT_TRUE(OfPermit(ReadFeed("bank-dki"), third).empty());
  // The permit itself says so, though the erasure came through another one.
  auto permit = client_.Get("/v1/permits/" + id, Token("ptsp")).json();
  EXPECT_EQ(permit["personal_data_erased"], true) << permit.dump();
  EXPECT_EQ(permit["applicant"]["erased"], true) << permit.dump();
  // The ministry, which never received applicant fields, hears nothing of it.
  for (const auto& m : OfPermit(ReadFeed("ministry-umkm"), id))
    EXPECT_NE(m["event_type"], "personal_data_erased");
}

// An order that erases the person through another application reaches an
// open application of theirs too: it is never issued, nor shared.
TEST_F(FeedsTest, AnOrderThroughAnotherApplicationStopsTheIssuance) {
  const std::string nik = "3174010101900999";
  auto apply = [&](const std::string& name) {
    auto r = client_.Post("/v1/applications", Application(name, kUlujami, nik));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::pair<std::string, std::string>(r.json()["permit_id"], r.json()["tracking_code"]);
  };
  auto [id, code] = apply("order-elsewhere");
  Act(id, Token("ptsp"), {{"action", "verify_documents"}});
  Act(id, Token("ptsp"),
      {{"action", "schedule_survey"}, {"date", SurveyDate()}, {"team", {"ptsp", "ekbang"}}});
  Act(id, Token("ekbang"), {{"action", "record_survey"}, {"zoning_compliant", true}});
  Act(id, Token("lurah"), {{"action", "recommend"}, {"letter_number", "7/REK/order"}});
  auto other = apply("order-elsewhere-2").first;
  Act(other, ledger_->admin_token(),
      {{"action", "erase_personal_data"}, {"legal_basis", "Putusan PN Jakarta Selatan 13/2026"}});

  for (const auto& [body, token] :
       {std::pair{json{{"action", "issue_permit"}, {"command_id", "order-issue"}}, Token("head")},
        std::pair{json{{"action", "grant_consent"},
                       {"command_id", "order-consent"},
                       {"subscriber", "bank-dki"}},
                  code}}) {
    auto r = client_.Post("/v1/permits/" + id + "/actions", body, token);
    EXPECT_EQ(r.status, 422) << body.dump() << " -> " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "personal_data_erased") << r.body;
  }
  auto permit = client_.Get("/v1/permits/" + id, Token("ptsp")).json();
  EXPECT_EQ(permit["status"], "recommended") << permit.dump();
  EXPECT_EQ(permit["personal_data_erased"], true) << permit.dump();
  EXPECT_TRUE(OfPermit(ReadFeed("bank-dki"), id).empty());
  // Both wait for their rejection on the head's worklist, whatever their
  // status (the other is still submitted), and on no one else's.
  auto listed = [&](const std::string& officer, const std::string& permit) {
    const json items = client_.Get("/v1/worklist", Token(officer)).json()["items"];
    for (const json& i : items)
      if (i["permit_id"] == permit) return i["next_actions"];
    return json();
  };
  for (const std::string& p : {id, other}) {
    EXPECT_EQ(listed("head", p), json::array({"reject"})) << p;
    EXPECT_TRUE(listed("ptsp", p).is_null()) << p;
  }
}

// Runs last in this suite: it changes the charter in force.
TEST_F(FeedsTest, ZzThePolicyChangesOnlyByACharterEvent) {
  std::ifstream in(PL_SOURCE_DIR "/charters/pesanggrahan.json");
  json charter = json::parse(in);
  const std::string admin = ledger_->admin_token();
  // Refusals write nothing: an officer, a stale version, a bad policy.
  EXPECT_EQ(client_.Request("PUT", "/v1/charter", charter.dump(), Token("head")).status, 403);
  // The charter in force again: nothing to adopt.
  auto r = client_.Request("PUT", "/v1/charter", charter.dump(), admin);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["duplicate"], true) << r.body;
  json stale = charter;
  stale["name"] = "Piagam yang lain";
  r = client_.Request("PUT", "/v1/charter", stale.dump(), admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "stale_charter_version");
  charter["charter_version"] = 2;
  json bad = charter;
  bad["data_sharing"]["ministry-umkm"]["fields"].push_back("applicant.religion");
  r = client_.Request("PUT", "/v1/charter", bad.dump(), admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_charter");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("applicant.religion"),
            std::string::npos);

  // Version 2: the ministry no longer receives the capital.
  auto& fields = charter["data_sharing"]["ministry-umkm"]["fields"];
  fields.erase(std::find(fields.begin(), fields.end(), "capital"));
  r = client_.Request("PUT", "/v1/charter", charter.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["charter_version"], 2);
  EXPECT_EQ(client_.Get("/v1/charter").json()["charter_version"], 2);

  auto before = ReadFeed("ministry-umkm");
  auto [id, code, nik] = Issued("after-amendment");
  auto after = OfPermit(ReadFeed("ministry-umkm"), id);
  ASSERT_FALSE(after.empty());
  for (const auto& m : after) EXPECT_FALSE(m["permit"].contains("capital")) << m.dump();
  EXPECT_TRUE(before.front().second["permit"].contains("capital"))
      << "messages before the amendment keep what the old policy shared";
}

// Runs after the one above: it drops the bank from the policy and adds it back.
TEST_F(FeedsTest, ZzASubscriberDroppedFromThePolicyStillHearsOfWithdrawalsErasuresAndRevocations) {
  auto [withdrawn, code1, nik1] = Issued("dropped-withdrawn");
  auto [erased, code2, nik2] = Issued("dropped-erased");
  auto [revoked, code3, nik3] = Issued("dropped-revoked");
  Act(withdrawn, code1, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(erased, code2, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(revoked, code3, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  const std::string admin = ledger_->admin_token();
  json charter = client_.Get("/v1/charter").json();
  json with_bank = charter;
  charter["charter_version"] = charter["charter_version"].get<int>() + 1;
  charter["data_sharing"].erase("bank-dki");
  auto r = client_.Request("PUT", "/v1/charter", charter.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  // While the bank is out of the policy: a withdrawal and an erasure.
  Act(withdrawn, code1, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  Act(erased, code2, {{"action", "erase_personal_data"}});
  Act(revoked, Token("head"), {{"action", "revoke"}, {"reason", "usaha tidak beroperasi lagi"}});
  // Sending the older document again is no rollback: it says so.
  r = client_.Request("PUT", "/v1/charter", with_bank.dump(), admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "stale_charter_version");
  with_bank["charter_version"] = charter["charter_version"].get<int>() + 1;
  // Back in the policy, without consent_withdrawn among its events (below).
  auto& events = with_bank["data_sharing"]["bank-dki"]["events"];
  events.erase(std::find(events.begin(), events.end(), "consent_withdrawn"));
  r = client_.Request("PUT", "/v1/charter", with_bank.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;

  auto bank = ReadFeed("bank-dki");
  auto w = OfPermit(bank, withdrawn);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1]["event_type"], "consent_withdrawn");
  EXPECT_EQ(w[0]["applicant"], (json{{"consent_withdrawn", true}}));
  auto e = OfPermit(bank, erased);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[1]["event_type"], "personal_data_erased");
  EXPECT_EQ(e[0]["applicant"], (json{{"erased", true}}));
  // It may have lent against the permit: the revocation reaches it, bare.
  auto rv = OfPermit(bank, revoked);
  ASSERT_EQ(rv.size(), 2u);
  EXPECT_EQ(rv[1]["event_type"], "permit_revoked");
  EXPECT_FALSE(rv[1].contains("permit")) << rv[1].dump();
  EXPECT_FALSE(rv[1].contains("applicant")) << rv[1].dump();
  // A withdrawal tells the bank to stop using what it received: no policy
  // keeps it from the bank, even one that does not list it.
  auto [unlisted, code4, nik4] = Issued("unlisted-withdrawal");
  Act(unlisted, code4, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  Act(unlisted, code4, {{"action", "withdraw_consent"}, {"subscriber", "bank-dki"}});
  auto u = OfPermit(ReadFeed("bank-dki"), unlisted);
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[1]["event_type"], "consent_withdrawn");
  EXPECT_EQ(u[0]["applicant"], (json{{"consent_withdrawn", true}}));
}

// Stopping the server (SIGTERM) answers a feed request that waits with the
// page it has, instead of cutting the connection without an answer.
TEST(FeedsShutdown, AWaitingFeedRequestIsAnsweredWhenTheServerStops) {
  LedgerProcess ledger(TempDir("feed-stop"), {"serve"});
  HttpClient client(ledger.port());
  const std::string token =
      client.Get("/v1/feeds/bank-dki/token", ledger.admin_token()).json()["token"];
  HttpResult answer;
  std::thread waiter([&] {
    HttpClient c(ledger.port());
    answer = c.Request("GET", "/v1/feeds/bank-dki?wait=60", "", token);
  });
  bool held = false;
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       !held && std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(10)))
    held = Unanswered(client) > 0;
  ASSERT_TRUE(held) << "the server never showed the waiting request received";
  ledger.Kill(SIGTERM);
  waiter.join();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(ParseSse(answer.body).empty()) << answer.body;
}

// Both halves of erasure: the fields are gone from every view, feed, export
// and replay, while the log, its hashes and its signed checkpoints verify.
TEST(FeedsErasure, TheLogStillVerifiesAndAReplayShowsTheFieldsErased) {
  std::string data = TempDir("feeds-erasure");
  const std::string nik = "3174012203455566";
  std::string id;
  std::string subscriber_token;
  {
    LedgerProcess ledger(data);
    HttpClient c(ledger.port());
    auto r = c.Post("/v1/applications", Application("erase-me", kUlujami, nik));
    ASSERT_EQ(r.status, 201) << r.body;
    id = r.json()["permit_id"];
    std::string code = r.json()["tracking_code"];
    auto act = [&](json body) {
      auto a = c.Post("/v1/permits/" + id + "/actions", body, code);
      ASSERT_EQ(a.status, 200) << a.body;
    };
    // The ministry needs no consent; the bank gets the permit with consent.
    act({{"action", "grant_consent"}, {"subscriber", "bank-dki"}, {"command_id", "c1"}});
    subscriber_token = c.Get("/v1/feeds/bank-dki/token", ledger.admin_token()).json()["token"];
    ASSERT_NE(c.Get("/v1/feeds/bank-dki", subscriber_token).body.find(nik), std::string::npos);
    // A checkpoint signed before the erasure.
    ASSERT_EQ(c.Get("/v1/transparency/checkpoint").status, 200);
    act({{"action", "withdraw"}, {"reason", "tidak jadi"}, {"command_id", "c1b"}});
    act({{"action", "erase_personal_data"}, {"command_id", "c2"}});
    ASSERT_EQ(c.Get("/v1/transparency/checkpoint").status, 200);
    ledger.Kill(SIGTERM);
  }
  std::string out;
  EXPECT_EQ(RunLedger({"audit", "verify", "--data", data}, &out), 0) << out;
  EXPECT_EQ(RunLedger({"replay", "--data", data}, &out), 0) << out;
  EXPECT_NE(out.find("identical"), std::string::npos) << out;
  EXPECT_EQ(RunLedger({"audit", "trail", id, "--data", data, "--format", "jsonl"}, &out), 0);
  EXPECT_EQ(out.find(nik), std::string::npos) << out;
  // The permit id typed in small letters, as the API takes it.
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  std::string typed;
  EXPECT_EQ(RunLedger({"audit", "trail", lower, "--data", data, "--format", "jsonl"}, &typed), 0)
      << typed;
  EXPECT_EQ(typed, out);

  LedgerProcess again(data);
  HttpClient c(again.port());
  auto feed = ParseSse(c.Get("/v1/feeds/bank-dki", subscriber_token).body);
  ASSERT_EQ(feed.size(), 3u);
  EXPECT_EQ(feed[0].second["applicant"], (json{{"erased", true}}));
  EXPECT_EQ(feed[1].second["event_type"], "application_withdrawn");  // no permit will come
  EXPECT_EQ(feed[2].second["event_type"], "personal_data_erased");
  auto view = c.Get("/v1/permits/" + id, again.admin_token());
  EXPECT_EQ(view.body.find(nik), std::string::npos) << view.body;
}

TEST(FeedsDemo, LogsAndMetricsHoldNoPersonalDataAfterADemoRun) {
  std::string data = TempDir("feeds-demo");
  LedgerProcess demo(data, {"demo", "--permits", "60"});
  HttpClient c(demo.port());
  // The bank's feed reveals the personal data of the consented applicants:
  // none of it may be anywhere else.
  const std::string bank =
      c.Get("/v1/feeds/bank-dki/token", demo.admin_token()).json()["token"].get<std::string>();
  auto r = c.Get("/v1/feeds/bank-dki", bank);
  ASSERT_EQ(r.status, 200);
  std::set<std::string> secrets;
  for (const auto& [id, m] : ParseSse(r.body)) {
    const json applicant = m.value("applicant", json::object());
    for (const auto& [k, v] : applicant.items())
      if (v.is_string()) secrets.insert(v.get<std::string>());
  }
  ASSERT_GE(secrets.size(), 6u) << "the demo grants the bank consent for some permits";
  // The administrator reads the same feed, without the personal data its
  // role does not see.
  const auto as_admin = ParseSse(c.Get("/v1/feeds/bank-dki", demo.admin_token()).body);
  const auto as_bank = ParseSse(r.body);
  ASSERT_EQ(as_admin.size(), as_bank.size());
  size_t withheld = 0;
  for (size_t i = 0; i < as_admin.size(); ++i) {
    EXPECT_EQ(as_admin[i].first, as_bank[i].first);
    const json& a = as_admin[i].second;
    if (a.contains("applicant") && a["applicant"].contains("withheld")) ++withheld;
    for (const auto& secret : secrets)
      EXPECT_EQ(a.dump().find(secret), std::string::npos) << a.dump();
  }
  EXPECT_GE(withheld, 1u);
  const std::string metrics = c.Get("/metrics").body;
  const std::string log = ReadFile(demo.output_path());
  const std::string stats = c.Get("/v1/public/stats").body;
  const std::string reg = c.Get("/v1/public/register").body;
  ASSERT_FALSE(log.empty());
  for (const auto& s : secrets) {
    for (const auto* where : {&metrics, &log, &stats, &reg})
      EXPECT_EQ(where->find(s), std::string::npos) << "personal data \"" << s << "\" leaked";
  }
}

// Runs after the ones above (it amends the charter): an amendment refused
// for a cause the administrator then removes is decided afresh, though
// the same document is sent (it carries no command_id to change).
TEST_F(FeedsTest, ZzARefusedAmendmentIsDecidedAfreshOnceItsCauseIsGone) {
  const std::string admin = ledger_->admin_token();
  json charter = client_.Get("/v1/charter").json();
  auto next = [&](json doc) {
    doc["charter_version"] = client_.Get("/v1/charter").json()["charter_version"].get<int>() + 1;
    return doc.dump();
  };
  charter["roles"]["survey_aide"] = {{"name", "Survey aide"}, {"scope", "kelurahan"}};
  auto r = client_.Request("PUT", "/v1/charter", next(charter), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  r = client_.Request("POST", "/v1/officers",
                      json{{"id", "aide-1"},
                           {"name", "Aide One"},
                           {"role", "survey_aide"},
                           {"kelurahan", "31.74.10.1001"}}
                          .dump(),
                      admin);
  ASSERT_EQ(r.status, 201) << r.body;

  // A role held cannot change its scope under its officers...
  json rescoped = charter;
  rescoped["roles"]["survey_aide"]["scope"] = "kecamatan";
  r = client_.Request("PUT", "/v1/charter", next(rescoped), admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("changes the scope"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("aide-1"), std::string::npos) << r.body;
  // ... nor go while they hold it; sent again unchanged, the same answer.
  json dropped = charter;
  dropped["roles"].erase("survey_aide");
  const std::string without = next(dropped);
  r = client_.Request("PUT", "/v1/charter", without, admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("drops the role of enrolled officers: aide-1"), std::string::npos)
      << r.body;
  r = client_.Request("PUT", "/v1/charter", without, admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("decided afresh once"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("command_id"), std::string::npos) << "there is none to change: " << r.body;

  // The officer retired, the same bytes are adopted.
  r = client_.Request("POST", "/v1/officers/aide-1/retire",
                      json{{"reason", "the role is dropped"}}.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  r = client_.Request("PUT", "/v1/charter", without, admin);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(client_.Get("/v1/charter").json()["roles"].contains("survey_aide"));
}

// A leaked subscriber token is revoked by an amendment raising the
// subscriber's token_generation: the old token is told it was revoked, the
// administrator hands out the new one, the other feeds keep theirs.
TEST_F(FeedsTest, ZzARevokedSubscriberTokenNoLongerOpensTheFeed) {
  const std::string admin = ledger_->admin_token();
  const std::string old_token = Token("bank-dki");
  // A request of the old token waiting for the next message when the token
  // is revoked reads nothing more.
  auto [id, code, nik] = Issued("revoked-token");
  const auto feed = ReadFeed("bank-dki");
  const uint64_t last = feed.empty() ? 0 : feed.back().first;
  const uint64_t others = Unanswered(client_);
  HttpResult waited;
  std::thread waiter([&] {
    HttpClient c(ledger_->port());
    waited = c.Request("GET", "/v1/feeds/bank-dki?wait=60", "", old_token,
                       {{"Last-Event-ID", std::to_string(last)}});
  });
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       Unanswered(client_) <= others && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  json charter = client_.Get("/v1/charter").json();
  charter["charter_version"] = charter["charter_version"].get<int>() + 1;
  charter["data_sharing"]["bank-dki"]["token_generation"] = 1;
  auto r = client_.Request("PUT", "/v1/charter", charter.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  Act(id, code, {{"action", "grant_consent"}, {"subscriber", "bank-dki"}});
  waiter.join();
  EXPECT_EQ(waited.status, 401) << waited.body;
  EXPECT_EQ(waited.body.find(nik), std::string::npos) << waited.body;

  auto refused = client_.Get("/v1/feeds/bank-dki", old_token);
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "unauthenticated");
  EXPECT_NE(refused.body.find("was revoked"), std::string::npos) << refused.body;
  auto handed = client_.Get("/v1/feeds/bank-dki/token", admin);
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(handed.json()["token_generation"], 1);
  const std::string fresh = handed.json()["token"];
  EXPECT_NE(fresh, old_token);
  (*tokens_)["bank-dki"] = fresh;
  EXPECT_EQ(client_.Get("/v1/feeds/bank-dki", fresh).status, 200);
  EXPECT_EQ(client_.Get("/v1/feeds/ministry-umkm", Token("ministry-umkm")).status, 200);
  // The bank's new token opens no other feed.
  EXPECT_EQ(client_.Get("/v1/feeds/ministry-umkm", fresh).status, 403);
}

}  // namespace
}  // namespace pl::test
