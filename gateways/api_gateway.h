// The HTTP API of the ledger (docs/api.md is the contract): commands go to
// the command processor, queries read the views. Every error body is
// {"error": {"code", "message"}} and a refused request writes nothing.
//
// The endpoints are defined by family: api_gateway.cc (routing,
// authentication, metrics), api_admin.cc (officers, the charter),
// api_permit_commands.cc (applications, actions), api_queries.cc (permits,
// tracking, worklists, officers' trails), api_public.cc (the register,
// verification), api_feeds.cc (subscribers' feeds); api_internal.h holds
// what they share.
//
// Thread safety: Handle may be called from any number of threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateways/http_server.h"
#include "gateways/key_wait.h"
#include "gateways/ledger.h"

namespace pl {

class Query;
class StaticFiles;

// Who is calling, from the bearer token.
struct Principal {
  enum class Kind { kAnonymous, kAdmin, kOfficer, kApplicant };
  Kind kind = Kind::kAnonymous;
  Actor actor;            // as the domain sees it
  std::string permit_id;  // the applicant's own permit
};

class ApiGateway {
 public:
  // How long after an application a repeat of it (same command_id, same
  // request) gets its tracking code again (docs/api.md).
  static constexpr int64_t kApplicationRetryMs = 10 * 60 * 1000;
  // Entries of the public register in one answer (docs/api.md: "next").
  static constexpr size_t kRegisterPage = 500;

  explicit ApiGateway(Ledger& ledger) : ledger_(ledger) {}
  ~ApiGateway();  // drops feed requests still waiting
  void Handle(HttpRequest&& req, Respond respond);
  // Serves the web pages for every GET outside /v1/, /healthz and /metrics.
  void ServeWeb(const StaticFiles* web) { web_ = web; }
  // Where the public reaches the pages (https://izin.example.go.id): the
  // base of the link a permit's QR code holds. Empty: the request's host.
  void SetPublicUrl(std::string url) { public_url_ = std::move(url); }
  // Answers every feed request that waits (?wait=) now, with the page it
  // has, and closes its connection: the server is stopping.
  void AnswerWaitingFeeds();

 private:
  // Resolves the Authorization header. Returns false (and responds 401)
  // when a token is given but unknown.
  bool Authenticate(const HttpRequest& req, Principal& who, const Respond& respond);
  // Routes a request (Handle counts it and its answer).
  void Dispatch(std::shared_ptr<HttpRequest> req, Respond respond);
  // Calls `done` once `found` holds, tried again each time the views move
  // on, or at `deadline` (on the engine's thread, or at once).
  void WhenFound(std::function<bool()> found, std::chrono::steady_clock::time_point deadline,
                 std::function<void()> done);

  void PostOfficer(const HttpRequest& req, const Principal& who, Respond respond);
  // Who is enrolled now, and the ids retired (GET /v1/officers).
  void GetOfficers(const HttpRequest& req, const Principal& who, Respond respond);
  void PostRetirement(const HttpRequest& req, const Principal& who, const std::string& officer_id,
                      Respond respond);
  void PostApplication(const HttpRequest& req, const Principal& who, Respond respond);
  void PostAction(const HttpRequest& req, const Principal& who, const std::string& permit_id,
                  Respond respond);
  void GetPermit(const HttpRequest& req, const Principal& who, const std::string& permit_id,
                 bool history, Respond respond);
  void GetTrack(const HttpRequest& req, const std::string& code, Respond respond);
  // What one officer did, for auditors (GET /v1/audit/officers/{id}).
  void GetOfficerTrail(const HttpRequest& req, const Principal& who, const std::string& officer_id,
                       const Query& query, Respond respond);
  void GetPermits(const HttpRequest& req, const Principal& who, const Query& query,
                  Respond respond);
  void GetWorklist(const HttpRequest& req, const Principal& who, Respond respond);
  void GetStats(const HttpRequest& req, Respond respond);
  void GetRegister(const HttpRequest& req, const Query& query, Respond respond);
  void GetVerify(const HttpRequest& req, const std::string& typed, const Query& query,
                 Respond respond);
  void GetMetrics(const HttpRequest& req, Respond respond);
  void PutCharter(const HttpRequest& req, const Principal& who, Respond respond);
  void PostBackup(const HttpRequest& req, const Principal& who, Respond respond);
  void GetFeedToken(const HttpRequest& req, const Principal& who, const std::string& subscriber,
                    Respond respond);
  // Server-Sent Events: the subscriber's messages after Last-Event-ID; with
  // ?wait=S and nothing new, the answer waits up to S seconds for a message.
  void GetFeed(const HttpRequest& req, const std::string& subscriber, const Query& query,
               Respond respond);
  // Why `req` may not read `subscriber`'s feed (the error response), or
  // nullopt.
  std::optional<HttpResponse> FeedRefusal(const HttpRequest& req, const std::string& subscriber);
  // The token generation of `subscriber` in the charter in force (nullopt:
  // the policy in force names no such subscriber), and the 404 that says so.
  std::optional<uint32_t> TokenGeneration(const std::string& subscriber) const;
  static HttpResponse UnknownSubscriber(const HttpRequest& req, const std::string& subscriber);
  // One page of a feed; `messages`, when given, receives how many it holds
  // (none while the next message waits for its key).
  HttpResponse FeedPage(const HttpRequest& req, const std::string& subscriber, uint64_t after,
                        uint64_t limit, size_t* messages = nullptr);
  void WatchFeeds();  // the thread that answers waiting feed requests

  struct FeedWaiter {
    std::shared_ptr<const HttpRequest> req;
    std::string subscriber;
    uint64_t after, limit;
    std::chrono::steady_clock::time_point deadline;
    Respond respond;
  };
  std::mutex feed_mu_;
  std::condition_variable feed_cv_;
  std::vector<FeedWaiter> feed_waiters_;  // guarded by feed_mu_
  KeyWait key_wait_;                      // SSE pages hold back messages whose key is on its way
  bool feed_stopping_ = false;            // guarded by feed_mu_
  std::thread feed_thread_;               // started with the first waiter

  static constexpr uint64_t kFeedPage = 1000;  // messages per response, at most
  static constexpr int kFeedRetryMs = 2000;    // the client's reconnection delay
  static constexpr int kFeedMaxWaitS = 60;     // ?wait= at most

  Ledger& ledger_;
  const StaticFiles* web_ = nullptr;
  std::string public_url_;
  std::atomic<uint64_t> requests_{0}, responses_2xx_{0}, responses_4xx_{0}, responses_5xx_{0};
};

// The permit id of an application submitted with `command_id`: a retried
// submission names the same permit.
std::string PermitIdFor(const std::string& command_id);

// Answers a command that was not taken (the log failed: 503; the domain
// refused: its status and code) and returns true; false when it was taken.
bool RespondIfNotTaken(const HttpRequest& req, const Outcome& o, const Respond& respond);

// The HTTP status of a domain refusal code.
http::status RefusalStatus(const std::string& code);

}  // namespace pl
