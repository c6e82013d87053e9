// Shared helpers of the tests against a real Kafka broker: where it is, fresh
// names, a Kafka-mode Ledger, a load of applications, and the exactly-once
// check of the fault tests.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/commands.h"
#include "events/envelope.h"
#include "events/kafka_log.h"
#include "gateways/ledger.h"
#include "tests/scratch.h"

namespace pl::kafkatest {

inline std::string Bootstrap() {
  const char* bs = std::getenv("KAFKA_BOOTSTRAP");
  return bs ? bs : "";
}

#define PL_REQUIRE_KAFKA()                                                        \
  ASSERT_FALSE(::pl::kafkatest::Bootstrap().empty())                              \
      << "KAFKA_BOOTSTRAP is not set. These tests need a real Kafka broker: run " \
         "`scripts/kafka.sh start` and then `KAFKA_BOOTSTRAP=127.0.0.1:19092 kafka_tests`."

inline std::string Unique(const std::string& prefix) {
  static const std::string run = [] {
    std::random_device rd;
    return std::to_string(rd() % 1000000000);
  }();
  static std::atomic<int> n{0};
  return prefix + "-" + run + "-" + std::to_string(++n);
}

inline std::string TempDir(const std::string& name) { return ::pl::scratch::ScratchDir(name); }

// Instances of one ledger on Kafka share DATA/server.secret (docs/kafka.md):
// writes the one of the ledger on topics `prefix` into `dir`.
inline void SeedSecret(const std::string& dir, const std::string& prefix) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/server.secret";
  if (std::filesystem::exists(path)) return;
  std::ofstream(path) << HashToken("test secret of " + prefix) << "\n";
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

inline LedgerOptions KafkaLedger(const std::string& dir, const std::string& bootstrap,
                                 const std::string& prefix, int32_t partitions = 4) {
  SeedSecret(dir, prefix);
  LedgerOptions o = LedgerOptions::At(dir);
  o.kafka.bootstrap = bootstrap;
  o.kafka.topic_prefix = prefix;
  o.kafka.partitions = partitions;
  o.kafka.outcome_timeout = std::chrono::seconds(20);
  return o;
}

inline constexpr const char* kKel = "31.74.10.1002";

inline SubmitApplication Application(const std::string& tracking_hash) {
  SubmitApplication s;
  s.kelurahan = kKel;
  s.personal = {
      "3174055204880003", "Sari Wulandari", "Jl. Mawar 1", "081234567890", "3174050101010001", ""};
  s.business = {"Warung Bu Sari", "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  s.documents = {"form", "undertaking", "ktp", "kk", "premises_photo", "premises_proof"};
  s.tracking_hash = tracking_hash;
  return s;
}

inline Command SubmitCommand(const std::string& tag, int i) {
  Command c;
  c.id = CommandId("app-" + tag + "-" + std::to_string(i));
  c.stream = StreamId("permit-" + tag + "-" + std::to_string(i));
  c.actor = {"applicant", "applicant", c.stream.str()};
  c.action = Application(HashToken("code-" + c.stream.str()));
  return c;
}

struct LoadResult {
  std::set<std::string> acknowledged;  // command ids with a decided outcome
  int retries = 0;
};

// Submits `n` applications from `threads` threads through `execute`, each
// retried with the same command id until it is decided (accepted), or until
// `deadline` passes.
inline LoadResult RunLoad(const std::function<Outcome(Command)>& execute, const std::string& tag,
                          int n, int threads, std::atomic<int>* done_count,
                          std::chrono::seconds deadline = std::chrono::seconds(150)) {
  LoadResult result;
  std::mutex mu;
  std::atomic<int> next{0};
  auto end = std::chrono::steady_clock::now() + deadline;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i; (i = next++) < n;) {
        while (std::chrono::steady_clock::now() < end) {
          Outcome o = execute(SubmitCommand(tag, i));
          if (o.error.ok()) {
            EXPECT_FALSE(o.refusal) << o.refusal->code << ": " << o.refusal->message;
            EXPECT_EQ(o.events.size(), 1u);
            std::lock_guard lock(mu);
            result.acknowledged.insert("app-" + tag + "-" + std::to_string(i));
            break;
          }
          {
            std::lock_guard lock(mu);
            ++result.retries;
          }
          // As a client would, before it sends the command again.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (done_count) ++*done_count;
      }
    });
  }
  for (auto& t : pool) t.join();
  return result;
}

// Every event of the event topic, by the command id that caused it.
inline std::map<std::string, int> EventsByCommand(const std::string& bootstrap,
                                                  const std::string& prefix, int32_t partitions) {
  KafkaLogOptions o;
  o.bootstrap_servers = bootstrap;
  o.topic = prefix + ".events";
  o.partitions = partitions;
  auto log = KafkaLog::Open(o);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  std::map<std::string, int> by_command;
  if (!log.ok()) return by_command;
  for (int32_t p = 0; p < partitions; ++p) {
    uint64_t from = 0;
    for (;;) {
      auto r = (*log)->Read(PartitionId{p}, Offset{from}, 5000);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok() || r->empty()) break;
      for (const auto& rec : *r) {
        auto e = Decode(rec.value);
        EXPECT_TRUE(e.ok());
        if (e.ok()) ++by_command[e->command_id.str()];
        EXPECT_EQ((*log)->PartitionFor(rec.key), PartitionId{p}) << "event in the wrong partition";
      }
      from = r->back().offset.value + 1;
    }
  }
  return by_command;
}

// Every acknowledged command appears exactly once on the event topic and in
// the views, and no other application does; and every applicant's personal
// data opens with the vault of `views` (whichever instance sealed it).
inline void ExpectExactlyOnce(const LoadResult& load, const std::string& tag, int n,
                              const std::string& bootstrap, const std::string& prefix,
                              int32_t partitions, Ledger& views) {
  EXPECT_EQ(static_cast<int>(load.acknowledged.size()), n) << "not every command was decided";
  auto events = EventsByCommand(bootstrap, prefix, partitions);
  int app_events = 0;
  for (const auto& [id, count] : events) {
    if (!id.starts_with("app-" + tag + "-")) continue;
    app_events += count;
    EXPECT_EQ(count, 1) << id << " has " << count << " events";
    EXPECT_TRUE(load.acknowledged.count(id)) << id << " was written but never acknowledged";
  }
  EXPECT_EQ(app_events, static_cast<int>(load.acknowledged.size()));
  for (const auto& id : load.acknowledged) {
    EXPECT_EQ(events.count(id), 1u) << id << " acknowledged but not on the event topic";
    std::string permit = "permit-" + id.substr(4);
    auto st = views.queries().Permit(permit);
    ASSERT_TRUE(st.has_value()) << permit << " missing from the views";
    EXPECT_EQ(st->version, 1u) << permit;
    // Its key follows the event on the key topic.
    auto data = views.vault().Unseal(st->applicant);
    for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
         !data.ok() && data.status().code() == "key_unavailable" &&
         std::chrono::steady_clock::now() < end;
         data = views.vault().Unseal(st->applicant))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(data.ok()) << permit << ": " << data.status().ToString();
    EXPECT_EQ(data->name, "Sari Wulandari");
  }
}

}  // namespace pl::kafkatest
