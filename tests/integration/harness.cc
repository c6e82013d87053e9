#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/scratch.h"

namespace pl::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpClient::Impl {
  unsigned short port;
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(unsigned short port) : impl_(new Impl) { impl_->port = port; }
HttpClient::~HttpClient() { delete impl_; }

HttpResult HttpClient::Request(const std::string& method, const std::string& target,
                               const std::string& body, const std::string& token,
                               const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    if (!impl_->stream) {
      impl_->stream.emplace(impl_->io);
      impl_->stream->connect(
          asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), impl_->port), ec);
      if (ec) {
        impl_->stream.reset();
        return {};
      }
      impl_->buffer.clear();
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty() || method == "POST") {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    http::write(*impl_->stream, req, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == "HEAD");  // a HEAD answer has the GET's headers and no body
    if (!ec) http::read(*impl_->stream, impl_->buffer, parser, ec);
    if (ec) {  // the server closed a kept-alive connection: once more, fresh
      impl_->stream.reset();
      if (attempt == 0 && method == "GET") continue;
      return {};
    }
    auto res = parser.release();
    HttpResult out{static_cast<int>(res.result_int()), res.body(), {}};
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    if (!res.keep_alive()) impl_->stream.reset();
    return out;
  }
  return {};
}

std::string TempDir(const std::string& name) { return pl::scratch::ScratchDir(name); }

unsigned short FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static int Spawn(const std::vector<std::string>& args, const std::string& output) {
  int pid = fork();
  if (pid == 0) {
    int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    std::string bin = PL_BINARY;
    argv.push_back(bin.data());
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int RunLedger(const std::vector<std::string>& args, std::string* output) {
  std::string out = TempDir("run") + "/output.txt";
  int pid = Spawn(args, out);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = ReadFile(out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

LedgerProcess::LedgerProcess(const std::string& data_dir, std::vector<std::string> args)
    : data_dir_(data_dir), output_(data_dir + ".output.txt") {
  port_ = FreePort();
  args.push_back("--data");
  args.push_back(data_dir);
  args.push_back("--listen");
  args.push_back("127.0.0.1:" + std::to_string(port_));
  pid_ = Spawn(args, output_);
  HttpClient client(port_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    if (client.Get("/healthz").status == 200) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("permitledger exited at start: " + ReadFile(output_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("permitledger did not answer /healthz: " + ReadFile(output_));
}

LedgerProcess::~LedgerProcess() {
  if (pid_ > 0) Kill(SIGTERM);
}

void LedgerProcess::Kill(int signal) {
  if (pid_ <= 0) return;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string LedgerProcess::admin_token() const {
  std::string t = ReadFile(data_dir_ + "/admin.token");
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

}  // namespace pl::test
