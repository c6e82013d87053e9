// The charter document: the default loads, and each kind of bad charter is
// refused with invalid_charter and a message naming the offending key.
#include <nlohmann/json.hpp>

#include "domain/calendar.h"
#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using nlohmann::json;

TEST(Charter, DefaultCharterLoads) {
  auto c = Charter::FromJson(DefaultCharterText());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->version, 1u);
  EXPECT_EQ(c->permit_type, "IUMK");
  EXPECT_EQ(c->kecamatan_code, "31.74.10");
  EXPECT_EQ(c->kecamatan_name, "Pesanggrahan");
  ASSERT_EQ(c->kelurahan.size(), 5u);
  EXPECT_EQ(c->FindKelurahan("31.74.10.1001")->name, "Bintaro");
  EXPECT_EQ(c->FindKelurahan("31.74.10.1005")->name, "Petukangan Selatan");
  EXPECT_EQ(c->FindKelurahan("31.74.10.1006"), nullptr);
  EXPECT_EQ(c->stakeholders.size(), 8u);
  EXPECT_EQ(c->roles.size(), 9u);
  EXPECT_EQ(c->roles.at("kecamatan_monitor").scope, Scope::kKecamatan);
  EXPECT_EQ(c->roles.at("auditor").scope, Scope::kAll);
  EXPECT_EQ(c->permissions.size(), AllActions().size());
  EXPECT_EQ(c->service_days.at("incomplete"), 14);
  EXPECT_EQ(c->eligibility.max_capital, 500000000);
  EXPECT_EQ(c->eligibility.max_turnover, 2500000000);
  EXPECT_EQ(c->eligibility.max_workers, 19);
  EXPECT_EQ(c->validity_years, 5);
  EXPECT_EQ(c->required_documents.size(), 6u);
  EXPECT_EQ(c->optional_documents, std::vector<std::string>{"npwp"});
  EXPECT_EQ(c->rejection_reasons, Charter::kDefaultRejectionReasons);
  EXPECT_EQ(c->utc_offset_minutes, 420);
  EXPECT_TRUE(c->holidays.count(*ParseDate("2026-08-17")));
  EXPECT_TRUE(c->KnowsDocument("npwp"));
  EXPECT_TRUE(c->KnowsDocument("ktp"));
  EXPECT_FALSE(c->KnowsDocument("passport"));
  ASSERT_EQ(c->data_sharing.size(), 2u);
  const auto* bank = c->FindSubscriber("bank-dki");
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(bank->stakeholder, "bank_dki");
  EXPECT_TRUE(bank->consent_required);
  EXPECT_TRUE(bank->Receives("permit_issued"));
  EXPECT_FALSE(bank->Receives("application_submitted"));
  EXPECT_TRUE(bank->Shares("applicant.name"));
  EXPECT_FALSE(bank->Shares("applicant.address"));
  const auto* ministry = c->FindSubscriber("ministry-umkm");
  ASSERT_NE(ministry, nullptr);
  EXPECT_FALSE(ministry->consent_required);
  // The ministry gets no applicant's data without consent: none of its
  // fields is one (and it has fields, so the loop checks something).
  ASSERT_FALSE(ministry->fields.empty());
  EXPECT_TRUE(ministry->Shares("kbli"));
  for (const auto& f : ministry->fields) EXPECT_FALSE(f.starts_with("applicant.")) << f;
  EXPECT_EQ(c->FindSubscriber("bank_dki"), nullptr);
}

TEST(Charter, CanonicalJsonIsSortedAndStable) {
  auto c = Charter::FromJson(DefaultCharterText());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->canonical_json.find('\n'), std::string::npos);
  EXPECT_EQ(c->canonical_json.rfind("{\"charter_version\":1,", 0), 0u);
  auto again = Charter::FromJson(c->canonical_json);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->canonical_json, c->canonical_json);
}

TEST(Charter, RoleMayAndCovers) {
  auto c = Charter::FromJson(DefaultCharterText());
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->RoleMay("lurah", "recommend"));
  EXPECT_FALSE(c->RoleMay("ptsp_officer", "recommend"));
  EXPECT_FALSE(c->RoleMay("lurah", "no_such_action"));
  EXPECT_TRUE(c->RoleMay("admin", "erase_personal_data"));
  EXPECT_TRUE(c->Covers("lurah", "31.74.10.1002", "31.74.10.1002"));
  EXPECT_FALSE(c->Covers("lurah", "31.74.10.1002", "31.74.10.1003"));
  EXPECT_FALSE(c->Covers("lurah", "", ""));
  EXPECT_TRUE(c->Covers("kecamatan_monitor", "31.74.10", "31.74.10.1003"));
  EXPECT_FALSE(c->Covers("kecamatan_monitor", "31.74.10", "31.74.11.1003"));
  EXPECT_FALSE(c->Covers("kecamatan_monitor", "31.74.11", "31.74.10.1003"));
  EXPECT_FALSE(c->Covers("kecamatan_monitor", "31.74.10.1003", "31.74.10.1003"));
  EXPECT_TRUE(c->Covers("auditor", "", "31.74.10.1003"));
  EXPECT_TRUE(c->Covers("admin", "anything", "31.74.99.9999"));
  EXPECT_FALSE(c->Covers("stranger", "31.74.10.1002", "31.74.10.1002"));
}

TEST(Charter, AllActionsInWorkflowOrder) {
  const auto& a = AllActions();
  ASSERT_EQ(a.size(), 15u);
  EXPECT_EQ(a.front(), "submit_application");
  EXPECT_EQ(a.back(), "erase_personal_data");
}

TEST(Charter, RejectionReasonsAreTheCharterOnesOrTheDefaultOnes) {
  json doc = json::parse(DefaultCharterText());
  doc["rejection_reasons"] = {"zoning", "closed_area"};
  auto c = Charter::FromJson(doc.dump());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->rejection_reasons, (std::vector<std::string>{"zoning", "closed_area"}));
  doc.erase("rejection_reasons");
  c = Charter::FromJson(doc.dump());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->rejection_reasons, Charter::kDefaultRejectionReasons);
}

// Edits the default charter and expects a refusal whose message names `key`.
void ExpectRefused(const std::function<void(json&)>& edit, const std::string& key) {
  json doc = json::parse(DefaultCharterText());
  edit(doc);
  auto c = Charter::FromJson(doc.dump());
  ASSERT_FALSE(c.ok()) << "accepted; expected a complaint about " << key;
  EXPECT_EQ(c.status().code(), "invalid_charter");
  EXPECT_NE(c.status().message().find(key), std::string::npos) << c.status().message();
}

TEST(Charter, RefusesMalformedJson) {
  auto c = Charter::FromJson("{\"charter_version\": 1,");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), "invalid_charter");
  EXPECT_FALSE(Charter::FromJson("[]").ok());
  EXPECT_FALSE(Charter::FromJson("").ok());
  // A key named twice (which nlohmann would read as its last value).
  std::string twice = DefaultCharterText();
  twice.insert(twice.find('{') + 1, "\"validity_years\": 50,");
  c = Charter::FromJson(twice);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), "invalid_charter");
  EXPECT_NE(c.status().message().find("'validity_years' twice"), std::string::npos)
      << c.status().message();
  // Nested past any charter's need: refused before anything walks it.
  c = Charter::FromJson(std::string(100000, '[') + std::string(100000, ']'));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), "invalid_charter");
  EXPECT_NE(c.status().message().find("levels deep"), std::string::npos) << c.status().message();
}

TEST(Charter, RefusesUnknownAndMissingKeys) {
  ExpectRefused([](json& d) { d["colour"] = "red"; }, "colour");
  ExpectRefused([](json& d) { d["kecamatan"]["mayor"] = "x"; }, "kecamatan.mayor");
  ExpectRefused([](json& d) { d["kelurahan"][1]["rw"] = 3; }, "kelurahan[1].rw");
  ExpectRefused([](json& d) { d["eligibility"]["max_assets"] = 3; }, "eligibility.max_assets");
  ExpectRefused([](json& d) { d["roles"]["lurah"]["rank"] = 1; }, "roles.lurah.rank");
  ExpectRefused([](json& d) { d["stakeholders"][0]["phone"] = "1"; }, "stakeholders[0].phone");
  for (const char* key :
       {"charter_version", "name", "permit_type", "kecamatan", "kelurahan", "stakeholders", "roles",
        "permissions", "service_days", "holidays", "eligibility", "validity_years",
        "required_documents", "utc_offset_minutes"}) {
    ExpectRefused([&](json& d) { d.erase(key); }, key);
  }
  ExpectRefused([](json& d) { d["eligibility"].erase("max_workers"); }, "eligibility.max_workers");
  ExpectRefused([](json& d) { d["roles"]["lurah"].erase("scope"); }, "roles.lurah.scope");
  json doc = json::parse(DefaultCharterText());
  doc.erase("optional_documents");
  auto c = Charter::FromJson(doc.dump());
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->optional_documents.empty());
}

TEST(Charter, RefusesWrongTypesAndValues) {
  ExpectRefused([](json& d) { d["charter_version"] = "1"; }, "charter_version");
  ExpectRefused([](json& d) { d["charter_version"] = 0; }, "charter_version");
  ExpectRefused([](json& d) { d["charter_version"] = 1.5; }, "charter_version");
  ExpectRefused([](json& d) { d["name"] = ""; }, "name");
  ExpectRefused([](json& d) { d["kelurahan"] = json::object(); }, "kelurahan");
  ExpectRefused([](json& d) { d["kelurahan"] = json::array(); }, "kelurahan");
  ExpectRefused([](json& d) { d["kelurahan"][0]["code"] = 1001; }, "kelurahan[0].code");
  ExpectRefused([](json& d) { d["kelurahan"][2]["code"] = "31.74.11.1003"; }, "kelurahan[2].code");
  ExpectRefused([](json& d) { d["kelurahan"][2]["code"] = "31.74.10.1001"; }, "kelurahan[2].code");
  ExpectRefused([](json& d) { d["roles"]["lurah"]["scope"] = "province"; }, "roles.lurah.scope");
  ExpectRefused([](json& d) { d["service_days"]["submitted"] = -1; }, "service_days.submitted");
  ExpectRefused([](json& d) { d["service_days"]["waiting"] = 1; }, "service_days.waiting");
  ExpectRefused([](json& d) { d["holidays"].push_back("2026-02-30"); }, "holidays[");
  ExpectRefused([](json& d) { d["holidays"].push_back("17-08-2026"); }, "holidays[");
  ExpectRefused([](json& d) { d["holidays"].push_back("2025-01-01"); }, "holidays[");
  ExpectRefused([](json& d) { d["eligibility"]["max_capital"] = -5; }, "eligibility.max_capital");
  ExpectRefused([](json& d) { d["eligibility"]["max_workers"] = "19"; }, "eligibility.max_workers");
  ExpectRefused([](json& d) { d["validity_years"] = 0; }, "validity_years");
  ExpectRefused([](json& d) { d["utc_offset_minutes"] = 10000; }, "utc_offset_minutes");
  ExpectRefused([](json& d) { d["required_documents"] = json::array(); }, "required_documents");
  ExpectRefused([](json& d) { d["required_documents"].push_back("ktp"); }, "required_documents[");
  ExpectRefused([](json& d) { d["optional_documents"].push_back("ktp"); }, "optional_documents");
  ExpectRefused([](json& d) { d["rejection_reasons"] = json::array(); }, "rejection_reasons");
  ExpectRefused([](json& d) { d["rejection_reasons"].push_back("Pak Budi lied"); },
                "rejection_reasons");
}

TEST(Charter, RefusesABadDataSharingPolicy) {
  ExpectRefused([](json& d) { d["data_sharing"] = json::array(); }, "data_sharing");
  ExpectRefused([](json& d) { d["data_sharing"]["Bank DKI"] = d["data_sharing"]["bank-dki"]; },
                "data_sharing.Bank DKI");
  ExpectRefused([](json& d) { d["data_sharing"]["bank-dki"]["topic"] = "x"; },
                "data_sharing.bank-dki.topic");
  ExpectRefused([](json& d) { d["data_sharing"]["bank-dki"].erase("consent_required"); },
                "data_sharing.bank-dki.consent_required");
  ExpectRefused([](json& d) { d["data_sharing"]["bank-dki"]["consent_required"] = "yes"; },
                "data_sharing.bank-dki.consent_required");
  ExpectRefused([](json& d) { d["data_sharing"]["bank-dki"]["stakeholder"] = "bank_bri"; },
                "data_sharing.bank-dki.stakeholder");
  ExpectRefused(
      [](json& d) { d["data_sharing"]["bank-dki"]["events"].push_back("charter_adopted"); },
      "data_sharing.bank-dki.events");
  ExpectRefused(
      [](json& d) { d["data_sharing"]["bank-dki"]["fields"].push_back("applicant.religion"); },
      "data_sharing.bank-dki.fields");
  for (json generation : {json("2"), json(-1), json(1.5), json(2'000'000)})
    ExpectRefused([&](json& d) { d["data_sharing"]["bank-dki"]["token_generation"] = generation; },
                  "data_sharing.bank-dki.token_generation");
  json doc = json::parse(DefaultCharterText());
  doc["data_sharing"]["bank-dki"]["token_generation"] = 3;
  auto raised = Charter::FromJson(doc.dump());
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  EXPECT_EQ(raised->FindSubscriber("bank-dki")->token_generation, 3u);
  EXPECT_EQ(raised->FindSubscriber("ministry-umkm")->token_generation, 0u) << "0 when left out";
  doc.erase("data_sharing");
  auto c = Charter::FromJson(doc.dump());
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->data_sharing.empty());
}

TEST(Charter, RefusesUndefinedRolesAndUnknownActions) {
  ExpectRefused([](json& d) { d["permissions"]["recommend"].push_back("camat"); },
                "permissions.recommend");
  ExpectRefused([](json& d) { d["permissions"]["fly"] = json::array({"lurah"}); },
                "permissions.fly");
  ExpectRefused([](json& d) { d["permissions"].erase("revoke"); }, "permissions.revoke");
  ExpectRefused([](json& d) { d["permissions"]["revoke"] = "ptsp_head"; }, "permissions.revoke");
  ExpectRefused([](json& d) { d["stakeholders"][5]["roles"].push_back("lender"); },
                "stakeholders[5].roles");
  ExpectRefused([](json& d) { d["stakeholders"][1]["id"] = d["stakeholders"][0]["id"]; },
                "stakeholders[1].id");
  ExpectRefused([](json& d) { d["roles"] = json::object(); }, "roles");
  // A step granted to nobody would leave permits waiting in it for ever.
  ExpectRefused([](json& d) { d["permissions"]["issue_permit"] = json::array(); },
                "permissions.issue_permit");
  // Consent may be granted to nobody, if it may be withdrawn by nobody too.
  ExpectRefused([](json& d) { d["permissions"]["withdraw_consent"] = json::array(); },
                "permissions.withdraw_consent");
  json doc = json::parse(DefaultCharterText());
  doc["permissions"]["grant_consent"] = json::array();
  doc["permissions"]["withdraw_consent"] = json::array();
  EXPECT_TRUE(Charter::FromJson(doc.dump()).ok());
  // The administrator's role is the ledger's own.
  ExpectRefused([](json& d) { d["roles"]["admin"]["scope"] = "kelurahan"; }, "roles.admin");
}

TEST(Charter, SaysWhichRolesSeePersonalData) {
  auto shipped = Charter::FromJson(DefaultCharterText());
  ASSERT_TRUE(shipped.ok());
  EXPECT_TRUE(shipped->roles.at("ptsp_officer").personal_data);
  EXPECT_TRUE(shipped->roles.at("kecamatan_umkm").personal_data);
  EXPECT_FALSE(shipped->roles.at("kecamatan_monitor").personal_data);
  EXPECT_FALSE(shipped->roles.at("auditor").personal_data);
  // A charter that says it of one role says it of every role.
  json doc = json::parse(DefaultCharterText());
  for (auto& [id, def] : doc["roles"].items()) def.erase("personal_data");
  doc["roles"]["auditor"]["personal_data"] = true;
  auto one = Charter::FromJson(doc.dump());
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_TRUE(one->roles.at("auditor").personal_data);
  EXPECT_FALSE(one->roles.at("ptsp_officer").personal_data);
  // One that says it of none (written before the key): the roles that
  // handle applications, as before.
  doc["roles"]["auditor"].erase("personal_data");
  auto legacy = Charter::FromJson(doc.dump());
  ASSERT_TRUE(legacy.ok());
  for (const auto& [id, def] : legacy->roles)
    EXPECT_EQ(def.personal_data, std::count(Charter::kLegacyPersonalDataRoles.begin(),
                                            Charter::kLegacyPersonalDataRoles.end(), id) == 1)
        << id;
  // Proposed for adoption, it must say it: the ids may mean other offices
  // there (a signboard charter's "lurah" was a city office, and read NIKs).
  // An audit re-deciding its adoption reads it so too.
  EXPECT_TRUE(Charter::FromJson(doc.dump(), /*check_texts=*/true).ok());
  Status proposed = Charter::CheckProposal(doc.dump());
  EXPECT_EQ(proposed.code(), "invalid_charter");
  EXPECT_NE(proposed.message().find("no role says whether its officers see"), std::string::npos)
      << proposed.message();
  doc["roles"]["auditor"]["personal_data"] = false;
  EXPECT_TRUE(Charter::CheckProposal(doc.dump()).ok());
  ExpectRefused([](json& d) { d["roles"]["lurah"]["personal_data"] = "yes"; },
                "roles.lurah.personal_data");
}

TEST(Charter, RefusesWhatWouldLeavePermitsOrNumbersAmbiguous) {
  ExpectRefused([](json& d) { d["service_days"]["issued"] = 5; }, "service_days.issued");
  ExpectRefused([](json& d) { d["service_days"]["rejected"] = 5; }, "service_days.rejected");
  ExpectRefused([](json& d) { d["name"] = "   "; }, "name");
  ExpectRefused([](json& d) { d["permit_type"] = "IUMK/2"; }, "permit_type");
  ExpectRefused([](json& d) { d["kelurahan"][0]["code"] = "31.74.10."; }, "kelurahan[0].code");
  ExpectRefused([](json& d) { d["kelurahan"][0]["code"] = "31.74.10.10/1"; }, "kelurahan[0].code");
  // The message quotes the code as written, not the part after the kecamatan's.
  ExpectRefused([](json& d) { d["kelurahan"][0]["code"] = "31.74.10.05.1001"; },
                "\"31.74.10.05.1001\" is not a kelurahan code");
  ExpectRefused([](json& d) { d["kecamatan"]["code"] = "31-74"; }, "kecamatan.code");
  ExpectRefused([](json& d) { d["holidays"].push_back("0000-01-01"); }, "holidays");
}

// A charter proposed for adoption must also leave every step takeable and
// every consent withdrawable (a logged one is read as it was adopted).
TEST(Charter, RefusesForAdoptionWhatNoOneCouldWorkUnder) {
  auto refused = [](const std::function<void(json&)>& edit, const std::string& key) {
    json doc = json::parse(DefaultCharterText());
    edit(doc);
    EXPECT_TRUE(Charter::FromJson(doc.dump()).ok()) << key << ": a logged charter reads as ever";
    auto c = Charter::FromJson(doc.dump(), /*check_texts=*/true);
    ASSERT_FALSE(c.ok()) << "accepted; expected a complaint about " << key;
    EXPECT_EQ(c.status().code(), "invalid_charter");
    EXPECT_NE(c.status().message().find(key), std::string::npos) << c.status().message();
  };
  ASSERT_TRUE(Charter::FromJson(DefaultCharterText(), true).ok());
  // Permit numbers are issued and verified in capitals.
  refused([](json& d) { d["permit_type"] = "iumk-b"; }, "permit_type");
  // No survey team could be named: the roles that record a survey may not
  // meet the applicant.
  refused(
      [](json& d) {
        d["roles"]["ptsp_officer"]["personal_data"] = false;
        d["roles"]["kelurahan_economy"]["personal_data"] = false;
      },
      "permissions.record_survey");
  // A consent its applicant could not withdraw.
  refused(
      [](json& d) {
        d["permissions"]["grant_consent"] = json::array();
        d["permissions"]["withdraw_consent"] = json::array();
      },
      "permissions.withdraw_consent");
  refused([](json& d) { d["permissions"]["withdraw_consent"] = json::array({"ptsp_head"}); },
          "permissions.withdraw_consent");
  // Names told apart, codes shaped as codes (a kelurahan is never removed).
  for (const char* name : {" bintaro ", "Bíntaro", "BINTARO.", "\uFF22intaro", "Bin\u200Btaro"})
    refused([&](json& d) { d["kelurahan"][1]["name"] = name; }, "kelurahan[1].name");
  refused([](json& d) { d["kelurahan"][1]["code"] = "31.74.10.0000"; }, "kelurahan[1].code");
  refused([](json& d) { d["stakeholders"][1]["name"] = d["stakeholders"][0]["name"]; },
          "stakeholders");
  {  // Names that differ by a number are two names.
    json doc = json::parse(DefaultCharterText());
    doc["kelurahan"].push_back({{"code", "31.74.10.1006"}, {"name", "Kelurahan 2"}});
    doc["kelurahan"].push_back({{"code", "31.74.10.1007"}, {"name", "Kelurahan 3"}});
    EXPECT_TRUE(Charter::FromJson(doc.dump(), true).ok());
  }
  refused([](json& d) { d["kelurahan"][1]["code"] = "31.74.10.01002"; }, "kelurahan[1].code");
  refused([](json& d) { d["kelurahan"][1]["code"] = "31.74.10." + std::string(150, '9'); },
          "kelurahan[1].code");
  refused([](json& d) { d["required_documents"].push_back("KTP"); }, "required_documents");
  refused([](json& d) { d["optional_documents"].push_back("surat izin"); }, "optional_documents");
  refused([](json& d) { d["stakeholders"][0]["id"] = "bank dki"; }, "stakeholders");
}

}  // namespace
}  // namespace pl::testing
