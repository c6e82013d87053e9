// permitledger: the command-line tool (serve, demo, replay).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "events/embedded_log.h"
#include "gateways/api_gateway.h"
#include "gateways/demo.h"
#include "gateways/http_server.h"
#include "gateways/ledger.h"
#include "gateways/static_files.h"

namespace {

using namespace pl;

bool ParseListen(const std::string& listen, HttpServerOptions& o) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  o.host = listen.substr(0, colon);
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) return false;
    o.port = static_cast<unsigned short>(port);
  } catch (...) {
    return false;
  }
  return true;
}

// --kafka and its companions, for serve, demo and replay (docs/kafka.md).
void AddKafkaOptions(CLI::App* cmd, LedgerKafkaOptions& k) {
  cmd->add_option("--kafka", k.bootstrap,
                  "run on Kafka: bootstrap servers HOST:PORT[,...] (default: the embedded log)");
  cmd->add_option("--kafka-topic-prefix", k.topic_prefix,
                  "topics <prefix>.commands, .events, .outcomes")->capture_default_str();
  cmd->add_option("--kafka-partitions", k.partitions, "partitions of the topics (fixed at creation)")
      ->capture_default_str()->check(CLI::Range(1, 10000));
  cmd->add_option("--kafka-replication", k.replication_factor,
                  "replication factor of topics created (min.insync.replicas: one less, at least 1)")
      ->capture_default_str()->check(CLI::Range(1, 16));
}

void FinishKafkaOptions(LedgerKafkaOptions& k) {
  k.min_insync_replicas = std::max(1, k.replication_factor - 1);
}

int Fail(const Status& s) {
  spdlog::error("{}", s.ToString());
  return 1;
}

// Serves the API until SIGINT or SIGTERM.
int Serve(Ledger& ledger, const std::string& listen, const std::string& web, int threads,
          const std::function<void(unsigned short)>& on_ready) {
  HttpServerOptions o;
  if (!ParseListen(listen, o)) return Fail(Status("invalid_argument", "--listen must be HOST:PORT"));
  boost::asio::io_context io(threads);
  ApiGateway api(ledger);
  StaticFiles pages(web);
  api.ServeWeb(&pages);
  HttpServer server(io, o, [&api](HttpRequest&& req, Respond respond) {
    api.Handle(std::move(req), std::move(respond));
  });
  if (std::string err = server.Listen(); !err.empty()) return Fail(Status("listen_failed", err));
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  spdlog::info("permitledger listening on http://{}:{}", o.host, server.port());
  if (on_ready) on_ready(server.port());
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  spdlog::info("permitledger stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"permitledger: an event-sourced ledger of business permits"};
  app.require_subcommand(1);
  std::string data = "./data", listen = "127.0.0.1:8080", charter, web = DefaultWebDir();
  int threads = 2, permits = 250;
  uint32_t seed = 20261127;

  auto* serve = app.add_subcommand("serve", "serve the HTTP API over the ledger in --data");
  serve->add_option("--data", data, "data directory")->capture_default_str();
  serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--web", web, "directory of the web pages")->capture_default_str();
  serve->add_option("--charter", charter, "charter adopted on first start (default: shipped)");
  serve->add_option("--threads", threads, "HTTP threads")->capture_default_str()->check(CLI::Range(1, 64));

  auto* demo = app.add_subcommand("demo", "generate a realistic demo history, then serve it");
  demo->add_option("--data", data, "data directory (must be new)")->capture_default_str();
  demo->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  demo->add_option("--web", web, "directory of the web pages")->capture_default_str();
  demo->add_option("--permits", permits, "applications to generate")->capture_default_str()->check(CLI::Range(1, 1000000));
  demo->add_option("--seed", seed, "random seed")->capture_default_str();
  demo->add_option("--threads", threads, "HTTP threads")->capture_default_str()->check(CLI::Range(1, 64));
  bool no_serve = false;
  demo->add_flag("--no-serve", no_serve, "generate the history and exit");

  auto* replay = app.add_subcommand("replay", "rebuild every view from the log into a fresh store and compare it with the live views");
  replay->add_option("--data", data, "data directory")->capture_default_str();
  std::string replay_out;
  replay->add_option("--output", replay_out, "where to build the fresh views (default: DATA/views.replay)");

  LedgerKafkaOptions kafka;
  for (auto* cmd : {serve, demo, replay}) AddKafkaOptions(cmd, kafka);
  bool no_process = false;
  serve->add_flag("--kafka-gateway-only", no_process,
                  "with --kafka: answer HTTP but run no command processor in this process");

  CLI11_PARSE(app, argc, argv);
  FinishKafkaOptions(kafka);
  kafka.process_commands = !no_process;
  auto ledger_options = [&](bool follow) {
    LedgerOptions o{data, charter};
    o.follow = follow;
    o.kafka = kafka;
    return o;
  };
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  if (*serve) {
    auto ledger = Ledger::Open(ledger_options(true));
    if (!ledger.ok()) return Fail(ledger.status());
    spdlog::info("data in {}; administrator token in {}/admin.token", data, data);
    return Serve(**ledger, listen, web, threads, nullptr);
  }

  if (*demo) {
    if (std::filesystem::exists(std::filesystem::path(data) / (kafka.bootstrap.empty() ? "log" : "views")))
      return Fail(Status("invalid_argument", "the demo writes a new history: " + data +
                                                 " already holds a ledger; use another --data"));
    auto ledger = Ledger::Open(ledger_options(true));
    if (!ledger.ok()) return Fail(ledger.status());
    auto result = RunDemo(**ledger, {permits, seed});
    if (!result.ok()) return Fail(result.status());
    // Tokens go to a file for the person running the demo, never to the log.
    const std::string tokens_path = data + "/demo-tokens.json";
    {
      nlohmann::json j = {{"admin", (*ledger)->admin_token()},
                          {"officers", result->officer_tokens}};
      nlohmann::json tracking = nlohmann::json::object();
      for (size_t i = 0; i < result->tracking.size() && i < 20; ++i)
        tracking[result->tracking[i].first] = result->tracking[i].second;
      j["tracking_codes"] = tracking;
      std::ofstream(tokens_path) << j.dump(2) << "\n";
      std::filesystem::permissions(tokens_path, std::filesystem::perms::owner_read |
                                                    std::filesystem::perms::owner_write);
    }
    std::cout << "Demo history: " << permits << " applications, " << result->commands
              << " commands (" << result->refused << " refused by the rules), "
              << (*ledger)->engine().events_applied() << " events.\n";
    if (no_serve) return 0;
    return Serve(**ledger, listen, web, threads, [&](unsigned short port) {
      std::string base = "http://" + listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
      std::cout << "\nThe ledger is serving at " << base << "\n"
                << "  web pages:          " << base << "/  " << base << "/track  " << base
                << "/officer\n"
                << "  public statistics:  curl " << base << "/v1/public/stats\n"
                << "  public register:    curl '" << base << "/v1/public/register?q=warung'\n"
                << "  track an application (code in " << tokens_path << "):\n"
                << "                      curl " << base << "/v1/track/"
                << result->tracking.front().second << "\n"
                << "  an officer's worklist:\n"
                << "                      curl -H 'Authorization: Bearer "
                << result->officer_tokens.begin()->second << "' " << base << "/v1/worklist\n"
                << "  metrics:            curl " << base << "/metrics\n"
                << "Officer and admin tokens: " << tokens_path << ". Ctrl-C stops.\n"
                << std::flush;
    });
  }

  if (*replay) {
    if (replay_out.empty()) replay_out = data + "/views.replay";
    if (!std::filesystem::exists(std::filesystem::path(data) / (kafka.bootstrap.empty() ? "log" : "views")))
      return Fail(Status("invalid_argument", "no ledger in " + data));
    std::filesystem::remove_all(replay_out);
    kafka.process_commands = false;  // a replay decides nothing and joins no group
    auto ledger = Ledger::Open(ledger_options(/*follow=*/false));
    if (!ledger.ok()) return Fail(ledger.status());
    auto start = std::chrono::steady_clock::now();
    auto fresh = ProjectionEngine::Open((*ledger)->log(), AllProjections(),
                                        {replay_out, 8192, /*bulk_load=*/true});
    if (!fresh.ok()) return Fail(fresh.status());
    auto n = (*fresh)->CatchUp();
    if (!n.ok()) return Fail(n.status());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string live = ProjectionEngine::Digest((*ledger)->engine().db());
    std::string rebuilt = ProjectionEngine::Digest((*fresh)->db());
    std::cout << "replayed " << *n << " events in " << secs << " s into " << replay_out << "\n"
              << "live views:    " << live << "\nrebuilt views: " << rebuilt << "\n"
              << (live == rebuilt ? "identical\n" : "DIFFERENT\n");
    return live == rebuilt ? 0 : 2;
  }
  return 0;
}
