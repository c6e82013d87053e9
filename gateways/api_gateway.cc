// The HTTP API's router: it authenticates the caller, refuses malformed
// paths and queries, and hands each request to its endpoint (the api_*.cc
// files, the transparency gateway); also how a command that was not taken is
// answered, the health check and the metrics.
#include "gateways/api_gateway.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "events/json.h"
#include "events/utf8.h"
#include "gateways/api_internal.h"
#include "gateways/api_render.h"
#include "gateways/static_files.h"
#include "gateways/transparency_gateway.h"
#include "gateways/url.h"

namespace pl {
namespace {

using json = nlohmann::json;

}  // namespace

bool RespondIfNotTaken(const HttpRequest& req, const Outcome& o, const Respond& respond) {
  if (o.error.code() == "outcome_unknown") {  // sent, but its outcome is late
    respond(
        ErrorResponse(req, http::status::gateway_timeout, "outcome_unknown", o.error.message()));
    return true;
  }
  if (!o.error.ok()) {
    // "unavailable" says what a client can do; any other code is the
    // server's own trouble, in words (and paths) for its operator: logged
    // (a disk short of its reserve by the processor, once), not shown.
    const std::string& code = o.error.code();
    if (code != "unavailable" && code != "disk_full") {
      // At most a line every 10 s: a store that fails fails every command.
      static std::atomic<int64_t> logged_at{-10'000};
      static std::atomic<uint64_t> left_out{0};
      const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now().time_since_epoch())
                              .count();
      int64_t last = logged_at.load();
      if (now - last >= 10'000 && logged_at.compare_exchange_strong(last, now))
        spdlog::error("a command to {}: {}: {} ({} more such failures since the last line)",
                      o.stream, code, o.error.message(), left_out.exchange(0));
      else
        ++left_out;
    }
    const std::string message =
        code == "unavailable" ? o.error.message()
        : code == "disk_full"
            ? "the ledger's disk is nearly full, and it takes no command until its operator "
              "frees space (the server's log says where). Nothing was written: send the "
              "command again later with the same command_id"
            : "the ledger could not take the command now (" + code +
                  "; the server's log says why). Send it again later with the same command_id: "
                  "a command taken already is answered as taken";
    HttpResponse res =
        ErrorResponse(req, http::status::service_unavailable, "unavailable", message);
    res.set(http::field::retry_after, "10");  // seconds; nothing was written
    respond(std::move(res));
    return true;
  }
  if (o.refusal) {
    std::string message = o.refusal->message;
    if (o.duplicate)
      message +=
          " (the answer to the first request with this command_id; to try again, send the "
          "request with a new command_id)";
    respond(ErrorResponse(req, RefusalStatus(o.refusal->code), o.refusal->code, message));
    return true;
  }
  return false;
}

http::status RefusalStatus(const std::string& code) {
  if (code == "version_conflict" || code == "already_exists" || code == "officer_exists")
    return http::status::conflict;
  if (code == "role_not_permitted" || code == "outside_jurisdiction" ||
      code == "officer_not_enrolled" || code == "not_on_survey_team")
    return http::status::forbidden;
  if (code == "unknown_permit") return http::status::not_found;
  if (code == "no_charter") return http::status::service_unavailable;
  return http::status::unprocessable_entity;
}

bool ApiGateway::Authenticate(const HttpRequest& req, Principal& who, const Respond& respond) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return true;
  const auto bearer = BearerToken(SV(it->value()));
  if (!bearer) {
    respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                          "the Authorization header must be 'Bearer <token>'"));
    return false;
  }
  const std::string& token = *bearer;
  if (ConstantTimeEqual(token, ledger_.admin_token())) {
    who.kind = Principal::Kind::kAdmin;
    who.actor = {"admin", "admin", ""};
    return true;
  }
  const std::string hash = HashToken(token);
  auto gov = ledger_.governance();
  if (auto o = gov->officer_by_token.find(hash); o != gov->officer_by_token.end()) {
    const Officer& officer = gov->officers.at(o->second);
    who.kind = Principal::Kind::kOfficer;
    who.actor = {officer.id, officer.role, officer.jurisdiction};
    return true;
  }
  if (auto permit =
          ledger_.queries().PermitByTracking(HashToken(Ledger::NormalizeTrackingCode(token)))) {
    who.kind = Principal::Kind::kApplicant;
    who.permit_id = *permit;
    who.actor = {"applicant", "applicant", *permit};
    return true;
  }
  // A subscriber's feed token sent elsewhere (a path mistyped, say) is
  // known: what is wrong is the path, not the token.
  if (const auto charter = gov->charter)
    for (const auto& sub : charter->data_sharing)
      if (ConstantTimeEqual(token, ledger_.SubscriberToken(sub.id, sub.token_generation))) {
        respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                              "this is the feed token of subscriber \"" + sub.id +
                                  "\", which opens its feed only: GET /v1/feeds/" + sub.id +
                                  " (check the path; what anyone may read is read without a "
                                  "token: send no Authorization header)"));
        return false;
      }
  respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                        "the token is not known: check the officer token or tracking code "
                        "(a subscriber's feed token reads only GET /v1/feeds/{subscriber}; "
                        "what anyone may read, such as the charter and the transparency log's "
                        "checkpoint, key and proofs, is read without a token: send no "
                        "Authorization header)"));
  return false;
}

void ApiGateway::Handle(HttpRequest&& req_in, Respond respond_in) {
  ++requests_;
  auto req = std::make_shared<HttpRequest>(std::move(req_in));
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Respond respond = [this, answered, respond_in = std::move(respond_in)](HttpResponse res) {
    answered->store(true);
    unsigned code = res.result_int();
    if (code < 400)
      ++responses_2xx_;
    else if (code < 500)
      ++responses_4xx_;
    else
      ++responses_5xx_;
    respond_in(std::move(res));
  };
  try {
    Dispatch(req, respond);
  } catch (const std::exception& e) {
    // A bug costs its request, not the server; the path is cut after its
    // second segment (a tracking code or an id is no business of the log).
    const std::string_view target(req->target().data(), req->target().size());
    size_t cut = target.find_first_of("/?", 1);
    if (cut != target.npos && target[cut] == '/') cut = target.find_first_of("/?", cut + 1);
    spdlog::error("http: answering {} {}{} failed: {}", std::string(req->method_string()),
                  target.substr(0, cut), cut == target.npos ? "" : "/...", e.what());
    if (!answered->load())
      respond(ErrorResponse(*req, http::status::internal_server_error, "internal",
                            "the server failed to answer this request; it was logged"));
  }
}

namespace {

// The charter adopted as version `v` (the value of query parameter
// `param`), or the answer that refuses it.
std::shared_ptr<const Charter> AdoptedVersion(const HttpRequest& req, const GovernanceState& gov,
                                              const std::string& param, const std::string& v,
                                              std::optional<HttpResponse>& refused) {
  // Written as every other number of the API: "01" is no version.
  const auto version = ParseDecimal(v, UINT32_MAX);
  if (!version) {
    const bool digits = !v.empty() && std::all_of(v.begin(), v.end(), ::isdigit);
    refused = ErrorResponse(
        req, http::status::bad_request, "invalid_parameter",
        "?" + param +
            "= must be a charter version number, a decimal number without leading zeroes (such "
            "as 2)" +
            (digits ? ", got \"" + v.substr(0, 20) + "\"" : std::string()));
    return nullptr;
  }
  for (const auto& [time, adopted] : gov.adopted)
    if (adopted->version == *version) return adopted;
  refused = ErrorResponse(
      req, http::status::not_found, "not_found",
      "charter version \"" + v.substr(0, 20) + "\" was never adopted; " +
          (gov.charter ? "versions 1 to " + std::to_string(gov.charter->version) + " were"
                       : std::string("none was")));
  return nullptr;
}

// Marks a request looked up again once the views moved on (Dispatch).
constexpr const char* kViewsWaited = "X-Permitledger-Views-Waited";
constexpr auto kViewsWait = std::chrono::seconds(2);

}  // namespace

void ApiGateway::WhenFound(std::function<bool()> found,
                           std::chrono::steady_clock::time_point deadline,
                           std::function<void()> done) {
  if (found() || std::chrono::steady_clock::now() >= deadline) return done();
  // Woken by the first partition whose views move on (or the deadline).
  auto once = std::make_shared<std::atomic<bool>>(false);
  const auto next = ledger_.engine().checkpoints();
  for (size_t p = 0; p < next.size(); ++p)
    ledger_.engine().WhenApplied(
        {PartitionId{static_cast<int32_t>(p)}, Offset{next[p]}},
        [=, this] {
          if (!once->exchange(true)) WhenFound(found, deadline, done);
        },
        deadline);
}

void ApiGateway::Dispatch(std::shared_ptr<HttpRequest> req, Respond respond) {
  // On Kafka, a tracking code or an officer's token that another instance
  // has just handed out may come before this instance's views hold it: it
  // is looked up again each time they move on, for 2 s at most, before it
  // is answered as unknown.
  auto again_once_known = [&](std::function<bool()> known) {
    if (!ledger_.kafka() || req->count(kViewsWaited) || known()) return false;
    req->set(kViewsWaited, "1");
    WhenFound(std::move(known), std::chrono::steady_clock::now() + kViewsWait,
              [this, req, respond] { Dispatch(req, respond); });
    return true;
  };
  // Paths are echoed in answers and used as keys: bytes that are not UTF-8,
  // raw or percent-encoded, are refused before anything reads them.
  const std::string_view target = SV(req->target());
  // Only a path names a resource here (not CONNECT's host:port, nor
  // OPTIONS' "*"; the server takes an absolute URL's path before this).
  if (!target.starts_with('/'))
    return respond(ErrorResponse(*req, http::status::bad_request, "malformed_request",
                                 "the request's target must be a path starting with / (this "
                                 "server is no proxy, and serves no OPTIONS *)"));
  const auto decoded = PercentDecode(target, /*plus_is_space=*/true);
  if (!decoded)
    return respond(ErrorResponse(*req, http::status::bad_request, "malformed_request",
                                 "the request's path or query has a malformed percent-escape: "
                                 "write % as %25, and any other escape as % and two hex digits"));
  if (!IsUtf8(target) || !IsUtf8(*decoded))
    return respond(
        ErrorResponse(*req, http::status::bad_request, "malformed_request",
                      "the request's path or query is not valid UTF-8 (after percent-decoding)"));
  auto parts = *PathParts(target);
  // A permit id typed in small letters: ids are issued in capitals (looked
  // up as typed first; an id in capitals, as every issued one, costs nothing).
  if (parts.size() >= 3 && parts[0] == "v1" && parts[1] == "permits" &&
      std::any_of(parts[2].begin(), parts[2].end(),
                  [](unsigned char c) { return std::islower(c); }) &&
      !ledger_.queries().Permit(parts[2])) {
    if (std::string upper = Capitals(parts[2]); ledger_.queries().Permit(upper))
      parts[2] = std::move(upper);
  }
  // Nor a character that reorders what is shown (an id is echoed in
  // messages and logs).
  for (const auto& part : parts)
    if (auto c = FirstControl(part, /*line_breaks_too=*/true))
      return respond(ErrorResponse(*req, http::status::bad_request, "malformed_request",
                                   "the request's path holds the control character " + *c +
                                       " (such as %00, %0A or a direction override): no id or "
                                       "name holds one; remove it"));
  // A compressed body would read as text that is not UTF-8: say why.
  if (auto coding = req->find(http::field::content_encoding);
      coding != req->end() && !boost::beast::iequals(coding->value(), "identity"))
    return respond(ErrorResponse(*req, http::status::bad_request, "malformed_request",
                                 "the body is sent with Content-Encoding \"" +
                                     std::string(SV(coding->value())).substr(0, 40) +
                                     "\", which the ledger does not take: send it uncompressed"));
  const auto method = req->method();
  auto not_found = [&] {
    respond(ErrorResponse(*req, http::status::not_found, "not_found",
                          "no such resource: " + std::string(PathOf(target))));
  };
  // An empty segment ("/v1/permits//actions": a permit id left out; a
  // trailing "/" of the API) names no resource; it is not read as the path
  // without it.
  auto empty_part = [&] {
    respond(ErrorResponse(
        *req, http::status::not_found, "not_found",
        "no such resource: " + std::string(PathOf(target)) + " (a part of the path is empty)"));
  };
  if (PathOf(target).find("//") != std::string_view::npos) return empty_part();

  // A known resource asked with another method than its own is 405 (with
  // Allow); an unknown one is 404 whatever the method. A query naming a
  // parameter the resource does not take is 400.
  auto wrong_method = [&](const char* allow) { respond(MethodNotAllowed(*req, allow)); };
  auto query = [&](std::initializer_list<std::string_view> takes) {
    return QueryOrRefuse(*req, takes, respond);
  };
  auto get = [&](std::initializer_list<std::string_view> takes, auto&& handle) {
    if (method != http::verb::get) return wrong_method("GET, HEAD");
    if (auto q = query(takes)) handle(*q);
  };
  auto post = [&](auto&& handle) {
    if (method != http::verb::post) return wrong_method("POST");
    if (query({})) handle();
  };
  // A web page takes its own query (the page's script reads it).
  if (web_ &&
      (parts.empty() || (parts[0] != "v1" && parts[0] != "healthz" && parts[0] != "metrics"))) {
    HttpResponse page = web_->Serve(*req);
    if (method == http::verb::get || page.result() == http::status::not_found)
      return respond(std::move(page));
    return wrong_method("GET, HEAD");
  }
  if (PathOf(target).size() > 1 && PathOf(target).ends_with('/')) return empty_part();
  if (parts.size() == 1 && parts[0] == "healthz") {
    return get({}, [&](const Query&) {
      // 503 while this process refuses every command for its disk (checked
      // now). A Kafka cluster out of reach is said with 200: the mark is
      // cleared by a command that reaches it, which a balancer that took
      // the process out of service would never send.
      const uint64_t free = ledger_.disk_free(), reserve = ledger_.disk_reserve();
      json j = {{"status", "ok"}, {"events_applied", ledger_.engine().events_applied()}};
      if (free < reserve) {
        j["status"] = "disk_full";
        j["message"] = "the data directory's disk has " + std::to_string(free >> 20) +
                       " MiB free, less than the " + std::to_string(reserve >> 20) +
                       " MiB reserve: commands are refused until space is freed";
      } else if (!ledger_.backend().log_reachable()) {
        j["status"] = "log_unreachable";
        j["message"] =
            "the last commands did not reach the Kafka cluster: commands are refused (503) "
            "until one does";
      }
      respond(JsonResponse(
          *req, j["status"] == "disk_full" ? http::status::service_unavailable : http::status::ok,
          j.dump()));
    });
  }
  if (parts.size() == 1 && parts[0] == "metrics")
    return get({}, [&](const Query&) { GetMetrics(*req, respond); });
  if (parts.empty() || parts[0] != "v1") return not_found();

  const size_t n = parts.size();
  // A feed authenticates its subscriber itself: the subscriber token is no
  // principal of the API.
  if (n == 3 && parts[1] == "feeds")
    return get({"after", "limit", "wait"},
               [&](const Query& q) { GetFeed(*req, parts[2], q, respond); });

  // The public answers are the same for anyone: credentials sent along
  // (a client that sends its token on every request, a proxy's) are not
  // read, nor refused.
  if (n >= 2 && parts[1] == "public") {
    if (n == 3 && parts[2] == "stats")
      return get({}, [&](const Query&) { GetStats(*req, respond); });
    if (n == 3 && parts[2] == "register")
      return get({"kelurahan", "q", "after"},
                 [&](const Query& q) { GetRegister(*req, q, respond); });
    if (n == 4 && parts[2] == "verify")
      return get({"held"}, [&](const Query& q) { GetVerify(*req, parts[3], q, respond); });
    if (n == 5 && parts[2] == "verify" && parts[4] == "qr")
      return get({}, [&](const Query&) {
        TransparencyGateway(ledger_).GetQr(*req, parts[3], public_url_, respond);
      });
    return not_found();
  }
  // So are the reads that need no token and answer anyone the same: a
  // tracking, the charter and its changes, the log's key, checkpoints and
  // proofs.
  // A tracking: the code in the path, or as the bearer token.
  const bool tracking = (n == 2 || n == 3) && parts[1] == "track";
  const bool same_for_anyone =
      method == http::verb::get &&
      (tracking || (n == 2 && parts[1] == "charter") ||
       (n == 3 && parts[1] == "charter" && parts[2] == "changes") ||
       (n >= 3 && parts[1] == "transparency" &&
        (parts[2] == "key" || parts[2] == "checkpoint" || parts[2] == "proof")));
  Principal who;
  if (!same_for_anyone) {
    if (again_once_known([this, req] {
          // Known too: a token refused for what it is (a feed token sent
          // elsewhere, 403), not as unknown (401).
          Principal known;
          bool refused_as_known = false;
          return Authenticate(*req, known,
                              [&](const HttpResponse& r) {
                                refused_as_known = r.result() != http::status::unauthorized;
                              }) ||
                 refused_as_known;
        }))
      return;
    if (!Authenticate(*req, who, respond)) return;
  }
  if (n >= 2 && parts[1] == "transparency") {
    auto may_read = [&](const StreamId& stream) {
      auto charter = ledger_.governance()->charter;
      auto state = ledger_.queries().Permit(stream.str());
      return charter && state && MayRead(who, *state, *charter);
    };
    return TransparencyGateway(ledger_).Handle(
        *req, parts,
        who.kind == Principal::Kind::kAdmin       ? TransparencyGateway::Caller::kAdmin
        : who.kind == Principal::Kind::kAnonymous ? TransparencyGateway::Caller::kAnonymous
        : who.kind == Principal::Kind::kApplicant ? TransparencyGateway::Caller::kApplicant
                                                  : TransparencyGateway::Caller::kOfficer,
        may_read, respond);
  }

  if (n == 2 && parts[1] == "officers") {
    if (method == http::verb::get)
      return get({}, [&](const Query&) { GetOfficers(*req, who, respond); });
    if (method != http::verb::post) return wrong_method("GET, HEAD, POST");
    return post([&] { PostOfficer(*req, who, respond); });
  }
  if (n == 4 && parts[1] == "officers" && parts[3] == "retire")
    return post([&] { PostRetirement(*req, who, parts[2], respond); });
  if (n == 2 && parts[1] == "applications")
    return post([&] { PostApplication(*req, who, respond); });
  if (n == 3 && parts[1] == "admin" && parts[2] == "backup")
    return post([&] { PostBackup(*req, who, respond); });
  if (n == 4 && parts[1] == "permits" && parts[3] == "actions")
    return post([&] { PostAction(*req, who, parts[2], respond); });
  if (n == 2 && parts[1] == "permits")
    return get({"kelurahan", "status", "after"},
               [&](const Query& q) { GetPermits(*req, who, q, respond); });
  if (n == 3 && parts[1] == "permits")
    return get({}, [&](const Query&) { GetPermit(*req, who, parts[2], false, respond); });
  if (n == 4 && parts[1] == "permits" && parts[3] == "history")
    return get({}, [&](const Query&) { GetPermit(*req, who, parts[2], true, respond); });
  if (n == 2 && parts[1] == "charter") {
    if (method == http::verb::put) {
      if (query({})) PutCharter(*req, who, respond);
      return;
    }
    if (method != http::verb::get) return wrong_method("GET, HEAD, PUT");
    return get({"version"}, [&](const Query& q) {
      auto gov = ledger_.governance();
      std::shared_ptr<const Charter> c = gov->charter;
      std::optional<HttpResponse> refused;
      if (const auto given = q.Get("version"))
        c = AdoptedVersion(*req, *gov, "version", *given, refused);
      if (refused) return respond(std::move(*refused));
      if (!c) return not_found();
      respond(JsonResponse(*req, http::status::ok, c->canonical_json));
    });
  }
  // What an amendment changed: an RFC 6902 JSON Patch from one version to
  // another (by default the one in force and the version before it).
  if (n == 3 && parts[1] == "charter" && parts[2] == "changes")
    return get({"from", "to"}, [&](const Query& q) {
      auto gov = ledger_.governance();
      if (!gov->charter) return not_found();
      std::optional<HttpResponse> refused;
      std::shared_ptr<const Charter> to = gov->charter, from;
      if (const auto given = q.Get("to")) to = AdoptedVersion(*req, *gov, "to", *given, refused);
      if (!refused && q.Get("from"))
        from = AdoptedVersion(*req, *gov, "from", *q.Get("from"), refused);
      else if (!refused && to->version > 1)
        from = AdoptedVersion(*req, *gov, "from", std::to_string(to->version - 1), refused);
      if (refused) return respond(std::move(*refused));
      if (from && from->version > to->version)
        return respond(ErrorResponse(
            *req, http::status::bad_request, "invalid_parameter",
            "?from= (" + std::to_string(from->version) + ") must not be above ?to= (" +
                std::to_string(to->version) + "): the changes are read from the older version"));
      // Version 1 is compared with nothing: every key of it is added. The
      // version number, which every amendment changes, is `from` and `to`.
      json before = from ? json::parse(from->canonical_json) : json::object();
      json after = json::parse(to->canonical_json);
      before.erase("charter_version");
      after.erase("charter_version");
      json j = {{"from", from ? from->version : 0},
                {"to", to->version},
                {"patch", ChangesPatch(before, after)}};
      // When `to` took effect (its charter_adopted event's time).
      for (const auto& [time, adopted] : gov->adopted)
        if (adopted == to) j["adopted_at"] = IsoTime(time);
      respond(JsonResponse(*req, http::status::ok, j.dump()));
    });
  if (n == 4 && parts[1] == "audit" && parts[2] == "officers")
    return get({"after", "limit"},
               [&](const Query& q) { GetOfficerTrail(*req, who, parts[3], q, respond); });
  if (n == 4 && parts[1] == "feeds" && parts[3] == "token")
    return get({}, [&](const Query&) { GetFeedToken(*req, who, parts[2], respond); });
  if (tracking) {
    // The code in the path, or as the bearer token: out of the URL, which
    // a reverse proxy's access log keeps (the pages send it so).
    std::string code = n == 3 ? parts[2] : "";
    if (auto it = req->find(http::field::authorization); n == 2 && it != req->end())
      code = BearerToken(SV(it->value())).value_or("");
    if (n == 2 && code.empty() && method == http::verb::get)
      return respond(ErrorResponse(*req, http::status::unauthorized, "unauthenticated",
                                   "send the tracking code as 'Authorization: Bearer <code>' (or "
                                   "in the path: GET /v1/track/{code})"));
    if (method == http::verb::get && again_once_known([this, code] {
          return ledger_.queries()
              .PermitByTracking(HashToken(Ledger::NormalizeTrackingCode(code)))
              .has_value();
        }))
      return;
    return get({}, [&](const Query&) { GetTrack(*req, code, respond); });
  }
  if (n == 2 && parts[1] == "worklist")
    return get({}, [&](const Query&) { GetWorklist(*req, who, respond); });
  return not_found();
}

void ApiGateway::GetMetrics(const HttpRequest& req, Respond respond) {
  std::string out;
  auto line = [&](const std::string& name, const std::string& help, const std::string& type,
                  const std::string& labels, uint64_t v) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    out += name + labels + " " + std::to_string(v) + "\n";
  };
  line("permitledger_http_requests_total", "HTTP requests received.", "counter", "", requests_);
  out +=
      "# HELP permitledger_http_responses_total HTTP responses by status class.\n"
      "# TYPE permitledger_http_responses_total counter\n";
  out +=
      "permitledger_http_responses_total{class=\"2xx\"} " + std::to_string(responses_2xx_) + "\n";
  out +=
      "permitledger_http_responses_total{class=\"4xx\"} " + std::to_string(responses_4xx_) + "\n";
  out +=
      "permitledger_http_responses_total{class=\"5xx\"} " + std::to_string(responses_5xx_) + "\n";
  line("permitledger_commands_accepted_total", "Commands the domain accepted.", "counter", "",
       ledger_.commands_accepted());
  line("permitledger_commands_refused_total", "Commands the domain refused.", "counter", "",
       ledger_.commands_refused());
  line("permitledger_projection_events_applied_total", "Events applied to the views.", "counter",
       "", ledger_.engine().events_applied());
  // 0 on every instance of a Kafka ledger: no one decides its commands.
  line("permitledger_partitions_deciding",
       "Log partitions whose commands this process decides now.", "gauge", "",
       ledger_.partitions_deciding());
  // 0 while a Kafka cluster out of reach has commands refused at once (503).
  line("permitledger_log_reachable", "Whether commands reach the event log now (1) or not (0).",
       "gauge", "", ledger_.backend().log_reachable() ? 1 : 0);
  line("permitledger_disk_free_bytes", "Bytes free on the data directory's disk.", "gauge", "",
       ledger_.disk_free());
  line("permitledger_disk_reserve_bytes",
       "Free bytes below which commands are refused (503) to keep the stores whole.", "gauge", "",
       ledger_.disk_reserve());
  line("permitledger_vault_keys_missing",
       "Applications whose personal data's key the vault lacks with no erasure, counted at start "
       "(the server's log names them).",
       "gauge", "", ledger_.keys_missing());
  auto cps = ledger_.engine().checkpoints();
  out +=
      "# HELP permitledger_log_end_offset Next offset of each log partition.\n"
      "# TYPE permitledger_log_end_offset gauge\n";
  for (size_t p = 0; p < cps.size(); ++p) {
    // Never a wait on the cluster here: an HTTP thread answers (a cluster
    // out of reach gives the end last known, the first scrape after a start
    // the one known at start). The log holds at least what the views
    // applied: never a negative lag.
    auto end = ledger_.log().EndOffsetNow(PartitionId{static_cast<int32_t>(p)});
    out += "permitledger_log_end_offset{partition=\"" + std::to_string(p) + "\"} " +
           std::to_string(std::max(end.ok() ? end->value : 0, cps[p])) + "\n";
  }
  out +=
      "# HELP permitledger_projection_checkpoint Next offset the views will apply.\n"
      "# TYPE permitledger_projection_checkpoint gauge\n";
  for (size_t p = 0; p < cps.size(); ++p)
    out += "permitledger_projection_checkpoint{partition=\"" + std::to_string(p) + "\"} " +
           std::to_string(cps[p]) + "\n";
  HttpResponse res{http::status::ok, req.version()};
  res.set(http::field::content_type, "text/plain; version=0.0.4");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(out);
  respond(std::move(res));
}

}  // namespace pl
