// Fault tests of the ledger on Kafka against real brokers. Each asserts that
// every acknowledged command appears exactly once on the event topic and in
// the views, and nothing else does.
//   (b) a real `permitledger serve --kafka` process killed with SIGKILL
//       mid-load; the other one fences it (group generation, KIP-447) and
//       finishes the work;
//   (c) KafkaCluster*: one broker of the three-broker cluster killed under
//       load (replication 3, min.insync.replicas 2). Needs
//       KAFKA_CLUSTER_BOOTSTRAP (scripts/test-kafka-cluster.sh sets it).
// Fault (a), the single broker killed, is in kafka_ledger_test.cc.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "tests/kafka/kafka_env.h"

namespace pl {
namespace {

using namespace kafkatest;

pid_t SpawnServe(const std::string& prefix, const std::string& dir) {
  SeedSecret(dir, prefix);
  std::vector<std::string> args = {PL_BINARY,
                                   "serve",
                                   "--kafka",
                                   Bootstrap(),
                                   "--kafka-topic-prefix",
                                   prefix,
                                   "--kafka-partitions",
                                   "4",
                                   "--data",
                                   dir,
                                   "--listen",
                                   "127.0.0.1:0"};
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open((dir + "/serve.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(PL_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

// The command partitions a serve process held when it stopped, from its
// processor's "partitions assigned|revoked P P ..." lines in its log.
std::set<int32_t> PartitionsHeld(const std::string& log_path) {
  std::ifstream in(log_path);
  std::set<int32_t> held;
  for (std::string line; std::getline(in, line);) {
    if (line.find("processor ") == std::string::npos) continue;
    for (const std::string kind : {"assigned", "revoked"}) {
      const std::string mark = ": partitions " + kind + " ";
      const size_t at = line.find(mark);
      if (at == std::string::npos) continue;
      std::istringstream parts(line.substr(at + mark.size()));
      for (int32_t p; parts >> p;) kind == "assigned" ? (void)held.insert(p) : (void)held.erase(p);
    }
  }
  return held;
}

TEST(KafkaLedgerFaults, ServeProcessKilledMidTransactionIsFencedAndReplaced) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("servekill");
  const std::string tag = Unique("sk");
  std::vector<std::string> dirs = {TempDir("serve1"), TempDir("serve2")};
  std::vector<pid_t> pids;
  for (const auto& d : dirs) pids.push_back(SpawnServe(prefix, d));
  // This process is a gateway only: it produces commands and reads outcomes;
  // the two serve processes decide them.
  LedgerOptions o = KafkaLedger(TempDir("gateway"), Bootstrap(), prefix);
  o.kafka.process_commands = false;
  o.kafka.outcome_timeout = std::chrono::seconds(25);
  auto l = Ledger::Open(o);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  const int n = 600;
  std::atomic<int> done{0}, done_at_kill{n};
  std::atomic<bool> killing{false}, killed{false};
  std::thread chaos([&] {
    while (done < n / 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    killing = true;
    ::kill(pids[0], SIGKILL);
    waitpid(pids[0], nullptr, 0);
    done_at_kill = done.load();
    killed = true;
  });
  // The partitions of the commands sent before the kill and answered only
  // after it: in flight when the process died.
  std::mutex mu;
  std::set<int32_t> in_flight;
  LoadResult load = RunLoad(
      [&](Command c) {
        const int32_t p = (*l)->log().PartitionFor(c.stream.str()).value;
        const bool before = !killing;
        Outcome o = (*l)->ExecuteSync(std::move(c));
        if (before && killed) {
          std::lock_guard lock(mu);
          in_flight.insert(p);
        }
        return o;
      },
      tag, n, 16, &done);
  chaos.join();
  EXPECT_LT(done_at_kill, n) << "the serve process was killed after the load";
  // The killed process had work in flight: a command of a partition it held
  // was sent before the kill and answered after it.
  const std::set<int32_t> held = PartitionsHeld(dirs[0] + "/serve.log");
  EXPECT_FALSE(held.empty()) << "the killed process held no partition; see " << dirs[0]
                             << "/serve.log";
  bool had_work = false;
  for (int32_t p : held) had_work = had_work || in_flight.count(p);
  EXPECT_TRUE(had_work) << "no command of the killed process's partitions was in flight";
  ExpectExactlyOnce(load, tag, n, Bootstrap(), prefix, 4, **l);
  ::kill(pids[1], SIGTERM);
  int status = 0;
  waitpid(pids[1], &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "see " << dirs[1] << "/serve.log";
}

TEST(KafkaClusterFaults, BrokerKilledOnThreeBrokerClusterLosesAndDuplicatesNothing) {
  const char* cluster = std::getenv("KAFKA_CLUSTER_BOOTSTRAP");
  ASSERT_NE(cluster, nullptr)
      << "KAFKA_CLUSTER_BOOTSTRAP is not set: run scripts/test-kafka-cluster.sh";
  const std::string prefix = Unique("clusterkill");
  const std::string tag = Unique("ck");
  LedgerOptions o = KafkaLedger(TempDir("cluster"), cluster, prefix);
  o.kafka.replication_factor = 3;
  o.kafka.min_insync_replicas = 2;
  auto l = Ledger::Open(o);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  const int n = 600;
  std::atomic<int> done{0}, done_at_kill{n};
  std::thread chaos([&] {
    while (done < n / 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(std::system(PL_SOURCE_DIR "/scripts/kafka.sh kill 2"), 0);
    done_at_kill = done.load();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    ASSERT_EQ(std::system(PL_SOURCE_DIR "/scripts/kafka.sh restart 2 >/dev/null"), 0);
  });
  LoadResult load =
      RunLoad([&](Command c) { return (*l)->ExecuteSync(std::move(c)); }, tag, n, 8, &done);
  chaos.join();
  // The broker died mid-load (its kill returns once it is dead).
  EXPECT_LT(done_at_kill, n) << "the broker was killed after the load";
  ExpectExactlyOnce(load, tag, n, cluster, prefix, 4, **l);
}

}  // namespace
}  // namespace pl
