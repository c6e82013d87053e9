// Nothing is lost: many clients send commands, the process is killed with
// SIGKILL mid-load and restarted; every acknowledged command is there
// exactly once, nothing half-written appears, and the views equal a replay.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "gateways/api_gateway.h"
#include "harness.h"

namespace pl::test {
namespace {

using nlohmann::json;

TEST(Crash, AcknowledgedCommandsSurviveSigkillExactlyOnceAndViewsMatchAReplay) {
  const std::string data = TempDir("crash");
  const std::string kel = "31.74.10.1005";
  std::string officer_token;
  uint64_t governance_events = 0;
  struct Attempt {
    std::string permit, command;
    bool acknowledged = false;
    bool unanswered = false;        // no HTTP answer at all
    bool sent_before_kill = false;  // sent before the SIGKILL was
  };
  std::vector<Attempt> attempts;
  std::mutex mu;
  {
    LedgerProcess ledger(data);
    HttpClient admin(ledger.port());
    auto r = admin.Post(
        "/v1/officers",
        {{"id", "ptsp-ps"}, {"name", "Petugas"}, {"role", "ptsp_officer"}, {"kelurahan", kel}},
        ledger.admin_token());
    ASSERT_EQ(r.status, 201) << r.body;
    officer_token = r.json()["token"];
    governance_events = 2;  // the charter and this officer

    std::atomic<bool> stop{false}, killing{false};
    std::atomic<int> acked{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
      clients.emplace_back([&, t] {
        HttpClient c(ledger.port());
        for (int n = 0; !stop; ++n) {
          const std::string app_cmd = "crash-" + std::to_string(t) + "-" + std::to_string(n);
          const std::string permit = PermitIdFor(app_cmd);
          bool before = !killing;
          auto a = c.Post("/v1/applications", Application(app_cmd, kel));
          {
            std::lock_guard lock(mu);
            attempts.push_back({permit, app_cmd, a.status == 201, a.status == 0, before});
          }
          if (a.status != 201) break;  // the server is gone
          ++acked;
          const std::string verify_cmd = app_cmd + "-verify";
          before = !killing;
          auto v =
              c.Post("/v1/permits/" + permit + "/actions",
                     {{"action", "verify_documents"}, {"command_id", verify_cmd}}, officer_token);
          std::lock_guard lock(mu);
          attempts.push_back({permit, verify_cmd, v.status == 200, v.status == 0, before});
          if (v.status != 200) break;
          ++acked;
        }
      });
    }
    for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(120);
         acked < 600 && std::chrono::steady_clock::now() < end;)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // Mid-load: the eight clients spend nearly all their time waiting for
    // an answer, so some have a command in flight.
    killing = true;
    ledger.Kill(SIGKILL);
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_GE(acked, 600) << "the load did not reach 600 acknowledged commands in 120 s";
  }

  {
    LedgerProcess ledger(data);  // restart on the same data
    HttpClient c(ledger.port());
    const std::string admin = ledger.admin_token();
    uint64_t events = 0;
    std::map<std::string, json> histories;
    // Commands sent before the kill and never answered: in flight when the
    // process died. Each is in the log once (decided, its answer lost) or
    // not at all.
    int acknowledged = 0, in_flight = 0;
    for (const auto& a : attempts) {
      if (!histories.count(a.permit)) {
        auto h = c.Get("/v1/permits/" + a.permit + "/history", admin);
        histories[a.permit] = h.status == 200 ? h.json()["events"] : json::array();
      }
      int found = 0;
      for (const auto& e : histories[a.permit]) found += e["command_id"] == a.command;
      if (a.acknowledged) {
        ++acknowledged;
        EXPECT_EQ(found, 1) << a.command << " was acknowledged";
      } else {
        EXPECT_LE(found, 1) << a.command;
        in_flight += a.sent_before_kill && a.unanswered;
      }
      events += found;
    }
    EXPECT_GE(acknowledged, 600);
    EXPECT_GE(in_flight, 1) << "no command was in flight when the process was killed";
    // Nothing else is in the log: every event belongs to a command we sent.
    auto metrics = c.Get("/metrics").body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        metrics, m, std::regex(R"(permitledger_log_end_offset\{partition="0"\} (\d+))")));
    EXPECT_EQ(std::stoull(m[1]), events + governance_events);
    // The views caught up with the log.
    ASSERT_TRUE(std::regex_search(
        metrics, m, std::regex(R"(permitledger_projection_checkpoint\{partition="0"\} (\d+))")));
    EXPECT_EQ(std::stoull(m[1]), events + governance_events);
    // Each permit's version is the count of its events.
    for (auto& [permit, history] : histories) {
      if (history.empty()) continue;
      auto p = c.Get("/v1/permits/" + permit, admin).json();
      EXPECT_EQ(p["version"], history.size()) << permit;
    }
    // And the ledger takes new commands after the crash.
    auto r = c.Post("/v1/applications", Application("after-crash", kel));
    EXPECT_EQ(r.status, 201) << r.body;
  }
  std::string out;
  EXPECT_EQ(RunLedger({"replay", "--data", data}, &out), 0) << out;
  EXPECT_NE(out.find("identical"), std::string::npos) << out;
  // A replay never writes over the ledger's own files.
  for (const std::string& output : {data, data + "/log", data + "/..", data + "/keys/x"}) {
    EXPECT_NE(RunLedger({"replay", "--data", data, "--output", output}, &out), 0) << output;
    EXPECT_NE(out.find("would overwrite the ledger's own files"), std::string::npos) << out;
  }
  EXPECT_EQ(RunLedger({"replay", "--data", data}, &out), 0) << out;
  EXPECT_NE(out.find("identical"), std::string::npos) << "the log is still there: " << out;
  // Nor over another ledger's store: a RocksDB store without the replay's
  // mark (here an earlier replay's output, its mark taken away), nor a file.
  const std::string other = data + "/../other-store", file = data + "/../a-file";
  std::filesystem::remove_all(other);
  std::filesystem::copy(data + "/views.replay", other);
  ASSERT_TRUE(std::filesystem::remove(other + "/PERMITLEDGER-REPLAY"));
  std::ofstream(file) << "x";
  for (const std::string& output : {other, file}) {
    EXPECT_EQ(RunLedger({"replay", "--data", data, "--output", output}, &out), 1) << output;
    EXPECT_NE(out.find("give a new directory"), std::string::npos) << out;
  }
  EXPECT_TRUE(std::filesystem::exists(other + "/CURRENT")) << "refused, and left as it was";
  // A copy without views, named by a relative path: rebuilt, nothing to compare.
  const std::string bare = data + "/../bare";
  std::filesystem::remove_all(bare);
  std::filesystem::create_directories(bare);
  for (const char* part : {"log", "keys", "server.secret", "admin.token"})
    std::filesystem::copy(data + "/" + part, bare + "/" + part,
                          std::filesystem::copy_options::recursive);
  EXPECT_EQ(RunLedger({"replay", "--data", std::filesystem::relative(bare).string()}, &out), 0)
      << out;
  EXPECT_NE(out.find("nothing to compare"), std::string::npos) << out;
}

// A backup taken while clients send commands (POST /v1/admin/backup) is a
// data directory that starts as a ledger and passes the audit: it holds every
// command acknowledged before the backup was asked for, none sent after its
// answer, each at most once, and a checkpoint signed for it.
TEST(Crash, AnOnlineBackupHoldsEveryCommandAcknowledgedBeforeItAndStarts) {
  const std::string data = TempDir("backup");
  const std::string kel = "31.74.10.1005";
  struct Attempt {
    std::string permit, command;
    bool acked_before = false;  // answered 201 before the backup was asked for
    bool sent_after = false;    // sent after the backup's answer
  };
  std::vector<Attempt> attempts;
  std::mutex mu;
  std::string backup;
  {
    LedgerProcess ledger(data);
    HttpClient admin(ledger.port());
    const std::string token = ledger.admin_token();
    // Only the administrator asks for one, with no field.
    auto officer = admin.Post(
        "/v1/officers",
        {{"id", "ptsp-bk"}, {"name", "Petugas"}, {"role", "ptsp_officer"}, {"kelurahan", kel}},
        token);
    ASSERT_EQ(officer.status, 201) << officer.body;
    EXPECT_EQ(admin.Request("POST", "/v1/admin/backup").status, 401);
    EXPECT_EQ(admin.Request("POST", "/v1/admin/backup", "", officer.json()["token"]).status, 403);
    auto bad = admin.Request("POST", "/v1/admin/backup", R"({"to":"/tmp"})", token);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json()["error"]["code"], "unknown_field") << bad.body;
    EXPECT_EQ(admin.Request("GET", "/v1/admin/backup", "", token).status, 405);

    std::atomic<bool> stop{false}, asked{false}, answered{false};
    std::atomic<int> acked{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        HttpClient c(ledger.port());
        for (int n = 0; !stop; ++n) {
          const std::string cmd = "bk-" + std::to_string(t) + "-" + std::to_string(n);
          const bool after = answered;
          auto a = c.Post("/v1/applications", Application(cmd, kel));
          const bool before = !asked;
          ASSERT_EQ(a.status, 201) << a.body;
          ++acked;
          std::lock_guard lock(mu);
          attempts.push_back({PermitIdFor(cmd), cmd, before, after});
        }
      });
    }
    auto wait_for = [&](int n) {
      for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
           acked < n && std::chrono::steady_clock::now() < end;)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    };
    wait_for(200);
    asked = true;
    auto r = admin.Request("POST", "/v1/admin/backup", "", token);
    answered = true;
    ASSERT_EQ(r.status, 201) << r.body;
    backup = r.json()["directory"];
    EXPECT_EQ(backup.rfind(data + "/backups/", 0), 0u) << backup;
    const int at_answer = acked;
    wait_for(at_answer + 100);
    stop = true;
    for (auto& c : clients) c.join();
    // Never served beside the ledger it was made of (one signing key, two
    // histories); read by the offline tools, it may be.
    std::string out;
    EXPECT_NE(RunLedger({"serve", "--data", backup, "--listen", "127.0.0.1:0"}, &out), 0);
    EXPECT_NE(out.find("is a backup of the ledger in"), std::string::npos) << out;
  }
  std::string out;
  EXPECT_EQ(RunLedger({"audit", "verify", "--data", backup}, &out), 0) << out;
  // A checkpoint signed in the copy covers all of it, and its views are
  // caught up: as a ledger stopped cleanly leaves them.
  EXPECT_EQ(out.find("NOT VOUCHED"), std::string::npos) << out;
  EXPECT_EQ(out.find("uncovered"), std::string::npos) << out;
  EXPECT_EQ(out.find("crashed"), std::string::npos) << out;
  LedgerProcess restored(backup);
  HttpClient c(restored.port());
  const std::string admin = restored.admin_token();
  int before = 0, after = 0;
  for (const auto& a : attempts) {
    auto h = c.Get("/v1/permits/" + a.permit + "/history", admin);
    const int found = h.status == 200 ? static_cast<int>(h.json()["events"].size()) : 0;
    EXPECT_LE(found, 1) << a.command;
    if (a.acked_before) EXPECT_EQ(found, 1) << a.command << " was acknowledged before";
    if (a.sent_after) EXPECT_EQ(found, 0) << a.command << " was sent after the backup";
    before += a.acked_before;
    after += a.sent_after;
  }
  EXPECT_GE(before, 200);
  EXPECT_GE(after, 1);
  // The copy is a ledger of its own now: it takes commands.
  EXPECT_EQ(c.Post("/v1/applications", Application("after-restore", kel)).status, 201);
}

}  // namespace
}  // namespace pl::test
