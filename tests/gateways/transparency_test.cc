// The transparency log wired into the product: HTTP proofs checked with the
// independent verifier, offline permit verification, and `audit verify`
// finding (and locating) every kind of tampering with a copy of a ledger.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "events/embedded_log.h"
#include "gateways/api_gateway.h"
#include "gateways/audit_cli.h"
#include "gateways/demo.h"
#include "gateways/transparency_gateway.h"
#include "projections/encoding.h"
#include "projections/merkle_verify.h"
#include "projections/transparency_projection.h"
#include "projections/view_keys.h"

namespace pl {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

fs::path NewDir(const std::string& name) {
  fs::path p =
      fs::temp_directory_path() / ("pl-transparency-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

LedgerOptions Options(const fs::path& dir) {
  LedgerOptions o;
  o.data_dir = dir.string();
  o.transparency_origin = "test.example/log";
  o.checkpoint_interval = std::chrono::milliseconds(0);
  return o;
}

HttpResponse Call(ApiGateway& api, http::verb verb, const std::string& target,
                  const std::string& token = "") {
  HttpRequest req{verb, target, 11};
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  std::optional<HttpResponse> out;
  api.Handle(std::move(req), [&](HttpResponse r) { out = std::move(r); });
  EXPECT_TRUE(out.has_value()) << target;
  return out ? std::move(*out) : HttpResponse{};
}

json Json(const HttpResponse& r) { return json::parse(r.body()); }

std::string Encoded(const std::string& number) {
  std::string out;
  for (char c : number) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

Hash H(const json& j) { return *HashFromBytes(*Base64Decode(j.get<std::string>())); }
std::vector<Hash> Hs(const json& a) {
  std::vector<Hash> out;
  for (const auto& h : a) out.push_back(H(h));
  return out;
}

// One small ledger for the whole suite: a demo history, a checkpoint, a few
// more events (an enrolment, a revocation), and the final checkpoint.
class TransparencyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = NewDir("ledger");
    auto ledger = Ledger::Open(Options(dir_));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    auto demo = RunDemo(**ledger, {30, 4242, 180});
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    ASSERT_FALSE(demo->tracking.empty());
    tracking_ = demo->tracking.front();
    auto first = (*ledger)->transparency()->Publish();
    ASSERT_TRUE(first.ok() && *first);
    // More events after the first checkpoint. The extra officer works in
    // the kelurahan of the first permit issued (which ones are issued by
    // now depends on the time of day the demo runs).
    auto issued = (*ledger)->queries().Register("", "", 500);
    ASSERT_FALSE(issued.empty());
    extra_kelurahan_ = issued.front()["kelurahan"];
    Command enrol;
    enrol.id = CommandId("test-enrol-extra");
    enrol.stream = kGovernanceStream;
    enrol.actor = {"admin", "admin", ""};
    enrol.action = EnrollOfficer{"extra-officer", "Extra", "ptsp_officer", extra_kelurahan_,
                                 HashToken("extra-token")};
    ASSERT_FALSE((*ledger)->ExecuteSync(std::move(enrol)).refusal);
    // Revoke one issued permit, keep the others valid.
    std::vector<std::string> numbers;
    for (const auto& e : issued)
      if (e["status"] == "issued") numbers.push_back(e["permit_number"]);
    ASSERT_GE(numbers.size(), 2u);
    valid_number_ = numbers[0];
    revoked_number_ = numbers[1];
    const std::string permit = revoked_number_.substr(revoked_number_.rfind('/') + 1);
    auto state = (*ledger)->queries().Permit(permit);
    ASSERT_TRUE(state);
    std::string head;
    for (const auto& [id, o] : (*ledger)->governance()->officers)
      if (o.role == "ptsp_head" && o.jurisdiction == state->kelurahan) head = id;
    Command revoke;
    revoke.id = CommandId("test-revoke");
    revoke.stream = StreamId(permit);
    revoke.actor = {head, "ptsp_head", state->kelurahan};
    revoke.action = Revoke{"test revocation"};
    auto o = (*ledger)->ExecuteSync(std::move(revoke));
    ASSERT_FALSE(o.refusal) << o.refusal->message;
    events_ = (*ledger)->engine().events_applied();
    admin_ = (*ledger)->admin_token();
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  // A copy of the ledger's data directory to tamper with.
  static fs::path Copy(const std::string& name) {
    fs::path to = NewDir(name);
    fs::copy(dir_, to, fs::copy_options::recursive);
    return to;
  }

  static inline fs::path dir_;
  static inline std::string valid_number_, revoked_number_, admin_;
  static inline std::string extra_kelurahan_;  // of the extra officer ("extra-token")
  static inline std::pair<std::string, std::string> tracking_;  // a permit id, its tracking code
  static inline uint64_t events_ = 0;
};

TEST_F(TransparencyTest, ReplayStaysByteIdentical) {
  auto r = ReplayViews(LedgerOptions::At(dir_.string()), (dir_ / "views.replay").string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->events, events_);
  EXPECT_TRUE(r->identical());
  fs::remove_all(dir_ / "views.replay");
}

// A view changed behind the ledger's back: the replay names the keys.
TEST_F(TransparencyTest, ReplayNamesTheFirstKeysThatDiffer) {
  fs::path copy = Copy("views-tampered");
  const std::string permit = tracking_.first;
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), (copy / "views").string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::string v;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), "status/permit/" + permit, &v).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "status/permit/" + permit, v + " ").ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "register/permit/IUMK/FORGED", "{}").ok());
  }
  auto r = ReplayViews(LedgerOptions::At(copy.string()), (copy / "views.replay").string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->identical());
  std::ostringstream out;
  PrintReplayDifferences(*r, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("DIFFERENT"), std::string::npos) << text;
  EXPECT_NE(text.find("view status, key status/permit/" + permit + ": values differ"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("view register, key register/permit/IUMK/FORGED: only in the live views"),
            std::string::npos)
      << text;
  EXPECT_EQ(r->differences.size(), 2u) << text;
  fs::remove_all(copy);
}

TEST_F(TransparencyTest, KeyFileIsPrivateAndNeverInTheViews) {
  auto perms = fs::status(dir_ / "transparency.key").permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  std::ifstream in(dir_ / "transparency.key");
  std::string key;
  std::getline(in, key);
  // PRIVATE+KEY+<name>+<key hash, 8 hex>+<base64 key> (the base64 may hold '+').
  const std::string prefix = "PRIVATE+KEY+test.example/log+";
  ASSERT_TRUE(key.starts_with(prefix));
  const std::string secret = key.substr(prefix.size() + 9);
  ASSERT_GE(secret.size(), 40u);
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::OpenForReadOnly(rocksdb::Options(), (dir_ / "views").string(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next())
    ASSERT_EQ(it->value().ToString().find(secret), std::string::npos) << it->key().ToString();
}

TEST_F(TransparencyTest, HttpProofsVerifyIndependently) {
  auto ledger = Ledger::Open(Options(dir_));
  ASSERT_TRUE(ledger.ok());
  ApiGateway api(**ledger);
  const std::string vkey = Call(api, http::verb::get, "/v1/transparency/key").body();
  ASSERT_TRUE(vkey.starts_with("test.example/log+"));
  auto latest = Call(api, http::verb::get, "/v1/transparency/checkpoint");
  ASSERT_EQ(latest.result_int(), 200u);
  auto cp = VerifyCheckpoint(latest.body(), vkey.substr(0, vkey.size() - 1));
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->size, events_);
  auto first = CheckpointLog::ReadFile(CheckpointLog::FilePath((dir_ / "checkpoints").string()));
  ASSERT_TRUE(first.ok());
  ASSERT_GE(first->records.size(), 2u);
  const uint64_t old_size = first->records[0].size;
  auto old_note =
      Call(api, http::verb::get, "/v1/transparency/checkpoint?size=" + std::to_string(old_size));
  auto old_cp = VerifyCheckpoint(old_note.body(), vkey.substr(0, vkey.size() - 1));
  ASSERT_TRUE(old_cp.ok());

  for (uint64_t index : {uint64_t{0}, uint64_t{1}, cp->size / 2, cp->size - 1}) {
    auto leaf =
        Call(api, http::verb::get, "/v1/transparency/leaves/" + std::to_string(index), admin_);
    ASSERT_EQ(leaf.result_int(), 200u);
    EXPECT_EQ(leaf[http::field::content_type], "application/octet-stream");
    auto leaf_json =
        Json(Call(api, http::verb::get,
                  "/v1/transparency/leaves/" + std::to_string(index) + "?format=json", admin_));
    EXPECT_EQ(*Base64Decode(leaf_json["leaf_data"].get<std::string>()), leaf.body());
    auto proof = Json(Call(api, http::verb::get,
                           "/v1/transparency/proof/inclusion?index=" + std::to_string(index) +
                               "&size=" + std::to_string(cp->size)));
    EXPECT_TRUE(VerifyInclusion(HashLeaf(leaf.body()), index, cp->size,
                                Hs(proof["inclusion_proof"]), cp->root)
                    .ok())
        << index;
  }
  auto consistency =
      Json(Call(api, http::verb::get,
                "/v1/transparency/proof/consistency?first=" + std::to_string(old_size) +
                    "&second=" + std::to_string(cp->size)));
  EXPECT_TRUE(VerifyConsistency(old_size, cp->size, Hs(consistency["consistency_proof"]),
                                old_cp->root, cp->root)
                  .ok());

  // Bad parameters and out of range: each with its status and error code.
  auto expect = [&](const std::string& target, unsigned status, const std::string& code) {
    auto r = Call(api, http::verb::get, target);
    EXPECT_EQ(r.result_int(), status) << target;
    auto j = Json(r);
    EXPECT_EQ(j["error"]["code"], code) << target << ": " << r.body();
    EXPECT_TRUE(j["error"]["message"].is_string() &&
                !j["error"]["message"].get<std::string>().empty())
        << target;
  };
  expect("/v1/transparency/proof/inclusion?index=abc", 400, "invalid_parameter");
  expect("/v1/transparency/proof/inclusion?size=3", 400, "invalid_parameter");  // no index
  expect("/v1/transparency/proof/inclusion?index=-1", 400, "invalid_parameter");
  expect("/v1/transparency/proof/inclusion?index=5&size=5", 422, "out_of_range");
  expect("/v1/transparency/proof/inclusion?index=1&size=99999999", 404, "out_of_range");
  expect("/v1/transparency/proof/consistency?first=9&second=3", 422, "out_of_range");
  expect("/v1/transparency/proof/consistency?first=1&second=99999999", 404, "out_of_range");
  expect("/v1/transparency/leaves/x", 400, "invalid_parameter");
  expect("/v1/transparency/leaves/99999999", 404, "not_found");
  expect("/v1/transparency/checkpoint?size=7", 404, "not_found");
  expect("/v1/transparency/checkpoint?size=07", 400, "invalid_parameter");
  EXPECT_EQ(Call(api, http::verb::post, "/v1/transparency/checkpoint").result_int(), 401u);
  EXPECT_EQ(Call(api, http::verb::post, "/v1/transparency/checkpoint", admin_).result_int(), 200u);
}

// The data of a leaf of a permit's history (here an application, with the
// applicant's pseudonym and sealed data) goes only to whoever may read the
// history; its hash and proof are public, and so are the leaves that the
// register and the verification answers show.
TEST_F(TransparencyTest, LeafDataOfAPermitsHistoryIsNotPublic) {
  auto ledger = Ledger::Open(Options(dir_));
  ASSERT_TRUE(ledger.ok());
  ApiGateway api(**ledger);
  const std::string officer = "extra-token";  // ptsp_officer of extra_kelurahan_
  std::string inside, outside;
  for (const auto& e : (*ledger)->queries().Register("", "", 500)) {
    const std::string number = e["permit_number"];
    std::string& slot = e["kelurahan"] == extra_kelurahan_ ? inside : outside;
    slot = number.substr(number.rfind('/') + 1);
  }
  ASSERT_FALSE(inside.empty());
  ASSERT_FALSE(outside.empty());
  const auto& [own, tracking_code] = tracking_;  // the applicant of `own`
  const std::string revoked = revoked_number_.substr(revoked_number_.rfind('/') + 1);
  const auto cp = VerifyCheckpoint(Call(api, http::verb::get, "/v1/transparency/checkpoint").body(),
                                   (*ledger)->transparency()->verifier_key());
  ASSERT_TRUE(cp.ok());
  int withheld = 0, shown = 0, pseudonymous = 0;
  // Each once: which permits are issued depends on the time of day the
  // demo ran, so the applicant's may be one of the others.
  for (const std::string& permit : std::set<std::string>{inside, outside, own, revoked}) {
    auto history = Json(Call(api, http::verb::get, "/v1/permits/" + permit + "/history", admin_));
    for (const auto& e : history["events"]) {
      const std::string leaf =
          "/v1/transparency/leaves/" + std::to_string(e["leaf_index"].get<uint64_t>());
      const bool is_public = e["type"] == "permit_issued" || e["type"] == "permit_revoked";
      auto anonymous = Call(api, http::verb::get, leaf);
      auto as_officer = Call(api, http::verb::get, leaf + "?format=json", officer);
      auto as_admin = Call(api, http::verb::get, leaf, admin_);
      auto as_applicant = Call(api, http::verb::get, leaf, tracking_code);
      ASSERT_EQ(as_admin.result_int(), 200u) << leaf;
      if (is_public) {
        ++shown;
        EXPECT_EQ(anonymous.result_int(), 200u) << leaf;
        EXPECT_EQ(anonymous.body(), as_admin.body());
        EXPECT_EQ(as_officer.result_int(), 200u) << leaf;
        continue;
      }
      ++withheld;
      // The applicant reads its own permit's leaves but for those holding its
      // pseudonym (the application): anyone may apply under a guessed NIK.
      const bool names_pseudonym =
          e["type"] == "application_submitted" || e["type"] == "personal_data_erased";
      EXPECT_EQ(as_applicant.result_int(), permit == own && !names_pseudonym ? 200u : 403u) << leaf;
      if (permit == own && names_pseudonym) {
        ++pseudonymous;
        EXPECT_EQ(Json(as_applicant)["error"]["code"], "role_not_permitted");
        auto applicant_proof = Json(Call(api, http::verb::get,
                                         "/v1/transparency/proof/inclusion?index=" +
                                             std::to_string(e["leaf_index"].get<uint64_t>()) +
                                             "&size=" + std::to_string(cp->size),
                                         tracking_code));
        EXPECT_TRUE(applicant_proof["leaf_data"].is_null());
        // What it would have shown: the pseudonym an officer sees.
        const std::string person_id = Json(
            Call(api, http::verb::get, "/v1/permits/" + own, admin_))["applicant"]["person_id"];
        EXPECT_NE(as_admin.body().find(person_id), std::string::npos);
      }
      EXPECT_EQ(anonymous.result_int(), 401u) << leaf;
      EXPECT_EQ(Json(anonymous)["error"]["code"], "unauthenticated");
      EXPECT_NE(Json(anonymous)["error"]["message"].get<std::string>().find("proof/inclusion"),
                std::string::npos);
      EXPECT_EQ(Call(api, http::verb::get, leaf + "?format=json").result_int(), 401u);
      if ((*ledger)->queries().Permit(permit)->kelurahan == extra_kelurahan_) {
        EXPECT_EQ(as_officer.result_int(), 200u) << leaf;
      } else {
        EXPECT_EQ(as_officer.result_int(), 403u) << leaf;
        EXPECT_EQ(Json(as_officer)["error"]["code"], "outside_jurisdiction");
      }
      // The proof: public, with the hash and without the data.
      auto proof = Json(Call(api, http::verb::get,
                             "/v1/transparency/proof/inclusion?index=" +
                                 std::to_string(e["leaf_index"].get<uint64_t>()) +
                                 "&size=" + std::to_string(cp->size)));
      EXPECT_TRUE(proof["leaf_data"].is_null());
      EXPECT_EQ(H(proof["leaf_hash"]), HashLeaf(as_admin.body()));
      EXPECT_TRUE(VerifyInclusion(H(proof["leaf_hash"]), e["leaf_index"].get<uint64_t>(), cp->size,
                                  Hs(proof["inclusion_proof"]), cp->root)
                      .ok());
    }
  }
  EXPECT_GE(shown, 3);  // the issuances, the revocation
  EXPECT_GE(withheld, 4);
  EXPECT_EQ(pseudonymous, 1);  // the application
  // The first leaves are the charter and the officers: public.
  EXPECT_EQ(Call(api, http::verb::get, "/v1/transparency/leaves/0").result_int(), 200u);
}

TEST_F(TransparencyTest, HistoryCarriesInclusionProofs) {
  auto ledger = Ledger::Open(Options(dir_));
  ASSERT_TRUE(ledger.ok());
  ApiGateway api(**ledger);
  const std::string permit = valid_number_.substr(valid_number_.rfind('/') + 1);
  auto r = Call(api, http::verb::get, "/v1/permits/" + permit + "/history", admin_);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  auto j = Json(r);
  const std::string vkey = (*ledger)->transparency()->verifier_key();
  auto cp = VerifyCheckpoint(j["checkpoint"]["note"].get<std::string>(), vkey);
  ASSERT_TRUE(cp.ok());
  ASSERT_FALSE(j["events"].empty());
  for (const auto& e : j["events"]) {
    const uint64_t leaf = e["leaf_index"];
    auto data =
        Call(api, http::verb::get, "/v1/transparency/leaves/" + std::to_string(leaf), admin_)
            .body();
    auto event = Decode(data);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->stream.str(), permit);
    EXPECT_EQ(event->seq, e["seq"].get<uint64_t>());
    EXPECT_TRUE(
        VerifyInclusion(HashLeaf(data), leaf, cp->size, Hs(e["inclusion_proof"]), cp->root).ok());
  }
}

TEST_F(TransparencyTest, VerifyPermitOfflineValidRevokedExpiredForged) {
  auto ledger = Ledger::Open(Options(dir_));
  ASSERT_TRUE(ledger.ok());
  ApiGateway api(**ledger);
  const std::string vkey = (*ledger)->transparency()->verifier_key();
  const std::string note = Call(api, http::verb::get, "/v1/transparency/checkpoint").body();

  auto valid = Json(Call(api, http::verb::get, "/v1/public/verify/" + Encoded(valid_number_)));
  ASSERT_TRUE(valid["verification"].is_object()) << valid.dump();
  auto code = ParseVerificationCode(valid["verification"]["code"].get<std::string>());
  ASSERT_TRUE(code);
  EXPECT_EQ(code->permit_number, valid_number_);
  PermitCheck c = *VerifyPermitOffline(vkey, note, valid, "2000-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kNotYetValid) << c.reason;  // the day asked is before it
  const std::string issued = c.valid_from;
  ASSERT_FALSE(issued.empty());
  c = *VerifyPermitOffline(vkey, note, valid, issued);
  EXPECT_EQ(c.verdict, PermitVerdict::kValid) << c.reason;
  // The code's own checkpoint is accepted too.
  c = *VerifyPermitOffline(vkey, valid["verification"]["checkpoint"].get<std::string>(), valid,
                           issued);
  EXPECT_EQ(c.verdict, PermitVerdict::kValid) << c.reason;
  EXPECT_EQ(VerifyPermitOffline(vkey, note, valid, c.valid_until)->verdict, PermitVerdict::kValid);
  EXPECT_EQ(VerifyPermitOffline(vkey, note, valid, "2999-01-01")->verdict, PermitVerdict::kExpired);

  auto revoked = Json(Call(api, http::verb::get, "/v1/public/verify/" + Encoded(revoked_number_)));
  ASSERT_TRUE(revoked["verification"].contains("revocation")) << revoked.dump();
  c = *VerifyPermitOffline(vkey, note, revoked, "2000-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kRevoked) << c.reason;
  // Dated as the API dates it: the day in Jakarta.
  EXPECT_TRUE(c.reason.starts_with("revoked on " + revoked["revoked_on"].get<std::string>() +
                                   " (Jakarta; "))
      << c.reason << " / " << revoked.dump();

  // A register row changed outside the ledger does not outweigh the
  // revocation the signed log proves.
  {
    rocksdb::DB* views = (*ledger)->engine().db();
    const std::string key = keys::RegisterEntry(revoked_number_);
    std::string row;
    ASSERT_TRUE(views->Get(rocksdb::ReadOptions(), key, &row).ok());
    auto altered = json::parse(row);
    altered["status"] = "issued";
    ASSERT_TRUE(views->Put(rocksdb::WriteOptions(), key, altered.dump()).ok());
    auto answer = Json(Call(api, http::verb::get, "/v1/public/verify/" + Encoded(revoked_number_)));
    EXPECT_EQ(answer["result"], "revoked") << answer.dump();
    ASSERT_TRUE(views->Put(rocksdb::WriteOptions(), key, row).ok());
  }

  // Forgeries.
  auto forged = valid;
  forged["permit_number"] = revoked_number_;
  EXPECT_EQ(VerifyPermitOffline(vkey, note, forged, "2000-01-01")->verdict,
            PermitVerdict::kNotGenuine);
  forged = valid;
  std::string data = *Base64Decode(forged["verification"]["leaf_data"].get<std::string>());
  data[data.size() - 3] ^= 1;
  forged["verification"]["leaf_data"] = Base64Encode(data);
  EXPECT_EQ(VerifyPermitOffline(vkey, note, forged, "2000-01-01")->verdict,
            PermitVerdict::kNotGenuine);
  forged = valid;
  forged["verification"]["inclusion_proof"][0] = Base64Encode(std::string(32, 'x'));
  EXPECT_EQ(VerifyPermitOffline(vkey, note, forged, "2000-01-01")->verdict,
            PermitVerdict::kNotGenuine);
  // A revoked permit's answer cut of its revocation still says revoked:
  // never taken as valid.
  forged = revoked;
  forged["verification"].erase("revocation");
  c = *VerifyPermitOffline(vkey, note, forged, "2000-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kCannotCheck) << c.reason;
  EXPECT_NE(c.reason.find("no proof of the revocation"), std::string::npos) << c.reason;
  forged["verification"]["leaf_index"] = valid["verification"]["leaf_index"];
  EXPECT_EQ(VerifyPermitOffline(vkey, note, forged, "2000-01-01")->verdict,
            PermitVerdict::kNotGenuine);
  std::array<uint8_t, 32> seed{};
  auto other = CheckpointSigner::FromSeed("test.example/log", seed);
  ASSERT_TRUE(other.ok());
  // The verifier's own key and checkpoint do not fit: nothing is said of
  // the permit.
  EXPECT_EQ(VerifyPermitOffline(other->verifier_key(), note, valid, "2000-01-01")->verdict,
            PermitVerdict::kCannotCheck);
  // A checkpoint given for the key is named as the key's fault.
  c = *VerifyPermitOffline(note, note, valid, "2000-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kCannotCheck);
  EXPECT_NE(c.reason.find("your key is not the log's verifier key"), std::string::npos) << c.reason;
  EXPECT_EQ(VerifyPermitOffline(vkey, "not a note", valid, "2000-01-01")->verdict,
            PermitVerdict::kCannotCheck);
  auto unknown = Json(Call(api, http::verb::get, "/v1/public/verify/IUMK%2FNOPE"));
  EXPECT_EQ(VerifyPermitOffline(vkey, note, unknown, "2000-01-01")->verdict,
            PermitVerdict::kNotGenuine);
  // An answer saved before a checkpoint covered the permit: not a forgery,
  // nothing to check yet.
  auto early = valid;
  early["verification"] = nullptr;
  c = *VerifyPermitOffline(vkey, note, early, "2000-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kCannotCheck);
  EXPECT_NE(c.reason.find("save the answer again"), std::string::npos) << c.reason;
  // A file that is no such answer: an error, and nothing said of a permit.
  for (const json& other : {json::object(), json::array(), json{{"error", {{"code", "x"}}}},
                            json{{"permit_number", 7}, {"result", "valid"}}}) {
    auto r = VerifyPermitOffline(vkey, note, other, "2000-01-01");
    ASSERT_FALSE(r.ok()) << other.dump();
    EXPECT_EQ(r.status().code(), "invalid_argument");
  }

  auto qr = Call(api, http::verb::get, "/v1/public/verify/" + Encoded(valid_number_) + "/qr");
  ASSERT_EQ(qr.result_int(), 200u);
  EXPECT_EQ(qr[http::field::content_type], "image/svg+xml");
  EXPECT_TRUE(qr.body().find("<svg") != std::string::npos);
  EXPECT_EQ(Call(api, http::verb::get, "/v1/public/verify/IUMK%2FNOPE/qr").result_int(), 404u);
}

// A checkpoint the verifier holds between the code's and the latest (the
// log grew between fetching it and the answer, or a witness's) is tied to
// the latest by the answer asked with ?held=.
TEST_F(TransparencyTest, VerifyPermitOfflineTiesAHeldCheckpointToTheLatest) {
  const fs::path copy = Copy("held");
  auto ledger = Ledger::Open(Options(copy));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  ApiGateway api(**ledger);
  const std::string vkey = (*ledger)->transparency()->verifier_key();
  auto grow = [&](const std::string& id) {
    Command enrol;
    enrol.id = CommandId("held-" + id);
    enrol.stream = kGovernanceStream;
    enrol.actor = {"admin", "admin", ""};
    enrol.action = EnrollOfficer{id, "Officer", "auditor", "", HashToken("token-" + id)};
    EXPECT_FALSE((*ledger)->ExecuteSync(std::move(enrol)).refusal);
    auto published = (*ledger)->transparency()->Publish();
    EXPECT_TRUE(published.ok() && *published);
    return published.ok() && *published ? (*published)->note : std::string();
  };
  const std::string held = grow("held-a");
  grow("held-b");
  const std::string target = "/v1/public/verify/" + Encoded(valid_number_);
  auto plain = Json(Call(api, http::verb::get, target));
  PermitCheck c = *VerifyPermitOffline(vkey, held, plain, "2999-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kCannotCheck) << c.reason;
  EXPECT_NE(c.reason.find("?held="), std::string::npos) << c.reason;
  const auto size = VerifyCheckpoint(held, vkey)->size;
  auto tied = Json(Call(api, http::verb::get, target + "?held=" + std::to_string(size)));
  ASSERT_EQ(tied["verification"]["held"]["tree_size"], size) << tied.dump();
  c = *VerifyPermitOffline(vkey, held, tied, "2999-01-01");
  EXPECT_EQ(c.verdict, PermitVerdict::kExpired) << c.reason;  // genuine; expired by 2999
  // A tie that does not hold is a forgery.
  auto forged = tied;
  forged["verification"]["held"]["consistency_proof"][0] = Base64Encode(std::string(32, 'x'));
  EXPECT_EQ(VerifyPermitOffline(vkey, held, forged, "2999-01-01")->verdict,
            PermitVerdict::kNotGenuine);
  EXPECT_EQ(Call(api, http::verb::get, target + "?held=0").result_int(), 400u);
  // A checkpoint held beyond the answer's latest: a log only grows, so the
  // answer flags it, and the offline check says what it may mean.
  auto beyond = Json(Call(api, http::verb::get, target + "?held=" + std::to_string(size + 1000)));
  EXPECT_EQ(beyond["verification"]["held"]["beyond_latest"], true) << beyond.dump();
  EXPECT_FALSE(beyond["verification"]["held"].contains("consistency_proof"));
  const std::string newer = grow("held-c");  // the answers `plain` and `tied` are older
  const auto newer_size = VerifyCheckpoint(newer, vkey)->size;
  // Saved without ?held=, or with it from a server whose latest is older
  // (flagged, with no proof).
  auto lagging = plain;
  lagging["verification"]["held"] = beyond["verification"]["held"];
  lagging["verification"]["held"]["tree_size"] = newer_size;
  for (const auto& answer : {plain, lagging}) {
    c = *VerifyPermitOffline(vkey, newer, answer, "2999-01-01");
    EXPECT_EQ(c.verdict, PermitVerdict::kCannotCheck) << c.reason;
    EXPECT_NE(c.reason.find("a log only grows"), std::string::npos) << c.reason;
    EXPECT_NE(c.reason.find("rolled back"), std::string::npos) << c.reason;
  }
  ledger->reset();
  fs::remove_all(copy);
}

TEST(VerificationCode, RoundTrips) {
  VerificationCode c{"IUMK/3174101002/2026/PDEMO100001", 41, 1200};
  const std::string text = FormatVerificationCode(c);
  EXPECT_EQ(text, "v1.SVVNSy8zMTc0MTAxMDAyLzIwMjYvUERFTU8xMDAwMDE.41.1200");
  EXPECT_EQ(ParseVerificationCode(text), c);
  EXPECT_FALSE(ParseVerificationCode("v1.SVVNSy8.41.41"));  // leaf not in the tree
  EXPECT_FALSE(ParseVerificationCode("v2.SVVNSy8.1.2"));
  EXPECT_FALSE(ParseVerificationCode("v1.SVVN+y8.1.2"));
  EXPECT_FALSE(ParseVerificationCode("v1.SVVNSy8.01.2"));
  // A number that is not text: bytes that are not UTF-8, a control character.
  EXPECT_FALSE(ParseVerificationCode("v1._w.1.2"));
  EXPECT_FALSE(ParseVerificationCode("v1.AAAA.1.2"));
  EXPECT_FALSE(ParseVerificationCode("v1.4oCu.1.2"));  // U+202E
}

// A permit's QR code holds a link a phone's camera opens (the dashboard
// answers ?verify=), and the link pasted anywhere a code is taken is read
// as its code.
TEST(VerificationCode, TheQrCodeHoldsALinkThatIsReadAsItsCode) {
  const std::string code = "v1.SVVNSy8zMTc0MTAxMDAyLzIwMjYvUERFTU8xMDAwMDE.41.1200";
  EXPECT_EQ(VerificationLink("https://izin.example.go.id/", "10.0.0.5:8080", code),
            "https://izin.example.go.id/?verify=" + code);
  EXPECT_EQ(VerificationLink("", "127.0.0.1:8080", code), "http://127.0.0.1:8080/?verify=" + code);
  EXPECT_EQ(VerificationLink("", "[::1]:8080", code), "http://[::1]:8080/?verify=" + code);
  EXPECT_EQ(VerificationLink("", "evil.example/x?y", code), code);  // no plain host: the code
  EXPECT_EQ(VerificationLink("", "", code), code);
  EXPECT_EQ(CodeOfLink("https://izin.example.go.id/?verify=" + code), code);
  EXPECT_EQ(CodeOfLink("http://h/?lang=en&verify=" + code + "#x"), code);
  EXPECT_EQ(CodeOfLink(code), code);
  EXPECT_EQ(CodeOfLink("IUMK/3174101002/2026/PDEMO100001"), "IUMK/3174101002/2026/PDEMO100001");
}

// A number pasted from a page or a document: its blanks dropped, the dashes
// a word processor makes of a hyphen read as the hyphen ("SPP-IRT").
TEST(VerificationCode, PastedNumbersLoseTheirBlanksAndKeepTheirHyphens) {
  EXPECT_EQ(DropBlanks(" SPP\u2011IRT /\u00a03174051003/2026/P1\u200b "),
            "SPP-IRT/3174051003/2026/P1");
  for (const char* dash :
       {"\u2010", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d", "-"})
    EXPECT_EQ(DropBlanks(std::string("SPP") + dash + "IRT"), "SPP-IRT") << dash;
  EXPECT_EQ(DropBlanks("IU\u00adMK"), "IUMK");  // a soft hyphen shows nothing
}

// ---- audit verify against a tampered copy -----------------------------------

std::string RecordKey(uint64_t offset) {
  std::string k = "r";
  for (int i = 3; i >= 0; --i) k.push_back(0);
  for (int i = 7; i >= 0; --i) k.push_back(static_cast<char>((offset >> (8 * i)) & 0xff));
  return k;
}

struct RawLog {
  explicit RawLog(const fs::path& dir) {
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(rocksdb::Options(), (dir / "log").string(), &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db.reset(raw);
  }
  std::string Get(uint64_t offset) {
    std::string v;
    EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), RecordKey(offset), &v).ok()) << offset;
    return v;
  }
  void Put(uint64_t offset, const std::string& v) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), RecordKey(offset), v).ok());
  }
  void Delete(uint64_t offset) {
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), RecordKey(offset)).ok());
  }
  // The event in a stored value: 4-byte key length, key, event bytes.
  static Envelope EventOf(const std::string& v) {
    size_t klen = (static_cast<uint8_t>(v[2]) << 8) | static_cast<uint8_t>(v[3]);
    return *Decode(std::string_view(v).substr(4 + klen));
  }
  static std::string ValueOf(const Envelope& e) {
    std::string key = e.stream.str();
    std::string v;
    for (int i = 3; i >= 0; --i) v.push_back(static_cast<char>((key.size() >> (8 * i)) & 0xff));
    return v + key + Encode(e);
  }
  std::unique_ptr<rocksdb::DB> db;
};

class AuditTamperTest : public TransparencyTest {
 protected:
  static AuditReport Audit(const fs::path& dir) {
    AuditOptions o;
    o.data_dir = dir.string();
    auto r = AuditVerify(o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : AuditReport{};
  }
  static bool Has(const AuditReport& r, const std::string& kind, const std::string& where_part) {
    for (const auto& p : r.problems)
      if (p.kind == kind && p.where.find(where_part) != std::string::npos) return true;
    return false;
  }
  static std::string Dump(const AuditReport& r) {
    std::ostringstream s;
    PrintAuditReport(r, s);
    return s.str();
  }
  static bool HasSaying(const AuditReport& r, const std::string& kind,
                        const std::string& where_part, const std::string& text) {
    for (const auto& p : r.problems)
      if (p.kind == kind && p.where.find(where_part) != std::string::npos &&
          p.message.find(text) != std::string::npos)
        return true;
    return false;
  }
  // "offset K leaf": where a problem at offset K is located.
  static std::string At(uint64_t k) { return "offset " + std::to_string(k) + " leaf"; }
  // Every event of the fixture's log, by offset.
  static std::vector<Envelope> Events(RawLog& log) {
    std::vector<Envelope> all;
    for (uint64_t off = 0; off < events_; ++off) all.push_back(RawLog::EventOf(log.Get(off)));
    return all;
  }
  static std::string KelurahanOf(const std::vector<Envelope>& all, const StreamId& stream) {
    for (const auto& e : all)
      if (const auto* s = std::get_if<ApplicationSubmitted>(&e.payload); s && e.stream == stream)
        return s->kelurahan;
    return "";
  }
  // Inserts a governance event at offset k of a log of `size` events,
  // shifting the rest; it and the governance events after it are numbered
  // in turn, as a forger would.
  static void InsertGovernance(RawLog& log, uint64_t k, uint64_t size, Envelope e) {
    uint64_t seq = 0;
    for (uint64_t off = 0; off < k; ++off)
      if (RawLog::EventOf(log.Get(off)).stream == kGovernanceStream) ++seq;
    for (uint64_t off = size; off-- > k;) {
      Envelope moved = RawLog::EventOf(log.Get(off));
      if (moved.stream == kGovernanceStream) {
        moved.seq += 1;
        moved.event_id = "governance/" + std::to_string(moved.seq);
      }
      log.Put(off + 1, RawLog::ValueOf(moved));
    }
    e.stream = kGovernanceStream;
    e.seq = seq + 1;
    e.event_id = "governance/" + std::to_string(e.seq);
    e.actor_id = e.actor_role = "admin";
    log.Put(k, RawLog::ValueOf(e));
  }
  // An offset in the middle of the log holding a permit event.
  static uint64_t MiddlePermitEvent(RawLog& log) {
    for (uint64_t off = events_ / 2;; ++off)
      if (RawLog::EventOf(log.Get(off)).stream != kGovernanceStream) return off;
  }
  // Changes the time of that event by a millisecond: it still decodes and
  // is still legal, only the hash tells. Returns its offset.
  static uint64_t ShiftMiddleEvent(const fs::path& copy) {
    RawLog log(copy);
    const uint64_t k = MiddlePermitEvent(log);
    Envelope e = RawLog::EventOf(log.Get(k));
    e.time_ms += 1;
    log.Put(k, RawLog::ValueOf(e));
    return k;
  }
};

TEST_F(AuditTamperTest, PristineLogPasses) {
  auto r = Audit(dir_);
  EXPECT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r.events, events_);
  EXPECT_GE(r.checkpoints_verified, 2u);
  EXPECT_EQ(r.checkpoints_verified, r.checkpoints);
  EXPECT_EQ(r.views_compared, events_);
}

// The offline tools read the views as the ledger left them: a replay
// compares up to their checkpoint and tells of the events past it without
// applying them; a trail is the log's: none is exported while the permit
// has events past the views, nor when the view store's copy of an event
// differs from the log.
TEST_F(AuditTamperTest, OfflineToolsReadTheViewsAsTheyAreAndTrailsAreTheLogs) {
  fs::path copy = Copy("offline");
  StreamId stream;
  uint64_t seq = 0;
  {
    RawLog log(copy);
    const uint64_t k = MiddlePermitEvent(log);
    const Envelope e = RawLog::EventOf(log.Get(k));
    stream = e.stream;
    seq = e.seq;
    log.Put(events_, log.Get(k));  // a record past the views
  }
  auto digest = [&] {
    rocksdb::DB* raw = nullptr;
    EXPECT_TRUE(
        rocksdb::DB::OpenForReadOnly(rocksdb::Options(), (copy / "views").string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    return db ? ProjectionEngine::Digest(db.get()) : std::string();
  };
  const std::string before = digest();
  auto r = ReplayViews(LedgerOptions::At(copy.string()), (copy / "views.replay").string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->identical());
  EXPECT_EQ(r->events, events_);
  EXPECT_EQ(r->log_ahead, 1u);
  EXPECT_EQ(digest(), before) << "the replay changed the views it compares with";

  std::ostringstream trail;
  Status behind = ExportTrail(copy.string(), stream.str(), "jsonl", trail);
  EXPECT_EQ(behind.code(), "views_behind") << behind.ToString();
  EXPECT_NE(behind.message().find(stream.str() + "/" + std::to_string(seq) + " is among them"),
            std::string::npos)
      << behind.message();
  EXPECT_TRUE(trail.str().empty()) << trail.str();
  RawLog(copy).Delete(events_);
  ASSERT_TRUE(ExportTrail(copy.string(), stream.str(), "jsonl", trail).ok());
  std::istringstream lines(trail.str());
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n)
    EXPECT_TRUE(nlohmann::json::parse(line)["leaf_hash"].is_string()) << line;
  EXPECT_GE(n, seq);

  {  // The views' copy of one event changed behind the ledger's back.
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), (copy / "views").string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    // Its leaf data, in the pack of 16 leaves that holds it.
    std::string entry, pack;
    ASSERT_TRUE(
        db->Get(rocksdb::ReadOptions(), TransparencyProjection::EventKey(stream, seq), &entry)
            .ok());
    auto at = TransparencyProjection::ParseEventEntry(entry);
    ASSERT_TRUE(at.has_value());
    const std::string key = TransparencyProjection::LeavesKey(at->leaf);
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), key, &pack).ok()) << key;
    std::string changed;
    for (size_t i = 0, pos = 0; pos < pack.size(); ++i) {
      const size_t len = LoadBigEndian32(reinterpret_cast<const unsigned char*>(&pack[pos]));
      std::string data = pack.substr(pos + 4, len);
      pos += 4 + len;
      if (i == at->leaf % TransparencyProjection::kLeavesPerKey) {
        auto e = Decode(data);
        ASSERT_TRUE(e.ok());
        e->time_ms += 1;
        data = Encode(*e);
      }
      AppendBigEndian32(changed, static_cast<uint32_t>(data.size()));
      changed += data;
    }
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, changed).ok());
  }
  std::ostringstream forged;
  Status s = ExportTrail(copy.string(), stream.str(), "jsonl", forged);
  EXPECT_EQ(s.code(), "views_differ") << s.ToString();
  EXPECT_NE(s.message().find(stream.str() + "/" + std::to_string(seq)), std::string::npos)
      << s.message();
  EXPECT_TRUE(forged.str().empty()) << "a part of the trail was written: " << forged.str();
  {  // And an event taken out of the views' list.
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), (copy / "views").string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(
        db->Delete(rocksdb::WriteOptions(), TransparencyProjection::EventKey(stream, 1)).ok());
  }
  s = ExportTrail(copy.string(), stream.str(), "csv", forged);
  EXPECT_EQ(s.code(), "views_differ") << s.ToString();
  EXPECT_TRUE(forged.str().empty()) << forged.str();

  // No views: a replay rebuilds them all (the log as it was), compares
  // nothing, and makes none.
  fs::remove_all(copy / "views");
  r = ReplayViews(LedgerOptions::At(copy.string()), (copy / "views.replay").string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->no_live_views);
  EXPECT_FALSE(r->identical());
  EXPECT_EQ(r->events, events_);
  EXPECT_FALSE(fs::exists(copy / "views"));
  EXPECT_EQ(ExportTrail(copy.string(), stream.str(), "jsonl", forged).code(), "views_unavailable");
  fs::remove_all(copy);
}

// Views cut short (a crash, or views/ damaged: RocksDB recovers them to an
// earlier point) are behind the log: audit verify checks the view store's
// proofs as far as its tree reaches and says why it stops there; a trail
// that would miss events is refused, one that misses none is exported.
TEST_F(AuditTamperTest, ViewsBehindTheLogAreNamedAndTheirTrailsRefused) {
  fs::path copy = Copy("behind");
  fs::remove_all(copy / "views");
  const uint64_t half = events_ / 2;
  StreamId early, late;  // a permit wholly before `half`, one with events past it
  {
    RawLog log(copy);
    std::map<StreamId, uint64_t> last;
    for (uint64_t off = 0; off < events_; ++off) {
      Envelope e = RawLog::EventOf(log.Get(off));
      if (e.stream != kGovernanceStream) last[e.stream] = off;
    }
    for (const auto& [stream, off] : last) (off < half ? early : late) = stream;
  }
  ASSERT_FALSE(early.str().empty());
  ASSERT_FALSE(late.str().empty());
  {
    auto log = EmbeddedLog::Open({(copy / "log").string(), 1, false});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    auto engine = ProjectionEngine::Open(**log, AllProjections(), {(copy / "views").string()});
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    const std::vector<uint64_t> until{half};
    ASSERT_TRUE((*engine)->CatchUp(&until).ok());
  }
  auto r = Audit(copy);
  EXPECT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r.events, events_);
  ASSERT_TRUE(r.view_leaves_behind.has_value()) << Dump(r);
  EXPECT_EQ(*r.view_leaves_behind, half);
  EXPECT_NE(Dump(r).find("the view store holds " + std::to_string(half) + " of the log's"),
            std::string::npos)
      << Dump(r);
  std::ostringstream trail;
  Status s = ExportTrail(copy.string(), late.str(), "csv", trail);
  EXPECT_EQ(s.code(), "views_behind") << s.ToString();
  EXPECT_TRUE(trail.str().empty()) << trail.str();
  s = ExportTrail(copy.string(), early.str(), "csv", trail);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(trail.str().find(early.str() + "/1"), std::string::npos) << trail.str();
  // The pristine store is not behind.
  EXPECT_FALSE(Audit(dir_).view_leaves_behind.has_value());
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, ChangedEventBytes) {
  fs::path copy = Copy("changed");
  const uint64_t k = ShiftMiddleEvent(copy);
  auto r = Audit(copy);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "leaf_differs", "offset " + std::to_string(k) + " leaf " + std::to_string(k)))
      << Dump(r);
  EXPECT_TRUE(Has(r, "checkpoint_root", "checkpoint")) << Dump(r);
  fs::remove_all(copy);

  copy = Copy("garbled");
  std::string stream;
  {
    RawLog log(copy);
    std::string v = log.Get(k);
    stream = RawLog::EventOf(v).stream.str();
    log.Put(k, v.substr(0, v.size() / 2));
  }
  r = Audit(copy);
  // Located, and the permit named from the record's key.
  EXPECT_TRUE(
      Has(r, "corrupt_event",
          "offset " + std::to_string(k) + " leaf " + std::to_string(k) + " stream " + stream))
      << Dump(r);
  fs::remove_all(copy);
}

// A text that this version's personal-data check reads as personal data
// (as a log written under an older check may hold) is a note to review, not
// a broken rule: the workflow's rules held when the ledger took it.
TEST_F(AuditTamperTest, ATextTheCheckReadsAsPersonalDataIsANoteNotAProblem) {
  fs::path copy = Copy("text-note");
  uint64_t k = 0;
  {
    RawLog log(copy);
    auto all = Events(log);
    for (; k < all.size() && !std::holds_alternative<PermitRevoked>(all[k].payload); ++k) {
    }
    ASSERT_LT(k, all.size());
    std::get<PermitRevoked>(all[k].payload).reason = "pemilik pindah, hubungi 0812;3456;7890";
    log.Put(k, RawLog::ValueOf(all[k]));
  }
  auto r = Audit(copy);
  EXPECT_FALSE(Has(r, "personal_data_in_text", At(k))) << Dump(r);
  ASSERT_EQ(r.text_note_count, 1u) << Dump(r);
  EXPECT_NE(r.text_notes[0].where.find(At(k)), std::string::npos);
  EXPECT_NE(Dump(r).find("review them"), std::string::npos) << Dump(r);
  EXPECT_TRUE(Has(r, "leaf_differs", At(k))) << "the bytes changed all the same: " << Dump(r);
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, DroppedEvent) {
  fs::path copy = Copy("dropped");
  uint64_t k;
  std::string stream;
  {
    RawLog log(copy);
    k = MiddlePermitEvent(log);
    stream = RawLog::EventOf(log.Get(k)).stream.str();
    log.Delete(k);
  }
  auto r = Audit(copy);
  EXPECT_TRUE(Has(r, "offset_gap", "offset " + std::to_string(k + 1))) << Dump(r);
  EXPECT_TRUE(Has(r, "leaf_differs", "leaf " + std::to_string(k))) << Dump(r);
  EXPECT_TRUE(Has(r, "checkpoint_beyond_log", "checkpoint")) << Dump(r);
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, ReorderedEvents) {
  fs::path copy = Copy("reordered");
  uint64_t k;
  {
    RawLog log(copy);
    k = MiddlePermitEvent(log);
    std::string a = log.Get(k), b = log.Get(k + 1);
    log.Put(k, b);
    log.Put(k + 1, a);
  }
  auto r = Audit(copy);
  EXPECT_TRUE(Has(r, "leaf_differs", "offset " + std::to_string(k) + " leaf " + std::to_string(k)))
      << Dump(r);
  EXPECT_TRUE(Has(r, "checkpoint_root", "checkpoint")) << Dump(r);
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, InsertedEvent) {
  fs::path copy = Copy("inserted");
  uint64_t k;
  {
    RawLog log(copy);
    k = MiddlePermitEvent(log);
    Envelope victim = RawLog::EventOf(log.Get(k));
    for (uint64_t off = events_; off-- > k;) log.Put(off + 1, log.Get(off));
    // A permit issued out of turn by a role the charter does not allow.
    Envelope forged = victim;
    forged.actor_id = "ptsp-bintaro";
    forged.actor_role = "ptsp_officer";
    forged.payload =
        PermitIssued{"IUMK/FORGED/2026/" + victim.stream.str(), "2026-01-01", "2031-01-01"};
    log.Put(k, RawLog::ValueOf(forged));
  }
  auto r = Audit(copy);
  const std::string at = "offset " + std::to_string(k) + " leaf " + std::to_string(k);
  EXPECT_TRUE(Has(r, "leaf_differs", at)) << Dump(r);
  // The decider's first refusal: the officer works elsewhere, the role may
  // not issue, or (forged before the permit's first event) there is no
  // application yet.
  EXPECT_TRUE(Has(r, "outside_jurisdiction", at) || Has(r, "role_not_permitted", at) ||
              Has(r, "unknown_permit", at))
      << Dump(r);
  EXPECT_TRUE(Has(r, "seq_repeated", at) ||
              Has(r, "seq_repeated", "offset " + std::to_string(k + 1)))
      << Dump(r);
  EXPECT_TRUE(Has(r, "checkpoint_root", "checkpoint")) << Dump(r);
  fs::remove_all(copy);

  // Appended after the last checkpoint: the tree still extends every
  // checkpoint, but the domain rules catch it.
  copy = Copy("appended");
  {
    RawLog log(copy);
    Envelope e = RawLog::EventOf(log.Get(MiddlePermitEvent(log)));
    e.seq = 1;  // a second submission of an existing stream, by the administrator
    e.actor_id = "admin";
    e.actor_role = "admin";
    ApplicationSubmitted a;
    a.kelurahan = "31.74.10.1001";
    a.business = {"Forged", "56103", "warung", 1, 1, 1, "owned"};
    e.payload = a;
    log.Put(events_, RawLog::ValueOf(e));
  }
  r = Audit(copy);
  const std::string end = "offset " + std::to_string(events_);
  EXPECT_TRUE(Has(r, "seq_repeated", end)) << Dump(r);
  // The decider's first refusal: the permit exists.
  EXPECT_TRUE(Has(r, "already_exists", end)) << Dump(r);
  EXPECT_FALSE(Has(r, "checkpoint_root", "checkpoint")) << Dump(r);
  fs::remove_all(copy);
}

// ---- audit verify applies the decider's own rules to every event -----------
// Each log below is re-signed by the forger or not under a kept checkpoint
// yet: the tree alone would not tell.

TEST_F(AuditTamperTest, ASurveyTeamOfAnUnknownOfficerOrOneOfAnotherKelurahan) {
  fs::path copy = Copy("team");
  std::vector<uint64_t> at;
  {
    RawLog log(copy);
    auto all = Events(log);
    std::map<std::string, std::string> officers;  // id -> jurisdiction (kelurahan roles)
    for (const auto& e : all)
      if (const auto* o = std::get_if<OfficerEnrolled>(&e.payload);
          o && o->jurisdiction.size() > std::string("31.74.10").size())
        officers[o->officer_id] = o->jurisdiction;
    for (uint64_t k = 0; k < all.size() && at.size() < 2; ++k) {
      const auto* s = std::get_if<SurveyScheduled>(&all[k].payload);
      if (!s) continue;
      Envelope e = all[k];
      std::string team = "ghost-officer";
      if (!at.empty()) {
        const std::string kel = KelurahanOf(all, e.stream);
        for (const auto& [id, j] : officers)
          if (j != kel) team = id;
      }
      e.payload = SurveyScheduled{s->date, {team}};
      log.Put(k, RawLog::ValueOf(e));
      at.push_back(k);
    }
  }
  ASSERT_EQ(at.size(), 2u);
  auto r = Audit(copy);
  EXPECT_TRUE(HasSaying(r, "unknown_officer", At(at[0]), "ghost-officer")) << Dump(r);
  EXPECT_TRUE(Has(r, "team_outside_jurisdiction", At(at[1]))) << Dump(r);
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, ARecommendationAfterASurveyThatFoundTheZoningNonCompliant) {
  fs::path copy = Copy("zoning");
  uint64_t rec = 0;
  {
    RawLog log(copy);
    auto all = Events(log);
    for (uint64_t k = 0; k < all.size() && !rec; ++k) {
      if (!std::holds_alternative<Recommended>(all[k].payload)) continue;
      for (uint64_t j = k; j-- > 0;)
        if (const auto* s = std::get_if<SurveyRecorded>(&all[j].payload);
            s && all[j].stream == all[k].stream) {
          Envelope e = all[j];
          e.payload = SurveyRecorded{false, s->notes};
          log.Put(j, RawLog::ValueOf(e));
          rec = k;
          break;
        }
    }
  }
  ASSERT_NE(rec, 0u);
  auto r = Audit(copy);
  EXPECT_TRUE(Has(r, "zoning_non_compliant", At(rec))) << Dump(r);
  fs::remove_all(copy);
}

// An order erased the person through another of their applications while
// this one was open: the command processor refuses to issue it (the vault
// destroyed its key too), and the auditor catches a log where it was issued.
TEST_F(AuditTamperTest, AnIssuanceAfterAnOrderErasedThePersonThroughAnotherApplication) {
  fs::path copy = Copy("erased-elsewhere");
  uint64_t issued = 0;
  {
    RawLog log(copy);
    auto all = Events(log);
    for (uint64_t k = 0; k < all.size() && !issued; ++k) {
      if (!std::holds_alternative<PermitIssued>(all[k].payload)) continue;
      const ApplicationSubmitted* submitted = nullptr;
      int64_t submitted_ms = 0;
      for (const auto& e : all)
        if (const auto* s = std::get_if<ApplicationSubmitted>(&e.payload);
            s && e.stream == all[k].stream) {
          submitted = s;
          submitted_ms = e.time_ms;
        }
      ASSERT_NE(submitted, nullptr);
      // Another permit's event between the two becomes the order's erasure.
      for (uint64_t j = k; j-- > 0;) {
        if (all[j].time_ms < submitted_ms) break;
        if (all[j].stream == all[k].stream || all[j].stream == kGovernanceStream) continue;
        Envelope e = all[j];
        e.payload = PersonalDataErased{submitted->applicant.person_id, "Putusan PN 1/2026",
                                       PersonalDataErased::kPerson};
        e.actor_id = e.actor_role = "admin";
        log.Put(j, RawLog::ValueOf(e));
        issued = k;
        break;
      }
    }
  }
  ASSERT_NE(issued, 0u);
  auto r = Audit(copy);
  EXPECT_TRUE(HasSaying(r, "personal_data_erased", At(issued), "permit_issued")) << Dump(r);
  fs::remove_all(copy);
}

// The vault against the log's erasures: an erasure carried out passes; a
// copy of DATA/keys older than it brings its key back; a key removed, or
// marked destroyed with no erasure on the log, is named with its permit.
TEST_F(AuditTamperTest, TheVaultHoldsEveryKeyButThoseTheLogErased) {
  fs::path copy = Copy("vault");
  const fs::path before = NewDir("vault-keys-before");
  fs::copy(copy / "keys", before, fs::copy_options::recursive);
  std::vector<std::pair<std::string, VaultKey>> applications;  // permit, its key
  std::string erased;
  std::vector<std::string> submitted;
  {
    RawLog log(copy);
    for (const auto& e : Events(log))
      if (std::holds_alternative<ApplicationSubmitted>(e.payload))
        submitted.push_back(e.stream.str());
  }
  {
    auto ledger = Ledger::Open(Options(copy));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    for (const auto& id : submitted) {
      auto state = (*ledger)->queries().Permit(id);
      ASSERT_TRUE(state);
      if (!state->personal_erased && !state->applicant.ciphertext.empty())
        applications.emplace_back(id, PersonalVault::KeyOf(state->applicant));
    }
    ASSERT_GE(applications.size(), 3u);
    // A person erased by order between two applications of theirs: the
    // first's key destroyed, the second's (sealed after) kept.
    auto submit = [&](const std::string& id) {
      Command c;
      c.id = CommandId("test-submit-" + id);
      c.stream = StreamId(id);
      c.actor = {"applicant", "applicant", id};
      SubmitApplication a;
      a.kelurahan = "31.74.10.1002";
      a.personal = {"3174010101910077", "Rina Wati", "Jl. Kenanga 2", "", "", ""};
      a.business = {"Toko Rina", "47111", "toko", 1000000, 2000000, 1, "leased"};
      a.documents = {"form"};
      a.tracking_hash = HashToken("tracking-" + id);
      c.action = a;
      auto o = (*ledger)->ExecuteSync(std::move(c));
      EXPECT_TRUE(o.error.ok() && !o.refusal)
          << id << ": " << o.error.ToString() << (o.refusal ? o.refusal->message : "");
    };
    submit("PVAULTBEFORE");
    Command order;
    order.id = CommandId("test-erase-person");
    order.stream = StreamId("PVAULTBEFORE");
    order.actor = {"admin", "admin", ""};
    order.action = ErasePersonalData{"Putusan PN Jaksel 2/2026"};
    auto ordered = (*ledger)->ExecuteSync(std::move(order));
    ASSERT_FALSE(ordered.refusal) << ordered.refusal->message;
    submit("PVAULTAFTER");
    erased = applications[0].first;
    Command erase;
    erase.id = CommandId("test-erase-order");
    erase.stream = StreamId(erased);
    erase.actor = {"admin", "admin", ""};
    erase.action = ErasePersonalData{"Putusan PN Jaksel 1/2026"};
    auto o = (*ledger)->ExecuteSync(std::move(erase));
    ASSERT_FALSE(o.refusal) << o.refusal->message;
  }
  auto carried_out = Audit(copy);
  EXPECT_TRUE(carried_out.ok()) << Dump(carried_out);
  EXPECT_GE(carried_out.vault_keys_checked, applications.size());

  // The keys as they were before the erasure, restored.
  fs::remove_all(copy / "keys");
  fs::copy(before, copy / "keys", fs::copy_options::recursive);
  auto restored = Audit(copy);
  EXPECT_TRUE(HasSaying(restored, "vault_key_not_destroyed", erased, applications[0].second.key_id))
      << Dump(restored);

  {
    auto vault = PersonalVault::Open((copy / "keys").string());
    ASSERT_TRUE(vault.ok()) << vault.status().ToString();
    const VaultKey& destroyed = applications[1].second;
    ASSERT_TRUE((*vault)->EraseKey(destroyed.person_id, destroyed.key_id).ok());
  }
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), (copy / "keys").string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    const VaultKey& lost = applications[2].second;
    // The store's key of a person's key: "k/<person>/<key id>".
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    size_t deleted = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next())
      if (it->key().starts_with("k/") && it->key().ToStringView().ends_with(lost.key_id) &&
          it->key().ToStringView().find(lost.person_id) != std::string_view::npos)
        deleted += db->Delete(rocksdb::WriteOptions(), it->key()).ok();
    ASSERT_EQ(deleted, 1u);
  }
  {
    // The ledger counts them at start (for /metrics), and starts.
    auto ledger = Ledger::Open(Options(copy));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    EXPECT_EQ((*ledger)->keys_missing(), 2u);  // the application deleted, and PVAULTAFTER
  }
  auto tampered = Audit(copy);
  EXPECT_TRUE(HasSaying(tampered, "vault_key_destroyed", applications[1].first,
                        "no erasure on the log ordered it"))
      << Dump(tampered);
  EXPECT_TRUE(HasSaying(tampered, "vault_key_missing", applications[2].first,
                        applications[2].second.key_id))
      << Dump(tampered);
  // The application made after the copy of the keys: its key is missing.
  EXPECT_TRUE(HasSaying(tampered, "vault_key_missing", "PVAULTAFTER", "no erasure"))
      << Dump(tampered);
  EXPECT_EQ(tampered.problem_count, 4u) << Dump(tampered);
  fs::remove_all(copy);
  fs::remove_all(before);
}

TEST_F(AuditTamperTest, AnIssuanceWithAnotherPermitsNumberOrAValidityNotTheCharters) {
  fs::path copy = Copy("issued");
  std::vector<uint64_t> at;
  std::string stream;
  {
    RawLog log(copy);
    auto all = Events(log);
    std::string first_number;
    for (uint64_t k = 0; k < all.size() && at.size() < 2; ++k) {
      const auto* p = std::get_if<PermitIssued>(&all[k].payload);
      if (!p) continue;
      Envelope e = all[k];
      PermitIssued forged = *p;
      if (at.empty()) {
        forged.valid_until = "2099-12-31";
        first_number = p->permit_number;
      } else {
        forged.permit_number = first_number;
        stream = e.stream.str();
      }
      e.payload = forged;
      log.Put(k, RawLog::ValueOf(e));
      at.push_back(k);
    }
  }
  ASSERT_EQ(at.size(), 2u);
  auto r = Audit(copy);
  EXPECT_TRUE(HasSaying(r, "event_differs", At(at[0]), "valid_until is \"2099-12-31\" in the log"))
      << Dump(r);
  EXPECT_TRUE(HasSaying(r, "duplicate_permit_number",
                        At(at[1]) + " " + std::to_string(at[1]) + " stream " + stream,
                        "issued already, at partition 0 " + At(at[0])))
      << Dump(r);
  EXPECT_TRUE(HasSaying(r, "event_differs", At(at[1]), "permit_number")) << Dump(r);
  fs::remove_all(copy);
}

// The charter in force when the log ends (the fixture's last adoption).
static json LastCharter(const std::vector<Envelope>& all) {
  json c;
  for (const auto& e : all)
    if (const auto* a = std::get_if<CharterAdopted>(&e.payload)) c = json::parse(a->charter_json);
  return c;
}

TEST_F(AuditTamperTest, ACharterVersionThatSkipsVersions) {
  fs::path copy = Copy("skipped-version");
  {
    RawLog log(copy);
    auto all = Events(log);
    json c = LastCharter(all);
    const int v = c["charter_version"].get<int>() + 6;
    c["charter_version"] = v;
    Envelope e = all.back();
    e.command_id = CommandId("forged-charter");
    e.time_ms += 1000;
    e.payload = CharterAdopted{static_cast<uint32_t>(v), c.dump()};
    InsertGovernance(log, events_, events_, e);
  }
  auto r = Audit(copy);
  EXPECT_TRUE(HasSaying(r, "invalid_charter", At(events_), "skips versions")) << Dump(r);
  fs::remove_all(copy);
}

// The charter is the root cause: its permits' later events are summarised.
TEST_F(AuditTamperTest, ACharterThatDropsAKelurahanIsReportedOnceWithItsFollowOns) {
  fs::path copy = Copy("dropped-kelurahan");
  uint64_t k;
  std::string dropped;
  {
    RawLog log(copy);
    auto all = Events(log);
    // Just before the last application: it names the kelurahan dropped.
    k = 0;
    for (uint64_t off = 0; off < all.size(); ++off)
      if (const auto* a = std::get_if<ApplicationSubmitted>(&all[off].payload)) {
        k = off;
        dropped = a->kelurahan;
      }
    ASSERT_NE(k, 0u);
    json c = LastCharter(all);
    json kept = json::array();
    for (const auto& kel : c["kelurahan"])
      if (kel["code"] != dropped) kept.push_back(kel);
    c["kelurahan"] = kept;
    const int v = c["charter_version"].get<int>() + 1;
    c["charter_version"] = v;
    Envelope e = all[k];
    e.command_id = CommandId("forged-charter");
    e.payload = CharterAdopted{static_cast<uint32_t>(v), c.dump()};
    InsertGovernance(log, k, events_, e);
  }
  auto r = Audit(copy);
  EXPECT_TRUE(Has(r, "kelurahan_removed", At(k)) || Has(r, "invalid_charter", At(k))) << Dump(r);
  EXPECT_TRUE(HasSaying(r, "follow_on", At(k), "kelurahan " + dropped)) << Dump(r);
  for (const auto& p : r.problems)
    EXPECT_TRUE(p.kind == "kelurahan_removed" || p.kind == "invalid_charter" ||
                p.kind == "follow_on" || p.kind == "leaf_differs" ||
                p.kind.starts_with("checkpoint"))
        << p.kind << " at " << p.where << ": " << p.message;
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, AnIssuanceBackdatedBeforeItsApplication) {
  fs::path copy = Copy("backdated");
  uint64_t at = 0;
  {
    RawLog log(copy);
    auto all = Events(log);
    for (uint64_t k = 0; k < all.size() && !at; ++k) {
      if (!std::holds_alternative<PermitIssued>(all[k].payload)) continue;
      for (const auto& s : all)
        if (s.stream == all[k].stream && s.seq == 1) {
          Envelope e = all[k];
          e.time_ms = s.time_ms - 400LL * 24 * 3600 * 1000;
          log.Put(k, RawLog::ValueOf(e));
          at = k;
          break;
        }
    }
  }
  ASSERT_NE(at, 0u);
  auto r = Audit(copy);
  EXPECT_TRUE(Has(r, "time_before_history", At(at))) << Dump(r);
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, AnActionByARetiredOfficerOrOneNeverEnrolled) {
  fs::path copy = Copy("retired");
  uint64_t k = 0;
  std::string officer;
  {
    RawLog log(copy);
    auto all = Events(log);
    for (uint64_t off = all.size(); off-- > 0;)
      if (all[off].stream != kGovernanceStream && all[off].actor_role != "applicant" &&
          all[off].actor_role != "admin" &&
          !std::holds_alternative<ApplicationSubmitted>(all[off].payload)) {
        k = off;
        officer = all[off].actor_id;
        break;
      }
    ASSERT_NE(k, 0u);
    Envelope e = all[k];
    e.command_id = CommandId("forged-retirement");
    e.time_ms -= 1000;
    e.payload = OfficerRetired{officer, "moved post"};
    InsertGovernance(log, k, events_, e);
    // And an event by somebody never enrolled.
    for (uint64_t off = events_ / 2;; ++off) {
      Envelope stranger = RawLog::EventOf(log.Get(off));
      if (stranger.stream == kGovernanceStream || stranger.actor_role == "applicant" ||
          stranger.actor_role == "admin")
        continue;
      stranger.actor_id = "mallory";
      log.Put(off, RawLog::ValueOf(stranger));
      break;
    }
  }
  auto r = Audit(copy);
  EXPECT_TRUE(HasSaying(r, "officer_retired", At(k + 1), "\"" + officer + "\" (")) << Dump(r);
  EXPECT_TRUE(HasSaying(r, "officer_retired", At(k + 1), "by governance event seq")) << Dump(r);
  EXPECT_FALSE(Has(r, "officer_not_enrolled", At(k + 1))) << Dump(r);
  EXPECT_TRUE(HasSaying(r, "unknown_officer", "", "\"mallory\"")) << Dump(r);
  fs::remove_all(copy);
}

// The server never serves, or signs over, a log that contradicts its own
// signed checkpoints, never cuts off signed checkpoints behind a damaged
// one, and never replaces a lost signing key by itself.
TEST_F(AuditTamperTest, TheLedgerRefusesToStartOnWhatContradictsItsCheckpoints) {
  auto refused = [](const fs::path& dir) {
    auto l = Ledger::Open(Options(dir));
    return l.ok() ? std::string("started") : l.status().code() + ": " + l.status().message();
  };
  {  // The log lost its tail (an older backup restored), the views rebuilt.
    fs::path copy = Copy("rolled-back");
    {
      RawLog log(copy);
      for (uint64_t off = events_ - 3; off < events_; ++off) log.Delete(off);
    }
    fs::remove_all(copy / "views");
    fs::remove_all(copy / "state");
    const std::string why = refused(copy);
    EXPECT_TRUE(why.starts_with("log_inconsistent")) << why;
    EXPECT_NE(why.find("lost events"), std::string::npos) << why;
    fs::remove_all(copy);
  }
  {  // An event changed, the views rebuilt: same size, another root.
    fs::path copy = Copy("rewritten");
    ShiftMiddleEvent(copy);
    fs::remove_all(copy / "views");
    const std::string why = refused(copy);
    EXPECT_TRUE(why.starts_with("log_inconsistent")) << why;
    EXPECT_NE(why.find("history was changed"), std::string::npos) << why;
    fs::remove_all(copy);
  }
  {  // The signing key lost.
    fs::path copy = Copy("no-key");
    fs::remove(copy / "transparency.key");
    const std::string why = refused(copy);
    EXPECT_TRUE(why.starts_with("checkpoint_key_missing")) << why;
    EXPECT_FALSE(fs::exists(copy / "transparency.key")) << "no new key was made";
    fs::remove_all(copy);
  }
  {  // A damaged length in the middle of the checkpoint file.
    fs::path copy = Copy("damaged");
    const std::string file = CheckpointLog::FilePath((copy / "checkpoints").string());
    std::string all;
    {
      std::ifstream in(file, std::ios::binary);
      all.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto records = CheckpointLog::ReadFile(file);
    ASSERT_TRUE(records.ok());
    ASSERT_GE(records->records.size(), 2u);
    const size_t sp = all.find(' ');  // the first record's header: "<size> <length>\n"
    all.replace(sp + 1, all.find('\n') - sp - 1, "99999");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << all;
    const std::string why = refused(copy);
    EXPECT_TRUE(why.starts_with("checkpoint_store")) << why;
    EXPECT_NE(why.find("corrupt"), std::string::npos) << why;
    EXPECT_EQ(fs::file_size(file), all.size()) << "no signed checkpoint was cut off";
    fs::remove_all(copy);
  }
  // And the pristine copy starts.
  fs::path copy = Copy("pristine");
  EXPECT_EQ(refused(copy), "started");
  fs::remove_all(copy);
}

// A log changed together with its checkpoint file passes every check the
// data directory alone allows: the report says nothing vouches for it, and
// the checkpoints the auditor kept catch it.
TEST_F(AuditTamperTest, ACheckpointTheAuditorKeptCatchesALogRewrittenWithItsCheckpoints) {
  auto kept = CheckpointLog::ReadFile(CheckpointLog::FilePath((dir_ / "checkpoints").string()));
  ASSERT_TRUE(kept.ok());
  ASSERT_FALSE(kept->records.empty());
  const std::string held = kept->records.back().note;
  fs::path copy = Copy("rewritten-with-checkpoints");
  const uint64_t shifted = ShiftMiddleEvent(copy);
  fs::remove_all(copy / "checkpoints");
  fs::remove_all(copy / "views");
  fs::remove_all(copy / "state");  // every store rebuilt from the changed log
  auto r = Audit(copy);
  EXPECT_TRUE(r.ok()) << Dump(r);
  EXPECT_FALSE(r.vouched());
  EXPECT_NE(Dump(r).find("NOT VOUCHED FOR"), std::string::npos) << Dump(r);
  AuditOptions o;
  o.data_dir = copy.string();
  std::getline(std::ifstream(dir_ / "transparency.pub"), o.verifier_key);
  o.held_checkpoints = {held};
  auto caught = AuditVerify(o);
  ASSERT_TRUE(caught.ok()) << caught.status().ToString();
  EXPECT_TRUE(Has(*caught, "checkpoint_root", "held checkpoint 1")) << Dump(*caught);
  // The ledger started on it signs the changed history at the held size:
  // two notes of one size and key with two roots, a fork, said so, with
  // the leaves from the last smaller checkpoint that matched.
  {
    auto resign = Ledger::Open(Options(copy));
    ASSERT_TRUE(resign.ok()) << resign.status().ToString();
    auto published = (*resign)->transparency()->Publish();
    ASSERT_TRUE(published.ok() && *published);
    ASSERT_EQ((*published)->size, kept->records.back().size);
  }
  caught = AuditVerify(o);
  ASSERT_TRUE(caught.ok()) << caught.status().ToString();
  EXPECT_TRUE(HasSaying(*caught, "checkpoint_root", "held checkpoint 1", "(a fork)"))
      << Dump(*caught);
  EXPECT_FALSE(HasSaying(*caught, "checkpoint_root", "held checkpoint 1",
                         "[" + std::to_string(kept->records.back().size) + ", "))
      << "an empty range: " << Dump(*caught);
  // So is a held checkpoint of a smaller size that the re-signed, larger
  // one does not extend.
  if (kept->records.front().size > shifted &&
      kept->records.front().size < kept->records.back().size) {
    o.held_checkpoints = {kept->records.front().note};
    caught = AuditVerify(o);
    ASSERT_TRUE(caught.ok()) << caught.status().ToString();
    EXPECT_TRUE(HasSaying(*caught, "checkpoint_root", "held checkpoint 1", "a larger checkpoint"))
        << Dump(*caught);
    o.held_checkpoints = {held};
  }
  // The pristine log extends the same held checkpoint.
  o.data_dir = dir_.string();
  auto pristine = AuditVerify(o);
  ASSERT_TRUE(pristine.ok());
  EXPECT_TRUE(pristine->ok() && pristine->vouched()) << Dump(*pristine);
  fs::remove_all(copy);
}

TEST_F(AuditTamperTest, ForgedCheckpoints) {
  fs::path copy = Copy("forged");
  const std::string file = CheckpointLog::FilePath((copy / "checkpoints").string());
  auto before = CheckpointLog::ReadFile(file);
  ASSERT_TRUE(before.ok());
  const size_t n = before->records.size();
  {
    auto log = CheckpointLog::Open((copy / "checkpoints").string());
    ASSERT_TRUE(log.ok());
    // Signed by another key.
    std::array<uint8_t, 32> seed{};
    auto other = CheckpointSigner::FromSeed("test.example/log", seed);
    ASSERT_TRUE((*log)->Append(events_ + 1, other->SignCheckpoint(events_ + 1, Hash{})).ok());
    // Signed by the log's own (leaked) key, over a tree that is not the log's.
    auto leaked =
        CheckpointSigner::LoadOrCreate((copy / "transparency.key").string(), "test.example/log");
    ASSERT_TRUE(leaked.ok());
    ASSERT_TRUE((*log)->Append(events_ + 2, leaked->SignCheckpoint(events_ + 2, Hash{})).ok());
  }
  auto r = Audit(copy);
  EXPECT_TRUE(Has(r, "checkpoint_signature", "checkpoint " + std::to_string(n) + " ")) << Dump(r);
  {  // Both keys are named "test.example/log": the message tells them apart by id.
    const std::string vkey = [&] {
      std::string line;
      std::getline(std::ifstream(copy / "transparency.pub"), line);
      return line;
    }();
    const std::string id = vkey.substr(vkey.find('+') + 1, 8);
    EXPECT_TRUE(HasSaying(r, "checkpoint_signature", "checkpoint " + std::to_string(n) + " ",
                          "the verifier key is test.example/log+" + id))
        << Dump(r);
    EXPECT_TRUE(HasSaying(r, "checkpoint_signature", "checkpoint " + std::to_string(n) + " ",
                          "(signed by test.example/log+"))
        << Dump(r);
  }
  EXPECT_TRUE(Has(r, "checkpoint_beyond_log", "checkpoint " + std::to_string(n + 1) + " "))
      << Dump(r);
  fs::remove_all(copy);

  // A stored note whose root was edited after signing.
  copy = Copy("edited");
  {
    std::ifstream in(CheckpointLog::FilePath((copy / "checkpoints").string()), std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string& note = before->records[0].note;
    size_t at = all.find(note);
    ASSERT_NE(at, std::string::npos);
    // The root is the third line of the note: flip one base64 character.
    size_t third = at;
    for (int i = 0; i < 2; ++i) third = all.find('\n', third) + 1;
    all[third] = all[third] == 'A' ? 'B' : 'A';
    std::ofstream(CheckpointLog::FilePath((copy / "checkpoints").string()),
                  std::ios::binary | std::ios::trunc)
        << all;
  }
  r = Audit(copy);
  EXPECT_TRUE(Has(r, "checkpoint_signature", "checkpoint 0 ")) << Dump(r);
  fs::remove_all(copy);
}

// A last record cut short is the trace of a crash mid-append, which the
// server cuts off at its next start: a note, not a problem.
TEST_F(AuditTamperTest, ATornLastCheckpointRecordIsANoteNotAProblem) {
  fs::path copy = Copy("torn");
  std::ofstream(CheckpointLog::FilePath((copy / "checkpoints").string()),
                std::ios::binary | std::ios::app)
      << "99999 203\npermitledger.local/31.74.10\n99";
  auto r = Audit(copy);
  EXPECT_TRUE(r.ok()) << Dump(r);
  ASSERT_TRUE(r.torn_checkpoint.has_value());
  EXPECT_NE(r.torn_checkpoint->find("ends inside the note"), std::string::npos)
      << *r.torn_checkpoint;
  std::ostringstream printed;
  PrintAuditReport(r, printed);
  EXPECT_NE(printed.str().find("the trace of a crash"), std::string::npos) << printed.str();
  fs::remove_all(copy);
}

}  // namespace
}  // namespace pl
