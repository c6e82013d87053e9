// KafkaLog and the transactional clients against a real Kafka broker.
// Start one with `scripts/kafka.sh start` and run with
// KAFKA_BOOTSTRAP=127.0.0.1:19092.
#include "events/kafka_log.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "tests/blocked_thread.h"

namespace pl {
namespace {

using namespace std::chrono_literals;

std::string Bootstrap() {
  const char* bs = std::getenv("KAFKA_BOOTSTRAP");
  return bs ? bs : "";
}

std::string Unique(const std::string& prefix) {
  static const std::string run = [] {
    std::random_device rd;
    return std::to_string(rd() % 1000000000);
  }();
  static int n = 0;
  return prefix + "-" + run + "-" + std::to_string(++n);
}

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Bootstrap().empty())
        << "KAFKA_BOOTSTRAP is not set. These tests need a real Kafka broker: run "
           "`scripts/kafka.sh start` and then `KAFKA_BOOTSTRAP=127.0.0.1:19092 kafka_tests`.";
  }

  KafkaLogOptions Options(const std::string& topic, int32_t partitions,
                          const std::string& txn_id = "") {
    KafkaLogOptions o;
    o.bootstrap_servers = Bootstrap();
    o.topic = topic;
    o.partitions = partitions;
    o.transactional_id = txn_id;
    o.timeout = 20s;
    return o;
  }

  std::unique_ptr<KafkaLog> MustOpen(const KafkaLogOptions& o) {
    auto log = KafkaLog::Open(o);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(*log) : nullptr;
  }

  KafkaClientOptions Client() { return {Bootstrap(), 20s, {}}; }
};

std::vector<AppendRecord> Records(int32_t partition, const std::string& prefix, int n) {
  std::vector<AppendRecord> v;
  for (int i = 0; i < n; ++i)
    v.push_back({PartitionId{partition}, prefix + "-key", prefix + "-" + std::to_string(i)});
  return v;
}

// An admin client for the tests that change topics behind the ledger's back.
struct Admin {
  Admin() {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", Bootstrap().c_str(), err, sizeof err);
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    q = rd_kafka_queue_new(rk);
  }
  ~Admin() {
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
  }
  // Creates a topic of one partition with these settings; true on success.
  bool CreateTopic(const std::string& topic,
                   const std::vector<std::pair<std::string, std::string>>& config) {
    char err[512];
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), 1, 1, err, sizeof err);
    for (const auto& [k, v] : config) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
    rd_kafka_CreateTopics(rk, &nt, 1, nullptr, q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 20000);
    if (!ev) return false;
    size_t n = 0;
    auto** res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    bool ok = n == 1 && rd_kafka_topic_result_error(res[0]) == RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_event_destroy(ev);
    return ok;
  }
  // The settings in force on a topic once `name` has `value` (or after
  // 10 s): the controller answers an alteration before the broker that
  // describes the topic has applied it.
  std::map<std::string, std::string> ConfigOnce(const std::string& topic, const std::string& name,
                                                const std::string& value) {
    std::map<std::string, std::string> out;
    for (int i = 0; i < 100 && (out = Config(topic))[name] != value; ++i)
      std::this_thread::sleep_for(100ms);
    return out;
  }
  // The settings in force on a topic (empty if it cannot be described
  // within 10 s: a broker may not know a topic created a moment ago).
  std::map<std::string, std::string> Config(const std::string& topic) {
    std::map<std::string, std::string> out;
    for (int i = 0; i < 100 && (out = DescribeOnce(topic)).empty(); ++i)
      std::this_thread::sleep_for(100ms);
    return out;
  }
  std::map<std::string, std::string> DescribeOnce(const std::string& topic) {
    std::map<std::string, std::string> out;
    rd_kafka_ConfigResource_t* res =
        rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
    rd_kafka_DescribeConfigs(rk, &res, 1, nullptr, q);
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 20000);
    if (!ev) return out;
    size_t nres = 0;
    auto** rs =
        rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &nres);
    for (size_t i = 0; i < nres; ++i) {
      if (rd_kafka_ConfigResource_error(rs[i])) break;
      size_t n = 0;
      auto** entries = rd_kafka_ConfigResource_configs(rs[i], &n);
      for (size_t j = 0; j < n; ++j)
        if (const char* v = rd_kafka_ConfigEntry_value(entries[j]))
          out[rd_kafka_ConfigEntry_name(entries[j])] = v;
    }
    rd_kafka_event_destroy(ev);
    return out;
  }
  rd_kafka_t* rk;
  rd_kafka_queue_t* q;
};

// The high watermark as a read_uncommitted client sees it (includes records
// of open and aborted transactions), to contrast with EndOffset.
int64_t HighWatermarkUncommitted(const std::string& topic, int32_t p) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", Bootstrap().c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", "pl-test-hwm", err, sizeof err);
  rd_kafka_conf_set(conf, "isolation.level", "read_uncommitted", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  int64_t lo = -1, hi = -1;
  rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &lo, &hi, 10000);
  rd_kafka_destroy(rk);
  return hi;
}

TEST_F(KafkaTest, AppendThenReadRoundTripsKeysValuesAndPartitions) {
  auto log = MustOpen(Options(Unique("roundtrip"), 3, Unique("txn")));
  ASSERT_TRUE(log);
  EXPECT_EQ(log->partitions(), 3);
  std::vector<AppendRecord> batch = {
      {PartitionId{0}, "governance", "charter"},
      {PartitionId{2}, "P-7", std::string("bin\0ary", 7)},
      {PartitionId{1}, "P-1", "first"},
      {PartitionId{1}, "P-1", "second"},
      {PartitionId{2}, "", ""},
  };
  auto offsets = log->Append(batch);
  ASSERT_TRUE(offsets.ok()) << offsets.status().ToString();
  ASSERT_EQ(offsets->size(), batch.size());
  EXPECT_EQ((*offsets)[0].value, 0u);
  EXPECT_EQ((*offsets)[1].value, 0u);
  EXPECT_EQ((*offsets)[2].value, 0u);
  EXPECT_EQ((*offsets)[3].value, 1u);
  EXPECT_EQ((*offsets)[4].value, 1u);

  for (int32_t p = 0; p < 3; ++p) {
    auto recs = log->Read(PartitionId{p}, Offset{0}, 100);
    ASSERT_TRUE(recs.ok()) << recs.status().ToString();
    std::vector<size_t> expected;
    for (size_t i = 0; i < batch.size(); ++i)
      if (batch[i].partition.value == p) expected.push_back(i);
    ASSERT_EQ(recs->size(), expected.size()) << "partition " << p;
    for (size_t j = 0; j < expected.size(); ++j) {
      const auto& r = (*recs)[j];
      EXPECT_EQ(r.partition.value, p);
      EXPECT_EQ(r.offset, (*offsets)[expected[j]]);
      EXPECT_EQ(r.key, batch[expected[j]].key);
      EXPECT_EQ(r.value, batch[expected[j]].value);
    }
  }
  // Stream placement is stable and puts governance in partition 0.
  EXPECT_EQ(log->PartitionFor("governance").value, 0);
  EXPECT_EQ(log->PartitionFor("P-1"), log->PartitionFor("P-1"));
}

TEST_F(KafkaTest, OffsetsIncreaseWithGapsAndReadsResumeAnywhere) {
  auto log = MustOpen(Options(Unique("gaps"), 2, Unique("txn")));
  ASSERT_TRUE(log);
  std::vector<Offset> all;
  for (int b = 0; b < 5; ++b) {
    auto batch = Records(0, "b" + std::to_string(b), 3);
    auto more = Records(1, "x" + std::to_string(b), 1);
    batch.insert(batch.end(), more.begin(), more.end());
    auto offs = log->Append(batch);
    ASSERT_TRUE(offs.ok()) << offs.status().ToString();
    for (int i = 0; i < 3; ++i) all.push_back((*offs)[i]);
  }
  // Strictly increasing; each transaction's commit marker leaves a gap.
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1], all[i]);
    if (i % 3 == 0) {
      EXPECT_EQ(all[i].value, all[i - 1].value + 2) << "marker gap expected";
    }
  }
  auto end = log->EndOffset(PartitionId{0});
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->value, all.back().value + 2);  // last record, then its marker

  auto recs = log->Read(PartitionId{0}, Offset{0}, 1000);
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ((*recs)[i].offset, all[i]);
    EXPECT_EQ((*recs)[i].value, "b" + std::to_string(i / 3) + "-" + std::to_string(i % 3));
  }
  // Paging with small batches, resuming after the last record read, works
  // across the markers.
  std::vector<LogRecord> paged;
  Offset next{0};
  for (int guard = 0; guard < 100; ++guard) {
    auto page = log->Read(PartitionId{0}, next, 2);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    EXPECT_LE(page->size(), 2u);
    for (auto& r : *page) paged.push_back(r);
    next = Offset{page->back().offset.value + 1};
  }
  ASSERT_EQ(paged.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(paged[i].offset, all[i]);

  // Starting on a marker's offset gives the next record.
  auto from_gap = log->Read(PartitionId{0}, Offset{all[2].value + 1}, 1);
  ASSERT_TRUE(from_gap.ok());
  ASSERT_EQ(from_gap->size(), 1u);
  EXPECT_EQ((*from_gap)[0].offset, all[3]);
  // Past the end, or where only a marker is left: nothing, and no wait for
  // a record (a Read that waited for one would end "unavailable" at the
  // log's 20 s timeout, not ok).
  auto past = log->Read(PartitionId{0}, *end, 10);
  ASSERT_TRUE(past.ok()) << past.status().ToString();
  EXPECT_TRUE(past->empty());
  auto tail = log->Read(PartitionId{0}, Offset{all.back().value + 1}, 10);
  ASSERT_TRUE(tail.ok()) << tail.status().ToString();
  EXPECT_TRUE(tail->empty());
}

TEST_F(KafkaTest, MultiPartitionAppendIsAtomicAndLargeBatchesWork) {
  auto log = MustOpen(Options(Unique("atomic"), 4, Unique("txn")));
  ASSERT_TRUE(log);
  std::vector<AppendRecord> batch;
  for (int i = 0; i < 2000; ++i)
    batch.push_back({PartitionId{i % 4}, "k" + std::to_string(i), std::string(200, 'a' + i % 26)});
  auto offs = log->Append(batch);
  ASSERT_TRUE(offs.ok()) << offs.status().ToString();
  ASSERT_EQ(offs->size(), batch.size());
  for (int32_t p = 0; p < 4; ++p) {
    auto recs = log->Read(PartitionId{p}, Offset{0}, 10000);
    ASSERT_TRUE(recs.ok());
    EXPECT_EQ(recs->size(), 500u);
    for (size_t j = 0; j < recs->size(); ++j) {
      EXPECT_EQ((*recs)[j].key, "k" + std::to_string(j * 4 + p));
      EXPECT_EQ((*recs)[j].offset, (*offs)[j * 4 + p]);
    }
  }
  // A batch naming a partition out of range writes nothing anywhere.
  std::vector<AppendRecord> bad = {{PartitionId{0}, "a", "ok"}, {PartitionId{4}, "b", "bad"}};
  auto r = log->Append(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "invalid_argument");
  auto recs = log->Read(PartitionId{0}, Offset{0}, 10000);
  ASSERT_TRUE(recs.ok());
  EXPECT_EQ(recs->size(), 500u);
}

TEST_F(KafkaTest, AbortedAndOpenTransactionsAreInvisible) {
  const std::string topic = Unique("abort");
  auto log = MustOpen(Options(topic, 2, Unique("txn")));
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->Append(Records(0, "before", 2)).ok());

  auto prod = KafkaTransactionalProducer::Create(Client(), Unique("txn-other"));
  ASSERT_TRUE(prod.ok()) << prod.status().ToString();
  ASSERT_TRUE((*prod)->BeginTransaction().ok());
  const int64_t hwm0 = HighWatermarkUncommitted(topic, 0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*prod)->Produce(topic, 0, "k", "aborted").ok());
  // Let them reach the broker before the abort (else they are just dropped).
  for (int i = 0; i < 100 && HighWatermarkUncommitted(topic, 0) < hwm0 + 5; ++i)
    std::this_thread::sleep_for(50ms);
  ASSERT_EQ(HighWatermarkUncommitted(topic, 0), hwm0 + 5);
  ASSERT_TRUE((*prod)->AbortTransaction().ok());

  ASSERT_TRUE(log->Append(Records(0, "after", 1)).ok());

  // An open transaction pins the end (the last stable offset) below it.
  ASSERT_TRUE((*prod)->BeginTransaction().ok());
  ASSERT_TRUE((*prod)->Produce(topic, 0, "k", "open").ok());
  auto lso_before = log->EndOffset(PartitionId{0});
  ASSERT_TRUE(lso_before.ok());
  // Wait until the open transaction's record is on the broker.
  for (int i = 0; i < 100 && HighWatermarkUncommitted(topic, 0) <= int64_t(lso_before->value); ++i)
    std::this_thread::sleep_for(50ms);
  int64_t hwm = HighWatermarkUncommitted(topic, 0);
  auto lso = log->EndOffset(PartitionId{0});
  ASSERT_TRUE(lso.ok());
  EXPECT_EQ(lso->value, lso_before->value);
  EXPECT_GT(hwm, int64_t(lso->value)) << "EndOffset must be the last stable offset";
  EXPECT_FALSE(log->WaitFor(PartitionId{0}, *lso, 300ms));
  // Nor is the partition settled while it is open; the other one is.
  EXPECT_EQ(log->Settle(PartitionId{0}, 300ms).code(), "unavailable");
  EXPECT_TRUE(log->Settle(PartitionId{1}, 5s).ok());

  auto recs = log->Read(PartitionId{0}, Offset{0}, 100);
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 3u);
  EXPECT_EQ((*recs)[0].value, "before-0");
  EXPECT_EQ((*recs)[1].value, "before-1");
  EXPECT_EQ((*recs)[2].value, "after-0");
  EXPECT_GT((*recs)[2].offset.value, (*recs)[1].offset.value + 5);  // aborted ones skipped

  // Committing the open transaction makes its record visible.
  auto c = (*prod)->CommitTransaction();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_TRUE(log->Settle(PartitionId{0}, 5s).ok());
  EXPECT_TRUE(log->WaitFor(PartitionId{0}, *lso, 5s));
  recs = log->Read(PartitionId{0}, *lso, 100);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].value, "open");
  EXPECT_EQ((*recs)[0].offset, (*c)[0]);
}

TEST_F(KafkaTest, EndOffsetAndWaitFor) {
  auto log = MustOpen(Options(Unique("wait"), 2, Unique("txn")));
  ASSERT_TRUE(log);
  auto end = log->EndOffset(PartitionId{1});
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->value, 0u);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(log->WaitFor(PartitionId{1}, Offset{0}, 200ms));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 200ms);

  // A waiter already blocked in WaitFor (asleep, after announcing itself
  // right before it) when the record is appended sees it well before its
  // deadline. The bound is the point (WaitFor polls the end offset, and one
  // that looked again only at its deadline would return true too), so it
  // is generous: half the 60 s deadline, over 30 times the ~0.8 s the
  // append (a transaction) and the polling take on the 2-core dev machine.
  std::atomic<pid_t> waiter_tid{0};
  bool woke = false;
  std::chrono::steady_clock::duration waited{};
  std::thread waiter([&] {
    waiter_tid = testing_threads::ThisThreadId();
    const auto start = std::chrono::steady_clock::now();
    woke = log->WaitFor(PartitionId{1}, Offset{0}, 60s);
    waited = std::chrono::steady_clock::now() - start;
  });
  const bool asleep = testing_threads::WaitUntilAsleep(waiter_tid);
  auto appended = log->Append(Records(1, "late", 1));  // lets the waiter go in any case
  waiter.join();
  ASSERT_TRUE(asleep) << "the waiter never blocked in WaitFor";
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_TRUE(woke);
  EXPECT_LT(waited, 30s);
  end = log->EndOffset(PartitionId{1});
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->value, 2u);  // record 0 and its commit marker at 1
  // Only the marker lies at offset 1: no visible record there.
  EXPECT_FALSE(log->WaitFor(PartitionId{1}, Offset{1}, 200ms));
  EXPECT_FALSE(log->WaitFor(PartitionId{0}, Offset{0}, 100ms));
}

TEST_F(KafkaTest, ConcurrentAppendsFromManyThreads) {
  auto log = MustOpen(Options(Unique("concurrent"), 2, Unique("txn")));
  ASSERT_TRUE(log);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto r = log->Append(Records(t % 2, "t" + std::to_string(t), 3));
        EXPECT_TRUE(r.ok()) << r.status().ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  size_t total = 0;
  for (int32_t p = 0; p < 2; ++p) {
    auto recs = log->Read(PartitionId{p}, Offset{0}, 1000);
    ASSERT_TRUE(recs.ok());
    total += recs->size();
    // Each transaction's three records are contiguous in its partition.
    for (size_t i = 0; i < recs->size(); i += 3) {
      EXPECT_EQ((*recs)[i].value.substr(0, 3), (*recs)[i + 2].value.substr(0, 3));
    }
  }
  EXPECT_EQ(total, 4u * 5 * 3);
}

TEST_F(KafkaTest, ReopenSeesTheSameData) {
  const std::string topic = Unique("reopen");
  const std::string txn = Unique("txn");
  std::vector<Offset> offs;
  {
    auto log = MustOpen(Options(topic, 3, txn));
    ASSERT_TRUE(log);
    auto r = log->Append(Records(2, "keep", 4));
    ASSERT_TRUE(r.ok());
    offs = *r;
  }
  auto log = MustOpen(Options(topic, 3, txn));
  ASSERT_TRUE(log);
  auto recs = log->Read(PartitionId{2}, Offset{0}, 100);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*recs)[i].offset, offs[i]);
    EXPECT_EQ((*recs)[i].value, "keep-" + std::to_string(i));
  }
  auto more = log->Append(Records(2, "more", 1));
  ASSERT_TRUE(more.ok()) << more.status().ToString();
  EXPECT_GT((*more)[0], offs.back());
  // A read-only view of the same topic sees it too, and cannot write.
  auto ro = MustOpen(Options(topic, 3));
  ASSERT_TRUE(ro);
  auto all = ro->Read(PartitionId{2}, Offset{0}, 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 5u);
  auto w = ro->Append(Records(0, "x", 1));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), "read_only");
}

TEST_F(KafkaTest, TopicWithOtherPartitionCountIsRefused) {
  const std::string topic = Unique("mismatch");
  ASSERT_TRUE(MustOpen(Options(topic, 3)));
  auto again = KafkaLog::Open(Options(topic, 4));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), "topic_mismatch");
  EXPECT_NE(again.status().message().find("3 partitions"), std::string::npos)
      << again.status().message();
  EXPECT_TRUE(KafkaLog::Open(Options(topic, 3)).ok());
}

TEST_F(KafkaTest, CompactedOrExpiringTopicIsRefused) {
  const std::string topic = Unique("compacted");
  // Create the topic behind the ledger's back, as compacted.
  ASSERT_TRUE(Admin().CreateTopic(topic, {{"cleanup.policy", "compact"}}));

  auto log = KafkaLog::Open(Options(topic, 1));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), "topic_mismatch");
  EXPECT_NE(log.status().message().find("compact"), std::string::npos);

  // The other way round: the vault's key topic must be compacted only (a
  // topic that deletes would expire keys), and is created so.
  KafkaLogOptions keys = Options(Unique("deleting"), 1);
  ASSERT_TRUE(KafkaLog::Open(keys).ok());  // created with cleanup.policy=delete
  keys.compacted = true;
  auto refused = KafkaLog::Open(keys);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "topic_mismatch");
  EXPECT_NE(refused.status().message().find("cleanup.policy=delete"), std::string::npos);
  keys.topic = Unique("keys");
  ASSERT_TRUE(KafkaLog::Open(keys).ok()) << "a new key topic is created compacted";
  EXPECT_TRUE(KafkaLog::Open(keys).ok()) << "and accepted as such";
  keys.compacted = false;
  EXPECT_EQ(KafkaLog::Open(keys).status().code(), "topic_mismatch");
}

// A command topic (records deleted before their retention) or a key topic
// made before the ledger rolled their segments hourly, or by an operator,
// is set so at start-up, keeping the topic's other settings.
TEST_F(KafkaTest, TransientAndKeyTopicsAreMadeToRollSegmentsHourly) {
  Admin admin;
  const std::string commands = Unique("old-commands");
  ASSERT_TRUE(admin.CreateTopic(commands,
                                {{"retention.ms", "604800000"}, {"max.message.bytes", "2000000"}}));
  ASSERT_EQ(admin.Config(commands)["segment.ms"], "604800000") << "the broker's default";
  KafkaLogOptions o = Options(commands, 1);
  o.retention_ms = 604800000;
  ASSERT_TRUE(MustOpen(o));
  auto config = admin.ConfigOnce(commands, "segment.ms", "3600000");
  EXPECT_EQ(config["segment.ms"], "3600000");
  EXPECT_EQ(config["retention.ms"], "604800000");
  EXPECT_EQ(config["max.message.bytes"], "2000000");

  const std::string keys = Unique("old-keys");
  ASSERT_TRUE(admin.CreateTopic(keys, {{"cleanup.policy", "compact"}}));
  ASSERT_EQ(admin.ConfigOnce(keys, "cleanup.policy", "compact")["segment.ms"], "604800000");
  KafkaLogOptions k = Options(keys, 1);
  k.compacted = true;
  ASSERT_TRUE(MustOpen(k));
  config = admin.ConfigOnce(keys, "segment.ms", "3600000");
  EXPECT_EQ(config["segment.ms"], "3600000");
  EXPECT_EQ(config["cleanup.policy"], "compact");

  // An event topic keeps whatever segments it has: its records never leave.
  const std::string events = Unique("old-events");
  ASSERT_TRUE(admin.CreateTopic(events, {{"retention.ms", "-1"}, {"retention.bytes", "-1"}}));
  ASSERT_TRUE(MustOpen(Options(events, 1)));
  EXPECT_EQ(admin.Config(events)["segment.ms"], "604800000");
}

TEST_F(KafkaTest, SecondWriterWithSameTransactionalIdFencesTheFirst) {
  // This only works if librdkafka negotiated idempotence and transactions
  // with the broker: init_transactions bumps the producer epoch.
  const std::string topic = Unique("fence");
  const std::string txn = Unique("txn");
  auto first = MustOpen(Options(topic, 1, txn));
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->Append(Records(0, "first", 1)).ok());

  auto second = MustOpen(Options(topic, 1, txn));
  ASSERT_TRUE(second);
  auto zombie = first->Append(Records(0, "zombie", 2));
  ASSERT_FALSE(zombie.ok());
  EXPECT_EQ(zombie.status().code(), "fenced") << zombie.status().ToString();
  // Fenced forever.
  auto again = first->Append(Records(0, "zombie", 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), "fenced");

  ASSERT_TRUE(second->Append(Records(0, "second", 1)).ok());
  auto recs = second->Read(PartitionId{0}, Offset{0}, 100);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].value, "first-0");
  EXPECT_EQ((*recs)[1].value, "second-0");
  // The fenced reader still reads.
  auto from_first = first->Read(PartitionId{0}, Offset{0}, 100);
  ASSERT_TRUE(from_first.ok());
  EXPECT_EQ(from_first->size(), 2u);
}

TEST_F(KafkaTest, ProducerFencingReportsFatalOnTheOldInstance) {
  const std::string topic = Unique("pfence");
  ASSERT_TRUE(MustOpen(Options(topic, 1)));
  const std::string txn = Unique("txn");
  auto a = KafkaTransactionalProducer::Create(Client(), txn);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE((*a)->BeginTransaction().ok());
  ASSERT_TRUE((*a)->Produce(topic, 0, "k", "from-a").ok());
  // B's init_transactions aborts A's open transaction and fences A.
  auto b = KafkaTransactionalProducer::Create(Client(), txn);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto commit = (*a)->CommitTransaction();
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.status().code(), "fenced") << commit.status().ToString();
  EXPECT_TRUE((*a)->fatal());
  EXPECT_EQ((*a)->BeginTransaction().code(), "fenced");
  EXPECT_FALSE((*b)->fatal());
  ASSERT_TRUE((*b)->BeginTransaction().ok());
  ASSERT_TRUE((*b)->Produce(topic, 0, "k", "from-b").ok());
  ASSERT_TRUE((*b)->CommitTransaction().ok());
  auto log = MustOpen(Options(topic, 1));
  auto recs = log->Read(PartitionId{0}, Offset{0}, 10);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].value, "from-b");
}

TEST_F(KafkaTest, ConsumeProcessProduceCommitsOffsetsInTheTransaction) {
  const std::string in = Unique("commands");
  const std::string out = Unique("events");
  auto in_log = MustOpen(Options(in, 2, Unique("txn-client")));
  auto out_log = MustOpen(Options(out, 2));
  ASSERT_TRUE(in_log && out_log);
  ASSERT_TRUE(in_log->Append(Records(0, "cmd", 3)).ok());
  ASSERT_TRUE(in_log->Append(Records(1, "cmd", 2)).ok());

  const std::string group = Unique("processor");
  std::vector<std::pair<KafkaGroupConsumer::Rebalance, size_t>> rebalances;
  auto consumer = KafkaGroupConsumer::Create(
      Client(), group, {in},
      [&](KafkaGroupConsumer::Rebalance kind, const std::vector<TopicPartitionOffset>& parts) {
        rebalances.emplace_back(kind, parts.size());
      });
  ASSERT_TRUE(consumer.ok()) << consumer.status().ToString();
  auto& c = **consumer;

  std::vector<ConsumedRecord> got;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (got.size() < 5 && std::chrono::steady_clock::now() < deadline) {
    auto batch = c.Poll(200ms);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    for (auto& r : *batch) got.push_back(std::move(r));
  }
  ASSERT_EQ(got.size(), 5u);
  ASSERT_FALSE(rebalances.empty());
  EXPECT_EQ(rebalances[0].first, KafkaGroupConsumer::Rebalance::kAssigned);
  EXPECT_EQ(rebalances[0].second, 2u);
  EXPECT_EQ(c.Assignment().size(), 2u);

  std::map<int32_t, int64_t> next;
  for (const auto& r : got) next[r.partition] = std::max(next[r.partition], r.offset + 1);
  std::vector<TopicPartitionOffset> offsets;
  for (auto [p, o] : next) offsets.push_back({in, p, o});

  auto prod = KafkaTransactionalProducer::Create(Client(), Unique("txn-processor"));
  ASSERT_TRUE(prod.ok()) << prod.status().ToString();
  auto& pr = **prod;

  // An aborted transaction commits neither its events nor its offsets.
  ASSERT_TRUE(pr.BeginTransaction().ok());
  ASSERT_TRUE(pr.Produce(out, 0, "P-1", "rejected").ok());
  ASSERT_TRUE(pr.SendOffsetsToTransaction(c.GroupMetadata(), offsets).ok());
  ASSERT_TRUE(pr.AbortTransaction().ok());
  auto committed = c.Committed({{in, 0, 0}, {in, 1, 0}});
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  ASSERT_EQ(committed->size(), 2u);  // one answer per partition asked
  for (const auto& t : *committed) EXPECT_LT(t.offset, 0) << "no offset committed yet";

  // The committed one commits both.
  ASSERT_TRUE(pr.BeginTransaction().ok());
  for (const auto& r : got)
    ASSERT_TRUE(pr.Produce(out, r.partition, r.key, "done:" + r.value).ok());
  ASSERT_TRUE(pr.SendOffsetsToTransaction(c.GroupMetadata(), offsets).ok());
  auto done = pr.CommitTransaction();
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->size(), 5u);

  committed = c.Committed({{in, 0, 0}, {in, 1, 0}});
  ASSERT_TRUE(committed.ok());
  ASSERT_EQ(committed->size(), 2u);
  for (const auto& t : *committed) EXPECT_EQ(t.offset, next[t.partition]);

  size_t outputs = 0;
  for (int32_t p = 0; p < 2; ++p) {
    auto recs = out_log->Read(PartitionId{p}, Offset{0}, 100);
    ASSERT_TRUE(recs.ok());
    for (const auto& r : *recs) EXPECT_EQ(r.value.substr(0, 5), "done:");
    outputs += recs->size();
  }
  EXPECT_EQ(outputs, 5u);

  // Plain commits and seeks work too; closing revokes through the callback.
  ASSERT_TRUE(c.CommitOffsets({{in, 0, 1}}).ok());
  committed = c.Committed({{in, 0, 0}});
  ASSERT_TRUE(committed.ok());
  EXPECT_EQ((*committed)[0].offset, 1);
  c.Close();
  EXPECT_EQ(rebalances.back().first, KafkaGroupConsumer::Rebalance::kRevoked);
}

TEST_F(KafkaTest, NewGroupMemberResumesFromTheTransactionallyCommittedOffset) {
  const std::string in = Unique("resume");
  auto in_log = MustOpen(Options(in, 1, Unique("txn")));
  ASSERT_TRUE(in_log);
  ASSERT_TRUE(in_log->Append(Records(0, "c", 4)).ok());
  const std::string group = Unique("grp");
  int64_t second_offset = -1;
  {
    auto c = KafkaGroupConsumer::Create(Client(), group, {in});
    ASSERT_TRUE(c.ok());
    std::vector<ConsumedRecord> got;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (got.size() < 2 && std::chrono::steady_clock::now() < deadline) {
      auto b = (*c)->Poll(200ms, 2 - got.size());
      ASSERT_TRUE(b.ok());
      for (auto& r : *b) got.push_back(r);
    }
    ASSERT_EQ(got.size(), 2u);
    second_offset = got[1].offset;
    auto prod = KafkaTransactionalProducer::Create(Client(), Unique("txn"));
    ASSERT_TRUE(prod.ok());
    ASSERT_TRUE((*prod)->BeginTransaction().ok());
    ASSERT_TRUE((*prod)
                    ->SendOffsetsToTransaction((*c)->GroupMetadata(), {{in, 0, second_offset + 1}})
                    .ok());
    ASSERT_TRUE((*prod)->CommitTransaction().ok());
  }
  auto c = KafkaGroupConsumer::Create(Client(), group, {in});
  ASSERT_TRUE(c.ok());
  std::vector<ConsumedRecord> rest;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (rest.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    auto b = (*c)->Poll(200ms);
    ASSERT_TRUE(b.ok());
    for (auto& r : *b) rest.push_back(r);
  }
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].value, "c-2");
  EXPECT_EQ(rest[0].offset, second_offset + 1);
}

}  // namespace
}  // namespace pl
