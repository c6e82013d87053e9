// A small asynchronous HTTP/1.1 server on Boost.Beast: keep-alive, a body
// limit (413 beyond it), and handlers that answer later from any thread.
//
// Thread safety: Run may be called from several threads (they share the
// io_context); the Respond callback may be called from any thread, once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateways/url.h"

namespace pl {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
using Respond = std::function<void(HttpResponse)>;
// Answers a request, now or later, by calling Respond once. It must not
// throw: an exception would end the server (ApiGateway::Handle answers its
// own with a 500 and counts it).
using HttpHandler = std::function<void(HttpRequest&&, Respond)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  size_t body_limit = 64 * 1024;  // bytes; larger bodies get 413
  // Connections one client address may hold open at once; more are closed
  // as they come (a client holding thousands open, idle or sending its
  // headers slowly, would starve everyone else).
  size_t max_connections_per_client = 256;
  // Connections all clients together may hold open; 0: the process's file
  // limit (RLIMIT_NOFILE) less 1,024 kept for the stores and the broker (or
  // half the limit, if that is more). Past it new connections are closed as
  // they come, so the server never runs out of descriptors (and its stores
  // keep theirs).
  size_t max_connections = 0;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  // Binds and starts accepting. Fails with a message on a bad address or a
  // port in use.
  std::string Listen();
  unsigned short port() const;
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// A JSON response with the given status.
HttpResponse JsonResponse(const HttpRequest& req, http::status status, const std::string& body);
// {"error": {"code", "message"}}; bytes of the message that are not UTF-8
// (an echoed path, say) are replaced by U+FFFD.
HttpResponse ErrorResponse(const HttpRequest& req, http::status status, const std::string& code,
                           const std::string& message);
// The request's query read against the parameters its resource takes
// (Query::Parse); nullopt after answering 400 "invalid_query".
std::optional<Query> QueryOrRefuse(const HttpRequest& req,
                                   std::initializer_list<std::string_view> takes,
                                   const Respond& respond);
// 405 "method_not_allowed" for a resource that allows the methods `allow`
// ("GET, POST"), also sent as its Allow header.
HttpResponse MethodNotAllowed(const HttpRequest& req, const char* allow);

}  // namespace pl
