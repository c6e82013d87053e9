// The subscribers' feeds over the HTTP API (docs/feeds.md): a subscriber's
// token for the administrator (GET /v1/feeds/{subscriber}/token) and the
// feed itself as Server-Sent Events (GET /v1/feeds/{subscriber}), whose
// long polls (?wait=) one thread answers.
#include <algorithm>
#include <cstdint>

#include "gateways/api_gateway.h"
#include "gateways/api_internal.h"
#include "gateways/url.h"
#include "projections/feed_projection.h"

namespace pl {
namespace {

using json = nlohmann::json;

}  // namespace

std::optional<uint32_t> ApiGateway::TokenGeneration(const std::string& subscriber) const {
  auto c = ledger_.governance()->charter;
  const SubscriberPolicy* p = c ? c->FindSubscriber(subscriber) : nullptr;
  return p ? std::optional<uint32_t>(p->token_generation) : std::nullopt;
}

HttpResponse ApiGateway::UnknownSubscriber(const HttpRequest& req, const std::string& subscriber) {
  return ErrorResponse(
      req, http::status::not_found, "unknown_subscriber",
      "\"" + subscriber + "\" is not a subscriber of the data-sharing policy in force");
}

void ApiGateway::GetFeedToken(const HttpRequest& req, const Principal& who,
                              const std::string& subscriber, Respond respond) {
  if (RefuseUnlessAdmin(req, who, "a subscriber token", respond)) return;
  const auto generation = TokenGeneration(subscriber);
  if (!generation) return respond(UnknownSubscriber(req, subscriber));
  json j = {{"subscriber", subscriber},
            {"token", ledger_.SubscriberToken(subscriber, *generation)},
            {"token_generation", *generation}};
  respond(JsonResponse(req, http::status::ok, j.dump()));
}

// Why `req` may not read `subscriber`'s feed now (an unknown subscriber, no
// token, another's, or one the charter revoked), or nullopt. Asked again
// when a waiting request is answered: a token revoked meanwhile reads
// nothing more.
std::optional<HttpResponse> ApiGateway::FeedRefusal(const HttpRequest& req,
                                                    const std::string& subscriber) {
  const auto generation = TokenGeneration(subscriber);
  if (!generation) return UnknownSubscriber(req, subscriber);
  auto auth = req.find(http::field::authorization);
  const auto given = auth == req.end() ? std::nullopt : BearerToken(SV(auth->value()));
  if (!given)
    return ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                         "a feed needs 'Authorization: Bearer <token>' with the token of "
                         "subscriber \"" +
                             subscriber + "\" (the administrator hands it out)");
  if (!ConstantTimeEqual(*given, ledger_.SubscriberToken(subscriber, *generation)) &&
      !ConstantTimeEqual(*given, ledger_.admin_token())) {
    // A token the charter revoked (of one of the last 256 generations
    // before the one in force) is told apart from one that never opened
    // the feed.
    for (uint32_t g = *generation; g > 0 && *generation - g < 256; --g)
      if (ConstantTimeEqual(*given, ledger_.SubscriberToken(subscriber, g - 1)))
        return ErrorResponse(
            req, http::status::unauthorized, "unauthenticated",
            "this token of subscriber \"" + subscriber +
                "\" was revoked: the charter in force opens the feed with the token of "
                "generation " +
                std::to_string(*generation) +
                " only; ask the administrator for the new token (GET /v1/feeds/" + subscriber +
                "/token)");
    // Another subscriber's token in force: the token is good, the feed
    // is not its own (a client configured with the wrong pair).
    if (const auto charter = ledger_.governance()->charter)
      for (const auto& other : charter->data_sharing)
        if (other.id != subscriber &&
            ConstantTimeEqual(*given, ledger_.SubscriberToken(other.id, other.token_generation)))
          return ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                               "this is the feed token of subscriber \"" + other.id +
                                   "\", which opens its own feed only (GET /v1/feeds/" + other.id +
                                   "), not \"" + subscriber +
                                   "\"'s: check which token is configured for which feed");
    return ErrorResponse(
        req, http::status::unauthorized, "unauthenticated",
        "the bearer token sent is not the token of subscriber \"" + subscriber +
            "\": each feed opens with its own subscriber's token; check which token is "
            "configured for this feed, or ask the administrator for it");
  }
  return std::nullopt;
}

void ApiGateway::GetFeed(const HttpRequest& req, const std::string& subscriber, const Query& query,
                         Respond respond) {
  if (auto refused = FeedRefusal(req, subscriber)) return respond(std::move(*refused));
  // Resume position: the Last-Event-ID header (what EventSource sends on a
  // reconnection, beside the URL it was opened with), else ?after=; 0
  // starts at the beginning. A malformed ?after= is refused either way, and
  // so is an empty value: an unset cursor variable would read the feed
  // again from its start.
  const auto query_after = query.Get("after");
  std::optional<std::string> after_text = query_after;
  if (std::distance(req.equal_range("Last-Event-ID").first,
                    req.equal_range("Last-Event-ID").second) > 1)
    return respond(ErrorResponse(req, http::status::bad_request, "malformed_request",
                                 "the request has two Last-Event-ID headers; send one"));
  if (auto h = req.find("Last-Event-ID"); h != req.end()) after_text = std::string(SV(h->value()));
  const auto limit_text = query.Get("limit"), wait_text = query.Get("wait");
  // A decimal number from 0 to 2^63-1 (docs/feeds.md: a cursor a client
  // keeps in a signed 64-bit integer), without leading zeroes as every
  // number of a query; nullopt otherwise.
  auto number = [](const std::optional<std::string>& t, uint64_t dflt) -> std::optional<uint64_t> {
    return t ? ParseDecimal(*t, INT64_MAX) : dflt;
  };
  if (!number(query_after, 0)) after_text = query_after;  // named in the error below
  auto after = number(after_text, 0);
  auto limit = number(limit_text, kFeedPage);
  auto wait = number(wait_text, 0);
  auto invalid = [&](const std::string& what) {
    respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter", what));
  };
  auto shown = [](const std::optional<std::string>& t) { return "\"" + t->substr(0, 40) + "\""; };
  if (!after)
    return invalid(
        "Last-Event-ID (or ?after=) must be a message sequence number from 0 (the start) "
        "to 9223372036854775807 (2^63-1), got " +
        shown(after_text));
  if (!limit || *limit == 0 || *limit > kFeedPage)
    return invalid("?limit= must be a number from 1 to " + std::to_string(kFeedPage) + ", got " +
                   shown(limit_text));
  if (!wait || *wait > kFeedMaxWaitS)
    return invalid("?wait= must be whole seconds from 0 to " + std::to_string(kFeedMaxWaitS) +
                   ", got " + shown(wait_text));
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
  // The administrator reads every feed (to see what a subscriber gets),
  // but not the applicants' personal data, which its role does not see.
  auto auth = req.find(http::field::authorization);
  const auto token = auth == req.end() ? std::nullopt : BearerToken(SV(auth->value()));
  const bool administrator = token && ConstantTimeEqual(*token, ledger_.admin_token());
  for (const auto& m : FeedProjection::Read(ledger_.engine().db(), subscriber, after, limit)) {
    bool key_pending = false;
    std::string data = RenderFeedMessage(m, ledger_.vault(), ledger_.queries(), nullptr,
                                         &key_pending, administrator);
    // The page ends before a message whose applicant's key is on its way;
    // the client asks again after `retry`.
    if (key_pending && key_wait_.Hold(subscriber, m.seq, KeyWait::Clock::now())) break;
    body += "id: " + std::to_string(m.seq) + "\ndata: " + data + "\n\n";
    if (messages) ++*messages;
  }
  HttpResponse res{http::status::ok, req.version()};
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  // A cursor above it is ahead of this feed (kept from another data
  // directory, or read from an instance further on): no wait would end it.
  res.set("Feed-Last-Seq",
          std::to_string(FeedProjection::LastSeq(ledger_.engine().db(), subscriber)));
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
      if (auto refused = FeedRefusal(*w.req, w.subscriber)) {
        w.respond(std::move(*refused));
        continue;
      }
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

void ApiGateway::AnswerWaitingFeeds() {
  std::vector<FeedWaiter> waiting;
  {
    std::lock_guard lock(feed_mu_);
    waiting.swap(feed_waiters_);
  }
  for (auto& w : waiting) {
    auto refused = FeedRefusal(*w.req, w.subscriber);
    HttpResponse page =
        refused ? std::move(*refused) : FeedPage(*w.req, w.subscriber, w.after, w.limit);
    page.keep_alive(false);
    w.respond(std::move(page));
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

}  // namespace pl
