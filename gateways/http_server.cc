#include "gateways/http_server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace pl {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

// The request line and headers together (the URL included).
constexpr size_t kHeaderLimit = 16 * 1024;
// What the read buffer holds at most: the header, a chunk's size line, the
// end of a chunked body. A body is read through it, not held in it whole.
constexpr size_t kBufferLimit = 32 * 1024;
using tcp = asio::ip::tcp;

constexpr const char* kNotChunked =
    "the request's Transfer-Encoding is not \"chunked\" alone: send the body with a "
    "Content-Length, or chunked";

// Whether a request's body is framed as this server reads it: no
// Transfer-Encoding, or exactly one, "chunked".
bool ChunkedOrNone(const http::request_header<>& header) {
  const size_t n = header.count(http::field::transfer_encoding);
  if (n == 0) return true;
  if (n > 1) return false;
  std::string_view v(header[http::field::transfer_encoding].data(),
                     header[http::field::transfer_encoding].size());
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return beast::iequals(beast::string_view(v.data(), v.size()), "chunked");
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `slot`: the client address's count of open connections, released with
  // the session.
  Session(tcp::socket socket, const HttpServerOptions& options, const HttpHandler& handler,
          std::shared_ptr<void> slot)
      : stream_(std::move(socket)), options_(options), handler_(handler), slot_(std::move(slot)) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(kHeaderLimit);
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // A client that sent "Expect: 100-continue" waits for a 100 Continue
  // before it sends the body (RFC 9110 10.1.1); a body over the limit was
  // refused with the header already (its Content-Length).
  void OnHeader(beast::error_code ec) {
    version_ = !ec && parser_->get().version() == 10 ? 10 : 11;
    if (!ec && parser_->get().version() < 11 &&
        parser_->get().count(http::field::transfer_encoding) > 0) {
      // RFC 9112 6.1: an HTTP/1.0 message's framing is then faulty.
      return Refuse(http::status::bad_request, "malformed_request",
                    "an HTTP/1.0 request may not carry Transfer-Encoding (RFC 9112 "
                    "6.1): send the body with a Content-Length");
    }
    if (!ec && !ChunkedOrNone(parser_->get())) {
      // The body's end is anyone's guess: what follows it would be read as
      // the next request (RFC 9112 6.1: answer 400 and close).
      return Refuse(http::status::bad_request, "malformed_request", kNotChunked);
    }
    if (!ec) header_fields_ = Fields();
    if (ec || parser_->is_done()) return OnRead(ec);
    const auto& header = parser_->get();
    auto expect = header.find(http::field::expect);
    if (expect == header.end() || !beast::iequals(expect->value(), "100-continue"))
      return ReadBody();
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                    header.version());
    http::async_write(stream_, *go_on,
                      [self = shared_from_this(), go_on](beast::error_code ec, size_t) {
                        if (ec) return self->Close();
                        self->ReadBody();
                      });
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    head_ = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Refuse(
          http::status::payload_too_large, "body_too_large",
          "the request body is larger than " + std::to_string(options_.body_limit) + " bytes");
    }
    if (ec == http::error::buffer_overflow) {
      return Refuse(http::status::request_header_fields_too_large, "request_too_large",
                    "a chunk's size line or the end of the chunked body is larger than " +
                        std::to_string(kBufferLimit / 1024) +
                        " KiB: send the body with a Content-Length");
    }
    if (ec == http::error::header_limit) {
      return Refuse(http::status::request_header_fields_too_large, "request_too_large",
                    "the request's URL and headers are larger than " +
                        std::to_string(kHeaderLimit / 1024) +
                        " KiB: shorten the URL (a search text, say) or the headers");
    }
    if (ec) {
      // Which length frames the body is anyone's guess.
      const auto& header = parser_->get();
      const bool framing = ec == http::error::bad_transfer_encoding ||
                           (ec == http::error::bad_content_length &&
                            header.count(http::field::transfer_encoding) > 0);
      return Refuse(
          http::status::bad_request, "malformed_request",
          !framing ? "the HTTP request could not be parsed: " + ec.message()
          : header.count(http::field::content_length)
              ? std::string("the request has both Content-Length and Transfer-Encoding (RFC "
                            "9112 6.3): send one of them")
              : std::string(kNotChunked));
    }
    // The parser adds a chunked body's trailer fields to the header's: a
    // credential there would pass the proxies that check headers (RFC 9110
    // 6.5.1: trailers are not to be merged so).
    if (Fields() != header_fields_) {
      return Refuse(http::status::bad_request, "malformed_request",
                    "the chunked body ends with trailer fields, which this server "
                    "does not read: send them as headers");
    }
    HttpRequest req = parser_->release();
    // Two credentials: which one is meant is anyone's guess.
    if (req.count(http::field::authorization) > 1) {
      return Refuse(http::status::bad_request, "malformed_request",
                    "the request has more than one Authorization header; send one");
    }
    // RFC 9112 3.2: an HTTP/1.1 request without a Host header, or with
    // two, is answered 400.
    if (req.version() >= 11 && req.count(http::field::host) != 1) {
      return Refuse(http::status::bad_request, "malformed_request",
                    "an HTTP/1.1 request carries exactly one Host header (RFC 9112 3.2); send "
                    "one");
    }
    // The absolute form of a target (RFC 9112 3.2.2, what a proxy sends):
    // the resource is what follows the authority.
    if (const std::string_view t(req.target().data(), req.target().size());
        t.starts_with("http://") || t.starts_with("https://")) {
      const size_t from = t.find_first_of("/?", t.find("//") + 2);
      const std::string_view rest = from == t.npos ? std::string_view("/") : t.substr(from);
      req.target(rest.starts_with('?') ? "/" + std::string(rest) : std::string(rest));
    }
    // HEAD is answered as GET is, without the body (RFC 9110 9.3.2).
    if (req.method() == http::verb::head) {
      head_ = true;
      req.method(http::verb::get);
    }
    handler_(std::move(req), [self = shared_from_this()](HttpResponse res) {
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
    });
  }

  // Answers a request that is not handled, and closes the connection
  // after the answer: what the client sends next is not to be trusted.
  void Refuse(http::status status, const char* code, const std::string& message) {
    head_ = false;  // the answer is the refusal, body and all
    HttpRequest req;
    req.version(version_);
    req.keep_alive(false);
    Write(ErrorResponse(req, status, code, message));
  }

  void Write(HttpResponse res) {
    // Every answer is of the type it says (a key, a proof, an SVG, the
    // metrics): no browser is to guess another.
    res.set("X-Content-Type-Options", "nosniff");
    res.prepare_payload();
    if (head_) res.body().clear();  // Content-Length stays the GET's
    auto sp = std::make_shared<HttpResponse>(std::move(res));
    http::async_write(stream_, *sp, [self = shared_from_this(), sp](beast::error_code ec, size_t) {
      if (ec || sp->need_eof()) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    // What the client still sends (the rest of a refused body) is read and
    // dropped, for at most 2 s, before the socket closes: closed with data
    // unread it would send a reset, which may discard the answer before the
    // client reads it (RFC 9112 9.6).
    stream_.expires_after(std::chrono::seconds(2));
    Drain(0);
  }

  void Drain(size_t so_far) {
    if (so_far > kBufferLimit * 32) return;
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this(), so_far](beast::error_code ec, size_t n) {
                              if (!ec) self->Drain(so_far + n);
                            });
  }

  // How many fields the request has.
  size_t Fields() const {
    const auto& h = parser_->get();
    return static_cast<size_t>(std::distance(h.begin(), h.end()));
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kBufferLimit};
  std::optional<http::request_parser<http::string_body>> parser_;
  size_t header_fields_ = 0;        // the fields of the request's header, trailers not counted
  std::array<char, 4096> scratch_;  // what Drain reads and drops
  bool head_ = false;               // the request being answered is a HEAD
  unsigned version_ = 11;           // the HTTP version of the request being read
  const HttpServerOptions& options_;
  const HttpHandler& handler_;
  std::shared_ptr<void> slot_;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, HttpServerOptions o, HttpHandler h)
      : io(io),
        options(std::move(o)),
        handler(std::move(h)),
        acceptor(asio::make_strand(io)),
        retry(acceptor.get_executor()) {
    if (options.max_connections == 0) {
      rlimit r{};
      const size_t files = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY
                               ? static_cast<size_t>(r.rlim_cur)
                               : 65536;
      options.max_connections = std::max(files / 2, files - 1024);
    }
  }

  void Accept() {
    acceptor.async_accept(
        asio::make_strand(io), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
          if (ec == asio::error::operation_aborted) return;
          if (ec) {
            // Out of descriptors (or another failure the next accept would
            // meet at once): wait, rather than spin on the pending
            // connection, and say so once.
            if (!self->accept_failed.exchange(true))
              spdlog::error("http: accepting a connection failed ({}); retrying every 100 ms",
                            ec.message());
            self->retry.expires_after(std::chrono::milliseconds(100));
            self->retry.async_wait([self](beast::error_code wait) {
              if (wait != asio::error::operation_aborted) self->Accept();
            });
            return;
          }
          if (auto slot = self->Slot(s)) {
            s.set_option(tcp::no_delay(true));
            std::make_shared<Session>(std::move(s), self->options, self->handler, std::move(slot))
                ->Start();
          } else {
            beast::error_code ignored;
            s.close(ignored);  // over the client's share, or the server's
          }
          self->Accept();
        });
  }

  // A place for one more connection of the client `s` comes from, released
  // when the returned pointer goes; null when the client holds its share.
  std::shared_ptr<void> Slot(const tcp::socket& s) {
    beast::error_code ec;
    const std::string client = s.remote_endpoint(ec).address().to_string();
    if (ec) return nullptr;
    std::lock_guard lock(mu);
    if (total >= options.max_connections) {
      if (!warned_total.exchange(true))
        spdlog::warn(
            "http: {} connections are open, the most the server holds (its file limit less a "
            "reserve); further ones are closed until some end",
            total);
      return nullptr;
    }
    size_t& n = open[client];
    if (n >= options.max_connections_per_client) {
      if (!warned.exchange(true))
        spdlog::warn(
            "http: client {} holds {} connections, the most one client may; further "
            "ones are closed (--max-connections-per-client)",
            client, n);
      return nullptr;
    }
    ++n;
    ++total;
    // Points at the server (never deleted through it): only its release counts.
    return std::shared_ptr<void>(this, [self = shared_from_this(), client](void*) {
      std::lock_guard lock(self->mu);
      --self->total;
      if (auto it = self->open.find(client); it != self->open.end() && --it->second == 0)
        self->open.erase(it);
    });
  }

  asio::io_context& io;
  HttpServerOptions options;
  HttpHandler handler;
  tcp::acceptor acceptor;
  std::mutex mu;
  asio::steady_timer retry;                      // the next accept after a failed one
  std::unordered_map<std::string, size_t> open;  // connections by client address; guarded by mu
  size_t total = 0;                              // connections open; guarded by mu
  std::atomic<bool> warned{false}, warned_total{false}, accept_failed{false};
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

std::string HttpServer::Listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return "invalid listen address " + impl_->options.host + ": " + ec.message();
  tcp::endpoint ep(address, impl_->options.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return "cannot listen on " +
           (address.is_v6() ? "[" + impl_->options.host + "]" : impl_->options.host) + ":" +
           std::to_string(impl_->options.port) + ": " + ec.message();
  impl_->Accept();
  return "";
}

unsigned short HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::Stop() {
  if (!impl_) return;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->retry.cancel();
  });
}

HttpResponse JsonResponse(const HttpRequest& req, http::status status, const std::string& body) {
  HttpResponse res{status, req.version() ? req.version() : 11};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = body;
  return res;
}

HttpResponse ErrorResponse(const HttpRequest& req, http::status status, const std::string& code,
                           const std::string& message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  HttpResponse res =
      JsonResponse(req, status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  // RFC 9110 11.6.1: a 401 names the scheme that would do (RFC 6750 3.1:
  // and, when a token was sent, that it was the token).
  if (status == http::status::unauthorized) {
    auto auth = req.find(http::field::authorization);
    const bool bearer = auth != req.end() && auth->value().size() > 7 &&
                        beast::iequals(auth->value().substr(0, 7), "Bearer ");
    res.set(http::field::www_authenticate,
            bearer ? R"(Bearer realm="permitledger", error="invalid_token")"
                   : R"(Bearer realm="permitledger")");
  }
  return res;
}

std::optional<Query> QueryOrRefuse(const HttpRequest& req,
                                   std::initializer_list<std::string_view> takes,
                                   const Respond& respond) {
  auto q = Query::Parse(std::string_view(req.target().data(), req.target().size()), takes);
  if (q.ok()) return std::move(*q);
  respond(ErrorResponse(req, http::status::bad_request, q.status().code(), q.status().message()));
  return std::nullopt;
}

HttpResponse MethodNotAllowed(const HttpRequest& req, const char* allow) {
  const std::string_view target(req.target().data(), req.target().size());
  HttpResponse res = ErrorResponse(req, http::status::method_not_allowed, "method_not_allowed",
                                   std::string(req.method_string()) + " is not allowed on " +
                                       std::string(PathOf(target)) + "; it allows " + allow);
  res.set(http::field::allow, allow);
  return res;
}

}  // namespace pl
