// The HTTP API of the real binary, as clerks, applicants and the public use it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "events/hex.h"
#include "harness.h"

namespace pl::test {
namespace {

using nlohmann::json;

const std::string kUlujami = "31.74.10.1003";
const std::string kBintaro = "31.74.10.1001";

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(TempDir("api"));
    ledger_ = new LedgerProcess(*data_);
    HttpClient c(ledger_->port());
    auto enrol = [&](const std::string& id, const std::string& role, const std::string& kel) {
      auto r = c.Post("/v1/officers",
                      {{"id", id}, {"name", "Officer " + id}, {"role", role}, {"kelurahan", kel}},
                      ledger_->admin_token());
      EXPECT_EQ(r.status, 201) << r.body;
      (*tokens_)[id] = r.json()["token"];
    };
    tokens_ = new std::map<std::string, std::string>;
    enrol("ptsp-ulujami", "ptsp_officer", kUlujami);
    enrol("head-ulujami", "ptsp_head", kUlujami);
    enrol("ekbang-ulujami", "kelurahan_economy", kUlujami);
    enrol("lurah-ulujami", "lurah", kUlujami);
    enrol("ptsp-bintaro", "ptsp_officer", kBintaro);
    enrol("monitor", "kecamatan_monitor", "31.74.10");
    enrol("auditor", "auditor", "*");
  }
  static void TearDownTestSuite() {
    delete ledger_;
    delete tokens_;
    delete data_;
  }

  HttpClient client_{ledger_->port()};
  std::string Token(const std::string& id) { return tokens_->at(id); }

  // Submits an application; returns {permit_id, tracking_code}.
  std::pair<std::string, std::string> Submit(const std::string& command_id,
                                             const std::string& kel = kUlujami) {
    auto r = client_.Post("/v1/applications", Application(command_id, kel));
    EXPECT_EQ(r.status, 201) << r.body;
    return {r.json()["permit_id"], r.json()["tracking_code"]};
  }
  HttpResult Act(const std::string& permit, const std::string& token, json body) {
    return client_.Post("/v1/permits/" + permit + "/actions", body, token);
  }
  uint64_t LogEnd() {
    auto m = client_.Get("/metrics").body;
    // The embedded processor decides every partition.
    EXPECT_NE(m.find("\npermitledger_partitions_deciding 1\n"), std::string::npos) << m;
    std::smatch match;
    EXPECT_TRUE(std::regex_search(
        m, match, std::regex(R"(permitledger_log_end_offset\{partition="0"\} (\d+))")));
    return std::stoull(match[1]);
  }
  // Takes an application of Ulujami to `documents_verified`.
  std::string Verified(const std::string& name) {
    auto [id, code] = Submit(name);
    EXPECT_EQ(Act(id, Token("ptsp-ulujami"),
                  {{"action", "verify_documents"}, {"command_id", name + "-v"}})
                  .status,
              200);
    return id;
  }

  static std::string* data_;
  static LedgerProcess* ledger_;
  static std::map<std::string, std::string>* tokens_;
};
std::string* ApiTest::data_;
LedgerProcess* ApiTest::ledger_;
std::map<std::string, std::string>* ApiTest::tokens_;

TEST_F(ApiTest, AnApplicationGoesAllTheWayToAnIssuedPermitThatThePublicCanVerify) {
  auto [id, code] = Submit("happy-1");
  const auto officer = Token("ptsp-ulujami");
  auto r = Act(id, officer,
               {{"action", "verify_documents"}, {"command_id", "h1"}, {"expected_version", 1}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "documents_verified");
  EXPECT_EQ(r.json()["events"][0]["type"], "documents_verified");
  r = Act(id, officer,
          {{"action", "schedule_survey"},
           {"command_id", "h2"},
           {"date", SurveyDate()},
           {"team", {"ptsp-ulujami", "ekbang-ulujami"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Act(id, Token("ekbang-ulujami"),
          {{"action", "record_survey"},
           {"command_id", "h3"},
           {"zoning_compliant", true},
           {"notes", "sesuai RDTR"}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Act(id, Token("lurah-ulujami"),
          {{"action", "recommend"}, {"command_id", "h4"}, {"letter_number", "12/REK/2026"}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Act(id, Token("head-ulujami"), {{"action", "issue_permit"}, {"command_id", "h5"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "issued");
  EXPECT_EQ(r.json()["version"], 6);

  auto permit = client_.Get("/v1/permits/" + id, officer).json();
  EXPECT_EQ(permit["status"], "issued");
  std::string number = permit["permit_number"];
  EXPECT_FALSE(number.empty());
  EXPECT_EQ(permit["applicant"]["nik"], "3174016512900001");

  auto history = client_.Get("/v1/permits/" + id + "/history", Token("auditor")).json();
  ASSERT_EQ(history["events"].size(), 6u);
  EXPECT_EQ(history["events"][4]["actor_id"], "lurah-ulujami");
  EXPECT_EQ(history["events"][4]["actor_role"], "lurah");

  // A segment sent percent-encoded names the same resource (P is %50).
  EXPECT_EQ(client_.Get("/v1/permits/%50" + id.substr(1), officer).json(), permit);
  // Typed in small letters: the same permit.
  std::string lower_id = id;
  std::transform(lower_id.begin(), lower_id.end(), lower_id.begin(), ::tolower);
  EXPECT_EQ(client_.Get("/v1/permits/" + lower_id, officer).json(), permit);
  EXPECT_EQ(client_.Get("/v1/permits/%50" + id.substr(1) + "/history", Token("auditor")).json(),
            history);
  const std::string first = "%" + Hex(reinterpret_cast<const unsigned char*>(code.data()), 1);
  EXPECT_EQ(client_.Get("/v1/track/" + first + code.substr(1)).json(),
            client_.Get("/v1/track/" + code).json());

  auto track = client_.Get("/v1/track/" + code).json();
  EXPECT_EQ(track["status"], "issued");
  EXPECT_EQ(track["permit_number"], number);
  // The code as an applicant types it: lower case, without its hyphens or
  // with spaces, an O for a 0; as a token too.
  std::string typed;
  for (char c : code)
    if (c != '-') typed.push_back(static_cast<char>(c == '0' ? 'o' : std::tolower(c)));
  EXPECT_EQ(client_.Get("/v1/track/" + typed).json(), track);
  EXPECT_EQ(client_.Get("/v1/track/%20" + typed.substr(0, 10) + "%20" + typed.substr(10)).json(),
            track);
  EXPECT_EQ(client_.Get("/v1/permits/" + id, typed).json()["status"], "issued");
  EXPECT_EQ(track["history"].size(), 6u);
  // The code as the bearer token, out of the URL (the pages' way).
  EXPECT_EQ(client_.Get("/v1/track", typed).json(), track);
  auto no_code = client_.Get("/v1/track");
  EXPECT_EQ(no_code.status, 401) << no_code.body;
  auto wrong = client_.Get("/v1/track", "ABCDE-FGHJK-MNPQR-STVWX");
  EXPECT_EQ(wrong.status, 404) << wrong.body;
  EXPECT_EQ(wrong.json()["error"]["code"], "unknown_tracking_code") << wrong.body;

  std::string encoded = std::regex_replace(number, std::regex("/"), "%2F");
  auto verify = client_.Get("/v1/public/verify/" + encoded).json();
  EXPECT_EQ(verify["result"], "valid");
  EXPECT_EQ(verify["business_name"], "Warung Bu Sari");
  // Typed in small letters, as a bank clerk may: the same permit, named as issued.
  std::string lower = encoded;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  EXPECT_EQ(client_.Get("/v1/public/verify/" + lower).json(), verify);
  // Pasted with blanks around it, as copied from a page.
  EXPECT_EQ(client_.Get("/v1/public/verify/%20" + lower + "%20%20").json(), verify);
  // A client that sends a token along (a bank's feed token, say) is not
  // refused: the public answers take none, and read none.
  EXPECT_EQ(client_.Get("/v1/public/verify/" + encoded, "feed_0123456789abcdef").json(), verify);
  EXPECT_EQ(client_.Get("/v1/public/stats", "not-a-token").status, 200);
  // Nor are the other reads that need no token: a tracking, the charter,
  // the log's key, checkpoints and proofs (a proxy's credentials sent along).
  for (const std::string path :
       {"/v1/charter", "/v1/transparency/key", "/v1/transparency/checkpoint",
        "/v1/transparency/proof/consistency?first=1"})
    EXPECT_EQ(client_.Get(path, "proxy-credential").status, 200) << path;
  EXPECT_EQ(client_.Get("/v1/track/" + code, "proxy-credential").status, 200);
  // Those that answer by who asks still refuse a token they do not know.
  EXPECT_EQ(client_.Get("/v1/transparency/leaves/0", "proxy-credential").status, 401);
  EXPECT_EQ(client_.Get("/v1/worklist", "proxy-credential").status, 401);
  // Typed from paper with blanks around its slashes; the verification code
  // its QR code holds, scanned and pasted; the permit id alone.
  EXPECT_EQ(
      client_
          .Get("/v1/public/verify/" + std::regex_replace(encoded, std::regex("%2F"), "%20%2F%20"))
          .json(),
      verify);
  // From a PDF or a web page: no-break spaces around the slashes, a
  // zero-width space at its end.
  EXPECT_EQ(client_
                .Get("/v1/public/verify/" +
                     std::regex_replace(encoded, std::regex("%2F"), "%C2%A0%2F%C2%AD") +
                     "%E2%80%8B%E2%80%8E")
                .json(),
            verify);
  EXPECT_EQ(
      client_.Get("/v1/public/verify/" + verify["verification"]["code"].get<std::string>()).json(),
      verify);
  // A code naming the permit with another leaf and tree size was not made
  // by the ledger: said beside the permit's answer.
  const std::string real = verify["verification"]["code"];
  const std::string forged = real.substr(0, real.rfind('.', real.rfind('.') - 1)) + ".1.2";
  auto mismatch = client_.Get("/v1/public/verify/" + forged).json();
  EXPECT_EQ(mismatch["result"], "valid");
  EXPECT_EQ(mismatch["code_mismatch"]["given"], forged) << mismatch;
  EXPECT_NE(mismatch["code_mismatch"]["message"].get<std::string>().find("did not make it"),
            std::string::npos);
  EXPECT_EQ(client_.Get("/v1/public/verify/" + id).json(), verify);
  // The link of its QR code, pasted, is read as its code.
  EXPECT_EQ(client_
                .Get("/v1/public/verify/" +
                     std::regex_replace(
                         std::regex_replace(
                             std::regex_replace("https://izin.example.go.id/?verify=" + real,
                                                std::regex("/"), "%2F"),
                             std::regex(":"), "%3A"),
                         std::regex("[?]"), "%3F"))
                .json()["permit_number"],
            verify["permit_number"]);
  // The permit's leaf in a tree of another size is the code of another
  // instance (or of this one before its checkpoints were lost): genuine.
  const std::string leaf = std::to_string(verify["verification"]["leaf_index"].get<uint64_t>());
  const std::string elsewhere =
      real.substr(0, real.rfind('.', real.rfind('.') - 1)) + "." + leaf + "." +
      std::to_string(verify["verification"]["tree_size"].get<uint64_t>() + 1);
  auto other = client_.Get("/v1/public/verify/" + elsewhere).json();
  EXPECT_FALSE(other.contains("code_mismatch")) << other;
  EXPECT_EQ(other["result"], "valid");
  // A tree that cannot hold the leaf is no tree of the log.
  const std::string impossible =
      real.substr(0, real.rfind('.', real.rfind('.') - 1)) + "." + leaf + "." + leaf;
  EXPECT_TRUE(client_.Get("/v1/public/verify/" + impossible).json().contains("code_mismatch"));
  auto overflow =
      client_
          .Get("/v1/public/verify/" + real.substr(0, real.rfind('.', real.rfind('.') - 1)) +
               ".99999999999999999999999.1")
          .json();
  EXPECT_EQ(overflow["result"], "valid") << overflow;
  EXPECT_TRUE(overflow.contains("code_mismatch")) << overflow;
  // A code whose number is no text (bytes that are not UTF-8, a control
  // character) is no code of the ledger: unknown, not a server error.
  for (const char* junk : {"v1._w.1.2", "v1.AAAA.1.2", "v1.4oCu.1.2"}) {
    auto r = client_.Get(std::string("/v1/public/verify/") + junk);
    EXPECT_EQ(r.status, 200) << junk << ": " << r.body;
    EXPECT_EQ(r.json()["result"], "unknown") << r.body;
  }
  // The permit number given where the application's id goes: the answer
  // says which part of it is the id.
  auto by_number = client_.Get("/v1/permits/" + encoded, code);
  EXPECT_EQ(by_number.status, 404);
  EXPECT_NE(by_number.json()["error"]["message"].get<std::string>().find("last part, " + id),
            std::string::npos)
      << by_number.body;
  auto reg = client_.Get("/v1/public/register?kelurahan=" + kUlujami + "&q=bu%20sari").json();
  EXPECT_GE(reg["count"].get<int>(), 1);
  // White space as typed does not matter: "BU  sari " finds it too.
  EXPECT_EQ(client_.Get("/v1/public/register?kelurahan=" + kUlujami + "&q=BU%20%20sari%20").json(),
            reg);
  // The kelurahan's code as a permit number prints it, without dots.
  std::string bare = kUlujami;
  std::erase(bare, '.');
  EXPECT_EQ(client_.Get("/v1/public/register?kelurahan=" + bare + "&q=bu%20sari").json(), reg);
  // The search finds a permit number as verify reads it: typed from paper
  // with blanks around its slashes, or its verification code.
  for (const std::string typed : {std::regex_replace(encoded, std::regex("%2F"), "%20%2F%20"),
                                  verify["verification"]["code"].get<std::string>()}) {
    auto found = client_.Get("/v1/public/register?q=" + typed).json();
    ASSERT_EQ(found["count"], 1) << typed;
    EXPECT_EQ(found["items"][0]["permit_number"], number);
  }
  // A page after= a permit number starts past it; no "next": the last page.
  auto whole = client_.Get("/v1/public/register").json();
  auto after = client_.Get("/v1/public/register?after=" + encoded).json();
  EXPECT_FALSE(whole.contains("next"));
  EXPECT_FALSE(after.contains("next"));
  for (const auto& e : after["items"]) EXPECT_GT(e["permit_number"].get<std::string>(), number);
  EXPECT_EQ(after["count"].get<size_t>() + 1,
            static_cast<size_t>(std::count_if(
                whole["items"].begin(), whole["items"].end(), [&](const nlohmann::json& e) {
                  return e["permit_number"].get<std::string>() >= number;
                })));
  // The cursor typed in small letters is the same; one that names no
  // permit of the register, or none at all, is an error, not an empty page.
  EXPECT_EQ(client_.Get("/v1/public/register?after=" + lower).json(), after);
  for (const char* bad : {"", "xyz", "IUMK%2Fnothing"}) {
    auto r = client_.Get(std::string("/v1/public/register?after=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json()["error"]["code"], "invalid_parameter") << r.body;
  }

  r = Act(id, Token("head-ulujami"),
          {{"action", "revoke"}, {"command_id", "h6"}, {"reason", "usaha tutup"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto revoked = client_.Get("/v1/public/verify/" + encoded).json();
  EXPECT_EQ(revoked["result"], "revoked");
  EXPECT_EQ(revoked["revocation_reason"], "usaha tutup") << "the ground is public";
  EXPECT_TRUE(revoked["revoked_on"].is_string());
  EXPECT_EQ(client_.Get("/v1/public/verify/IUMK%2Fnothing").json()["result"], "unknown");

  auto stats = client_.Get("/v1/public/stats").json();
  bool found = false;
  for (auto& k : stats["kelurahan"])
    if (k["code"] == kUlujami) found = k["by_stage"].value("revoked", 0) >= 1;
  EXPECT_TRUE(found) << stats.dump();
  // HEAD answers as GET does, without the body.
  auto head = client_.Request("HEAD", "/v1/public/stats", "", "");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty()) << head.body.substr(0, 80);
  EXPECT_EQ(client_.Get("/healthz").status, 200) << "the connection goes on after a HEAD";
}

TEST_F(ApiTest, TheApplicantCompletesMissingDocumentsWithTheTrackingCode) {
  auto [id, code] = Submit("incomplete-1");
  // Too early: nothing was asked for yet. The applicant's refusal is not
  // remembered (a tracking code is anyone's for an application: each would
  // be a record kept for good), so the retry, once documents are asked
  // for, is carried out.
  const json early = {
      {"action", "complete_documents"}, {"command_id", "i2"}, {"provided", {"premises_proof"}}};
  for (int i = 0; i < 2; ++i) {
    auto refused = Act(id, code, early);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.json()["error"]["code"], "transition_not_allowed");
    EXPECT_EQ(refused.body.find("already"), std::string::npos) << refused.body;
  }
  auto r = Act(
      id, Token("ptsp-ulujami"),
      {{"action", "request_completion"}, {"command_id", "i1"}, {"missing", {"premises_proof"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto track = client_.Get("/v1/track/" + code).json();
  EXPECT_EQ(track["status"], "incomplete");
  EXPECT_EQ(track["missing"], json({"premises_proof"}));
  EXPECT_EQ(track["next_actions"], json({"complete_documents"}));
  r = Act(id, code, early);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "submitted");
  EXPECT_FALSE(r.json()["duplicate"].get<bool>());
  EXPECT_EQ(client_.Get("/v1/permits/" + id, code).json()["missing"], json::array());
  // Handed in without every required document: the views say which, and
  // the officer's next step is to ask for them.
  json lacking = Application("incomplete-3", kUlujami);
  lacking["documents"] = {"form", "undertaking", "ktp"};
  auto sent = client_.Post("/v1/applications", lacking);
  ASSERT_EQ(sent.status, 201) << sent.body;
  track = client_.Get("/v1/track/" + sent.json()["tracking_code"].get<std::string>()).json();
  EXPECT_EQ(track["missing"], json({"kk", "premises_photo", "premises_proof"}));
  EXPECT_EQ(track["next_actions"], json({"request_completion"}));
  // Another applicant's code does not reach this permit.
  auto [other, other_code] = Submit("incomplete-2");
  r = Act(id, other_code, {{"action", "withdraw"}, {"command_id", "i3"}, {"reason", "x"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(client_.Get("/v1/permits/" + id, other_code).status, 403);
}

TEST_F(ApiTest, ANonCompliantLocationCannotBeRecommended) {
  std::string id = Verified("zoning-1");
  ASSERT_EQ(Act(id, Token("ptsp-ulujami"),
                {{"action", "schedule_survey"},
                 {"command_id", "z1"},
                 {"date", SurveyDate()},
                 {"team", {"ekbang-ulujami"}}})
                .status,
            200);
  ASSERT_EQ(Act(id, Token("ekbang-ulujami"),
                {{"action", "record_survey"}, {"command_id", "z2"}, {"zoning_compliant", false}})
                .status,
            200);
  auto r = Act(id, Token("lurah-ulujami"),
               {{"action", "recommend"}, {"command_id", "z3"}, {"letter_number", "1"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["code"], "zoning_non_compliant");
  r = Act(id, Token("lurah-ulujami"),
          {{"action", "decline_recommendation"}, {"command_id", "z4"}, {"reason", "zona hijau"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "rejected");
}

TEST_F(ApiTest, ARepeatedCommandWritesNothingAndReturnsTheFirstOutcome) {
  auto first = client_.Post("/v1/applications", Application("repeat-app", kUlujami)).json();
  const uint64_t end = LogEnd();
  auto again = client_.Post("/v1/applications", Application("repeat-app", kUlujami));
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json()["permit_id"], first["permit_id"]);
  EXPECT_EQ(again.json()["tracking_code"], first["tracking_code"]);
  EXPECT_EQ(again.json()["duplicate"], true);
  std::string id = first["permit_id"];
  auto a =
      Act(id, Token("ptsp-ulujami"), {{"action", "verify_documents"}, {"command_id", "rep-1"}});
  auto b =
      Act(id, Token("ptsp-ulujami"), {{"action", "verify_documents"}, {"command_id", "rep-1"}});
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(a.json()["events"], b.json()["events"]);
  EXPECT_EQ(b.json()["version"], 2);
  EXPECT_EQ(b.json()["duplicate"], true);
  EXPECT_EQ(LogEnd(), end + 1);
  // A refused command is refused again the same way, by its first answer
  // (the permit may have moved on meanwhile).
  auto c = Act(id, Token("head-ulujami"), {{"action", "issue_permit"}, {"command_id", "rep-2"}});
  auto d = Act(id, Token("head-ulujami"), {{"action", "issue_permit"}, {"command_id", "rep-2"}});
  EXPECT_EQ(c.status, 422);
  EXPECT_EQ(d.status, 422);
  EXPECT_EQ(c.json()["error"]["code"], "transition_not_allowed");
  EXPECT_EQ(c.json()["error"]["code"], d.json()["error"]["code"]);
  const std::string repeated = d.json()["error"]["message"];
  EXPECT_TRUE(repeated.starts_with(c.json()["error"]["message"].get<std::string>())) << repeated;
  EXPECT_NE(repeated.find("new command_id"), std::string::npos) << repeated;
}

TEST_F(ApiTest, ARetriedEnrolmentGetsTheSameTokenAndAnotherRequestUnderItsIdNone) {
  json officer = {{"id", "ptsp-retry"},
                  {"name", "Officer"},
                  {"role", "ptsp_officer"},
                  {"kelurahan", kUlujami},
                  {"command_id", "enrol-retry"}};
  auto first = client_.Post("/v1/officers", officer, ledger_->admin_token());
  ASSERT_EQ(first.status, 201) << first.body;
  const uint64_t end = LogEnd();
  // The answer was lost: the same request again gets the same token.
  auto again = client_.Post("/v1/officers", officer, ledger_->admin_token());
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["token"], first.json()["token"]);
  EXPECT_EQ(client_.Get("/v1/worklist", first.json()["token"]).status, 200);
  // Another request under the same command_id: no token.
  officer["name"] = "Someone Else";
  auto other = client_.Post("/v1/officers", officer, ledger_->admin_token());
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.json()["error"]["code"], "command_id_reused");
  EXPECT_EQ(other.body.find(first.json()["token"].get<std::string>()), std::string::npos);
  // The same officer id under a new command_id: it exists.
  officer["command_id"] = "enrol-retry-2";
  other = client_.Post("/v1/officers", officer, ledger_->admin_token());
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.json()["error"]["code"], "officer_exists");
  EXPECT_EQ(LogEnd(), end);
}

TEST_F(ApiTest, ARetiredOfficersTokenStopsWorkingAndTheIdMayBeEnrolledAgain) {
  const std::string admin = ledger_->admin_token();
  json officer = {{"id", "ptsp-leaving"},
                  {"name", "Officer"},
                  {"role", "ptsp_officer"},
                  {"kelurahan", kUlujami}};
  auto enrolled = client_.Post("/v1/officers", officer, admin);
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  const std::string token = enrolled.json()["token"];
  ASSERT_EQ(client_.Get("/v1/worklist", token).status, 200);
  // Who is enrolled, for the administrator and the officers; not for an
  // applicant or without a token.
  auto listed = [&](const std::string& id) {
    auto l = client_.Get("/v1/officers", admin);
    EXPECT_EQ(l.status, 200) << l.body;
    const json all = l.json();
    for (const auto& o : all["officers"])
      if (o["id"] == id) return std::string("enrolled ") + o["role"].get<std::string>();
    for (const auto& o : all["retired"])
      if (o == id) return std::string("retired");
    return std::string("unknown");
  };
  EXPECT_EQ(listed("ptsp-leaving"), "enrolled ptsp_officer");
  EXPECT_EQ(client_.Get("/v1/officers", token).status, 200);
  EXPECT_EQ(client_.Get("/v1/officers").status, 401);
  auto [some_permit, tracking] = Submit("officer-list");
  EXPECT_EQ(client_.Get("/v1/officers", tracking).status, 403);
  EXPECT_EQ(client_.Get("/v1/officers", admin).body.find("token"), std::string::npos);
  EXPECT_EQ(client_.Post("/v1/officers/ptsp-leaving/retire", {{"reason", "pindah"}}, token).status,
            403);
  EXPECT_EQ(client_.Post("/v1/officers/ptsp-leaving/retire", json::object(), admin).status, 400)
      << "a retirement says why";
  auto r = client_.Post("/v1/officers/ptsp-leaving/retire",
                        {{"reason", "pindah tugas ke Bintaro"}, {"command_id", "retire-1"}}, admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["retired"], true);
  EXPECT_EQ(client_.Get("/v1/worklist", token).status, 401);
  EXPECT_EQ(listed("ptsp-leaving"), "retired");
  r = client_.Post("/v1/officers/ptsp-leaving/retire",
                   {{"reason", "pindah tugas ke Bintaro"}, {"command_id", "retire-1"}}, admin);
  EXPECT_EQ(r.status, 200) << "a retried retirement answers its first outcome: " << r.body;
  r = client_.Post("/v1/officers/ptsp-leaving/retire", {{"reason", "again"}}, admin);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "unknown_officer");
  // The command_id of that retirement, or of an enrolment, sent to retire
  // another officer: refused, and that officer's token still works.
  json staying = {{"id", "ptsp-staying"},
                  {"name", "Officer"},
                  {"role", "ptsp_officer"},
                  {"kelurahan", kUlujami},
                  {"command_id", "enrol-staying"}};
  auto stays = client_.Post("/v1/officers", staying, admin);
  ASSERT_EQ(stays.status, 201) << stays.body;
  const uint64_t end = LogEnd();
  for (const char* used : {"retire-1", "enrol-staying"}) {
    r = client_.Post("/v1/officers/ptsp-staying/retire",
                     {{"reason", "pindah"}, {"command_id", used}}, admin);
    EXPECT_EQ(r.status, 409) << used << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "command_id_reused") << used;
  }
  EXPECT_EQ(client_.Get("/v1/worklist", stays.json()["token"]).status, 200);
  EXPECT_EQ(LogEnd(), end);
  // An id with an '@', in a path encoded as a browser encodes it.
  json at = {{"id", "ptsp@ulujami"},
             {"name", "Officer"},
             {"role", "ptsp_officer"},
             {"kelurahan", kUlujami}};
  ASSERT_EQ(client_.Post("/v1/officers", at, admin).status, 201);
  EXPECT_EQ(client_.Get("/v1/audit/officers/ptsp%40ulujami", admin).json()["officer_id"],
            "ptsp@ulujami");
  r = client_.Post("/v1/officers/ptsp%40ulujami/retire", {{"reason", "pindah"}}, admin);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["officer_id"], "ptsp@ulujami");
  // The enrolment's request sent again after the retirement: not its old
  // token, which no longer works.
  json retried = staying;
  ASSERT_EQ(client_.Post("/v1/officers/ptsp-staying/retire", {{"reason", "pindah"}}, admin).status,
            200);
  r = client_.Post("/v1/officers", retried, admin);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "enrolment_retired");
  EXPECT_EQ(r.body.find(stays.json()["token"].get<std::string>()), std::string::npos);
  retried["command_id"] = "enrol-staying-2";
  r = client_.Post("/v1/officers", retried, admin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(client_.Get("/v1/worklist", r.json()["token"]).status, 200);
  // Enrolled again, in the new post: a new token.
  officer["kelurahan"] = kBintaro;
  auto again = client_.Post("/v1/officers", officer, admin);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(again.json()["token"], token);
  EXPECT_EQ(client_.Get("/v1/worklist", again.json()["token"]).status, 200);
  EXPECT_EQ(client_.Get("/v1/worklist", token).status, 401);
}

TEST_F(ApiTest, ARepeatedCommandIdAnswersOnlyTheSameRequest) {
  auto [id, code] = Submit("reuse-app");
  ASSERT_EQ(Act(id, Token("ptsp-ulujami"), {{"action", "verify_documents"}, {"command_id", "ru-1"}})
                .status,
            200);
  const uint64_t end = LogEnd();
  // Another application under a command_id already used (it is on the
  // public log): refused, and no tracking code of the first one leaks.
  json other = Application("reuse-app", kBintaro, "3174011111990001");
  other["applicant"]["name"] = "Someone Else";
  auto r = client_.Post("/v1/applications", other);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused");
  EXPECT_EQ(r.body.find(code), std::string::npos);
  // The same application from an officer at the counter is another request.
  r = client_.Post("/v1/applications", Application("reuse-app", kUlujami), Token("ptsp-ulujami"));
  EXPECT_EQ(r.status, 409) << r.body;
  // A repeated action answers only those who may read the permit.
  json verify = {{"action", "verify_documents"}, {"command_id", "ru-1"}};
  auto [other_id, other_code] = Submit("reuse-other");
  for (const std::string& token : {Token("ptsp-bintaro"), other_code}) {
    r = Act(id, token, verify);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "outside_jurisdiction");
    EXPECT_EQ(r.body.find("documents_verified"), std::string::npos) << r.body;
  }
  EXPECT_EQ(Act(id, Token("ptsp-ulujami"), verify).json()["duplicate"], true);
  // Another action, or another sender, under the id of a taken one.
  r = Act(id, Token("ptsp-ulujami"),
          {{"action", "request_completion"}, {"command_id", "ru-1"}, {"missing", {"kk"}}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused");
  r = Act(id, Token("monitor"), verify);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(LogEnd(), end + 1);  // the second application only

  // A refusal answers again only its own sender's same action: the officer
  // the command was meant for is told the id is taken, not another's
  // refusal, and takes the action under a new id.
  auto [wrong_id, wrong_code] = Submit("reuse-refused");
  json misrouted = {{"action", "verify_documents"}, {"command_id", "ru-refused"}};
  r = Act(wrong_id, Token("head-ulujami"), misrouted);
  EXPECT_EQ(r.json()["error"]["code"], "role_not_permitted") << r.body;
  r = Act(wrong_id, Token("head-ulujami"), misrouted);
  EXPECT_EQ(r.json()["error"]["code"], "role_not_permitted") << "its repeat: " << r.body;
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("new command_id"),
            std::string::npos);
  r = Act(wrong_id, Token("ptsp-ulujami"), misrouted);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused");
  EXPECT_NE(r.body.find("head-ulujami, and refused"), std::string::npos) << r.body;
  r = Act(wrong_id, Token("head-ulujami"),
          {{"action", "issue_permit"}, {"command_id", "ru-refused"}});
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused") << "another action: " << r.body;
  misrouted["command_id"] = "ru-right";
  EXPECT_EQ(Act(wrong_id, Token("ptsp-ulujami"), misrouted).status, 200);

  // An outsider (an officer of another kelurahan, another application's
  // applicant) refused first does not take the id: the officer of the
  // permit acts under it.
  // Nor with an action its role is not granted: where comes before what.
  auto [taken_id, taken_code] = Submit("reuse-outsider");
  json early = {{"action", "verify_documents"}, {"command_id", "ru-outsider"}};
  json not_granted = {{"action", "issue_permit"}, {"command_id", "ru-outsider"}};
  for (const auto& [token, body] :
       std::vector<std::pair<std::string, json>>{{Token("ptsp-bintaro"), early},
                                                 {other_code, early},
                                                 {Token("ptsp-bintaro"), not_granted}}) {
    r = Act(taken_id, token, body);
    EXPECT_EQ(r.json()["error"]["code"], "outside_jurisdiction") << r.body;
  }
  r = Act(taken_id, Token("ptsp-ulujami"), early);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["duplicate"], false) << r.body;

  // An application refused as invalid leaves its command_id free for the
  // corrected one.
  json typo = Application("typo-app", kUlujami, "31740");
  r = client_.Post("/v1/applications", typo);
  EXPECT_EQ(r.status, 422) << r.body;
  r = client_.Post("/v1/applications", Application("typo-app", kUlujami));
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["duplicate"], false);

  // The same action with other fields under a used id is another request,
  // taken or refused: not answered as if it had been done.
  r = Act(id, Token("ptsp-ulujami"),
          {{"action", "request_completion"}, {"command_id", "ru-fields"}, {"missing", {"kk"}}});
  EXPECT_EQ(r.json()["error"]["code"], "transition_not_allowed") << r.body;
  r = Act(id, Token("ptsp-ulujami"),
          {{"action", "request_completion"}, {"command_id", "ru-fields"}, {"missing", {"ktp"}}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused");
  EXPECT_NE(r.body.find("other fields, and refused"), std::string::npos) << r.body;
  const std::string date = SurveyDate();
  json survey = {{"action", "schedule_survey"},
                 {"command_id", "ru-survey"},
                 {"date", date},
                 {"team", {"ekbang-ulujami"}}};
  ASSERT_EQ(Act(id, Token("ptsp-ulujami"), survey).status, 200);
  EXPECT_EQ(Act(id, Token("ptsp-ulujami"), survey).json()["duplicate"], true);
  survey["team"] = {"ptsp-ulujami"};
  r = Act(id, Token("ptsp-ulujami"), survey);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused");
  // An administrator's refused retirement does not answer a retirement of
  // another officer under its id.
  const std::string admin = ledger_->admin_token();
  r = client_.Post("/v1/officers/nobody/retire", {{"reason", "x"}, {"command_id", "ru-retire"}},
                   admin);
  EXPECT_EQ(r.json()["error"]["code"], "unknown_officer") << r.body;
  r = client_.Post("/v1/officers/ptsp-bintaro/retire",
                   {{"reason", "pindah"}, {"command_id", "ru-retire"}}, admin);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "command_id_reused");
  EXPECT_EQ(client_.Get("/v1/worklist", Token("ptsp-bintaro")).status, 200);
}

// The offline tools read the data directory of a stopped server (or a copy):
// with the server running they refuse, saying so, rather than audit a log
// that moves under them. The audit opens it read-only, which takes no lock.
TEST_F(ApiTest, OfflineToolsRefuseTheDirectoryOfARunningServer) {
  for (const std::vector<std::string>& tool :
       {std::vector<std::string>{"audit", "verify", "--data", *data_},
        std::vector<std::string>{"replay", "--data", *data_}}) {
    std::string out;
    EXPECT_NE(RunLedger(tool, &out), 0) << tool[0];
    EXPECT_NE(out.find("another process holds it"), std::string::npos) << out;
  }
  EXPECT_EQ(client_.Get("/healthz").status, 200);
}

// A connection to the server on loopback `port` (reads time out after
// 5 s), or -1.
int ConnectLoopback(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  ::close(fd);
  return -1;
}

// One exchange on a fresh connection: sends `head`, then (when given) waits
// for the interim answer and sends `body`; returns all that came back.
std::string RawExchange(unsigned short port, const std::string& head, const std::string& body = "",
                        std::string* interim = nullptr) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  auto receive = [&](bool until_blank_line) {
    std::string got;
    char buf[4096];
    while (!until_blank_line || got.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  };
  ::send(fd, head.data(), head.size(), 0);
  if (interim) {
    *interim = receive(true);
    ::send(fd, body.data(), body.size(), 0);
  }
  std::string rest = receive(false);
  ::close(fd);
  return rest;
}

// What HTTP clients send beside the usual: a lower-case auth scheme, the
// absolute form of a target (a proxy's), a client that waits for
// "100 Continue" before its body (curl, .NET, Java do for large bodies).
TEST_F(ApiTest, RequestsAsEveryHttpClientSendsThem) {
  auto r = client_.Request("GET", "/v1/worklist", "", "",
                           {{"Authorization", "bearer " + Token("ptsp-ulujami")}});
  EXPECT_EQ(r.status, 200) << r.body;
  std::string answer =
      RawExchange(ledger_->port(),
                  "GET http://127.0.0.1/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 15), "HTTP/1.1 200 OK") << answer;
  EXPECT_NE(answer.find("\"status\":\"ok\""), std::string::npos) << answer;
  std::string interim;
  answer = RawExchange(ledger_->port(),
                       "POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                       "Expect: 100-continue\r\nConnection: close\r\n\r\n",
                       "{}", &interim);
  EXPECT_EQ(interim.substr(0, 21), "HTTP/1.1 100 Continue") << interim;
  EXPECT_EQ(answer.substr(0, 24), "HTTP/1.1 400 Bad Request") << answer;
  EXPECT_NE(answer.find("missing_field"), std::string::npos) << answer;
  // Both lengths of a body: refused, and the message says why.
  answer =
      RawExchange(ledger_->port(),
                  "POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                  "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 24), "HTTP/1.1 400 Bad Request") << answer;
  EXPECT_NE(answer.find("both Content-Length and Transfer-Encoding"), std::string::npos) << answer;
  // A Transfer-Encoding the server does not frame the body by: refused and
  // the connection closed, so that the body is never read as the next
  // request (the stats here would be answered 200).
  for (const char* te : {"xchunked", "chunked, identity", "gzip", ""}) {
    answer = RawExchange(ledger_->port(),
                         std::string("POST /v1/applications HTTP/1.1\r\nHost: x\r\n"
                                     "Transfer-Encoding: ") +
                             te + "\r\n\r\nGET /v1/public/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(answer.substr(0, 24), "HTTP/1.1 400 Bad Request") << te << ": " << answer;
    EXPECT_NE(answer.find("Transfer-Encoding is not"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("200 OK"), std::string::npos) << "the body was served: " << answer;
  }
  // A NUL byte in a JSON body, with more after it: refused, not read up to it.
  answer = RawExchange(ledger_->port(),
                       "POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n"
                       "Connection: close\r\n\r\n" +
                           std::string("{}\0{{{", 6));
  EXPECT_EQ(answer.substr(0, 24), "HTTP/1.1 400 Bad Request") << answer;
  EXPECT_NE(answer.find("NUL byte"), std::string::npos) << answer;
  EXPECT_NE(answer.find("X-Content-Type-Options: nosniff"), std::string::npos) << answer;
  // A compressed body is refused for what it is, not as text that is not UTF-8.
  answer = RawExchange(ledger_->port(),
                       "POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                       "Content-Encoding: gzip\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(answer.substr(0, 24), "HTTP/1.1 400 Bad Request") << answer;
  EXPECT_NE(answer.find("Content-Encoding \\\"gzip\\\""), std::string::npos) << answer;
  // A body over the limit is refused on its Content-Length, without a
  // "100 Continue" that would have the client send it.
  answer = RawExchange(ledger_->port(),
                       "POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                       "Expect: 100-continue\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer;
  // HTTP/1.1 names its host (RFC 9112 3.2); HTTP/1.0 need not.
  answer = RawExchange(ledger_->port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("Host header"), std::string::npos) << answer;
  answer = RawExchange(ledger_->port(), "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 15), "HTTP/1.0 200 OK") << answer;
}

// A chunked body is read within bounds, and its trailer fields are no
// headers: a long trailer or chunk-size line is refused (it aborted the
// process, or grew its memory without end), a credential in a trailer
// does not count (it passed proxies that check headers).
TEST_F(ApiTest, AChunkedBodyIsReadWithinBounds) {
  const std::string chunked =
      "POST /v1/applications HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n";
  // A plain chunked body is read.
  std::string answer = RawExchange(ledger_->port(), chunked + "2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("missing_field"), std::string::npos) << answer;
  // A trailer field longer than the parser holds; a chunk size written with
  // 40,000 zeros. Refused (the rest of the request read and dropped, so
  // that the close sends no reset that would discard the answer), and the
  // server goes on.
  for (const std::string& request : {chunked + "0\r\nX: " + std::string(65600, 'a') + "\r\n\r\n",
                                     chunked + std::string(40000, '0') + "2\r\n{}\r\n0\r\n\r\n"}) {
    answer = RawExchange(ledger_->port(), request);
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 431") << answer.substr(0, 200);
    ASSERT_EQ(client_.Get("/healthz").status, 200);
  }
  // An officer's token in a trailer does not enrol anyone.
  const std::string body = R"({"id":"trailer-1","name":"A","role":"auditor"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  answer = RawExchange(ledger_->port(),
                       "POST /v1/officers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       "Connection: close\r\n\r\n" +
                           std::string(size) + "\r\n" + body + "\r\n0\r\nAuthorization: Bearer " +
                           ledger_->admin_token() + "\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("trailer fields"), std::string::npos) << answer;
  auto officers = client_.Get("/v1/officers", ledger_->admin_token());
  EXPECT_EQ(officers.body.find("trailer-1"), std::string::npos) << officers.body;
  // HTTP/1.0 has no chunked framing (RFC 9112 6.1): refused and closed, so
  // that what follows is not read as the next request, in the client's
  // own version.
  answer = RawExchange(ledger_->port(),
                       "POST /v1/applications HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       "Connection: keep-alive\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: "
                       "x\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.0 400") << answer;
  EXPECT_NE(answer.find("Transfer-Encoding"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("200 OK"), std::string::npos) << answer;
}

// An auditor works nowhere in particular: enrolled without a kelurahan, it
// reads every permit.
TEST_F(ApiTest, AnAuditorIsEnrolledWithoutAKelurahan) {
  auto r = client_.Post("/v1/officers", {{"id", "bpk-1"}, {"name", "Andi"}, {"role", "auditor"}},
                        ledger_->admin_token());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = Verified("auditor-anywhere");
  EXPECT_EQ(client_.Get("/v1/permits/" + id, r.json()["token"]).status, 200);
}

// Two credentials in one request: which one is meant is anyone's guess, so
// neither is taken, in either order.
TEST_F(ApiTest, ARequestWithTwoAuthorizationHeadersIsRefused) {
  const std::string admin = "Authorization: Bearer " + ledger_->admin_token() + "\r\n";
  const std::string officer = "Authorization: Bearer " + Token("ptsp-ulujami") + "\r\n";
  for (const auto& [first, second] : {std::pair{admin, officer}, std::pair{officer, admin}}) {
    const std::string answer =
        RawExchange(ledger_->port(), "GET /v1/worklist HTTP/1.1\r\nHost: x\r\n" + first + second +
                                         "Connection: close\r\n\r\n");
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
    EXPECT_NE(answer.find("malformed_request"), std::string::npos) << answer;
  }
}

// So is a feed's resume position given twice.
TEST_F(ApiTest, AFeedRequestWithTwoLastEventIdHeadersIsRefused) {
  const std::string answer = RawExchange(
      ledger_->port(), "GET /v1/feeds/bank-dki HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           ledger_->admin_token() +
                           "\r\nLast-Event-ID: 5\r\nLast-Event-ID: 1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("two Last-Event-ID headers"), std::string::npos) << answer;
}

// Names are kept as shown: without the blanks typed around them, one space
// between words.
TEST_F(ApiTest, NamesAreKeptWithoutTheBlanksTypedAroundThem) {
  json app = Application("tidy-1", kUlujami);
  app["business"]["name"] = "   Toko   Ombak  Tiga ";
  app["business"]["description"] = "  toko kelontong\n";
  auto r = client_.Post("/v1/applications", app);
  ASSERT_EQ(r.status, 201) << r.body;
  auto view =
      client_.Get("/v1/permits/" + r.json()["permit_id"].get<std::string>(), Token("ptsp-ulujami"))
          .json();
  EXPECT_EQ(view["business"]["name"], "Toko Ombak Tiga");
  EXPECT_EQ(view["business"]["description"], "toko kelontong");
  // A phone number is kept as its digits.
  app = Application("tidy-3", kUlujami);
  app["applicant"]["phone"] = "+62 (813) 5566-7788";
  r = client_.Post("/v1/applications", app);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(
      client_.Get("/v1/permits/" + r.json()["permit_id"].get<std::string>(), Token("ptsp-ulujami"))
          .json()["applicant"]["phone"],
      "081355667788");
  // Not a phone number: refused, not shared with a bank as one.
  app = Application("tidy-4", kUlujami);
  app["applicant"]["phone"] = "hubungi saya";
  r = client_.Post("/v1/applications", app);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_phone");
  // Blanks of any kind, and what shows nothing, as the name shows.
  app = Application("tidy-2", kUlujami);
  app["business"]["name"] = "\u200FToko\u00A0\u00A0Ombak\u3000Empat\u200B";
  r = client_.Post("/v1/applications", app);
  ASSERT_EQ(r.status, 201) << r.body;
  view =
      client_.Get("/v1/permits/" + r.json()["permit_id"].get<std::string>(), Token("ptsp-ulujami"))
          .json();
  EXPECT_EQ(view["business"]["name"], "Toko Ombak Empat");
}

// A scheduled survey is on the worklist of its team, not of every officer
// whose role records surveys.
TEST_F(ApiTest, AScheduledSurveyIsOnItsTeamsWorklist) {
  const std::string id = Verified("worklist-team");
  ASSERT_EQ(Act(id, Token("ptsp-ulujami"),
                {{"action", "schedule_survey"},
                 {"command_id", "worklist-team-s"},
                 {"date", " " + SurveyDate() + "\t"},  // blanks around it, pasted: dropped
                 {"team", {"ptsp-ulujami"}}})
                .status,
            200);
  EXPECT_EQ(client_.Get("/v1/permits/" + id, Token("ptsp-ulujami")).json()["survey"]["date"],
            SurveyDate());
  auto listed = [&](const std::string& officer) {
    const json items = client_.Get("/v1/worklist", Token(officer)).json()["items"];
    return std::any_of(items.begin(), items.end(),
                       [&](const json& item) { return item["permit_id"] == id; });
  };
  EXPECT_TRUE(listed("ptsp-ulujami"));
  EXPECT_FALSE(listed("ekbang-ulujami")) << "not on the team: it could not record the survey";

  // A team whose only officer who may record it retires: the survey is on
  // the worklist of those who reschedule it, saying so.
  const std::string admin = ledger_->admin_token();
  ASSERT_EQ(client_
                .Post("/v1/officers",
                      {{"id", "ekbang-relief"},
                       {"name", "Relief"},
                       {"role", "kelurahan_economy"},
                       {"kelurahan", kUlujami}},
                      admin)
                .status,
            201);
  const std::string other = Verified("worklist-team-2");
  ASSERT_EQ(Act(other, Token("ptsp-ulujami"),
                {{"action", "schedule_survey"},
                 {"command_id", "worklist-team-2-s"},
                 {"date", SurveyDate()},
                 {"team", {"ekbang-relief"}}})
                .status,
            200);
  auto item = [&](const std::string& officer) {
    const json items = client_.Get("/v1/worklist", Token(officer)).json()["items"];
    for (const json& i : items)
      if (i["permit_id"] == other) return i;
    return json();
  };
  EXPECT_TRUE(item("ptsp-ulujami").is_null()) << "its team records it";
  ASSERT_EQ(
      client_.Post("/v1/officers/ekbang-relief/retire", {{"reason", "pindah tugas"}}, admin).status,
      200);
  const json stranded = item("ptsp-ulujami");
  ASSERT_FALSE(stranded.is_null()) << "on no one's worklist";
  EXPECT_EQ(stranded["survey_team_unavailable"], true) << stranded;
  EXPECT_EQ(stranded["next_actions"], json::array({"schedule_survey"})) << stranded;
  EXPECT_TRUE(item("ekbang-ulujami").is_null()) << "it does not schedule surveys";
  // The permit's page says the same next step as the worklist.
  const json view = client_.Get("/v1/permits/" + other, Token("ptsp-ulujami")).json();
  EXPECT_EQ(view["survey_team_unavailable"], true) << view;
  EXPECT_EQ(view["next_actions"], json::array({"schedule_survey"})) << view;
  // Enrolled again in another kelurahan (moved), the officer records no
  // survey of Ulujami: the survey stays with those who reschedule it.
  ASSERT_EQ(client_
                .Post("/v1/officers",
                      {{"id", "ekbang-relief"},
                       {"name", "Relief"},
                       {"role", "kelurahan_economy"},
                       {"kelurahan", kBintaro}},
                      admin)
                .status,
            201);
  EXPECT_EQ(item("ptsp-ulujami")["survey_team_unavailable"], true);
}

TEST_F(ApiTest, BadInputOfEveryKindGetsItsErrorAndWritesNothing) {
  std::string id = Verified("bad-input");
  auto [submitted, code] = Submit("bad-input-2");
  // A survey scheduled, for the survey notes (the texts are checked of a
  // command that may be taken from the permit's status).
  const std::string scheduled = Verified("bad-input-3");
  const auto officer = Token("ptsp-ulujami");
  ASSERT_EQ(Act(scheduled, officer,
                {{"action", "schedule_survey"},
                 {"command_id", "bad-input-3-s"},
                 {"date", SurveyDate()},
                 {"team", {"ptsp-ulujami"}}})
                .status,
            200);
  const uint64_t end = LogEnd();
  struct Case {
    std::string name, method, target, body, token;
    int status;
    std::string code;
  };
  json app = Application("bad-x", kUlujami);
  int unique = 0;  // each case its own command id: a repeated one returns the first outcome
  auto with = [&](auto f) {
    json j = app;
    j["command_id"] = "bad-" + std::to_string(unique++);
    f(j);
    return j.dump();
  };
  std::vector<Case> cases = {
      {"malformed json", "POST", "/v1/applications", "{\"kelurahan\": ", "", 400, "malformed_json"},
      {"not an object", "POST", "/v1/applications", "[1,2]", "", 400, "malformed_json"},
      {"a key twice", "POST", "/v1/applications",
       "{\"kelurahan\":\"31.74.10.1001\"," + with([](json&) {}).substr(1), "", 400,
       "malformed_json"},
      {"unknown field", "POST", "/v1/applications", with([](json& j) { j["colour"] = "red"; }), "",
       400, "unknown_field"},
      // A command id is kept in the history (and on the public log with an
      // issuance): printable, no spaces, no NIK, not the applicant's name.
      {"command id with a space", "POST", "/v1/applications",
       with([](json& j) { j["command_id"] = "c 1"; }), "", 400, "invalid_text"},
      {"command id with a NIK", "POST", "/v1/applications",
       with([](json& j) { j["command_id"] = "apply-3174051508900001"; }), "", 400, "invalid_text"},
      {"command id naming the applicant", "POST", "/v1/applications", with([](json& j) {
         j["command_id"] = "apply-" + j["applicant"]["name"].get<std::string>();
         std::replace(j["command_id"].get_ref<std::string&>().begin(),
                      j["command_id"].get_ref<std::string&>().end(), ' ', '-');
       }),
       "", 422, "personal_data_in_text"},
      {"command id with the applicant's NIK in pieces", "POST", "/v1/applications",
       with([](json& j) { j["command_id"] = "nik-3174-0165-1290-0001"; }), "", 422,
       "personal_data_in_text"},
      {"action's command id naming the applicant", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"reject-rahayu-sari","reason_code":"zoning","reason":"zonasi"})",
       Token("head-ulujami"), 422, "personal_data_in_text"},
      {"action's command id holding the applicant's NIK", "POST",
       "/v1/permits/" + submitted + "/actions",
       R"({"action":"verify_documents","command_id":"verify-3174.0165.1290.0001"})", officer, 422,
       "personal_data_in_text"},
      {"action's command id naming the applicant's street", "POST",
       "/v1/permits/" + submitted + "/actions",
       R"({"action":"verify_documents","command_id":"verify-jl-mawar-visit"})", officer, 422,
       "personal_data_in_text"},
      {"auditor's jurisdiction label with a phone number", "POST", "/v1/officers",
       R"({"id":"aud-x","name":"A","role":"auditor","kelurahan":"Inspektorat 081234567890"})",
       ledger_->admin_token(), 422, "personal_data_in_text"},
      {"action's command id holding a phone number", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"hp-0813-1234-5678"})", officer, 400,
       "invalid_text"},
      {"action's command id holding an e-mail address", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"budi.santoso@gmail.com_1"})", officer, 400,
       "invalid_text"},
      {"blank command id on an action", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"\t"})", officer, 400, "invalid_text"},
      {"unknown nested field", "POST", "/v1/applications",
       with([](json& j) { j["applicant"]["age"] = 40; }), "", 400, "unknown_field"},
      {"wrong type", "POST", "/v1/applications",
       with([](json& j) { j["business"]["capital"] = "banyak"; }), "", 400, "wrong_type"},
      {"fractional rupiah", "POST", "/v1/applications",
       with([](json& j) { j["business"]["capital"] = 10.5; }), "", 400, "wrong_type"},
      {"missing field", "POST", "/v1/applications", with([](json& j) { j.erase("kelurahan"); }), "",
       400, "missing_field"},
      {"control character", "POST", "/v1/applications",
       with([](json& j) { j["business"]["name"] = std::string("Warung\0Sari", 11); }), "", 400,
       "invalid_text"},
      {"escape in a reason", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b14","reason_code":"zoning","reason":"x\u001b[2J"})",
       Token("head-ulujami"), 400, "invalid_text"},
      // A name is published on one line.
      {"line break in a business name", "POST", "/v1/applications",
       with([](json& j) { j["business"]["name"] = "Warung\nBu Sari"; }), "", 400, "invalid_text"},
      {"tab in an officer's name", "POST", "/v1/officers",
       R"({"id":"tab-x","name":"Rina\tKusuma","role":"auditor"})", ledger_->admin_token(), 400,
       "invalid_text"},
      {"C1 control in a name", "POST", "/v1/applications",
       with([](json& j) { j["applicant"]["name"] = "Sari\u009b31m"; }), "", 400, "invalid_text"},
      {"direction override in a business name", "POST", "/v1/applications",
       with([](json& j) { j["business"]["name"] = "Warung \u202Egnp.exe"; }), "", 400,
       "invalid_text"},
      {"private-use character in a business name", "POST", "/v1/applications",
       with([](json& j) { j["business"]["name"] = "Warung \uF8FF"; }), "", 400, "invalid_text"},
      {"noncharacter in a business name", "POST", "/v1/applications",
       with([](json& j) { j["business"]["name"] = "Warung \uFFFE"; }), "", 400, "invalid_text"},
      {"published reason with a phone number", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b15","reason_code":"zoning","reason":"tel 081234567890"})",
       Token("head-ulujami"), 422, "personal_data_in_text"},
      {"published reason naming the applicant", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b17","reason_code":"zoning","reason":"ditolak, ibu sari rahayu tidak hadir"})",
       Token("head-ulujami"), 422, "personal_data_in_text"},
      {"published reason naming the applicant otherwise written", "POST",
       "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b19","reason_code":"zoning","reason":"ditolak: RAHAYU,\tSari tidak hadir"})",
       Token("head-ulujami"), 422, "personal_data_in_text"},
      // A command that fails an earlier check is told that first
      // (charter.md: role, version and status before the texts).
      {"reason naming the applicant, from a role that may not reject", "POST",
       "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b22","reason_code":"zoning","reason":"ibu sari rahayu tidak hadir"})",
       officer, 403, "role_not_permitted"},
      {"reason naming the applicant, at a stale version", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b23","expected_version":1,"reason_code":"zoning","reason":"ibu sari rahayu tidak hadir"})",
       Token("head-ulujami"), 409, "version_conflict"},
      {"survey note naming the applicant", "POST", "/v1/permits/" + scheduled + "/actions",
       R"({"action":"record_survey","command_id":"b20","zoning_compliant":true,"notes":"bertemu Sari Rahayu di lokasi"})",
       Token("ptsp-ulujami"), 422, "personal_data_in_text"},
      {"survey note with the applicant's phone joined by slashes", "POST",
       "/v1/permits/" + scheduled + "/actions",
       R"({"action":"record_survey","command_id":"b21","zoning_compliant":true,"notes":"pemilik: 0812/3456/7890"})",
       Token("ptsp-ulujami"), 422, "personal_data_in_text"},
      {"business name with the applicant's phone joined by slashes", "POST", "/v1/applications",
       with([](json& j) { j["business"]["name"] = "Warung 0812/3456/7890"; }), "", 422,
       "personal_data_in_text"},
      {"the same from a monitor, who does not see the name: no oracle", "POST",
       "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b18","reason_code":"zoning","reason":"ditolak, ibu sari rahayu tidak hadir"})",
       Token("monitor"), 403, "role_not_permitted"},
      {"officer named as the administrator", "POST", "/v1/officers",
       R"({"id":"admin","name":"A","role":"ptsp_officer","kelurahan":"31.74.10.1003"})",
       ledger_->admin_token(), 422, "invalid_officer_id"},
      {"officer of an unknown kelurahan", "POST", "/v1/officers",
       R"({"id":"rev-4","name":"R","role":"ptsp_officer","kelurahan":"31.74.10.9999"})",
       ledger_->admin_token(), 422, "unknown_kelurahan"},
      {"oversize body", "POST", "/v1/applications",
       with([](json& j) { j["business"]["description"] = std::string(100000, 'x'); }), "", 413,
       "body_too_large"},
      {"oversize URL", "GET", "/v1/public/register?q=" + std::string(20000, 'w'), "", "", 431,
       "request_too_large"},
      {"a target that is no path", "OPTIONS", "*", "", "", 400, "malformed_request"},
      {"a proxy's target", "CONNECT", "example.org:443", "", "", 400, "malformed_request"},

      {"invalid NIK", "POST", "/v1/applications",
       with([](json& j) { j["applicant"]["nik"] = "12345"; }), "", 422, "invalid_nik"},
      {"invalid KBLI", "POST", "/v1/applications",
       with([](json& j) { j["business"]["kbli"] = "5610"; }), "", 422, "invalid_kbli"},
      {"too much capital", "POST", "/v1/applications",
       with([](json& j) { j["business"]["capital"] = 500000001; }), "", 422, "ineligible_capital"},
      {"too many workers", "POST", "/v1/applications",
       with([](json& j) { j["business"]["workers"] = 20; }), "", 422, "ineligible_workers"},
      {"unknown kelurahan", "POST", "/v1/applications",
       with([](json& j) { j["kelurahan"] = "31.74.99.9999"; }), "", 422, "unknown_kelurahan"},
      {"tracking code submits", "POST", "/v1/applications", with([](json&) {}), code, 403,
       "role_not_permitted"},
      {"no token", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"b1"})", "", 401, "unauthenticated"},
      {"unknown token", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"b1"})", "nope", 401, "unauthenticated"},
      {"unknown action", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"approve","command_id":"b2"})", officer, 400, "unknown_action"},
      {"action field of another action", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"b3","reason":"x"})", officer, 400,
       "unknown_field"},
      {"missing command id", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents"})", officer, 400, "missing_field"},
      {"negative version", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"schedule_survey","command_id":"b4","expected_version":-1,"date":"2026-01-05","team":["ekbang-ulujami"]})",
       officer, 400, "wrong_type"},
      {"invalid transition", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"b5"})", officer, 422,
       "transition_not_allowed"},
      {"wrong role", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"issue_permit","command_id":"b6"})", officer, 403, "role_not_permitted"},
      {"monitor writes", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"reject","command_id":"b7","reason_code":"x","reason":"y"})", Token("monitor"),
       403, "role_not_permitted"},
      {"wrong kelurahan", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"schedule_survey","command_id":"b8","date":"2099-01-01","team":["ekbang-ulujami"]})",
       Token("ptsp-bintaro"), 403, "outside_jurisdiction"},
      {"null version", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"verify_documents","command_id":"b16","expected_version":null})", officer, 400,
       "wrong_type"},
      {"stale version", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"schedule_survey","command_id":"b9","expected_version":1,"date":"2099-01-01","team":["ekbang-ulujami"]})",
       officer, 409, "version_conflict"},
      {"survey date with a mistyped year", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"schedule_survey","command_id":"b19","date":"2099-01-05","team":["ekbang-ulujami"]})",
       officer, 422, "invalid_date"},
      {"bad date", "POST", "/v1/permits/" + id + "/actions",
       R"({"action":"schedule_survey","command_id":"b10","date":"2099-13-01","team":["ekbang-ulujami"]})",
       officer, 422, "invalid_date"},
      {"unknown officer in team", "POST", "/v1/permits/" + id + "/actions",
       json{{"action", "schedule_survey"},
            {"command_id", "b11"},
            {"date", SurveyDate()},
            {"team", {"ghost"}}}
           .dump(),
       officer, 422, "unknown_officer"},
      {"unknown permit", "POST", "/v1/permits/PNOPE/actions",
       R"({"action":"verify_documents","command_id":"b12"})", officer, 404, "unknown_permit"},
      {"erasure by the administrator without its legal order", "POST",
       "/v1/permits/" + id + "/actions", R"({"action":"erase_personal_data","command_id":"b13"})",
       ledger_->admin_token(), 422, "missing_field"},
      {"officer enrols officer", "POST", "/v1/officers",
       R"({"id":"x","name":"x","role":"lurah","kelurahan":"31.74.10.1003"})", officer, 403,
       "role_not_permitted"},
      {"unknown role", "POST", "/v1/officers",
       R"({"id":"x","name":"x","role":"camat","kelurahan":"31.74.10.1003"})",
       ledger_->admin_token(), 422, "unknown_role"},
      {"a lurah enrolled for no kelurahan", "POST", "/v1/officers",
       R"({"id":"x","name":"x","role":"lurah"})", ledger_->admin_token(), 422, "missing_field"},
      {"read outside jurisdiction", "GET", "/v1/permits/" + id, "", Token("ptsp-bintaro"), 403,
       "outside_jurisdiction"},
      {"read without token", "GET", "/v1/permits/" + id, "", "", 401, "unauthenticated"},
      {"unknown tracking code", "GET", "/v1/track/AAAAA-BBBBB", "", "", 404,
       "unknown_tracking_code"},
      {"wrong method", "DELETE", "/v1/permits/" + id, "", officer, 405, "method_not_allowed"},
      {"no such path", "GET", "/v2/everything", "", "", 404, "not_found"},
      {"no such path, posted", "POST", "/v1/nothing-here", "{}", officer, 404, "not_found"},
      {"permit id left out", "POST", "/v1/permits//actions",
       R"({"action":"verify_documents","command_id":"b15"})", officer, 404, "not_found"},
      {"empty part at the end", "GET", "/v1/permits/" + id + "//", "", officer, 404, "not_found"},
      {"trailing slash", "GET", "/v1/permits/" + id + "/", "", officer, 404, "not_found"},
      {"trailing slash on a command", "POST", "/v1/officers/ptsp-bintaro/retire/",
       R"({"reason":"pindah"})", ledger_->admin_token(), 404, "not_found"},
      {"register of an unknown kelurahan", "GET", "/v1/public/register?kelurahan=31.74.99.9999", "",
       "", 400, "unknown_kelurahan"},
      {"health check posted", "POST", "/healthz", "{}", "", 405, "method_not_allowed"},
      {"worklist with a tracking code", "GET", "/v1/worklist", "", code, 403, "role_not_permitted"},
      {"checkpoint published without token", "POST", "/v1/transparency/checkpoint", "", "", 401,
       "unauthenticated"},
      // Inputs that once brought the server down.
      {"workers past 32 bits", "POST", "/v1/applications",
       with([](json& j) { j["business"]["workers"] = int64_t{1} << 40; }), "", 400, "wrong_type"},
      {"most negative capital", "POST", "/v1/applications",
       with([](json& j) { j["business"]["capital"] = INT64_MIN; }), "", 422, "invalid_amount"},
      {"a charter nested 32,000 deep", "PUT", "/v1/charter",
       std::string(32000, '[') + std::string(32000, ']'), ledger_->admin_token(), 422,
       "invalid_charter"},
      {"an application nested 32,000 deep", "POST", "/v1/applications",
       R"({"command_id":"b-deep","applicant":)" + std::string(32000, '[') +
           std::string(32000, ']') + "}",
       "", 400, "malformed_json"},
      {"percent-encoded path not UTF-8", "GET", "/%FF", "", "", 400, "malformed_request"},
      {"permit number not UTF-8", "GET", "/v1/public/verify/%FF/qr", "", "", 400,
       "malformed_request"},
      {"raw path not UTF-8", "GET", "/v1/nope\xff", "", "", 400, "malformed_request"},
      // A query is read against what its resource takes, and escapes strictly.
      {"mistyped query parameter", "GET", "/v1/public/register?kelurahn=31.74.10.1003", "", "", 400,
       "invalid_query"},
      {"query parameter twice", "GET", "/v1/public/register?q=a&q=b", "", "", 400, "invalid_query"},
      {"control character in a path", "GET", "/v1/permits/%00", "", "", 400, "malformed_request"},
      {"direction override in a path", "POST", "/v1/officers/%E2%80%AEx/retire",
       R"({"reason":"pindah"})", ledger_->admin_token(), 400, "malformed_request"},
      {"control character in a query", "GET", "/v1/public/register?q=%00", "", "", 400,
       "invalid_query"},
      {"query on a command", "POST", "/v1/applications?dry_run=1",
       Application("b-query", kUlujami).dump(), "", 400, "invalid_query"},
      {"mistyped proof parameter", "GET", "/v1/transparency/proof/inclusion?index=0&sise=1", "", "",
       400, "invalid_query"},
      {"query on the verifier key", "GET", "/v1/transparency/key?x", "", "", 400, "invalid_query"},
      {"malformed escape in a query", "GET", "/v1/public/register?q=50%", "", "", 400,
       "malformed_request"},
      {"malformed escape in a path", "GET", "/v1/permits/P%G1", "", officer, 400,
       "malformed_request"},
      {"a permit's unknown part, posted", "POST", "/v1/permits/" + id + "/notes", "{}", officer,
       404, "not_found"},
      {"key posted", "POST", "/v1/transparency/key", "", ledger_->admin_token(), 405,
       "method_not_allowed"},
  };
  for (const auto& c : cases) {
    auto r = client_.Request(c.method, c.target, c.body, c.token);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    auto j = r.json();
    EXPECT_EQ(j["error"]["code"], c.code) << c.name << ": " << r.body;
    EXPECT_FALSE(j["error"].value("message", "").empty()) << c.name;
  }
  // The messages say what to do: a whole number past 64 bits is too large
  // (not a fraction); an older version needs a reload and a new command_id
  // (the refusal is remembered under this one), a later one is a wrong number.
  std::string huge = Application("b-huge", kUlujami).dump();
  huge.replace(huge.find("25000000"), 8, "1000000000000000000000000000000");
  auto r = client_.Request("POST", "/v1/applications", huge, "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("too large"), std::string::npos) << r.body;
  huge.replace(huge.find("1000000000000000000000000000000"), 1, "-1");
  r = client_.Request("POST", "/v1/applications", huge, "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("too small"), std::string::npos) << "a negative number: " << r.body;
  std::string latin1 = Application("b-latin1", kUlujami).dump();
  latin1.replace(latin1.find("Sari Rahayu"), 11, "Sar\xe9");  // é in Latin-1
  r = client_.Request("POST", "/v1/applications", latin1, "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("not UTF-8"), std::string::npos) << r.body;
  r = Act(id, officer,
          {{"action", "verify_documents"}, {"command_id", "b-v1"}, {"expected_version", 1}});
  EXPECT_NE(r.body.find("with a new command_id"), std::string::npos) << r.body;
  r = Act(id, officer,
          {{"action", "verify_documents"}, {"command_id", "b-v9"}, {"expected_version", 9}});
  EXPECT_NE(r.body.find("has not reached"), std::string::npos) << r.body;
  r = Act(id, officer,
          {{"action", "verify_documents"}, {"command_id", "b-v3"}, {"expected_version", 3.0}});
  EXPECT_NE(r.body.find("without a decimal point"), std::string::npos) << r.body;
  // A 405 names what the resource allows; a query's refusal, what it takes.
  r = client_.Request("DELETE", "/v1/charter", "", officer);
  EXPECT_EQ(r.headers["allow"], "GET, HEAD, PUT") << r.body;
  EXPECT_NE(r.body.find("it allows GET, HEAD, PUT"), std::string::npos) << r.body;
  EXPECT_EQ(client_.Request("PUT", "/v1/transparency/checkpoint").headers["allow"],
            "GET, HEAD, POST");
  // They name the path, not the query the client sent with it.
  r = client_.Get("/v1/nowhere?code=ABCDE-FGHJK", "");
  EXPECT_EQ(r.json()["error"]["message"], "no such resource: /v1/nowhere");
  r = client_.Request("DELETE", "/v1/charter?x=1", "", officer);
  EXPECT_EQ(r.body.find("x=1"), std::string::npos) << r.body;
  r = client_.Get("/v1/audit/officers/ptsp-ulujami?limt=5", Token("auditor"));
  EXPECT_EQ(r.json()["error"]["message"],
            "unknown query parameter \"limt\" (this resource takes after, limit)");
  EXPECT_EQ(LogEnd(), end) << "a refused request wrote to the log";
  EXPECT_EQ(client_.Get("/v1/permits/" + id, officer).json()["version"], 2);
  EXPECT_EQ(client_.Get("/healthz").status, 200);
}

// Length limits count characters, as a clerk does, not bytes.
TEST_F(ApiTest, TextLimitsCountCharacters) {
  json app = Application("chars-1", kUlujami);
  std::string e_acute;
  for (int i = 0; i < 200; ++i) e_acute += "\u00e9";
  app["business"]["name"] = e_acute;  // 200 characters, 400 bytes
  auto r = client_.Post("/v1/applications", app);
  EXPECT_EQ(r.status, 201) << r.body;
  app["command_id"] = "chars-2";
  app["business"]["name"] = e_acute + "\u00e9";
  r = client_.Post("/v1/applications", app);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "field_too_long");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("200 characters"),
            std::string::npos);
}

TEST_F(ApiTest, PersonalDataStaysOffPublicViewsLogsAndMetrics) {
  auto r = client_.Post("/v1/applications", Application("private-1", kUlujami, "3174091709880777"));
  ASSERT_EQ(r.status, 201);
  std::string id = r.json()["permit_id"];
  EXPECT_EQ(client_.Get("/v1/permits/" + id, Token("ptsp-ulujami")).json()["applicant"]["nik"],
            "3174091709880777");
  auto monitor_view = client_.Get("/v1/permits/" + id, Token("monitor"));
  EXPECT_EQ(monitor_view.status, 200);
  for (const auto& body : {monitor_view.body, client_.Get("/v1/public/stats").body,
                           client_.Get("/v1/public/register").body, client_.Get("/metrics").body,
                           client_.Get("/v1/permits/" + id + "/history", Token("auditor")).body,
                           ReadFile(ledger_->output_path())}) {
    EXPECT_EQ(body.find("3174091709880777"), std::string::npos) << body.substr(0, 300);
    EXPECT_EQ(body.find("Jl. Mawar"), std::string::npos);
    EXPECT_EQ(body.find("081234567890"), std::string::npos);
  }
}

TEST_F(ApiTest, ErasureDestroysThePersonalDataButKeepsTheHistory) {
  auto r = client_.Post("/v1/applications", Application("erase-1", kUlujami, "3174051506857777"));
  ASSERT_EQ(r.status, 201);
  std::string id = r.json()["permit_id"], code = r.json()["tracking_code"];
  // A second application of the same person: the applicant's erasure (its
  // tracking code proves the one application) leaves it; the
  // administrator's, on a legal order, reaches both.
  auto r2 = client_.Post("/v1/applications", Application("erase-2", kUlujami, "3174051506857777"));
  std::string id2 = r2.json()["permit_id"];
  EXPECT_EQ(client_.Get("/v1/permits/" + id2, Token("ptsp-ulujami")).json()["applicant"]["nik"],
            "3174051506857777");
  // While the application is open its processing needs the data: the
  // applicant withdraws it first.
  auto early = Act(id, code, {{"action", "erase_personal_data"}, {"command_id", "erase-early"}});
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(early.json()["error"]["code"], "application_open");
  ASSERT_EQ(Act(id, code,
                {{"action", "withdraw"}, {"command_id", "erase-quit"}, {"reason", "tidak jadi"}})
                .status,
            200);
  auto e = Act(id, code, {{"action", "erase_personal_data"}, {"command_id", "erase-now"}});
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.json()["events"][0]["type"], "personal_data_erased");
  EXPECT_EQ(e.json()["events"][0]["payload"]["scope"], "application");
  EXPECT_FALSE(e.json()["events"][0]["payload"].contains("person_id")) << e.body;
  EXPECT_EQ(client_.Get("/v1/permits/" + id2, Token("ptsp-ulujami")).json()["applicant"]["nik"],
            "3174051506857777");
  EXPECT_EQ(client_.Get("/v1/permits/" + id, Token("ptsp-ulujami")).json()["applicant"]["erased"],
            true);
  // An order whose legal basis names the person would keep the name in
  // the history for good: refused, and nothing is erased.
  auto naming = Act(id2, ledger_->admin_token(),
                    {{"action", "erase_personal_data"},
                     {"command_id", "erase-naming"},
                     {"legal_basis", "Penetapan PN Jakarta Selatan No. 12/2026 a.n. Sari Rahayu"}});
  EXPECT_EQ(naming.status, 422) << naming.body;
  EXPECT_EQ(naming.json()["error"]["code"], "personal_data_in_text") << naming.body;
  EXPECT_NE(naming.body.find("legal basis"), std::string::npos) << naming.body;
  EXPECT_EQ(client_.Get("/v1/permits/" + id2, Token("ptsp-ulujami")).json()["applicant"]["nik"],
            "3174051506857777");
  // The order goes through the application erased already: it reaches
  // the person's other one all the same.
  auto order = Act(id, ledger_->admin_token(),
                   {{"action", "erase_personal_data"},
                    {"command_id", "erase-order"},
                    {"legal_basis", "Putusan PN Jakarta Selatan No. 12/2026"}});
  ASSERT_EQ(order.status, 200) << order.body;
  EXPECT_EQ(order.json()["events"][0]["payload"]["scope"], "person");
  for (const auto& pid : {id, id2}) {
    auto view = client_.Get("/v1/permits/" + pid, Token("ptsp-ulujami"));
    EXPECT_EQ(view.body.find("3174051506857777"), std::string::npos) << view.body;
    EXPECT_EQ(view.json()["applicant"]["erased"], true) << view.body;
  }
  // Another order now erases nothing, and its legal basis could no longer
  // be checked for the name: refused. The order taken, sent again, is
  // answered as taken.
  auto after = Act(id2, ledger_->admin_token(),
                   {{"action", "erase_personal_data"},
                    {"command_id", "erase-after"},
                    {"legal_basis", "Surat perintah Sari Rahayu Wulandari"}});
  EXPECT_EQ(after.status, 422) << after.body;
  EXPECT_EQ(after.json()["error"]["code"], "personal_data_erased") << after.body;
  auto again = Act(id, ledger_->admin_token(),
                   {{"action", "erase_personal_data"},
                    {"command_id", "erase-order"},
                    {"legal_basis", "Putusan PN Jakarta Selatan No. 12/2026"}});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["duplicate"], true) << again.body;
  // The other application, still open, can never be issued now: its one
  // step left is to reject it, wherever its next step is shown.
  EXPECT_EQ(client_.Get("/v1/permits/" + id2, Token("ptsp-ulujami")).json()["next_actions"],
            json::array({"reject"}));
  auto tracked = client_.Get("/v1/track/" + r2.json()["tracking_code"].get<std::string>()).json();
  EXPECT_EQ(tracked["next_actions"], json::array({"reject"})) << tracked.dump();
  EXPECT_EQ(tracked["personal_data_erased"], true) << tracked.dump();
  EXPECT_EQ(client_.Get("/v1/worklist", Token("ptsp-ulujami")).body.find(id2), std::string::npos);
  auto history = client_.Get("/v1/permits/" + id + "/history", Token("auditor")).json();
  EXPECT_EQ(history["events"].size(), 4u) << "applied, withdrawn, erased, and by the order";
  // The applications sent again under their command_ids, with the erased
  // fields guessed right or wrong: the same refusal either way, so the
  // answer tells nothing of what was erased, and no tracking code.
  for (const char* command_id : {"erase-1", "erase-2"}) {
    auto right =
        client_.Post("/v1/applications", Application(command_id, kUlujami, "3174051506857777"));
    auto wrong =
        client_.Post("/v1/applications", Application(command_id, kUlujami, "3174051506857778"));
    EXPECT_EQ(right.status, 409) << right.body;
    EXPECT_EQ(right.json()["error"]["code"], "command_id_reused");
    EXPECT_NE(right.body.find("erased"), std::string::npos) << right.body;
    EXPECT_EQ(right.body, wrong.body);
    EXPECT_EQ(right.body.find(code), std::string::npos);
  }
  // The workflow of an application erased by order is not held back (a
  // step taken is in its history), up to its issuance: a permit names its
  // holder.
  EXPECT_EQ(Act(id2, Token("ptsp-ulujami"),
                {{"action", "verify_documents"}, {"command_id", "after-erase"}})
                .status,
            200);
}

TEST_F(ApiTest, AuditorsReadWhatAnOfficerDidPageByPage) {
  Verified("trail-1");
  Verified("trail-2");
  const std::string path = "/v1/audit/officers/ptsp-ulujami";
  auto all = client_.Get(path, Token("auditor"));
  ASSERT_EQ(all.status, 200) << all.body;
  auto events = all.json()["events"];
  ASSERT_GE(events.size(), 2u);
  for (const auto& e : events) EXPECT_EQ(e["actor_id"], "ptsp-ulujami") << e.dump();
  EXPECT_TRUE(all.json()["next"].is_null());
  // One at a time, following the cursor: the same events in the same order.
  json paged = json::array();
  std::string after;
  for (int guard = 0; guard < 1000; ++guard) {
    auto r =
        client_.Get(path + "?limit=1" + (after.empty() ? "" : "&after=" + after), Token("monitor"));
    ASSERT_EQ(r.status, 200) << r.body;
    const json page = r.json();
    for (const auto& e : page["events"]) paged.push_back(e);
    if (page["next"].is_null()) break;
    after = std::regex_replace(page["next"].get<std::string>(), std::regex("/"), "%2F");
  }
  EXPECT_EQ(paged, events);
  EXPECT_EQ(client_.Get(path, Token("ptsp-ulujami")).status, 200) << "one's own trail";
  EXPECT_EQ(client_.Get(path, Token("ptsp-bintaro")).json()["error"]["code"], "role_not_permitted");
  EXPECT_EQ(client_.Get(path).status, 401);
  EXPECT_EQ(client_.Get(path + "?limit=0", Token("auditor")).status, 400);
  // A cursor it never gave is an error, not the end of the trail.
  EXPECT_EQ(client_.Get(path + "?limit=", Token("auditor")).status, 400);
  for (const char* bad : {"zzz", "1", "%2F", ""}) {
    auto r = client_.Get(path + "?after=" + bad, Token("auditor"));
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "invalid_parameter") << bad;
  }
  // An id never enrolled (mistyped): said so, not an empty trail.
  auto nobody = client_.Get("/v1/audit/officers/nobody", Token("auditor"));
  EXPECT_EQ(nobody.status, 404) << nobody.body;
  EXPECT_EQ(nobody.json()["error"]["code"], "unknown_officer");
  // An officer who acted and retired keeps its trail.
  const std::string admin = ledger_->admin_token();
  auto enrolled = client_.Post("/v1/officers",
                               {{"id", "ptsp-trail"},
                                {"name", "Officer"},
                                {"role", "ptsp_officer"},
                                {"kelurahan", kUlujami}},
                               admin);
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  EXPECT_EQ(client_.Get("/v1/audit/officers/ptsp-trail", admin).status, 200)
      << "enrolled, not acted yet: an empty trail";
  auto [permit, _] = Submit("trail-3");
  auto acted = client_.Post("/v1/permits/" + permit + "/actions",
                            {{"action", "verify_documents"}, {"command_id", "trail-3-verify"}},
                            enrolled.json()["token"]);
  ASSERT_EQ(acted.status, 200) << acted.body;
  ASSERT_EQ(client_.Post("/v1/officers/ptsp-trail/retire", {{"reason", "pensiun"}}, admin).status,
            200);
  auto retired = client_.Get("/v1/audit/officers/ptsp-trail", Token("auditor"));
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_EQ(retired.json()["events"].size(), 1u) << retired.body;
  // One retired without acting has an empty trail, not "unknown"; retiring
  // them again says they are retired already.
  ASSERT_EQ(client_
                .Post("/v1/officers",
                      {{"id", "ptsp-idle"},
                       {"name", "Officer"},
                       {"role", "ptsp_officer"},
                       {"kelurahan", kUlujami}},
                      admin)
                .status,
            201);
  ASSERT_EQ(client_.Post("/v1/officers/ptsp-idle/retire", {{"reason", "pindah"}}, admin).status,
            200);
  auto idle = client_.Get("/v1/audit/officers/ptsp-idle", Token("auditor"));
  ASSERT_EQ(idle.status, 200) << idle.body;
  EXPECT_TRUE(idle.json()["events"].empty()) << idle.body;
  auto again = client_.Post("/v1/officers/ptsp-idle/retire", {{"reason", "pindah"}}, admin);
  EXPECT_EQ(again.json()["error"]["code"], "unknown_officer") << again.body;
  EXPECT_NE(again.json()["error"]["message"].get<std::string>().find("retired already"),
            std::string::npos)
      << again.body;
}

TEST_F(ApiTest, TheWorklistShowsWhatWaitsForTheOfficersRole) {
  auto [id, code] = Submit("worklist-1");
  // An application of Ulujami surveyed (the lurah's next step) and one of
  // Bintaro submitted (its PTSP officer's).
  const std::string surveyed = Verified("worklist-surveyed");
  ASSERT_EQ(Act(surveyed, Token("ptsp-ulujami"),
                {{"action", "schedule_survey"},
                 {"command_id", "worklist-surveyed-s"},
                 {"date", SurveyDate()},
                 {"team", {"ptsp-ulujami", "ekbang-ulujami"}}})
                .status,
            200);
  ASSERT_EQ(Act(surveyed, Token("ekbang-ulujami"),
                {{"action", "record_survey"},
                 {"command_id", "worklist-surveyed-r"},
                 {"zoning_compliant", true}})
                .status,
            200);
  auto [bintaro_id, bintaro_code] = Submit("worklist-bintaro", kBintaro);
  auto has = [](const json& list, const std::string& permit) {
    for (const auto& item : list["items"])
      if (item["permit_id"] == permit) return true;
    return false;
  };
  auto list = client_.Get("/v1/worklist", Token("ptsp-ulujami")).json();
  EXPECT_TRUE(has(list, id));
  EXPECT_FALSE(has(list, bintaro_id)) << "outside the officer's kelurahan";
  EXPECT_EQ(list["read_only"], false);
  auto lurah = client_.Get("/v1/worklist", Token("lurah-ulujami")).json();
  ASSERT_FALSE(lurah["items"].empty()) << lurah.dump();
  EXPECT_TRUE(has(lurah, surveyed)) << lurah.dump();
  for (auto& item : lurah["items"]) EXPECT_EQ(item["status"], "surveyed");
  auto bintaro = client_.Get("/v1/worklist", Token("ptsp-bintaro")).json();
  ASSERT_FALSE(bintaro["items"].empty()) << bintaro.dump();
  EXPECT_TRUE(has(bintaro, bintaro_id)) << bintaro.dump();
  for (auto& item : bintaro["items"]) EXPECT_EQ(item["kelurahan"], kBintaro);
  EXPECT_EQ(client_.Get("/v1/worklist", Token("monitor")).json()["read_only"], true);
}

// A null is no value: refused as the wrong type, naming the field, for a
// client whose variable was unset would otherwise have its request taken
// without the field (a command_id: a second application on a retry).
TEST_F(ApiTest, ANullFieldIsRefusedNamingItAndChangesNothing) {
  const std::string id = Verified("null-fields");
  const uint64_t end = LogEnd();
  auto expect_null_refused = [&](const HttpResult& r, const std::string& field) {
    EXPECT_EQ(r.status, 400) << field << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "wrong_type") << field << ": " << r.body;
    const std::string message = r.json()["error"].value("message", "");
    EXPECT_NE(message.find("'" + field + "' is null, which is not a value for it"),
              std::string::npos)
        << message;
  };
  for (const std::string field : {"command_id", "applicant", "documents", "kelurahan"}) {
    json app = Application("null-" + field, kUlujami);
    app[field] = nullptr;
    expect_null_refused(client_.Post("/v1/applications", app), field);
  }
  json app = Application("null-phone", kUlujami);
  app["applicant"]["phone"] = nullptr;
  expect_null_refused(client_.Post("/v1/applications", app), "applicant.phone");
  expect_null_refused(Act(id, Token("ptsp-ulujami"),
                          {{"action", "verify_documents"},
                           {"command_id", "null-v"},
                           {"expected_version", nullptr}}),
                      "expected_version");
  expect_null_refused(
      Act(id, Token("ptsp-ulujami"),
          {{"action", "schedule_survey"}, {"command_id", nullptr}, {"date", SurveyDate()}}),
      "command_id");
  expect_null_refused(
      client_.Post(
          "/v1/officers",
          {{"id", "null-officer"}, {"name", "N"}, {"role", "auditor"}, {"command_id", nullptr}},
          ledger_->admin_token()),
      "command_id");
  EXPECT_EQ(LogEnd(), end) << "a refused request wrote to the log";
}

// The codes docs/api.md gives: an empty command_id is invalid text, a list
// item too long in characters is field_too_long, an officer id past 64
// characters is an invalid officer id.
TEST_F(ApiTest, TextRulesAnswerWithTheCodesTheDocsName) {
  const std::string id = Verified("text-rules");
  const uint64_t end = LogEnd();
  auto expect = [](const HttpResult& r, int status, const std::string& code,
                   const std::string& said) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.json()["error"]["code"], code) << r.body;
    EXPECT_NE(r.json()["error"].value("message", "").find(said), std::string::npos) << r.body;
  };
  json app = Application("", kUlujami);
  expect(client_.Post("/v1/applications", app), 400, "invalid_text",
         "1 to 128 printable ASCII characters");
  expect(Act(id, Token("ptsp-ulujami"), {{"action", "verify_documents"}, {"command_id", ""}}), 400,
         "invalid_text", "'command_id' is empty");
  const std::string long_item(300, 'x');
  expect(Act(id, Token("ptsp-ulujami"),
             {{"action", "schedule_survey"},
              {"command_id", "text-rules-s"},
              {"date", SurveyDate()},
              {"team", {"ekbang-ulujami", long_item}}}),
         400, "field_too_long", "item 2 of 'team' is longer than 200 characters");
  expect(Act(id, Token("ptsp-ulujami"),
             {{"action", "schedule_survey"},
              {"command_id", "text-rules-t"},
              {"date", SurveyDate()},
              {"team", {1}}}),
         400, "wrong_type", "every item of 'team' must be a string");
  app = Application("text-rules-docs", kUlujami);
  app["documents"] = {long_item};
  expect(client_.Post("/v1/applications", app), 400, "field_too_long",
         "item 1 of 'documents' is longer than 200 characters");
  expect(client_.Post("/v1/officers",
                      {{"id", std::string(65, 'a')}, {"name", "N"}, {"role", "auditor"}},
                      ledger_->admin_token()),
         422, "invalid_officer_id", "1 to 64");
  EXPECT_EQ(LogEnd(), end) << "a refused request wrote to the log";
}

// A body cut short names no byte past its end: it says the body ends early.
TEST_F(ApiTest, ABodyCutShortIsSaidToEndBeforeTheJsonIsComplete) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/v1/applications"}, {"PUT", "/v1/charter"}}) {
    for (const char* body : {R"({"kelurahan":)", "{"}) {
      auto r = client_.Request(method, target, body, ledger_->admin_token());
      EXPECT_GE(r.status, 400) << r.body;
      const std::string message = r.json()["error"].value("message", "");
      EXPECT_NE(message.find("ends before the JSON is complete"), std::string::npos) << message;
      EXPECT_EQ(message.find("at byte"), std::string::npos) << message;
    }
  }
}

// Numbers in a query are written without leading zeroes, and a feed's
// cursor stops at 2^63-1 (docs/feeds.md), whether in ?after= or in
// Last-Event-ID.
TEST_F(ApiTest, QueryNumbersAreRefusedWithLeadingZeroesOrPastTheirRange) {
  EXPECT_EQ(client_.Get("/v1/charter?version=1").status, 200);
  auto r = client_.Get("/v1/charter?version=01");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_parameter") << r.body;
  EXPECT_NE(r.body.find("without leading zeroes"), std::string::npos) << r.body;
  const std::string admin = ledger_->admin_token();
  EXPECT_EQ(client_.Get("/v1/feeds/bank-dki?after=9223372036854775807", admin).status, 200);
  r = client_.Get("/v1/feeds/bank-dki?after=9223372036854775808", admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_parameter") << r.body;
  EXPECT_NE(r.body.find("9223372036854775807"), std::string::npos) << r.body;
  r = client_.Request("GET", "/v1/feeds/bank-dki", "", admin,
                      {{"Last-Event-ID", "9223372036854775808"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_parameter") << r.body;
  // "0" is a number; "01" is not, in a feed's cursor, page or wait, in a
  // header or a query, nor in an audit trail's page.
  EXPECT_EQ(client_.Get("/v1/feeds/bank-dki?after=0&limit=1&wait=0", admin).status, 200);
  for (const char* target :
       {"/v1/feeds/bank-dki?after=01", "/v1/feeds/bank-dki?after=0000000000000000002",
        "/v1/feeds/bank-dki?limit=001", "/v1/feeds/bank-dki?wait=01",
        "/v1/audit/officers/ptsp-ulujami?limit=01"}) {
    r = client_.Get(target, admin);
    EXPECT_EQ(r.status, 400) << target << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "invalid_parameter") << target << ": " << r.body;
  }
  r = client_.Request("GET", "/v1/feeds/bank-dki", "", admin, {{"Last-Event-ID", "01"}});
  EXPECT_EQ(r.status, 400) << r.body;
}

// The QR code of a permit number typed in small letters is the permit's, as
// its verification is.
TEST_F(ApiTest, AQrCodeIsFoundForAPermitNumberInSmallLetters) {
  const std::string id = Verified("qr-lower");
  const auto officer = Token("ptsp-ulujami");
  ASSERT_EQ(Act(id, officer,
                {{"action", "schedule_survey"},
                 {"command_id", "qr-lower-s"},
                 {"date", SurveyDate()},
                 {"team", {"ekbang-ulujami"}}})
                .status,
            200);
  ASSERT_EQ(
      Act(id, Token("ekbang-ulujami"),
          {{"action", "record_survey"}, {"command_id", "qr-lower-r"}, {"zoning_compliant", true}})
          .status,
      200);
  ASSERT_EQ(Act(id, Token("lurah-ulujami"),
                {{"action", "recommend"}, {"command_id", "qr-lower-l"}, {"letter_number", "7/REK"}})
                .status,
            200);
  auto r =
      Act(id, Token("head-ulujami"), {{"action", "issue_permit"}, {"command_id", "qr-lower-i"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string number = client_.Get("/v1/permits/" + id, officer).json()["permit_number"];
  const std::string encoded = std::regex_replace(number, std::regex("/"), "%2F");
  std::string lower = encoded;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  auto qr = client_.Get("/v1/public/verify/" + encoded + "/qr");
  ASSERT_EQ(qr.status, 200) << qr.body;
  auto typed = client_.Get("/v1/public/verify/" + lower + "/qr");
  EXPECT_EQ(typed.status, 200) << typed.body;
  EXPECT_EQ(typed.body, qr.body);
  EXPECT_EQ(client_.Get("/v1/public/verify/IUMK%2Fnothing/qr").status, 404);
}

// A server started on the data directory of a running one is told to stop
// that one or start a new ledger elsewhere, never to serve a copy (two live
// ledgers with one signing key would sign diverging histories); the offline
// tools may read a copy.
TEST_F(ApiTest, ASecondServerOnADataDirectoryInUseIsNotToldToServeACopy) {
  std::string out;
  EXPECT_EQ(
      RunLedger({"serve", "--data", *data_, "--listen", "127.0.0.1:" + std::to_string(FreePort())},
                &out),
      1);
  EXPECT_NE(out.find("another process holds it"), std::string::npos) << out;
  EXPECT_NE(out.find("new, separate ledger"), std::string::npos) << out;
  EXPECT_EQ(out.find("work on a copy"), std::string::npos) << out;
  EXPECT_NE(RunLedger({"replay", "--data", *data_}, &out), 0);
  EXPECT_NE(out.find("work on a copy of the data directory"), std::string::npos) << out;
  EXPECT_EQ(client_.Get("/healthz").status, 200);
}

// Every permit of a kelurahan, closed ones too, for those who read it (an
// auditor, a monitor, its officers), by status then id, page by page.
TEST_F(ApiTest, EveryPermitOfAKelurahanIsListedForThoseWhoReadIt) {
  auto [open_id, tracking] = Submit("listed-open");
  auto [closed_id, closed_code] = Submit("listed-closed");
  ASSERT_EQ(Act(closed_id, closed_code,
                {{"action", "withdraw"}, {"reason", "tutup"}, {"command_id", "listed-w"}})
                .status,
            200);
  auto list = [&](const std::string& query, const std::string& token) {
    return client_.Get("/v1/permits?" + query, token);
  };
  auto ids = [](const json& j) {
    std::map<std::string, std::string> out;
    for (const auto& i : j["items"]) out[i["permit_id"]] = i["status"];
    return out;
  };
  for (const char* reader : {"auditor", "monitor", "ptsp-ulujami"}) {
    auto r = list("kelurahan=" + kUlujami, Token(reader));
    ASSERT_EQ(r.status, 200) << reader << ": " << r.body;
    const auto all = ids(r.json());
    EXPECT_EQ(all.at(open_id), "submitted") << reader;
    EXPECT_EQ(all.at(closed_id), "withdrawn") << reader;
    EXPECT_FALSE(r.json().contains("next")) << "one page";
  }
  const auto withdrawn =
      ids(list("kelurahan=" + kUlujami + "&status=withdrawn", Token("auditor")).json());
  EXPECT_TRUE(withdrawn.count(closed_id));
  EXPECT_FALSE(withdrawn.count(open_id));
  // The cursor is "<status>/<permit id>", as `next` gives it.
  const auto rest =
      ids(list("kelurahan=" + kUlujami + "&after=submitted/" + open_id, Token("auditor")).json());
  EXPECT_FALSE(rest.count(open_id));
  EXPECT_TRUE(rest.count(closed_id)) << "withdrawn comes after submitted";
  // A cursor whose permit has changed status since still goes on from there.
  auto moved = list("kelurahan=" + kUlujami + "&after=submitted/" + closed_id, Token("auditor"));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_TRUE(ids(moved.json()).count(closed_id));
  for (const auto& [query, token, status, code] :
       std::vector<std::tuple<std::string, std::string, int, std::string>>{
           {"kelurahan=" + kUlujami, "", 401, "unauthenticated"},
           {"kelurahan=" + kUlujami, tracking, 403, "role_not_permitted"},
           {"kelurahan=" + kUlujami, Token("ptsp-bintaro"), 403, "outside_jurisdiction"},
           {"status=submitted", Token("auditor"), 400, "invalid_parameter"},
           {"kelurahan=31.74.10.9999", Token("auditor"), 400, "unknown_kelurahan"},
           {"kelurahan=" + kUlujami + "&status=open", Token("auditor"), 400, "invalid_parameter"},
           {"kelurahan=" + kUlujami + "&after=nope", Token("auditor"), 400, "invalid_parameter"},
           {"kelurahan=" + kUlujami + "&after=", Token("auditor"), 400, "invalid_parameter"},
           {"kelurahan=" + kUlujami + "&after=open/P1", Token("auditor"), 400, "invalid_parameter"},
           {"kelurahan=" + kUlujami + "&status=withdrawn&after=submitted/" + open_id,
            Token("auditor"), 400, "invalid_parameter"},
           {"kelurahan=" + kUlujami + "&q=x", Token("auditor"), 400, "invalid_query"}}) {
    auto r = list(query, token);
    EXPECT_EQ(r.status, status) << query << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], code) << query << ": " << r.body;
  }
}

// Runs last in this suite: it amends the charter. The worklist follows who
// the charter gives each step to, permit by permit: verifying a complete
// application and asking for the rest of an incomplete one may belong to
// different roles.
TEST_F(ApiTest, ZzTheWorklistFollowsTheCharterStepByStep) {
  json charter = client_.Get("/v1/charter").json();
  charter["charter_version"] = charter["charter_version"].get<int>() + 1;
  charter["permissions"]["verify_documents"] = {"ptsp_head"};
  // A proposal says which roles see personal data (role ids may mean other
  // offices in another charter); nothing is adopted without it.
  json unsaid = charter;
  for (auto& [id, role] : unsaid["roles"].items()) role.erase("personal_data");
  auto refused = client_.Request("PUT", "/v1/charter", unsaid.dump(), ledger_->admin_token());
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "invalid_charter") << refused.body;
  auto r = client_.Request("PUT", "/v1/charter", charter.dump(), ledger_->admin_token());
  ASSERT_EQ(r.status, 200) << r.body;
  // The answer names the steps no enrolled officer may take now, and where
  // (as the list of officers does): Bintaro has a PTSP officer and no head,
  // who verifies documents from now on; Ulujami has both.
  const json unstaffed = r.json()["unstaffed"];
  EXPECT_EQ(unstaffed, client_.Get("/v1/officers", ledger_->admin_token()).json()["unstaffed"]);
  auto where = [&](const std::string& action) {
    for (const auto& step : unstaffed)
      if (step["action"] == action) return step["kelurahan"];
    return json::array();
  };
  auto has = [](const json& list, const std::string& code) {
    return std::find(list.begin(), list.end(), code) != list.end();
  };
  EXPECT_TRUE(has(where("verify_documents"), kBintaro)) << unstaffed.dump();
  EXPECT_FALSE(has(where("verify_documents"), kUlujami)) << unstaffed.dump();
  EXPECT_FALSE(has(where("schedule_survey"), kBintaro)) << unstaffed.dump();
  EXPECT_TRUE(where("withdraw").empty()) << "the applicant's own step: " << unstaffed.dump();
  // Every version adopted stays readable, for an auditor.
  const int v = charter["charter_version"];
  EXPECT_EQ(client_.Get("/v1/charter?version=" + std::to_string(v - 1))
                .json()["permissions"]["verify_documents"],
            json({"ptsp_officer"}));
  EXPECT_EQ(client_.Get("/v1/charter?version=" + std::to_string(v)).json(),
            client_.Get("/v1/charter").json());
  r = client_.Get("/v1/charter?version=" + std::to_string(v + 1));
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_NE(r.body.find("was never adopted"), std::string::npos) << r.body;
  EXPECT_EQ(client_.Get("/v1/charter?version=").status, 400);
  EXPECT_EQ(client_.Get("/v1/charter?version=v2").status, 400);
  // What the amendment changed, for an auditor, as a JSON Patch (no token).
  const json changes = client_.Get("/v1/charter/changes").json();
  EXPECT_EQ(changes["from"], v - 1);
  EXPECT_EQ(changes["to"], v);
  EXPECT_TRUE(changes["adopted_at"].get<std::string>().ends_with("Z")) << changes.dump();
  EXPECT_EQ(changes["patch"],
            json::parse(R"([{"op": "replace", "path": "/permissions/verify_documents/0",
                            "value": "ptsp_head"}])"))
      << changes.dump();
  EXPECT_EQ(client_.Get("/v1/charter/changes?from=1&to=1").json()["patch"], json::array());
  EXPECT_FALSE(client_.Get("/v1/charter/changes?to=1").json()["patch"].empty())
      << "version 1 is compared with nothing";
  for (const auto& [target, status] :
       std::vector<std::pair<std::string, int>>{{"/v1/charter/changes?from=2&to=1", 400},
                                                {"/v1/charter/changes?to=99", 404},
                                                {"/v1/charter/changes?from=01", 400},
                                                {"/v1/charter/changes?since=1", 400}}) {
    auto refused = client_.Get(target);
    EXPECT_EQ(refused.status, status) << target << ": " << refused.body;
    EXPECT_FALSE(refused.json()["error"].value("message", "").empty()) << target;
  }
  auto [complete, code1] = Submit("worklist-complete");
  json lacking_app = Application("worklist-lacking", kUlujami);
  lacking_app["documents"] = json::array({"form"});
  r = client_.Post("/v1/applications", lacking_app);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string lacking = r.json()["permit_id"];
  auto listed = [&](const std::string& officer) {
    std::set<std::string> ids;
    auto list = client_.Get("/v1/worklist", Token(officer)).json();
    EXPECT_EQ(list["read_only"], false) << officer;
    for (const auto& item : list["items"]) ids.insert(item["permit_id"]);
    return ids;
  };
  const auto head = listed("head-ulujami"), officer = listed("ptsp-ulujami");
  EXPECT_TRUE(head.count(complete)) << "the head verifies it now";
  // Each item names the steps its reader may take: the head verifies, the
  // officer (no longer verifying) asks for documents.
  auto steps = [&](const std::string& officer, const std::string& id) {
    const json list = client_.Get("/v1/worklist", Token(officer)).json();
    for (const auto& item : list["items"])
      if (item["permit_id"] == id) return item["next_actions"];
    return json();
  };
  EXPECT_EQ(steps("head-ulujami", complete), json({"verify_documents"}));
  EXPECT_EQ(steps("ptsp-ulujami", complete), json({"request_completion"}));
  EXPECT_FALSE(head.count(lacking)) << "nothing to verify yet";
  EXPECT_TRUE(officer.count(lacking)) << "the officer asks for the rest";
  // (The complete one stays on the officer's list too: asking for a
  // document again, a photocopy that cannot be read say, is still theirs.)
}

// A second server on an address in use is refused before it opens (or
// creates) a ledger: on Kafka it would have joined the processors' group.
TEST(Serve, ABusyAddressIsRefusedBeforeTheLedgerOpens) {
  LedgerProcess first(TempDir("busy-first"));
  const std::string second = TempDir("busy-second") + "/data";
  std::string out;
  EXPECT_EQ(RunLedger({"serve", "--data", second, "--listen",
                       "127.0.0.1:" + std::to_string(first.port())},
                      &out),
            1);
  EXPECT_NE(out.find("listen_failed"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(second)) << "the ledger was opened: " << out;
}

// Holds `share` connections to `port`, each answered once (so the server
// counts it) and then having sent half a request; expects one more to be
// closed at once, and a place to be free again as soon as one of the held
// connections closes. A connection the server closed unanswered (an earlier
// one, such as the start-up probe's, not yet released) is opened again.
void ExpectAtMost(unsigned short port, int share) {
  const std::string health = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string kept = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  // One answer on a kept-alive connection: its head, then its body.
  auto answered = [](int fd) {
    std::string got;
    char buf[4096];
    for (;;) {
      const size_t head = got.find("\r\n\r\n");
      const size_t length = got.find("Content-Length: ");
      if (head != std::string::npos && length != std::string::npos &&
          got.size() >= head + 4 + std::stoul(got.substr(length + 16)))
        return got.substr(0, 15) == "HTTP/1.1 200 OK";
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<size_t>(n));
    }
  };
  std::vector<int> held;
  while (static_cast<int>(held.size()) < share && std::chrono::steady_clock::now() < deadline) {
    const int fd = ConnectLoopback(port);
    ASSERT_GE(fd, 0);
    ::send(fd, kept.data(), kept.size(), 0);
    if (!answered(fd)) {
      ::close(fd);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    ::send(fd, "GET /healthz HTTP/1.1\r\n", 23, 0);
    held.push_back(fd);
  }
  ASSERT_EQ(static_cast<int>(held.size()), share) << "the server did not keep its share open";
  const std::string refused = RawExchange(port, health);
  EXPECT_EQ(refused, "") << "one more connection was served: " << refused;
  ::close(held.back());
  held.pop_back();
  std::string answer;
  while (answer.empty() && std::chrono::steady_clock::now() < deadline)
    answer = RawExchange(port, health);
  EXPECT_EQ(answer.substr(0, 15), "HTTP/1.1 200 OK") << "no place freed: " << answer;
  for (int fd : held) ::close(fd);
}

// One client holding connections open (idle, or sending its headers a byte
// at a time) may hold only its share: the next ones are closed at once,
// and a place is free again as soon as one of its connections closes.
TEST(Serve, OneClientHoldsAtMostItsShareOfConnections) {
  LedgerProcess ledger(TempDir("per-client"), {"serve", "--max-connections-per-client", "4"});
  ExpectAtMost(ledger.port(), 4);
}

// --charter counts on first start only: given to a ledger that has its
// charter, it is not read, and the log says so (and how to change it).
TEST(Serve, ACharterFileGivenToAnExistingLedgerIsNotReadAndTheLogSaysSo) {
  const std::string dir = TempDir("charter-later");
  const std::string charter = std::string(PL_SOURCE_DIR) + "/charters/pesanggrahan.json";
  std::string first;
  {
    LedgerProcess ledger(dir, {"serve", "--charter", charter});
    first = ledger.output_path();
  }
  std::ifstream one(first);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(one)), std::istreambuf_iterator<char>())
                .find("was not read"),
            std::string::npos);
  LedgerProcess again(dir, {"serve", "--charter", charter});
  std::ifstream two(again.output_path());
  const std::string said((std::istreambuf_iterator<char>(two)), std::istreambuf_iterator<char>());
  EXPECT_NE(said.find("was not read: this ledger adopted its charter before"), std::string::npos)
      << said;
}

// All clients together hold at most --max-connections (by default the
// process's file limit less a reserve for the stores): past it new
// connections are closed as they come, instead of the server running out of
// descriptors (its accept loop then failed at once, again and again, and
// nobody was served).
TEST(Serve, AllClientsTogetherHoldAtMostTheirShare) {
  LedgerProcess ledger(TempDir("all-clients"), {"serve", "--max-connections", "6"});
  ExpectAtMost(ledger.port(), 6);
  std::ifstream log(ledger.output_path());
  const std::string said((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(said.find("connections are open, the most the server holds"), std::string::npos)
      << said;
}

// A mistyped subcommand is named, with the subcommands there are.
TEST(CommandLine, AMistypedSubcommandIsNamedWithTheSubcommandsThereAre) {
  std::string out;
  EXPECT_EQ(RunLedger({"srve"}, &out), 1);
  EXPECT_NE(out.find("\"srve\" is not a subcommand"), std::string::npos) << out;
  EXPECT_NE(out.find("serve, demo, replay, audit, verify-permit"), std::string::npos) << out;
  EXPECT_EQ(RunLedger({"audit", "verfy", "--data", TempDir("verfy")}, &out), 1);
  EXPECT_NE(out.find("permitledger audit: \"verfy\" is not a subcommand"), std::string::npos)
      << out;
  EXPECT_NE(out.find("verify, replay, trail"), std::string::npos) << out;
  EXPECT_EQ(RunLedger({"audit"}, &out), 1);
  EXPECT_NE(out.find("needs a subcommand: verify, replay, trail"), std::string::npos) << out;
}

// --listen takes a numeric address (IPv6 in brackets) or localhost and a
// port of 1 to 65535, and says which part is wrong; nothing is opened first.
TEST(Serve, AListenAddressIsReadWhollyAndItsFaultNamed) {
  const std::string dir = TempDir("listen") + "/data";
  for (const auto& [listen, said] : std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.1:18283junk", "the port must be a number from 1 to 65535"},
           {"127.0.0.1:99999", "the port must be a number from 1 to 65535"},
           {"127.0.0.1", "names no port"},
           {"::1:18283", "in brackets, such as [::1]:8080"},
           {"ledger.example:18283", "is not a numeric IPv4 or IPv6 address"}}) {
    std::string out;
    EXPECT_EQ(RunLedger({"serve", "--data", dir, "--listen", listen}, &out), 1) << listen;
    EXPECT_NE(out.find(said), std::string::npos) << listen << ": " << out;
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  // localhost and [::1] are read: what refuses them here is the port in use.
  LedgerProcess busy(TempDir("listen-busy"));
  std::string out;
  EXPECT_EQ(
      RunLedger({"serve", "--data", dir, "--listen", "localhost:" + std::to_string(busy.port())},
                &out),
      1);
  EXPECT_NE(out.find("cannot listen on 127.0.0.1:" + std::to_string(busy.port())),
            std::string::npos)
      << out;
  const int v6 = ::socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  socklen_t len = sizeof addr;
  if (v6 < 0 || ::bind(v6, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(v6, 1) != 0 || ::getsockname(v6, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (v6 >= 0) ::close(v6);
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  const std::string port = std::to_string(ntohs(addr.sin6_port));
  EXPECT_EQ(RunLedger({"serve", "--data", dir, "--listen", "[::1]:" + port}, &out), 1);
  EXPECT_NE(out.find("cannot listen on [::1]:" + port), std::string::npos) << out;
  ::close(v6);
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// --web naming a folder without pages is said at start, with the folder
// and the option; the 404 says there are no pages, and not where the
// server's files are (that is for its operator, not any client).
TEST(Serve, AWebFolderWithoutPagesIsSaidAtStartAndInTheNotFound) {
  LedgerProcess ledger(TempDir("web-none"), {"serve", "--web", "/nonexistent-web"});
  HttpClient client(ledger.port());
  auto r = client.Get("/");
  EXPECT_EQ(r.status, 404) << r.body;
  const std::string message = r.json()["error"].value("message", "");
  EXPECT_NE(message.find("no web pages"), std::string::npos) << message;
  EXPECT_EQ(message.find("/nonexistent-web"), std::string::npos) << message;
  const std::string said = ReadFile(ledger.output_path());
  EXPECT_NE(said.find("--web /nonexistent-web: the folder holds no index.html"), std::string::npos)
      << said;
}

// A page's gzip copy beside it (scripts/build-web.sh makes them) goes to a
// client that takes gzip, the file itself to the others; never a copy that
// lies elsewhere (a link out of the folder).
TEST(Serve, APagesGzipCopyGoesToClientsThatTakeGzip) {
  namespace fs = std::filesystem;
  const std::string web = TempDir("web-gz");
  fs::create_directories(web + "/assets");
  const std::string script(4000, 'x');
  std::ofstream(web + "/index.html") << "<!doctype html><title>t</title>";
  std::ofstream(web + "/assets/app.js") << script;
  std::ofstream(web + "/assets/app.js.gz") << "pretend-gzip";
  std::ofstream(web + "/assets/other.js") << "other";
  // A copy older than its file (left from an earlier build) is not sent.
  std::ofstream(web + "/assets/old.js") << "new";
  std::ofstream(web + "/assets/old.js.gz") << "stale";
  fs::last_write_time(web + "/assets/old.js.gz",
                      fs::last_write_time(web + "/assets/old.js") - std::chrono::hours(1));
  std::ofstream(web + "/../outside.gz") << "secret";
  fs::create_symlink(fs::absolute(web + "/../outside.gz"), web + "/assets/other.js.gz");
  LedgerProcess ledger(TempDir("web-gz-data"), {"serve", "--web", web});
  HttpClient client(ledger.port());
  auto get = [&](const std::string& path, const std::string& accept) {
    return client.Request("GET", path, "", "",
                          accept.empty() ? std::map<std::string, std::string>{}
                                         : std::map<std::string, std::string>{
                                               {"Accept-Encoding", accept}});
  };
  auto gz = get("/assets/app.js", "br, gzip;q=0.8");
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.body, "pretend-gzip");
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  EXPECT_EQ(gz.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(get("/assets/app.js", "*").body, "pretend-gzip");
  for (const std::string& accept :
       std::vector<std::string>{"", "br", "gzip;q=0", "identity", "*, gzip;q=0", "*;q=0"}) {
    auto plain = get("/assets/app.js", accept);
    EXPECT_EQ(plain.body, script) << accept;
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u) << accept;
    EXPECT_EQ(plain.headers["vary"], "Accept-Encoding") << accept;
    EXPECT_NE(plain.headers["etag"], gz.headers["etag"]) << accept;
  }
  // A file without a copy is sent as it is.
  auto page = get("/", "gzip");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.count("vary"), 0u);
  EXPECT_EQ(get("/assets/old.js", "gzip").body, "new");
  auto other = get("/assets/other.js", "gzip");
  EXPECT_EQ(other.body, "other");
  EXPECT_EQ(other.headers.count("content-encoding"), 0u);
}

}  // namespace
}  // namespace pl::test
