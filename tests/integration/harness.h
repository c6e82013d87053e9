// Drives the real permitledger binary: starts it as a child process on a
// free loopback port, talks HTTP to it, and kills it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/application_json.h"

namespace pl::test {

struct HttpResult {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  nlohmann::json json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
};

// One keep-alive connection; reconnects when the server closed it.
class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "", const std::string& token = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult Get(const std::string& target, const std::string& token = "") {
    return Request("GET", target, "", token);
  }
  HttpResult Post(const std::string& target, const nlohmann::json& body,
                  const std::string& token = "") {
    return Request("POST", target, body.dump(), token);
  }

 private:
  struct Impl;
  Impl* impl_;
};

class LedgerProcess {
 public:
  // Starts `permitledger <args...> --listen 127.0.0.1:<port>` and waits
  // until /healthz answers.
  LedgerProcess(const std::string& data_dir, std::vector<std::string> args = {"serve"});
  ~LedgerProcess();
  unsigned short port() const { return port_; }
  void Kill(int signal);  // and wait for it
  std::string admin_token() const;
  const std::string& output_path() const { return output_; }

 private:
  std::string data_dir_, output_;
  int pid_ = -1;
  unsigned short port_ = 0;
};

std::string TempDir(const std::string& name);
unsigned short FreePort();
// Runs the binary with arguments to completion; returns its exit code and output.
int RunLedger(const std::vector<std::string>& args, std::string* output = nullptr);
std::string ReadFile(const std::string& path);

}  // namespace pl::test
