// The public endpoints of the HTTP API (no token, no personal data): the
// statistics (GET /v1/public/stats), the register of issued permits (GET
// /v1/public/register) and the verification of a permit number (GET
// /v1/public/verify/{number}).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "domain/decider.h"
#include "gateways/api_gateway.h"
#include "gateways/api_render.h"
#include "gateways/transparency_gateway.h"

namespace pl {
namespace {

using json = nlohmann::json;

}  // namespace

void ApiGateway::GetStats(const HttpRequest& req, Respond respond) {
  json stats = ledger_.queries().Stats();
  const auto gov = ledger_.governance();
  // The applications now past the due date of their stage, by status: an
  // application stuck in a stage is in no month's service level until it
  // leaves it, and becomes overdue with the calendar, not with an event, so
  // they are counted at each answer from the open applications' views.
  if (gov->charter && stats.contains("kecamatan")) {
    const int64_t now = ledger_.now();
    json all = json::object();
    for (auto& area : stats["kelurahan"]) {
      json overdue = json::object();
      for (int s = 0; s <= static_cast<int>(PermitStatus::kRevoked); ++s) {
        const auto status = static_cast<PermitStatus>(s);
        if (!IsOpen(status)) continue;
        const std::string name = StatusName(status);
        for (const auto& id : ledger_.queries().Queue(area["code"], name)) {
          auto st = ledger_.queries().Permit(id);
          if (!st) continue;
          const StageInfo stage = StageOf(*st, *gov, ledger_.vault().IsErased(st->applicant));
          if (!Overdue(stage, *gov->charter, now)) continue;
          overdue[name] = overdue.value(name, 0) + 1;
          all[name] = all.value(name, 0) + 1;
        }
      }
      area["overdue"] = std::move(overdue);
    }
    stats["kecamatan"]["overdue"] = std::move(all);
  }
  respond(JsonResponse(req, http::status::ok, stats.dump()));
}

void ApiGateway::GetRegister(const HttpRequest& req, const Query& query, Respond respond) {
  std::string kel = query.Value("kelurahan");
  std::string q = query.Value("q");
  // A permit number as verify reads it (typed from paper with blanks around
  // its slashes, pasted from a PDF, a QR code's verification code) finds
  // its permit here too.
  if (!q.empty())
    if (std::string issued = TransparencyGateway(ledger_).IssuedNumber(q);
        ledger_.queries().RegisterEntry(issued))
      q = std::move(issued);
  auto charter = ledger_.governance()->charter;
  // The code as a permit number prints it, without its dots (3174101001).
  if (!kel.empty() && charter && !charter->FindKelurahan(kel))
    for (const auto& k : charter->kelurahan)
      if (std::string bare = k.code; std::erase(bare, '.') > 0 && bare == kel) kel = k.code;
  if (!kel.empty() && charter && !charter->FindKelurahan(kel)) {
    return respond(ErrorResponse(req, http::status::bad_request, "unknown_kelurahan",
                                 "?kelurahan= must be the code of a kelurahan of the charter: " +
                                     charter->KelurahanCodes()));
  }
  // A page of kRegisterPage entries; one more read tells whether there is
  // a next page, which starts after the last number of this one (named as
  // issued, however it is typed). A cursor that names no permit of the
  // register is an error, not an empty page.
  std::string after;
  if (const auto typed = query.Get("after")) {
    if (typed->empty())
      return respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter",
                                   "?after= is empty: give the \"next\" of an earlier page, or "
                                   "leave ?after= out for the first page"));
    after = TransparencyGateway(ledger_).IssuedNumber(*typed);
    if (!ledger_.queries().RegisterEntry(after))
      return respond(ErrorResponse(
          req, http::status::bad_request, "invalid_parameter",
          "?after= must be the \"next\" of an earlier page, a permit number of the register (or "
          "left out for the first page); got \"" +
              typed->substr(0, 60) + "\""));
  }
  auto entries = ledger_.queries().Register(kel, q, kRegisterPage + 1, after);
  const bool more = entries.size() > kRegisterPage;
  if (more) entries.pop_back();
  const std::string today = charter ? LocalDate(ledger_.now(), *charter) : "";
  json items = json::array();
  for (auto& e : entries) items.push_back(RenderVerification(e["permit_number"], &e, today));
  json j = {{"items", items}, {"count", items.size()}};
  if (more) j["next"] = items.back()["permit_number"];
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::GetVerify(const HttpRequest& req, const std::string& typed, const Query& query,
                           Respond respond) {
  // The tree size of a checkpoint the verifier holds: the answer ties it to
  // its latest checkpoint.
  std::optional<uint64_t> held;
  if (const auto text = query.Get("held")) {
    held = ParseDecimal(*text, INT64_MAX);
    if (!held || *held == 0)
      return respond(ErrorResponse(
          req, http::status::bad_request, "invalid_parameter",
          "?held= must be the tree size of a checkpoint you hold (a number from 1, the second "
          "line of the checkpoint), got \"" +
              text->substr(0, 40) + "\""));
  }
  // The number as issued (a clerk may type it in small letters), as the QR
  // code's endpoint finds it.
  const std::string number = TransparencyGateway(ledger_).IssuedNumber(typed);
  auto entry = ledger_.queries().RegisterEntry(number);
  auto charter = ledger_.governance()->charter;
  const std::string today = charter ? LocalDate(ledger_.now(), *charter) : "";
  json j = RenderVerification(number, entry ? &*entry : nullptr, today);
  if (entry) j["verification"] = TransparencyGateway(ledger_).Verification(number, held);
  // The revocation the signed log proves outweighs a register that says
  // otherwise (a view changed outside the ledger): the answer must not
  // call valid what its own proof shows revoked.
  // (A revocation applied between the two reads is read again first.)
  if (j.contains("verification") && j["verification"].is_object() &&
      j["verification"].contains("revocation") && j["result"] != "revoked")
    if (auto again = ledger_.queries().RegisterEntry(number))
      if (json fresh = RenderVerification(number, &*again, today); fresh["result"] == "revoked") {
        fresh["verification"] = std::move(j["verification"]);
        j = std::move(fresh);
      }
  if (j.contains("verification") && j["verification"].is_object() &&
      j["verification"].contains("revocation") && j["result"] != "revoked") {
    spdlog::error(
        "views: the register has permit {} as {}, but the transparency log holds its revocation "
        "(leaf {}): the views were changed outside the ledger; answered as revoked. Stop the "
        "ledger, move DATA/views away and start it again: they are rebuilt from the log",
        number, j.value("status", ""),
        j["verification"]["revocation"]["leaf_index"].get<uint64_t>());
    j["result"] = "revoked";
    j["status"] = "revoked";
  }
  // A verification code (a QR code's) that names this permit but not its
  // record (the leaf of its issuance, in a tree that includes it) was not
  // made by the ledger: the document that carries it is not the one
  // issued, whatever the permit's status. The code's tree size is that of
  // the first checkpoint that included the leaf where it was made: another
  // instance on Kafka, or this one before its checkpoint file was lost,
  // may have signed another, so it is not compared.
  const std::string as_code(CodeOfLink(DropBlanks(typed)));
  const auto code = ParseVerificationCode(as_code);
  if (VerificationCodeNumber(as_code) && j.contains("verification") &&
      j["verification"].is_object() &&
      (!code || code->leaf != j["verification"]["leaf_index"].get<uint64_t>()))
    j["code_mismatch"] = {
        {"given", code ? FormatVerificationCode(*code) : as_code.substr(0, 200)},
        {"message", "the verification code given names permit " + number +
                        " but not its record in the transparency log (" +
                        (code ? "leaf " + std::to_string(code->leaf) + " is not the permit's"
                              : std::string("its leaf and tree size are not two numbers, the "
                                            "first smaller")) +
                        "): the ledger did not make it, so the document that carries it is not "
                        "the one issued; check the document against this answer, and report it "
                        "to the PTSP unit"}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

}  // namespace pl
