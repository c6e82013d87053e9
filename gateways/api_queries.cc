// The query endpoints of the HTTP API that read permits: a permit and its
// history (GET /v1/permits/{id}[/history]), the tracking page
// (GET /v1/track/{code}), an officer's worklist (GET /v1/worklist) and an
// officer's trail for auditors (GET /v1/audit/officers/{id}).
#include <algorithm>

#include "domain/decider.h"
#include "domain/decider_util.h"
#include "gateways/api_gateway.h"
#include "gateways/api_internal.h"
#include "gateways/api_render.h"
#include "gateways/transparency_gateway.h"
#include "gateways/url.h"

namespace pl {
namespace {

using json = nlohmann::json;

}  // namespace

void ApiGateway::GetPermit(const HttpRequest& req, const Principal& who,
                           const std::string& permit_id, bool history, Respond respond) {
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "reading a permit needs an officer token or the tracking code"));
  auto gov = ledger_.governance();
  auto charter = gov->charter;
  auto state = ledger_.queries().Permit(permit_id);
  if (!state || !charter)
    return respond(
        ErrorResponse(req, http::status::not_found, "unknown_permit", NoApplication(permit_id)));
  if (!MayRead(who, *state, *charter))
    return respond(ErrorResponse(req, http::status::forbidden, "outside_jurisdiction",
                                 OutsideJurisdiction(who, permit_id, *state)));
  if (history) {
    json j = {{"permit_id", permit_id}, {"events", ledger_.queries().History(permit_id)}};
    if (who.kind == Principal::Kind::kApplicant) DropPersonIds(j["events"]);
    TransparencyGateway(ledger_).AddProofs(j);
    return respond(JsonResponse(req, http::status::ok, j.dump()));
  }
  const bool personal = SeesApplicant(who, *state, *charter);
  respond(
      JsonResponse(req, http::status::ok,
                   RenderPermit(*state, *gov, ledger_.now(), personal ? &ledger_.vault() : nullptr,
                                ledger_.vault().IsErased(state->applicant),
                                who.kind != Principal::Kind::kApplicant)));
}

void ApiGateway::GetOfficerTrail(const HttpRequest& req, const Principal& who,
                                 const std::string& officer_id, const Query& query,
                                 Respond respond) {
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "an officer's trail needs an auditor's, a monitor's or the "
                                 "administrator's token"));
  const bool allowed = who.kind == Principal::Kind::kAdmin ||
                       (who.kind == Principal::Kind::kOfficer &&
                        (who.actor.role == "auditor" || who.actor.role == "kecamatan_monitor" ||
                         who.actor.id == officer_id));
  if (!allowed)
    return respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                                 "only auditors, kecamatan monitors and the administrator read "
                                 "another officer's trail"));
  uint64_t limit = 500;
  if (const auto limit_text = query.Get("limit")) {
    const auto parsed = ParseDecimal(*limit_text, 1000);
    if (!parsed || (limit = *parsed) == 0)
      return respond(ErrorResponse(
          req, http::status::bad_request, "invalid_parameter",
          "?limit= must be a number from 1 to 1000, got \"" + limit_text->substr(0, 40) + "\""));
  }
  if (const auto after = query.Get("after"); after && after->empty())
    return respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter",
                                 "?after= is empty: give the \"next\" of an earlier page, or "
                                 "leave ?after= out for the first page"));
  auto page = ledger_.queries().ActorTrail(officer_id, query.Value("after"), limit);
  // A retired officer is no longer enrolled but keeps its trail (empty if
  // they never acted); an id never enrolled is most likely mistyped.
  const auto gov = ledger_.governance();
  if (page.events.empty() && !page.unknown_cursor && officer_id != "admin" &&
      !gov->officers.contains(officer_id) && !gov->retired.contains(officer_id))
    return respond(
        ErrorResponse(req, http::status::not_found, "unknown_officer",
                      "no officer \"" + officer_id +
                          "\" is enrolled now or was ever enrolled: check the officer id"));
  if (page.unknown_cursor)
    return respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter",
                                 "?after= must be the \"next\" of an earlier page of officer " +
                                     officer_id + "'s trail (or left out for the first page)"));
  json j = {{"officer_id", officer_id},
            {"events", std::move(page.events)},
            {"next", page.next.empty() ? json(nullptr) : json(page.next)}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::GetTrack(const HttpRequest& req, const std::string& code, Respond respond) {
  auto gov = ledger_.governance();
  auto charter = gov->charter;
  auto permit = ledger_.queries().PermitByTracking(HashToken(Ledger::NormalizeTrackingCode(code)));
  auto state = permit ? ledger_.queries().Permit(*permit) : std::nullopt;
  if (!state || !charter)
    return respond(ErrorResponse(req, http::status::not_found, "unknown_tracking_code",
                                 "no application has this tracking code; check it and try again"));
  json j = RenderTracking(*state, *gov, ledger_.now(), ledger_.queries().History(*permit),
                          ledger_.vault().IsErased(state->applicant));
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::GetPermits(const HttpRequest& req, const Principal& who, const Query& query,
                            Respond respond) {
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "the list of permits needs an officer token"));
  if (who.kind == Principal::Kind::kApplicant)
    return respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                                 "the list of permits is the officers'; an applicant follows its "
                                 "application at /v1/track/{tracking code}"));
  auto charter = ledger_.governance()->charter;
  if (!charter) return respond(JsonResponse(req, http::status::ok, R"({"items":[]})"));
  auto bad = [&](const std::string& code, const std::string& message) {
    respond(ErrorResponse(req, http::status::bad_request, code, message));
  };
  const std::string kel = query.Value("kelurahan");
  if (kel.empty())
    return bad("invalid_parameter",
               "?kelurahan= is required: the code of one kelurahan of the "
               "charter (a page lists one), one of " +
                   charter->KelurahanCodes());
  if (!charter->FindKelurahan(kel))
    return bad("unknown_kelurahan", "?kelurahan= must be the code of a kelurahan of the charter: " +
                                        charter->KelurahanCodes());
  if (who.kind == Principal::Kind::kOfficer &&
      !charter->Covers(who.actor.role, who.actor.jurisdiction, kel))
    return respond(ErrorResponse(
        req, http::status::forbidden, "outside_jurisdiction",
        "officer " + who.actor.id + " (" + who.actor.role + ") does not work in kelurahan " + kel));
  // A status of an application (not "none").
  auto status_of = [](std::string_view name) {
    const auto s = ParseStatusName(name);
    return s && *s != PermitStatus::kNone;
  };
  const std::string status = query.Value("status");
  if (!status.empty() && !status_of(status)) {
    std::string names;
    for (int s = static_cast<int>(PermitStatus::kSubmitted);
         s <= static_cast<int>(PermitStatus::kRevoked); ++s)
      names += (names.empty() ? "" : ", ") + std::string(StatusName(static_cast<PermitStatus>(s)));
    return bad("invalid_parameter", "?status= must be one of " + names + ", or left out (all)");
  }
  // The cursor: "<status>/<permit id>", the `next` of a page (its permit
  // may have changed status since: the list goes on after where it was).
  const std::string after = query.Value("after");
  const size_t slash = after.find('/');
  if (query.Get("after") &&
      (slash == std::string::npos || !status_of(after.substr(0, slash)) ||
       after.size() == slash + 1 || after.find('/', slash + 1) != std::string::npos ||
       (!status.empty() && after.substr(0, slash) != status)))
    return bad("invalid_parameter",
               "?after= must be the \"next\" of an earlier page of this list (\"<status>/<permit "
               "id>\", of the status asked for if any), or left out for the first page; got \"" +
                   after.substr(0, 60) + "\"");
  auto listed = ledger_.queries().Listed(kel, status, after, kRegisterPage + 1);
  const bool more = listed.size() > kRegisterPage;
  if (more) listed.pop_back();
  json items = json::array();
  for (const auto& entry : listed) {
    const std::string id = entry.substr(entry.find('/') + 1);
    auto st = ledger_.queries().Permit(id);
    if (!st) continue;
    items.push_back({{"permit_id", id},
                     {"status", StatusName(st->status)},
                     {"business_name", st->business.name},
                     {"version", st->version}});
  }
  json j = {{"kelurahan", kel}, {"items", std::move(items)}};
  if (more) j["next"] = listed.back();
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::GetWorklist(const HttpRequest& req, const Principal& who, Respond respond) {
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "the worklist needs an officer token"));
  if (who.kind != Principal::Kind::kOfficer && who.kind != Principal::Kind::kAdmin)
    return respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                                 "the worklist is the officers'; an applicant follows its "
                                 "application at /v1/track/{tracking code}"));
  auto gov = ledger_.governance();
  auto charter = gov->charter;
  if (!charter) return respond(JsonResponse(req, http::status::ok, R"({"items":[]})"));
  const std::string& role = who.actor.role;
  // Statuses in which this role may take the next step (as the charter
  // says), whether the application's documents are all in (verify) or not
  // (ask for the rest); each permit is then kept if the role takes its own
  // next step. A role that takes none of the workflow's steps (monitors,
  // auditors, the administrator, ...) reads every open application in its
  // scope.
  static constexpr PermitStatus kOpen[] = {
      PermitStatus::kSubmitted,       PermitStatus::kIncomplete, PermitStatus::kDocumentsVerified,
      PermitStatus::kSurveyScheduled, PermitStatus::kSurveyed,   PermitStatus::kRecommended};
  auto takes = [&](const std::vector<std::string>& roles) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  };
  std::vector<PermitStatus> statuses;
  for (auto s : kOpen) {
    PermitState lacking, complete;
    lacking.status = complete.status = s;
    complete.documents = charter->required_documents;
    if (takes(Stage(lacking, *charter).next_roles) || takes(Stage(complete, *charter).next_roles))
      statuses.push_back(s);
  }
  const bool read_only = statuses.empty();
  if (read_only) statuses.assign(std::begin(kOpen), std::end(kOpen));
  // Those who schedule surveys reschedule one whose team has no enrolled
  // officer left who may record it (retired since): on no one's worklist
  // otherwise.
  const bool reschedules = !read_only && charter->RoleMay(role, "schedule_survey");
  if (reschedules &&
      std::find(statuses.begin(), statuses.end(), PermitStatus::kSurveyScheduled) == statuses.end())
    statuses.push_back(PermitStatus::kSurveyScheduled);
  // Those who reject read every open status: an application whose
  // applicant's data an order erased waits for its rejection in any.
  if (!read_only && charter->RoleMay(role, "reject"))
    for (auto s : kOpen)
      if (std::find(statuses.begin(), statuses.end(), s) == statuses.end()) statuses.push_back(s);
  json items = json::array();
  const int64_t now = ledger_.now();
  for (const auto& kel : charter->kelurahan) {
    if (!charter->Covers(role, who.actor.jurisdiction, kel.code) && role != "admin") continue;
    for (auto s : statuses) {
      for (const auto& id : ledger_.queries().Queue(kel.code, StatusName(s))) {
        auto st = ledger_.queries().Permit(id);
        if (!st) continue;
        const bool erased = ledger_.vault().IsErased(st->applicant);
        const StageInfo stage = StageOf(*st, *gov, erased);
        // A scheduled survey is recorded by its team: it is on the
        // worklist of those on it (another officer reschedules it with
        // themselves on the team, from the permit), and of those who
        // reschedule it once no one on it may record it (unless an order
        // erased the applicant's data: then it waits for its rejection).
        bool team_gone = false;
        if (!read_only && st->status == PermitStatus::kSurveyScheduled && !erased) {
          const bool on_team = std::find(st->survey_team.begin(), st->survey_team.end(),
                                         who.actor.id) != st->survey_team.end();
          team_gone = reschedules && stage.survey_team_unavailable;
          if (!(on_team && takes(stage.next_roles)) && !team_gone) continue;
        } else if (!read_only && !takes(stage.next_roles)) {
          continue;
        }
        json p = RenderStage(stage, *charter, now);
        // The steps this officer may take (a reader's worklist: all of them).
        if (!read_only) {
          json mine = json::array();
          for (const auto& a : p["next_actions"])
            if (charter->RoleMay(role, a.get<std::string>())) mine.push_back(a);
          p["next_actions"] = std::move(mine);
        }
        json item = {{"permit_id", id},
                     {"status", StatusName(st->status)},
                     {"business_name", st->business.name},
                     {"kelurahan", kel.code},
                     {"kelurahan_name", kel.name},
                     {"due_date", p["due_date"]},
                     {"overdue", p["overdue"]},
                     {"next_actions", p["next_actions"]},
                     {"version", st->version}};
        // The day of a scheduled survey, which its team plans its field day by.
        if (st->status == PermitStatus::kSurveyScheduled && !st->survey_date.empty())
          item["survey_date"] = st->survey_date;
        if (stage.survey_team_unavailable) item["survey_team_unavailable"] = true;
        items.push_back(std::move(item));
      }
    }
  }
  std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
    auto key = [](const json& j) {
      return j["due_date"].is_string() ? j["due_date"].get<std::string>() : std::string("9999");
    };
    return std::make_pair(key(a), a["permit_id"].get<std::string>()) <
           std::make_pair(key(b), b["permit_id"].get<std::string>());
  });
  json j = {
      {"officer", {{"id", who.actor.id}, {"role", role}, {"jurisdiction", who.actor.jurisdiction}}},
      {"read_only", read_only},
      {"items", items}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

}  // namespace pl
