// The permit commands of the HTTP API: an application
// (POST /v1/applications) and an action on a permit
// (POST /v1/permits/{id}/actions), and the permit id an application names.
#include <openssl/sha.h>

#include <algorithm>

#include "domain/decider.h"
#include "domain/decider_util.h"
#include "events/json.h"
#include "gateways/api_gateway.h"
#include "gateways/api_internal.h"
#include "gateways/api_parse.h"
#include "gateways/api_render.h"
#include "gateways/crockford.h"

namespace pl {
namespace {

using json = nlohmann::json;

// A text of an action that people who may not see the applicant read, and
// who they are (the start of a refusal's message).
struct SharedText {
  const std::string* text;
  std::string read_by;
};
std::optional<SharedText> SharedTextOf(const Action& a, const Charter& c) {
  auto reason = [&](const std::string& text, std::string_view event) {
    return SharedText{&text, "the reason " + ReasonReaders(c, event)};
  };
  if (const auto* r = std::get_if<Reject>(&a)) return reason(r->reason, "application_rejected");
  if (const auto* d = std::get_if<DeclineRecommendation>(&a))
    return reason(d->reason, "recommendation_declined");
  if (const auto* w = std::get_if<Withdraw>(&a)) return reason(w->reason, "application_withdrawn");
  if (const auto* v = std::get_if<Revoke>(&a))
    return SharedText{&v->reason, "the reason " + ReasonReaders(c, "permit_revoked", true)};
  if (const auto* s = std::get_if<RecordSurvey>(&a))
    return SharedText{&s->notes,
                      "the survey note is kept in the permit's history, which monitors and "
                      "auditors read,"};
  if (const auto* r = std::get_if<Recommend>(&a))
    return SharedText{&r->letter_number,
                      "the letter number is shown on the permit to monitors and auditors, and "
                      "kept in its history,"};
  if (const auto* e = std::get_if<ErasePersonalData>(&a))
    return SharedText{&e->legal_basis,
                      "the legal basis stays in the permit's history for good (the erasure "
                      "does not reach it),"};
  return std::nullopt;
}

}  // namespace

// Permit ids: "P" and 12 Crockford base32 characters of SHA-256(command id),
// so a retried submission (same command id) names the same permit.
std::string PermitIdFor(const std::string& command_id) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(command_id.data()), command_id.size(), md);
  return "P" + Crockford32(md, 12);
}

void ApiGateway::PostApplication(const HttpRequest& req, const Principal& who, Respond respond) {
  InputError err;
  auto parsed = ParseApplication(req.body(), err);
  if (!parsed) return respond(ErrorResponse(req, http::status::bad_request, err.code, err.message));
  const std::string command_id = parsed->command_id.value_or("app-" + RandomToken(16));
  const std::string permit_id = PermitIdFor(command_id);
  // The code is bound to the request (who sent what, in canonical form), so
  // that a repeat of the same request gets it again and another request
  // with the same command_id does not.
  const std::string tracking_code = ledger_.TrackingCode(permit_id, RequestFingerprint(req, who));
  const std::string tracking_hash = HashToken(tracking_code);
  parsed->submit.tracking_hash = tracking_hash;
  Command cmd;
  cmd.id = CommandId(command_id);
  cmd.stream = StreamId(permit_id);
  if (who.kind == Principal::Kind::kOfficer || who.kind == Principal::Kind::kAdmin) {
    cmd.actor = who.actor;  // an officer at the counter
  } else if (who.kind == Principal::Kind::kApplicant) {
    return respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                                 "a tracking code cannot submit a new application; submit "
                                 "without a token"));
  } else {
    cmd.actor = {"applicant", "applicant", permit_id};
  }
  cmd.action = std::move(parsed->submit);
  ledger_.Execute(std::move(cmd), [=, this, req = req](Outcome o) {
    // Its tracking code comes back only to a repeat soon after (below).
    if (o.error.code() == "outcome_unknown")
      o.error = Status(o.error.code(),
                       o.error.message() +
                           ". Repeat the application as soon as the ledger "
                           "answers again: its tracking code is given back only to a repeat "
                           "within " +
                           std::to_string(kApplicationRetryMs / 60000) +
                           " minutes of the application taking effect");
    if (RespondIfNotTaken(req, o, respond)) return;
    if (o.duplicate) {
      const auto* first =
          o.events.empty() ? nullptr : std::get_if<ApplicationSubmitted>(&o.events.front().payload);
      // Once the applicant's data is erased, no answer may depend on it:
      // comparing the request with the first one would tell whoever holds
      // the command_id whether the personal fields they guessed match.
      const auto state = first ? ledger_.queries().Permit(permit_id) : std::nullopt;
      if (first &&
          (ledger_.vault().IsErased(first->applicant) || (state && state->personal_erased)))
        return respond(ErrorResponse(
            req, http::status::conflict, "command_id_reused",
            "command_id " + command_id +
                " belongs to an application whose personal data was erased; send a new "
                "application with a new command_id (or none)"));
      // The tracking code is given again only to a retry soon after the
      // application (its answer was lost on the way). The command_id is in
      // the permit's history, which officers, monitors and auditors read:
      // later, the same body sent again would hand them the applicant's
      // code, and a guessed one would tell whether personal fields match.
      if (first && ledger_.now() - o.events.front().time_ms > kApplicationRetryMs)
        return respond(ErrorResponse(
            req, http::status::conflict, "command_id_reused",
            "command_id " + command_id + " was used for an application more than " +
                std::to_string(kApplicationRetryMs / 60000) +
                " minutes ago; its tracking code is given again only to a retry within that "
                "time. Send a new application with a new command_id (or none)"));
      if (!first || first->tracking_hash != tracking_hash)
        return respond(
            ErrorResponse(req, http::status::conflict, "command_id_reused",
                          "command_id " + command_id +
                              " was already used for another application; send this one with a new "
                              "command_id (or none)"));
    }
    json j = {{"permit_id", permit_id},
              {"tracking_code", tracking_code},
              {"status", o.status},
              {"version", o.version},
              {"duplicate", o.duplicate}};
    respond(JsonResponse(req, http::status::created, j.dump()));
  });
}

void ApiGateway::PostAction(const HttpRequest& req, const Principal& who,
                            const std::string& permit_id, Respond respond) {
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "actions need a bearer token: an officer token, or the "
                                 "applicant's tracking code"));
  InputError err;
  auto parsed = ParseAction(req.body(), err);
  if (!parsed) return respond(ErrorResponse(req, http::status::bad_request, err.code, err.message));
  if (permit_id == kGovernanceStream.str())
    return respond(ErrorResponse(req, http::status::not_found, "unknown_permit",
                                 "there is no permit " + permit_id));
  const std::string action = ActionName(parsed->action);
  // A published reason, a survey note, and the command id (kept in the
  // history; an issuance's and a revocation's on the public transparency
  // log) may not name the applicant, their NIK or the street of their home.
  // The domain refuses identity numbers but never sees names in the clear;
  // this gateway opens them, and compares only for senders who see them
  // anyway: to anyone else the answer would tell whether a guessed name or
  // address is the applicant's. The administrator's erasure order is
  // checked too (its legal basis outlives the name it erases): a guess that
  // misses carries the erasure out, so the answer is no way to probe.
  {
    auto charter = ledger_.governance()->charter;
    auto state = ledger_.queries().Permit(permit_id);
    const bool orders_erasure = who.kind == Principal::Kind::kAdmin &&
                                std::holds_alternative<ErasePersonalData>(parsed->action);
    // An order through an application erased already reaches the person's
    // others; once none holds anything, it erases nothing, and its legal
    // basis, kept for good, could no longer be checked for the name and
    // street it erased. (A repeat of an order taken is answered as taken.)
    // Embedded only: on Kafka this instance's copy of the vault may not
    // hold yet the key of an application just made elsewhere, nor its
    // views the order just taken.
    if (orders_erasure && state && !ledger_.kafka() &&
        (state->personal_erased || ledger_.vault().IsErased(state->applicant))) {
      auto keys = ledger_.vault().KeysOf(state->applicant.person_id);
      const auto history = ledger_.queries().History(permit_id);
      const bool repeat = std::any_of(history.begin(), history.end(), [&](const json& e) {
        return e.value("command_id", "") == parsed->command_id.str();
      });
      if (keys.ok() && keys->empty() && !repeat)
        return respond(ErrorResponse(
            req, http::status::unprocessable_entity, "personal_data_erased",
            "every application of this person is erased already: the order has nothing left to "
            "erase, and its legal basis, kept in the permit's history for good, could no longer "
            "be checked for the name and street it erased; nothing was written"));
    }
    // Only of a command that would get as far as its texts' check: one that
    // the sender's role may not take, or not from the permit's status, or
    // at another version, is told so first (charter.md, the order of the
    // checks).
    const bool reaches_texts =
        charter && state && charter->RoleMay(who.actor.role, action) &&
        ActionAllowedFrom(state->status, action) &&
        (!parsed->expected_version || *parsed->expected_version == state->version);
    if (charter && state && !state->personal_erased &&
        (orders_erasure || (reaches_texts && SeesApplicant(who, *state, *charter)))) {
      auto personal = ledger_.vault().Unseal(state->applicant);
      auto names = [&](const std::string& text) -> const char* {
        return MentionsName(text, personal->name) ? "name the applicant; write it without the name"
               : MentionsAddress(text, personal->address)
                   ? "name the street of the applicant's home; write it without the street"
               : MentionsPhone(text, personal->phone) || MentionsNumber(text, personal->nik) ||
                       MentionsNumber(text, personal->kk_number)
                   ? "hold the applicant's phone, NIK or KK number, however written; write it "
                     "without the number"
                   : nullptr;
      };
      const char* found = nullptr;
      std::string where;
      if (personal.ok()) {
        if (auto shared = SharedTextOf(parsed->action, *charter);
            shared && (found = names(*shared->text)))
          where = shared->read_by;
        else if (const std::string id = WithoutUuids(parsed->command_id.str());
                 MentionsNumber(id, personal->nik) || (found = names(id)) != nullptr) {
          where =
              "the command_id is kept in the permit's history (and, for an issuance or a "
              "revocation, on the public transparency log)";
          found = "hold the applicant's name, NIK or street; use a random id such as a UUID";
        }
      }
      if (found)
        return respond(ErrorResponse(req, http::status::unprocessable_entity,
                                     "personal_data_in_text", where + " and may not " + found));
    }
  }
  Command cmd;
  cmd.id = parsed->command_id;
  cmd.stream = StreamId(permit_id);
  cmd.actor = who.actor;
  cmd.expected_version = parsed->expected_version;
  const std::string digest = ActionDigest(parsed->action);
  cmd.action = std::move(parsed->action);
  ledger_.Execute(std::move(cmd), [=, this, req = req](Outcome o) {
    // A repeat skips the decision, and with it the role and jurisdiction
    // checks: its answer goes only to who may read the permit anyway.
    if (o.duplicate && o.error.ok()) {
      auto charter = ledger_.governance()->charter;
      auto state = ledger_.queries().Permit(permit_id);
      if (charter && state && !MayRead(who, *state, *charter))
        return respond(ErrorResponse(req, http::status::forbidden, "outside_jurisdiction",
                                     OutsideJurisdiction(who, permit_id, *state)));
      // Another action or another sender under the same id is another
      // request, whether the first was taken or refused (a refusal of one
      // officer does not answer the officer the command was meant for).
      if (!o.sender.empty() && (o.action != action || o.sender != who.actor.id))
        return respond(ErrorResponse(
            req, http::status::conflict, "command_id_reused",
            "command_id " + o.command_id.str() + " was already used on permit " + permit_id +
                " for " + o.action + " by " + o.sender + (o.refusal ? ", and refused" : "") +
                "; send this " + action + " with a new command_id"));
    }
    if (RefuseReusedId(req, o, digest, respond) || RespondIfNotTaken(req, o, respond)) return;
    json events = json::array();
    for (const auto& e : o.events) events.push_back(ToJson(e));
    if (who.kind == Principal::Kind::kApplicant) DropPersonIds(events);
    json j = {{"permit_id", permit_id},
              {"status", o.status},
              {"version", o.version},
              {"events", events},
              {"duplicate", o.duplicate}};
    respond(JsonResponse(req, http::status::ok, j.dump()));
  });
}

}  // namespace pl
