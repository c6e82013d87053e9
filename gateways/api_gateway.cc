#include "gateways/api_gateway.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>

#include "domain/decider.h"
#include "events/json.h"
#include "events/utf8.h"
#include "gateways/api_parse.h"
#include "gateways/api_render.h"
#include "gateways/crockford.h"
#include "gateways/static_files.h"
#include "gateways/transparency_gateway.h"
#include "gateways/url.h"
#include "projections/feed_projection.h"

namespace pl {
namespace {

using json = nlohmann::json;

std::string_view SV(boost::beast::string_view v) { return {v.data(), v.size()}; }

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A text of an action that people who may not see the applicant read, and
// who they are (the start of a refusal's message).
struct SharedText {
  const std::string* text;
  const char* read_by;
};
std::optional<SharedText> SharedTextOf(const Action& a) {
  constexpr const char* kFeed = "the reason is published (to the ministry's feed)";
  if (const auto* r = std::get_if<Reject>(&a)) return SharedText{&r->reason, kFeed};
  if (const auto* d = std::get_if<DeclineRecommendation>(&a)) return SharedText{&d->reason, kFeed};
  if (const auto* w = std::get_if<Withdraw>(&a)) return SharedText{&w->reason, kFeed};
  if (const auto* v = std::get_if<Revoke>(&a))
    return SharedText{&v->reason,
                      "the reason is published (on the public verification page, forever, and "
                      "to the ministry's feed)"};
  if (const auto* s = std::get_if<RecordSurvey>(&a))
    return SharedText{&s->notes,
                      "the survey note is kept in the permit's history, which monitors and "
                      "auditors read,"};
  if (const auto* e = std::get_if<ErasePersonalData>(&a))
    return SharedText{&e->legal_basis,
                      "the legal basis stays in the permit's history for good (the erasure "
                      "does not reach it),"};
  return std::nullopt;
}

// Why `who` may not read the permit: whose it is, and where `who` works
// (an applicant's tracking code opens its own application only).
std::string OutsideJurisdiction(const Principal& who, const std::string& permit_id,
                                const PermitState& state) {
  if (who.kind == Principal::Kind::kApplicant)
    return "permit " + permit_id + " is not the application this tracking code opens";
  return "permit " + permit_id + " is of kelurahan " + state.kelurahan + "; your role " +
         who.actor.role + " covers " + who.actor.jurisdiction;
}

// The token of an Authorization header "Bearer <token>" (the scheme in any
// case, RFC 9110 11.1), or nullopt.
std::optional<std::string> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), header.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    return std::nullopt;
  return std::string(header.substr(kScheme.size()));
}

// Answers 409 command_id_reused (and says true) when `o` repeats a command
// id whose first request was the same action with other fields than this
// request's (`digest`, ActionDigest): that is another request, not a retry.
bool RefuseReusedId(const HttpRequest& req, const Outcome& o, const std::string& digest,
                    const Respond& respond) {
  if (!o.duplicate || !o.error.ok() || o.digest.empty() || o.digest == digest) return false;
  respond(ErrorResponse(req, http::status::conflict, "command_id_reused",
                        "command_id " + o.command_id.str() + " was already used for " + o.action +
                            " with other fields" + (o.refusal ? ", and refused" : "") +
                            "; this is another request: send it with a new command_id"));
  return true;
}

// Who sent what, in canonical form and without its command_id: a secret
// derived from it (a tracking code, an officer's token) is given again to the
// same request sent again, and to no other. The body was parsed before.
std::string RequestFingerprint(const HttpRequest& req, const Principal& who) {
  json request = json::parse(req.body());
  request.erase("command_id");
  return who.actor.id + '\0' + request.dump();
}

}  // namespace

// Permit ids: "P" and 12 Crockford base32 characters of SHA-256(command id),
// so a retried submission (same command id) names the same permit.
std::string PermitIdFor(const std::string& command_id) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(command_id.data()), command_id.size(), md);
  return "P" + Crockford32(md, 12);
}

// Whether `who` may read the permit in `state` (and its history).
bool MayRead(const Principal& who, const PermitState& state, const Charter& charter) {
  switch (who.kind) {
    case Principal::Kind::kAdmin:
      return true;
    case Principal::Kind::kApplicant:
      return who.permit_id == state.permit_id;
    case Principal::Kind::kOfficer:
      return charter.Covers(who.actor.role, who.actor.jurisdiction, state.kelurahan);
    default:
      return false;
  }
}

// Whether `who` sees the applicant's personal data on that permit: the
// applicant, and officers of the roles the charter shows it to.
bool SeesApplicant(const Principal& who, const PermitState& state, const Charter& charter) {
  return MayRead(who, state, charter) &&
         (who.kind == Principal::Kind::kApplicant ||
          (who.kind == Principal::Kind::kOfficer && charter.SeesPersonalData(who.actor.role)));
}

bool RespondIfNotTaken(const HttpRequest& req, const Outcome& o, const Respond& respond) {
  if (o.error.code() == "outcome_unknown") {  // sent, but its outcome is late
    respond(
        ErrorResponse(req, http::status::gateway_timeout, "outcome_unknown", o.error.message()));
    return true;
  }
  if (!o.error.ok()) {
    respond(
        ErrorResponse(req, http::status::service_unavailable, "unavailable", o.error.message()));
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
      code == "officer_not_enrolled")
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
  respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                        "the token is not known: check the officer token or tracking code "
                        "(a subscriber's feed token reads only GET /v1/feeds/{subscriber})"));
  return false;
}

void ApiGateway::Handle(HttpRequest&& req_in, Respond respond_in) {
  ++requests_;
  auto req = std::make_shared<HttpRequest>(std::move(req_in));
  Respond respond = [this, respond_in = std::move(respond_in)](HttpResponse res) {
    unsigned code = res.result_int();
    if (code < 400)
      ++responses_2xx_;
    else if (code < 500)
      ++responses_4xx_;
    else
      ++responses_5xx_;
    respond_in(std::move(res));
  };
  // Paths are echoed in answers and used as keys: bytes that are not UTF-8,
  // raw or percent-encoded, are refused before anything reads them.
  const std::string_view target = SV(req->target());
  const auto decoded = PercentDecode(target, /*plus_is_space=*/true);
  if (!decoded)
    return respond(ErrorResponse(*req, http::status::bad_request, "malformed_request",
                                 "the request's path or query has a malformed percent-escape: "
                                 "write % as %25, and any other escape as % and two hex digits"));
  if (!IsUtf8(target) || !IsUtf8(*decoded))
    return respond(
        ErrorResponse(*req, http::status::bad_request, "malformed_request",
                      "the request's path or query is not valid UTF-8 (after percent-decoding)"));
  const auto parts = *PathParts(target);
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
      json j = {{"status", "ok"}, {"events_applied", ledger_.engine().events_applied()}};
      respond(JsonResponse(*req, http::status::ok, j.dump()));
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

  Principal who;
  if (!Authenticate(*req, who, respond)) return;
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
                                                  : TransparencyGateway::Caller::kOther,
        may_read, respond);
  }

  if (n == 2 && parts[1] == "officers") return post([&] { PostOfficer(*req, who, respond); });
  if (n == 4 && parts[1] == "officers" && parts[3] == "retire")
    return post([&] { PostRetirement(*req, who, parts[2], respond); });
  if (n == 2 && parts[1] == "applications")
    return post([&] { PostApplication(*req, who, respond); });
  if (n == 4 && parts[1] == "permits" && parts[3] == "actions")
    return post([&] { PostAction(*req, who, parts[2], respond); });
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
    return get({}, [&](const Query&) {
      auto c = ledger_.governance()->charter;
      if (!c) return not_found();
      respond(JsonResponse(*req, http::status::ok, c->canonical_json));
    });
  }
  if (n == 4 && parts[1] == "audit" && parts[2] == "officers")
    return get({"after", "limit"},
               [&](const Query& q) { GetOfficerTrail(*req, who, parts[3], q, respond); });
  if (n == 4 && parts[1] == "feeds" && parts[3] == "token")
    return get({}, [&](const Query&) { GetFeedToken(*req, who, parts[2], respond); });
  if (n == 3 && parts[1] == "track")
    return get({}, [&](const Query&) { GetTrack(*req, parts[2], respond); });
  if (n == 2 && parts[1] == "worklist")
    return get({}, [&](const Query&) { GetWorklist(*req, who, respond); });
  if (n == 3 && parts[1] == "public" && parts[2] == "stats")
    return get({}, [&](const Query&) {
      respond(JsonResponse(*req, http::status::ok, ledger_.queries().Stats().dump()));
    });
  if (n == 3 && parts[1] == "public" && parts[2] == "register")
    return get({"kelurahan", "q"}, [&](const Query& q) { GetRegister(*req, q, respond); });
  if (n == 4 && parts[1] == "public" && parts[2] == "verify")
    return get({}, [&](const Query&) { GetVerify(*req, parts[3], respond); });
  if (n == 5 && parts[1] == "public" && parts[2] == "verify" && parts[4] == "qr")
    return get({},
               [&](const Query&) { TransparencyGateway(ledger_).GetQr(*req, parts[3], respond); });
  return not_found();
}

namespace {

// 401 for the anonymous, 403 for everyone but the administrator.
bool RefuseUnlessAdmin(const HttpRequest& req, const Principal& who, const char* what,
                       const Respond& respond) {
  if (who.kind == Principal::Kind::kAdmin) return false;
  if (who.kind == Principal::Kind::kAnonymous) {
    respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                          std::string(what) + " needs the administrator's token"));
  } else {
    respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                          std::string("only the administrator may do this: ") + what));
  }
  return true;
}

}  // namespace

bool ApiGateway::RefuseUnknownSubscriber(const HttpRequest& req, const std::string& subscriber,
                                         const Respond& respond) {
  auto c = ledger_.governance()->charter;
  if (c && c->FindSubscriber(subscriber)) return false;
  respond(ErrorResponse(
      req, http::status::not_found, "unknown_subscriber",
      "\"" + subscriber + "\" is not a subscriber of the data-sharing policy in force"));
  return true;
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
    return respond(
        JsonResponse(req, http::status::ok,
                     json{{"charter_version", in_force->version}, {"duplicate", true}}.dump()));
  // The implicit command id names the document and the version in force: a
  // retry is answered as the first request was, while the same document
  // sent after the charter moved on is decided afresh (its first answer
  // would name a version that is no longer the next).
  Command cmd;
  cmd.id = CommandId(
      "charter-" +
      HashToken(text + "\n" + std::to_string(in_force ? in_force->version : 0)).substr(0, 32));
  cmd.stream = kGovernanceStream;
  cmd.actor = who.actor;
  cmd.action = AdoptCharter{std::move(text)};
  ledger_.Execute(std::move(cmd), [=, this, req = req](Outcome o) {
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
    json j = {{"charter_version", c ? c->version : 0}, {"duplicate", o.duplicate}};
    respond(JsonResponse(req, http::status::ok, j.dump()));
  });
}

void ApiGateway::GetFeedToken(const HttpRequest& req, const Principal& who,
                              const std::string& subscriber, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "a subscriber token", respond)) return;
  if (RefuseUnknownSubscriber(req, subscriber, respond)) return;
  json j = {{"subscriber", subscriber}, {"token", ledger_.SubscriberToken(subscriber)}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::GetFeed(const HttpRequest& req, const std::string& subscriber, const Query& query,
                         Respond respond) {
  if (RefuseUnknownSubscriber(req, subscriber, respond)) return;
  auto auth = req.find(http::field::authorization);
  const auto given = auth == req.end() ? std::nullopt : BearerToken(SV(auth->value()));
  if (!given || (!ConstantTimeEqual(*given, ledger_.SubscriberToken(subscriber)) &&
                 !ConstantTimeEqual(*given, ledger_.admin_token())))
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "a feed needs 'Authorization: Bearer <token>' with the token of "
                                 "subscriber \"" +
                                     subscriber + "\" (the administrator hands it out)"));
  // Resume position: the Last-Event-ID header (what EventSource sends on a
  // reconnection), else ?after=; 0 starts at the beginning.
  std::string after_text = query.Value("after");
  if (auto h = req.find("Last-Event-ID"); h != req.end()) after_text = std::string(SV(h->value()));
  std::string limit_text = query.Value("limit");
  auto number = [](const std::string& t, uint64_t dflt) -> std::optional<uint64_t> {
    if (t.empty()) return dflt;
    if (t.size() > 19 || !std::all_of(t.begin(), t.end(), ::isdigit)) return std::nullopt;
    return std::stoull(t);
  };
  auto after = number(after_text, 0);
  auto limit = number(limit_text, kFeedPage);
  auto wait = number(query.Value("wait"), 0);
  auto invalid = [&](const std::string& what) {
    respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter", what));
  };
  if (!after)
    return invalid("Last-Event-ID (or ?after=) must be a message sequence number, got \"" +
                   after_text.substr(0, 40) + "\"");
  if (!limit || *limit == 0 || *limit > kFeedPage)
    return invalid("?limit= must be a number from 1 to " + std::to_string(kFeedPage) + ", got \"" +
                   limit_text.substr(0, 40) + "\"");
  if (!wait || *wait > kFeedMaxWaitS)
    return invalid("?wait= must be seconds from 0 to " + std::to_string(kFeedMaxWaitS));
  if (*wait == 0) return respond(FeedPage(req, subscriber, *after, *limit));
  if (FeedProjection::LastSeq(ledger_.engine().db(), subscriber) > *after) {
    size_t messages = 0;
    HttpResponse page = FeedPage(req, subscriber, *after, *limit, &messages);
    if (messages > 0) return respond(std::move(page));
  }
  // Nothing new yet (or the next message waits for its key): the answer
  // waits for the next message (long poll).
  std::lock_guard lock(feed_mu_);
  feed_waiters_.push_back({std::make_shared<HttpRequest>(req), subscriber, *after, *limit,
                           std::chrono::steady_clock::now() + std::chrono::seconds(*wait),
                           std::move(respond)});
  if (!feed_thread_.joinable()) feed_thread_ = std::thread([this] { WatchFeeds(); });
}

HttpResponse ApiGateway::FeedPage(const HttpRequest& req, const std::string& subscriber,
                                  uint64_t after, uint64_t limit, size_t* messages) {
  if (messages) *messages = 0;
  // One page per response; the stream then ends and EventSource reconnects
  // after `retry` milliseconds with the last id it saw.
  std::string body = "retry: " + std::to_string(kFeedRetryMs) + "\n\n";
  for (const auto& m : FeedProjection::Read(ledger_.engine().db(), subscriber, after, limit)) {
    bool key_pending = false;
    std::string data =
        RenderFeedMessage(m, ledger_.vault(), ledger_.queries(), nullptr, &key_pending);
    // The page ends before a message whose applicant's key is on its way;
    // the client asks again after `retry`.
    if (key_pending && key_wait_.Hold(subscriber, m.seq, KeyWait::Clock::now())) break;
    body += "id: " + std::to_string(m.seq) + "\ndata: " + data + "\n\n";
    if (messages) ++*messages;
  }
  HttpResponse res{http::status::ok, req.version()};
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

void ApiGateway::WatchFeeds() {
  std::unique_lock lock(feed_mu_);
  while (!feed_stopping_) {
    feed_cv_.wait_for(lock, std::chrono::milliseconds(50));
    const auto now = std::chrono::steady_clock::now();
    std::vector<FeedWaiter> ready, waiting;
    for (auto& w : feed_waiters_) {
      const bool due = now >= w.deadline ||
                       FeedProjection::LastSeq(ledger_.engine().db(), w.subscriber) > w.after;
      (due ? ready : waiting).push_back(std::move(w));
    }
    feed_waiters_ = std::move(waiting);
    lock.unlock();
    std::vector<FeedWaiter> again;  // the next message waits for its key
    for (auto& w : ready) {
      size_t messages = 0;
      HttpResponse page = FeedPage(*w.req, w.subscriber, w.after, w.limit, &messages);
      if (messages == 0 && now < w.deadline)
        again.push_back(std::move(w));
      else
        w.respond(std::move(page));
    }
    lock.lock();
    for (auto& w : again) feed_waiters_.push_back(std::move(w));
  }
}

ApiGateway::~ApiGateway() {
  {
    std::lock_guard lock(feed_mu_);
    feed_stopping_ = true;
  }
  feed_cv_.notify_all();
  if (feed_thread_.joinable()) feed_thread_.join();
}

void ApiGateway::PostOfficer(const HttpRequest& req, const Principal& who, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "enrolling an officer", respond)) return;
  JsonInput in = JsonInput::Parse(req.body());
  EnrollOfficer e;
  e.officer_id = in.String("id", true, 64);
  e.name = in.String("name", true, 200);
  e.role = in.String("role", true, 64);
  // A role of scope "all" (an auditor, say) works nowhere in particular.
  e.jurisdiction = in.OptionalString("kelurahan", 64).value_or("");
  auto command_id = in.OptionalString("command_id", 128);
  in.RejectUnknown();
  if (!in.ok())
    return respond(
        ErrorResponse(req, http::status::bad_request, in.error().code, in.error().message));
  if (auto bad = command_id ? CommandIdError(*command_id) : std::nullopt)
    return respond(ErrorResponse(req, http::status::bad_request, bad->code, bad->message));
  // With a command_id the token is bound to the request, so a retry (the
  // answer was lost) gets it again; without one it is random, shown once.
  const std::string token = command_id
                                ? ledger_.OfficerToken(*command_id, RequestFingerprint(req, who))
                                : RandomToken(24);
  e.token_hash = HashToken(token);
  Command cmd;
  cmd.id =
      CommandId(command_id.value_or("enroll-" + e.officer_id + "-" + e.token_hash.substr(0, 8)));
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
  in.RejectUnknown();
  if (!in.ok())
    return respond(
        ErrorResponse(req, http::status::bad_request, in.error().code, in.error().message));
  if (auto bad = command_id ? CommandIdError(*command_id) : std::nullopt)
    return respond(ErrorResponse(req, http::status::bad_request, bad->code, bad->message));
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
    json j = {{"officer_id", officer_id}, {"retired", true}, {"duplicate", o.duplicate}};
    respond(JsonResponse(req, http::status::ok, j.dump()));
  });
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
  // A published reason, or a survey note, may not name the applicant. The
  // domain refuses identity numbers but never sees names in the clear; this
  // gateway opens the name, and compares only for senders who see it
  // anyway: to anyone else the answer would tell whether a guessed name is
  // the applicant's.
  if (auto shared = SharedTextOf(parsed->action)) {
    auto charter = ledger_.governance()->charter;
    auto state = ledger_.queries().Permit(permit_id);
    if (charter && state && !state->personal_erased && SeesApplicant(who, *state, *charter)) {
      auto personal = ledger_.vault().Unseal(state->applicant);
      if (personal.ok() && MentionsName(*shared->text, personal->name))
        return respond(ErrorResponse(
            req, http::status::unprocessable_entity, "personal_data_in_text",
            std::string(shared->read_by) + " and may not name the applicant; write it without "
                                           "the name"));
    }
  }
  Command cmd;
  cmd.id = parsed->command_id;
  cmd.stream = StreamId(permit_id);
  cmd.actor = who.actor;
  cmd.expected_version = parsed->expected_version;
  const std::string action = ActionName(parsed->action);
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

void ApiGateway::GetPermit(const HttpRequest& req, const Principal& who,
                           const std::string& permit_id, bool history, Respond respond) {
  if (who.kind == Principal::Kind::kAnonymous)
    return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                 "reading a permit needs an officer token or the tracking code"));
  auto gov = ledger_.governance();
  auto charter = gov->charter;
  auto state = ledger_.queries().Permit(permit_id);
  if (!state || !charter)
    return respond(ErrorResponse(req, http::status::not_found, "unknown_permit",
                                 "there is no permit " + permit_id));
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
  const std::string limit_text = query.Value("limit");
  uint64_t limit = 500;
  if (!limit_text.empty()) {
    if (limit_text.size() > 4 || !std::all_of(limit_text.begin(), limit_text.end(), ::isdigit) ||
        (limit = std::stoull(limit_text)) == 0 || limit > 1000)
      return respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter",
                                   "?limit= must be a number from 1 to 1000"));
  }
  auto page = ledger_.queries().ActorTrail(officer_id, query.Value("after"), limit);
  // A retired officer is no longer enrolled but keeps its trail; an id that
  // was never enrolled and never acted is most likely mistyped.
  if (page.events.empty() && !page.unknown_cursor && officer_id != "admin" &&
      !ledger_.governance()->officers.contains(officer_id))
    return respond(
        ErrorResponse(req, http::status::not_found, "unknown_officer",
                      "no officer \"" + officer_id +
                          "\" is enrolled now or has ever acted: check the officer id (an "
                          "officer retired without acting has no trail)"));
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
  json j = RenderTracking(*state, *gov, ledger_.now(), ledger_.queries().History(*permit));
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
  // Statuses in which this role takes the next step (as the charter says);
  // a role that takes none of the workflow's steps (monitors, auditors, the
  // administrator, ...) reads every open application in its scope.
  static constexpr PermitStatus kOpen[] = {
      PermitStatus::kSubmitted,       PermitStatus::kIncomplete, PermitStatus::kDocumentsVerified,
      PermitStatus::kSurveyScheduled, PermitStatus::kSurveyed,   PermitStatus::kRecommended};
  std::vector<PermitStatus> statuses;
  for (auto s : kOpen) {
    PermitState probe;
    probe.status = s;
    auto roles = Stage(probe, *charter).next_roles;
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) statuses.push_back(s);
  }
  const bool read_only = statuses.empty();
  if (read_only) statuses.assign(std::begin(kOpen), std::end(kOpen));
  json items = json::array();
  const int64_t now = ledger_.now();
  for (const auto& kel : charter->kelurahan) {
    if (!charter->Covers(role, who.actor.jurisdiction, kel.code) && role != "admin") continue;
    for (auto s : statuses) {
      for (const auto& id : ledger_.queries().Queue(kel.code, StatusName(s))) {
        auto st = ledger_.queries().Permit(id);
        if (!st) continue;
        json p = RenderStage(*st, *gov, now);
        json item = {{"permit_id", id},
                     {"status", StatusName(st->status)},
                     {"business_name", st->business.name},
                     {"kelurahan", kel.code},
                     {"kelurahan_name", kel.name},
                     {"due_date", p["due_date"]},
                     {"overdue", p["overdue"]},
                     {"next_actions", p["next_actions"]},
                     {"version", st->version}};
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

void ApiGateway::GetRegister(const HttpRequest& req, const Query& query, Respond respond) {
  std::string kel = query.Value("kelurahan");
  std::string q = query.Value("q");
  auto charter = ledger_.governance()->charter;
  if (!kel.empty() && charter && !charter->FindKelurahan(kel)) {
    std::string known;
    for (const auto& k : charter->kelurahan)
      known += (known.empty() ? "" : ", ") + k.code + " (" + k.name + ")";
    return respond(
        ErrorResponse(req, http::status::bad_request, "unknown_kelurahan",
                      "?kelurahan= must be the code of a kelurahan of the charter: " + known));
  }
  auto entries = ledger_.queries().Register(kel, q, 500);
  const std::string today = charter ? LocalDate(ledger_.now(), *charter) : "";
  json items = json::array();
  for (auto& e : entries) items.push_back(RenderVerification(e["permit_number"], &e, today));
  json j = {{"items", items}, {"count", items.size()}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

void ApiGateway::GetVerify(const HttpRequest& req, const std::string& typed, Respond respond) {
  // Permit numbers are written in capitals; a clerk may type them in any
  // case (the register's search does not mind either).
  std::string number = typed;
  auto entry = ledger_.queries().RegisterEntry(number);
  if (!entry) {
    std::transform(number.begin(), number.end(), number.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (auto upper = ledger_.queries().RegisterEntry(number))
      entry = std::move(upper);
    else
      number = typed;
  }
  auto charter = ledger_.governance()->charter;
  const std::string today = charter ? LocalDate(ledger_.now(), *charter) : "";
  json j = RenderVerification(number, entry ? &*entry : nullptr, today);
  if (entry) j["verification"] = TransparencyGateway(ledger_).Verification(number);
  respond(JsonResponse(req, http::status::ok, j.dump()));
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
  auto cps = ledger_.engine().checkpoints();
  out +=
      "# HELP permitledger_log_end_offset Next offset of each log partition.\n"
      "# TYPE permitledger_log_end_offset gauge\n";
  for (size_t p = 0; p < cps.size(); ++p) {
    auto end = ledger_.log().EndOffset(PartitionId{static_cast<int32_t>(p)});
    out += "permitledger_log_end_offset{partition=\"" + std::to_string(p) + "\"} " +
           std::to_string(end.ok() ? end->value : 0) + "\n";
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
