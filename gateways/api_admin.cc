// The administrator's endpoints of the HTTP API: enrolling and retiring
// officers (POST /v1/officers, POST /v1/officers/{id}/retire), adopting a
// charter (PUT /v1/charter) and a backup (POST /v1/admin/backup).
#include <spdlog/spdlog.h>

#include "domain/decider_util.h"
#include "domain/staffing.h"
#include "gateways/api_gateway.h"
#include "gateways/api_internal.h"
#include "gateways/api_parse.h"

namespace pl {
namespace {

using json = nlohmann::json;

// The steps no enrolled officer may take, where (UnstaffedSteps): told to
// the administrator with the officers, and after each change of the
// charter or of who is enrolled.
json Unstaffed(const GovernanceState& gov) {
  json steps = json::array();
  for (const auto& s : UnstaffedSteps(gov))
    steps.push_back({{"action", s.action}, {"roles", s.roles}, {"kelurahan", s.kelurahan}});
  return steps;
}

}  // namespace

void ApiGateway::GetOfficers(const HttpRequest& req, const Principal& who, Respond respond) {
  // Officers' ids and names are public on the transparency log (their
  // enrolments); the list is the administrator's and the officers' (a
  // survey team, an audit), not an applicant's.
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "the list of officers needs an officer's or the administrator's "
                                 "token"));
  if (who.kind == Principal::Kind::kApplicant)
    return respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                                 "the list of officers is for officers and the administrator"));
  const auto gov = ledger_.governance();
  json officers = json::array();
  for (const auto& [id, o] : gov->officers)
    officers.push_back(
        {{"id", id}, {"name", o.name}, {"role", o.role}, {"jurisdiction", o.jurisdiction}});
  json j = {{"officers", std::move(officers)},
            {"retired", json(std::vector<std::string>(gov->retired.begin(), gov->retired.end()))},
            {"unstaffed", Unstaffed(*gov)},
            {"governance_version", gov->version}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::PostOfficer(const HttpRequest& req, const Principal& who, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "enrolling an officer", respond)) return;
  JsonInput in = JsonInput::Parse(req.body());
  EnrollOfficer e;
  // No length limit of the body's own: the domain refuses an id past 64
  // characters as any other invalid one (422 invalid_officer_id).
  e.officer_id = in.String("id", true);
  e.name = TidyText(in.Line("name", true, 200), true);
  e.role = in.String("role", true, 64);
  // A role of scope "all" (an auditor, say) works nowhere in particular.
  e.jurisdiction = in.OptionalLine("kelurahan", 64).value_or("");
  auto command_id = in.OptionalString("command_id", 128);
  if (RefuseBadBody(in, command_id, req, respond)) return;
  // With a command_id the token is bound to the request, so a retry (the
  // answer was lost) gets it again; without one it is random, shown once.
  const std::string token = command_id
                                ? ledger_.OfficerToken(*command_id, RequestFingerprint(req, who))
                                : RandomToken(24);
  e.token_hash = HashToken(token);
  Command cmd;
  cmd.id = CommandId(command_id.value_or("enroll-" + e.officer_id.substr(0, 64) + "-" +
                                         e.token_hash.substr(0, 8)));
  cmd.stream = kGovernanceStream;
  cmd.actor = who.actor;
  std::string officer_id = e.officer_id, token_hash = e.token_hash;
  cmd.action = std::move(e);
  const std::string digest = ActionDigest(cmd.action);
  ledger_.Execute(std::move(cmd), [=, this, req = req](Outcome o) {
    if (RefuseReusedId(req, o, digest, respond) || RespondIfNotTaken(req, o, respond)) return;
    if (o.duplicate) {
      const auto* first =
          o.events.size() == 1 ? std::get_if<OfficerEnrolled>(&o.events[0].payload) : nullptr;
      if (!first || first->token_hash != token_hash)
        return respond(ErrorResponse(req, http::status::conflict, "command_id_reused",
                                     "this command_id enrolled an officer with another request "
                                     "(or without a command_id): choose a new command_id"));
      // The token this request got once has been retired since: giving it
      // again would hand out a token that is refused. (A governance state
      // that has not reached the enrolment yet, on Kafka, cannot tell.)
      const auto gov = ledger_.governance();
      const auto it = gov->officers.find(officer_id);
      if (gov->version >= o.events[0].seq &&
          (it == gov->officers.end() || it->second.token_hash != token_hash))
        return respond(ErrorResponse(
            req, http::status::conflict, "enrolment_retired",
            "this request enrolled officer " + officer_id +
                " before, and that enrolment has been retired since: its token no longer "
                "works. To enrol the officer again, send the request with a new command_id"));
    }
    json j = {{"officer_id", officer_id}, {"token", token}};
    respond(JsonResponse(req, http::status::created, j.dump()));
  });
}

void ApiGateway::PostRetirement(const HttpRequest& req, const Principal& who,
                                const std::string& officer_id, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "retiring an officer", respond)) return;
  JsonInput in = JsonInput::Parse(req.body());
  RetireOfficer r{officer_id, in.String("reason", true, 500)};
  auto command_id = in.OptionalString("command_id", 128);
  if (RefuseBadBody(in, command_id, req, respond)) return;
  Command cmd;
  cmd.id = CommandId(command_id.value_or("retire-" + officer_id + "-" + RandomToken(8)));
  cmd.stream = kGovernanceStream;
  cmd.actor = who.actor;
  cmd.action = std::move(r);
  const std::string digest = ActionDigest(cmd.action);
  ledger_.Execute(std::move(cmd), [=, this, req = req](Outcome o) {
    if (RefuseReusedId(req, o, digest, respond) || RespondIfNotTaken(req, o, respond)) return;
    // A repeat answers "retired" only if its first request retired this
    // officer (or changed nothing and the officer is gone): an id used for
    // anything else would tell the administrator a token is revoked that
    // still works.
    if (o.duplicate) {
      const auto* first =
          o.events.size() == 1 ? std::get_if<OfficerRetired>(&o.events[0].payload) : nullptr;
      const bool gone = !ledger_.governance()->officers.count(officer_id);
      if (first ? first->officer_id != officer_id : (!o.events.empty() || !gone))
        return respond(ErrorResponse(
            req, http::status::conflict, "command_id_reused",
            "command_id " + o.command_id.str() + " was already used for another request; officer " +
                officer_id + " is not retired by it: send again with a new command_id"));
    }
    json j = {{"officer_id", officer_id},
              {"retired", true},
              {"duplicate", o.duplicate},
              {"unstaffed", Unstaffed(*ledger_.governance())}};
    respond(JsonResponse(req, http::status::ok, j.dump()));
  });
}

void ApiGateway::PutCharter(const HttpRequest& req, const Principal& who, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "amending the charter", respond)) return;
  // The body is the charter document itself; the domain parses and checks it
  // (invalid_charter, stale_charter_version) and adopts it as an event.
  std::string text = req.body();
  // The charter in force sent again (a retry whose answer was lost, say):
  // nothing to adopt.
  const auto in_force = ledger_.governance()->charter;
  if (auto same = Charter::FromJson(text);
      in_force && same.ok() && same->canonical_json == in_force->canonical_json)
    return respond(JsonResponse(req, http::status::ok,
                                json{{"charter_version", in_force->version},
                                     {"duplicate", true},
                                     {"unstaffed", Unstaffed(*ledger_.governance())}}
                                    .dump()));
  // The implicit command id names the document and the governance stream's
  // version: a retry is answered as the first request was, while the same
  // document sent after anything changed there (another charter, an officer
  // enrolled or retired: what refused it may be gone) is decided afresh.
  if (Status s = Charter::CheckProposal(text); !s.ok())
    return respond(ErrorResponse(req, http::status::unprocessable_entity, s.code(), s.message()));
  Command cmd;
  cmd.id = CommandId(
      "charter-" +
      HashToken(text + "\n" + std::to_string(ledger_.governance()->version)).substr(0, 32));
  cmd.stream = kGovernanceStream;
  cmd.actor = who.actor;
  cmd.action = AdoptCharter{std::move(text)};
  ledger_.Execute(std::move(cmd), [=, this, req = req](Outcome o) {
    // (Not RespondIfNotTaken's advice on a repeat: there is no command_id to change.)
    if (o.refusal && o.duplicate && o.error.ok())
      return respond(ErrorResponse(
          req, RefusalStatus(o.refusal->code), o.refusal->code,
          o.refusal->message +
              " (the answer this document got when it was sent before; it is decided afresh once "
              "an officer is enrolled or retired, or another charter adopted)"));
    if (RespondIfNotTaken(req, o, respond)) return;
    auto c = ledger_.governance()->charter;
    const auto* adopted =
        o.events.size() == 1 ? std::get_if<CharterAdopted>(&o.events[0].payload) : nullptr;
    // The same document again: fine while it is in force; after a newer one
    // it would read as a rollback that did nothing.
    if (o.duplicate && adopted && c && adopted->charter_version != c->version)
      return respond(ErrorResponse(
          req, http::status::unprocessable_entity, "stale_charter_version",
          "this document is charter version " + std::to_string(adopted->charter_version) +
              ", adopted before; version " + std::to_string(c->version) +
              " is in force. To go back to it, adopt its content as version " +
              std::to_string(c->version + 1)));
    json j = {{"charter_version", c ? c->version : 0},
              {"duplicate", o.duplicate},
              {"unstaffed", Unstaffed(*ledger_.governance())}};
    respond(JsonResponse(req, http::status::ok, j.dump()));
  });
}

void ApiGateway::PostBackup(const HttpRequest& req, const Principal& who, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "making a backup", respond)) return;
  // No field to give: the body is empty, or {}.
  if (!req.body().empty()) {
    JsonInput in = JsonInput::Parse(req.body());
    if (RefuseBadBody(in, std::nullopt, req, respond)) return;
  }
  // On a thread of its own: the copies (and the views' catching up) would
  // hold an HTTP thread otherwise.
  ledger_.BackupAsync([req, respond](Result<Ledger::BackupMade> made) {
    if (!made.ok()) {
      const Status& s = made.status();
      if (s.code() == "backup_on_kafka" || s.code() == "backup_in_progress")
        return respond(ErrorResponse(req, http::status::conflict, s.code(), s.message()));
      // The administrator's own request: the reason in full, paths included.
      spdlog::error("backup: {}", s.ToString());
      HttpResponse res = ErrorResponse(req, http::status::service_unavailable, "unavailable",
                                       "no backup was made: " + s.message());
      res.set(http::field::retry_after, "10");
      return respond(std::move(res));
    }
    json j = {{"directory", made->directory},
              {"log_end_offsets", made->log_end},
              {"seconds", made->seconds},
              {"commands_paused_seconds", made->paused_seconds}};
    respond(JsonResponse(req, http::status::created, j.dump()));
  });
}

}  // namespace pl
