// permitledger: the command-line tool (serve, demo, replay, audit, verify-permit).
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "domain/calendar.h"
#include "events/embedded_log.h"
#include "gateways/api_gateway.h"
#include "gateways/audit_cli.h"
#include "gateways/demo.h"
#include "gateways/http_server.h"
#include "gateways/ledger.h"
#include "gateways/static_files.h"
#include "projections/command_processor.h"

namespace {

using namespace pl;

// Reads --listen HOST:PORT into `o`: HOST a numeric IPv4 address, an IPv6
// one in brackets ([::1]:8080), or localhost (127.0.0.1); PORT 1 to 65535,
// or 0 for any free port. What is wrong with it, or "".
std::string ParseListen(const std::string& listen, HttpServerOptions& o) {
  const std::string form =
      " (--listen is HOST:PORT, such as 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080)";
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return "--listen " + listen + " names no port" + form;
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.find(':') == std::string::npos)
      return "--listen " + listen + ": only an IPv6 address is written in brackets" + form;
  } else if (host.find(':') != std::string::npos) {
    return "--listen " + listen + ": write an IPv6 address in brackets, such as [::1]:8080";
  }
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec)
    return "--listen " + listen + ": \"" + host +
           "\" is not a numeric IPv4 or IPv6 address (host names other than localhost are not "
           "looked up)" +
           form;
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
      std::stoi(port) > 65535)
    return "--listen " + listen +
           ": the port must be a number from 1 to 65535 (or 0 for any free "
           "port), got \"" +
           port + "\"";
  o.host = host;
  o.port = static_cast<unsigned short>(std::stoi(port));
  return "";
}

// A host as it is written in a URL: an IPv6 address in brackets.
std::string UrlHost(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

// The subcommand words of argv that name none: "unknown subcommand ..." with
// the subcommands there are, or "" (CLI11 itself says only "A subcommand is
// required" when the word is mistyped).
std::string UnknownSubcommand(CLI::App& app, int argc, char** argv) {
  CLI::App* at = &app;
  std::string path = "permitledger";
  auto subcommands = [](CLI::App* a) { return a->get_subcommands([](CLI::App*) { return true; }); };
  auto names = [&](CLI::App* a) {
    std::string list;
    for (CLI::App* sub : subcommands(a)) list += (list.empty() ? "" : ", ") + sub->get_name();
    return list;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    const auto subs = subcommands(at);
    if (word.starts_with("-") || subs.empty()) return "";
    CLI::App* next = nullptr;
    for (CLI::App* sub : subs)
      if (sub->get_name() == word) next = sub;
    if (!next)
      return path + ": \"" + word + "\" is not a subcommand; the subcommands are " + names(at) +
             " (" + path + " --help)";
    at = next;
    path += " " + word;
  }
  if (at->get_require_subcommand_min() > 0)
    return path + " needs a subcommand: " + names(at) + " (" + path + " --help)";
  return "";
}

// --kafka and its companions, for serve, demo and replay (docs/kafka.md).
void AddKafkaOptions(CLI::App* cmd, LedgerKafkaOptions& k) {
  cmd->add_option("--kafka", k.bootstrap,
                  "run on Kafka: bootstrap servers HOST:PORT[,...] (default: the embedded log)");
  cmd->add_option("--kafka-topic-prefix", k.topic_prefix,
                  "topics <prefix>.commands, .events, .outcomes")
      ->capture_default_str();
  cmd->add_option("--kafka-partitions", k.partitions,
                  "partitions of the topics (fixed at creation)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option(
         "--kafka-replication", k.replication_factor,
         "replication factor of topics created (min.insync.replicas: one less, at least 1)")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
}

void FinishKafkaOptions(LedgerKafkaOptions& k) {
  k.min_insync_replicas = std::max(1, k.replication_factor - 1);
}

int Fail(const Status& s) {
  spdlog::error("{}", s.ToString());
  return 1;
}

// Serves the API over the ledger `open` gives until SIGINT, SIGTERM or SIGHUP. The
// address is taken first: a busy port is refused before the ledger opens
// (on Kafka, before it joins the processors' group or copies the vault).
int Serve(const std::string& listen, const std::string& web, const std::string& public_url,
          int threads, size_t per_client, size_t max_connections,
          const std::function<Result<Ledger*>()>& open,
          const std::function<void(unsigned short)>& on_ready) {
  // Every connection is a descriptor: the soft file limit (often 1,024) is
  // raised to the hard one, as servers do.
  if (rlimit r{}; getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
  HttpServerOptions o;
  o.max_connections_per_client = per_client;
  o.max_connections = max_connections;
  if (std::string bad = ParseListen(listen, o); !bad.empty())
    return Fail(Status("invalid_argument", bad));
  boost::asio::io_context io(threads);
  StaticFiles pages(web);
  // Set before the io_context runs, so before any request is handled.
  std::unique_ptr<ApiGateway> api;
  HttpServer server(io, o, [&api](HttpRequest&& req, Respond respond) {
    api->Handle(std::move(req), std::move(respond));
  });
  if (std::string err = server.Listen(); !err.empty()) return Fail(Status("listen_failed", err));
  auto ledger = open();
  if (!ledger.ok()) return Fail(ledger.status());
  api = std::make_unique<ApiGateway>(**ledger);
  api->ServeWeb(&pages);
  api->SetPublicUrl(public_url);
  // On SIGINT, SIGTERM or SIGHUP: no new connection; a feed request that waits is
  // answered with the page it has (the client resumes from its cursor) and
  // requests under way have a moment to be answered; then the server stops.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  // Its terminal closed: stopped as cleanly; unless SIGHUP was ignored
  // (`nohup permitledger serve &`), which it stays.
  if (struct sigaction hup{}; ::sigaction(SIGHUP, nullptr, &hup) == 0 && hup.sa_handler != SIG_IGN)
    signals.add(SIGHUP);
  boost::asio::steady_timer grace(io);
  signals.async_wait([&](auto, int) {
    spdlog::info("permitledger stopping: answering the requests under way");
    server.Stop();
    api->AnswerWaitingFeeds();
    grace.expires_after(std::chrono::milliseconds(500));
    grace.async_wait([&](auto) { io.stop(); });
  });
  // A folder given (--web) that holds no pages is a mistyped path, said at
  // once rather than by a 404 on the first visit.
  if (web != DefaultWebDir() && !std::filesystem::exists(std::filesystem::path(web) / "index.html"))
    spdlog::warn(
        "--web {}: the folder holds no index.html, so the web pages are not served (GET / "
        "answers 404); give --web the folder scripts/build-web.sh builds (web/dist)",
        web);
  spdlog::info("permitledger listening on http://{}:{}", UrlHost(o.host), server.port());
  if (on_ready) on_ready(server.port());
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}

// Serve's end: the ledger closed (its last checkpoint signed), then said.
// A close that waits on a Kafka cluster out of reach (a query librdkafka
// holds for minutes whatever its timeout) is cut short after 30 s: the
// process ends as a crash would, which loses nothing acknowledged.
int Stopped(int rc, std::unique_ptr<Ledger>& ledger) {
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  std::thread watchdog([&] {
    std::unique_lock lock(mu);
    if (cv.wait_for(lock, std::chrono::seconds(30), [&] { return closed; })) return;
    spdlog::error(
        "permitledger stopped without closing the ledger: it waited 30 s (on the Kafka cluster, "
        "out of reach?). Nothing acknowledged is lost: the next start recovers as after a crash");
    spdlog::shutdown();
    std::_Exit(3);
  });
  ledger.reset();
  {
    std::lock_guard lock(mu);
    closed = true;
  }
  cv.notify_all();
  watchdog.join();
  if (rc == 0) spdlog::info("permitledger stopped");
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  // What the ledger writes (its stores, secrets, sealed personal data, a
  // replay's views) is its owner's alone, in a data directory made
  // beforehand with a looser mode too.
  ::umask(077);
  CLI::App app{"permitledger: an event-sourced ledger of business permits"};
  app.set_version_flag("--version", std::string("permitledger ") + PL_VERSION);
  app.require_subcommand(1);
  std::string data = "./data", listen = "127.0.0.1:8080", charter, web = DefaultWebDir();
  std::string public_url;
  int threads = 2, permits = 250;
  size_t per_client = HttpServerOptions().max_connections_per_client;
  size_t max_connections = 0;
  uint32_t seed = 20261127;

  auto* serve = app.add_subcommand("serve", "serve the HTTP API over the ledger in --data");
  serve->add_option("--data", data, "data directory")->capture_default_str();
  serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--web", web, "directory of the web pages")->capture_default_str();
  serve
      ->add_option("--public-url", public_url,
                   "where the public reaches the pages (https://izin.example.go.id): the link "
                   "of a permit's QR code (default: the host the QR code is asked of)")
      ->check(CLI::Validator(
          [](std::string& v) {
            return v.starts_with("https://") || v.starts_with("http://")
                       ? std::string()
                       : "not an http:// or https:// address: " + v;
          },
          "URL"));
  serve->add_option("--charter", charter,
                    "charter (JSON file) adopted on first start; default: the shipped "
                    "charters/pesanggrahan.json, compiled in");
  serve->add_option("--threads", threads, "HTTP threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve
      ->add_option("--max-connections-per-client", per_client,
                   "connections one client address may hold open (behind a reverse proxy, "
                   "raise it: every client is the proxy)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  serve
      ->add_option("--max-connections", max_connections,
                   "connections all clients together may hold open (0: the file limit less "
                   "1,024 kept for the stores)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));

  auto* demo = app.add_subcommand("demo", "generate a realistic demo history, then serve it");
  demo->add_option("--data", data,
                   "data directory, holding no ledger yet (the demo writes a new one)")
      ->capture_default_str();
  demo->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  demo->add_option("--web", web, "directory of the web pages")->capture_default_str();
  demo->add_option("--permits", permits, "applications to generate")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  demo->add_option("--seed", seed, "random seed")->capture_default_str();
  demo->add_option("--threads", threads, "HTTP threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  demo->add_option("--max-connections-per-client", per_client,
                   "connections one client address may hold open")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  bool no_serve = false;
  demo->add_flag("--no-serve", no_serve, "generate the history and exit");

  auto* replay = app.add_subcommand(
      "replay",
      "rebuild every view from the log into a fresh store and compare it with the live views");
  replay->add_option("--data", data, "data directory")->capture_default_str();
  std::string replay_out;
  replay->add_option("--output", replay_out,
                     "where to build the fresh views, emptied first: a new directory or an "
                     "earlier replay's (default: DATA/views.replay)");

  LedgerKafkaOptions kafka;
  for (auto* cmd : {serve, demo, replay}) AddKafkaOptions(cmd, kafka);
  bool no_process = false;
  serve->add_flag("--kafka-gateway-only", no_process,
                  "with --kafka: answer HTTP but run no command processor in this process");
  bool no_feeds = false;
  serve->add_flag("--kafka-no-feeds", no_feeds,
                  "with --kafka: do not copy the subscribers' feeds to their topics here");
  auto* audit = app.add_subcommand("audit", "check the log, its checkpoints and the views");
  audit->require_subcommand(1);
  std::string audit_key, trail_permit, trail_format = "csv";
  auto* audit_verify = audit->add_subcommand(
      "verify", "recompute the Merkle tree from the log, check every checkpoint and every event");
  audit_verify->add_option("--data", data, "data directory")->capture_default_str();
  audit_verify->add_option(
      "--key", audit_key,
      "the log's verifier key, or a file holding it (default: DATA/transparency.pub)");
  std::vector<std::string> audit_held;
  audit_verify->add_option("--checkpoint", audit_held,
                           "a signed checkpoint you kept (a file; repeatable): the log must "
                           "extend it");
  AddKafkaOptions(audit_verify, kafka);
  auto* audit_replay = audit->add_subcommand("replay", "rebuild every view and compare digests");
  audit_replay->add_option("--data", data, "data directory")->capture_default_str();
  audit_replay->add_option("--output", replay_out, "where to build the fresh views");
  auto* audit_trail = audit->add_subcommand("trail", "export a permit's history with its leaves");
  audit_trail->add_option("permit", trail_permit, "permit id")->required();
  audit_trail->add_option("--data", data, "data directory")->capture_default_str();
  audit_trail->add_option("--format", trail_format, "csv or jsonl")
      ->capture_default_str()
      ->check(CLI::IsMember({"csv", "jsonl"}));

  auto* verify_permit = app.add_subcommand(
      "verify-permit",
      "check a saved /v1/public/verify answer offline: valid (exit 0), not genuine (2), revoked "
      "(3), expired or not yet valid (4), cannot check (5); a usage error exits 1");
  std::string vp_key, vp_checkpoint, vp_proof, vp_today;
  verify_permit->add_option("--key", vp_key, "the log's verifier key, or a file holding it")
      ->required();
  verify_permit->add_option("--checkpoint", vp_checkpoint, "a signed checkpoint note (file)")
      ->required();
  verify_permit
      ->add_option("--proof", vp_proof, "the saved JSON answer of /v1/public/verify (file)")
      ->required();
  verify_permit
      ->add_option("--today", vp_today,
                   "YYYY-MM-DD for the expiry check (default: today in Jakarta)")
      ->check(CLI::Validator(
          [](std::string& v) {
            return ParseDate(v) ? std::string() : "not a date of the form YYYY-MM-DD: " + v;
          },
          "YYYY-MM-DD"));

  // A usage error exits 1, as every other refusal of the command line does
  // (CLI11's own codes, 105 and up, would read as a tool's verdict).
  if (std::string unknown = UnknownSubcommand(app, argc, argv); !unknown.empty()) {
    std::cerr << unknown << "\n";
    return 1;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 1;
  }
  FinishKafkaOptions(kafka);
  kafka.process_commands = !no_process;
  kafka.publish_feeds = !no_feeds;
  auto ledger_options = [&](bool follow) {
    LedgerOptions o = LedgerOptions::At(data);
    o.charter_path = charter;
    o.follow = follow;
    o.kafka = kafka;
    return o;
  };
  // The log goes to stderr: stdout is what a command prints (a trail
  // exported with `audit trail > trail.csv` holds no log line).
  spdlog::set_default_logger(spdlog::stderr_color_mt("permitledger"));
  // Local time with its offset from UTC: lines compare across machines.
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");

  if (*serve) {
    std::unique_ptr<Ledger> ledger;
    const int rc = Serve(
        listen, web, public_url, threads, per_client, max_connections,
        [&]() -> Result<Ledger*> {
          auto opened = Ledger::Open(ledger_options(true));
          if (!opened.ok()) return opened.status();
          ledger = std::move(*opened);
          if (!charter.empty() && !ledger->adopted_charter_at_start())
            spdlog::warn(
                "--charter {} was not read: this ledger adopted its charter before (version "
                "{}, GET /v1/charter); the file counts on first start only. To change the "
                "charter, send it with PUT /v1/charter",
                charter,
                ledger->governance()->charter ? ledger->governance()->charter->version : 0);
          spdlog::info("data in {}; administrator token in {}/admin.token", data, data);
          return ledger.get();
        },
        nullptr);
    return Stopped(rc, ledger);
  }

  if (*demo) {
    if (std::filesystem::exists(std::filesystem::path(data) /
                                (kafka.bootstrap.empty() ? "log" : "views")))
      return Fail(Status("invalid_argument", "the demo writes a new history: " + data +
                                                 " already holds a ledger; use another --data"));
    const DemoOptions demo_options{permits, seed};
    const std::string tokens_path = data + "/demo-tokens.json";
    std::unique_ptr<Ledger> ledger;
    std::optional<DemoResult> result;
    // Opens the ledger and writes the demo history into it.
    auto make = [&]() -> Result<Ledger*> {
      LedgerOptions lo = ledger_options(true);
      lo.charter_time_ms = DemoCharterTime(SystemClockMs(), demo_options);
      auto opened = Ledger::Open(lo);
      if (!opened.ok()) return opened.status();
      ledger = std::move(*opened);
      auto ran = RunDemo(*ledger, demo_options);
      if (!ran.ok()) return ran.status();
      result = std::move(*ran);
      // Tokens go to a file for the person running the demo, never to the log.
      nlohmann::json j = {{"admin", ledger->admin_token()}, {"officers", result->officer_tokens}};
      // Every application's code, so that each stage can be seen on /track.
      nlohmann::json tracking = nlohmann::json::object();
      for (const auto& [permit, code] : result->tracking) tracking[permit] = code;
      j["tracking_codes"] = tracking;
      std::ofstream(tokens_path) << j.dump(2) << "\n";
      std::filesystem::permissions(
          tokens_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      std::cout << "Demo history: " << permits << " applications, " << result->commands
                << " commands sent (" << result->refused
                << " of them refused by the rules, as the demo shows refusals too), "
                << ledger->engine().events_applied() << " events.\n";
      return ledger.get();
    };
    if (no_serve) {
      auto made = make();
      return made.ok() ? 0 : Fail(made.status());
    }
    const int rc = Serve(
        listen, web, public_url, threads, per_client, max_connections, make,
        [&](unsigned short port) {
          std::string base =
              "http://" + listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
          // The secrets stay in the tokens file: the commands read them from it.
          auto from_tokens = [&](const std::string& group, const std::string& key) {
            return "$(python3 -c \"import json;print(json.load(open('" + tokens_path + "'))['" +
                   group + "']['" + key + "'])\")";
          };
          std::cout << "\nThe ledger is serving at " << base << "\n"
                    << "  web pages:          " << base << "/  " << base << "/track  " << base
                    << "/officer\n"
                    << "  public statistics:  curl " << base << "/v1/public/stats\n"
                    << "  public register:    curl '" << base << "/v1/public/register?q=warung'\n"
                    << "  track an application:\n"
                    << "                      curl " << base << "/v1/track/"
                    << from_tokens("tracking_codes", result->tracking.front().first) << "\n"
                    << "  an officer's worklist:\n"
                    << "                      curl -H \"Authorization: Bearer "
                    << from_tokens("officers", result->officer_tokens.begin()->first) << "\" "
                    << base << "/v1/worklist\n"
                    << "  metrics:            curl " << base << "/metrics\n"
                    << "Officer and admin tokens, tracking codes: " << tokens_path
                    << " (never printed). Ctrl-C stops.\n"
                    << std::flush;
        });
    return Stopped(rc, ledger);
  }

  if (*replay || *audit_replay) {
    if (replay_out.empty()) replay_out = data + "/views.replay";
    kafka.process_commands = false;  // a replay decides nothing and joins no group
    auto r = ReplayViews(ledger_options(/*follow=*/false), replay_out);
    if (!r.ok()) return Fail(r.status());
    std::cout << "replayed " << r->events << " events in " << r->seconds << " s into " << replay_out
              << "\n";
    PrintReplayDifferences(*r, std::cout);
    return r->identical() || r->no_live_views ? 0 : 2;
  }

  // A key given as such, or the first line of a file holding it.
  // A verifier key ("<name>+<id>+<key>": it holds '+'), or a file holding
  // one; nullopt for a file that cannot be read.
  auto key_arg = [](const std::string& arg) -> std::optional<std::string> {
    if (!std::filesystem::exists(arg) && arg.find('+') != std::string::npos) return arg;
    std::ifstream in(arg);
    std::string line;
    if (!in || !std::getline(in, line)) return std::nullopt;
    return line;
  };
  // A file's text; none for a path that is no readable file (a folder too).
  auto slurp = [](const std::string& path) -> std::optional<std::string> {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };

  if (*audit_verify) {
    AuditOptions o;
    o.data_dir = data;
    o.kafka = kafka;
    if (!audit_key.empty()) {
      auto key = key_arg(audit_key);
      if (!key) return Fail(Status("invalid_argument", "cannot read the key file " + audit_key));
      o.verifier_key = *key;
    }
    for (const auto& file : audit_held) {
      auto note = slurp(file);
      if (!note) return Fail(Status("invalid_argument", "cannot read " + file));
      o.held_checkpoints.push_back(*note);
    }
    auto report = AuditVerify(o);
    if (!report.ok()) return Fail(report.status());
    PrintAuditReport(*report, std::cout);
    return !report->ok() ? 2 : report->vouched() ? 0 : 3;
  }
  if (*audit_trail) {
    Status s = ExportTrail(data, trail_permit, trail_format, std::cout);
    // A finding, as audit verify's: exit 2.
    if (s.code() == "views_differ" || s.code() == "views_behind") {
      Fail(s);
      return 2;
    }
    return s.ok() ? 0 : Fail(s);
  }
  if (*verify_permit) {
    auto note = slurp(vp_checkpoint);
    auto proof = slurp(vp_proof);
    if (!note) return Fail(Status("invalid_argument", "cannot read " + vp_checkpoint));
    if (!proof) return Fail(Status("invalid_argument", "cannot read " + vp_proof));
    auto answer = nlohmann::json::parse(*proof, nullptr, false);
    if (answer.is_discarded()) return Fail(Status("invalid_argument", vp_proof + " is not JSON"));
    if (vp_today.empty()) {
      // Jakarta (UTC+7) date, as permits are dated.
      auto t = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() +
                                                     std::chrono::hours(7));
      std::chrono::year_month_day ymd(t);
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
      vp_today = buf;
    }
    auto key = key_arg(vp_key);
    if (!key) return Fail(Status("invalid_argument", "cannot read the key file " + vp_key));
    auto checked = VerifyPermitOffline(*key, *note, answer, vp_today);
    if (!checked.ok())
      return Fail(Status(checked.status().code(), vp_proof + ": " + checked.status().message()));
    const PermitCheck& c = *checked;
    std::cout << c.permit_number << ": " << VerdictName(c.verdict) << " (" << c.reason << ")\n";
    switch (c.verdict) {
      case PermitVerdict::kValid:
        return 0;
      case PermitVerdict::kNotGenuine:
        return 2;
      case PermitVerdict::kRevoked:
        return 3;
      case PermitVerdict::kExpired:
      case PermitVerdict::kNotYetValid:  // not valid on the day asked either
        return 4;
      case PermitVerdict::kCannotCheck:
        return 5;
    }
  }
  return 0;
}
