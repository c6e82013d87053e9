// The EventLog contract (events/event_log.h), as a typed test suite that
// every adapter instantiates: the embedded log in tests/events/, KafkaLog
// against a real broker in tests/kafka/.
//
// A Traits type provides:
//   static std::string NewName();   // a fresh, unused log
//   static std::unique_ptr<EventLog> Open(const std::string& name, int32_t partitions);
// Opening a name again (after the previous instance is destroyed) reopens
// the same log.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "events/event_log.h"
#include "tests/blocked_thread.h"

namespace pl {

template <class Traits>
class EventLogConformance : public ::testing::Test {
 protected:
  std::unique_ptr<EventLog> Open(int32_t partitions) {
    auto log = Traits::Open(name_, partitions);
    EXPECT_TRUE(log != nullptr);
    return log;
  }
  static std::vector<AppendRecord> Batch(int32_t p, const std::string& prefix, int n) {
    std::vector<AppendRecord> v;
    for (int i = 0; i < n; ++i)
      v.push_back({PartitionId{p}, prefix + "-key", prefix + "-" + std::to_string(i)});
    return v;
  }
  // Every record of partition `p`, read in pages of `page`.
  static std::vector<LogRecord> ReadAll(EventLog& log, int32_t p, size_t page = 1000) {
    std::vector<LogRecord> all;
    uint64_t from = 0;
    for (;;) {
      auto r = log.Read(PartitionId{p}, Offset{from}, page);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok() || r->empty()) break;
      for (auto& rec : *r) all.push_back(std::move(rec));
      from = all.back().offset.value + 1;
    }
    return all;
  }

  std::string name_ = Traits::NewName();
};

TYPED_TEST_SUITE_P(EventLogConformance);

TYPED_TEST_P(EventLogConformance, AppendReturnsOffsetsThatReadFinds) {
  auto log = this->Open(3);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->partitions(), 3);
  std::vector<AppendRecord> batch = {
      {PartitionId{0}, "a", "one"}, {PartitionId{1}, "b", "two"}, {PartitionId{0}, "a", "three"}};
  auto offsets = log->Append(batch);
  ASSERT_TRUE(offsets.ok()) << offsets.status().ToString();
  ASSERT_EQ(offsets->size(), 3u);
  EXPECT_LT((*offsets)[0], (*offsets)[2]);
  auto p0 = this->ReadAll(*log, 0);
  ASSERT_EQ(p0.size(), 2u);
  EXPECT_EQ(p0[0].key, "a");
  EXPECT_EQ(p0[0].value, "one");
  EXPECT_EQ(p0[0].offset, (*offsets)[0]);
  EXPECT_EQ(p0[1].value, "three");
  EXPECT_EQ(p0[1].offset, (*offsets)[2]);
  EXPECT_EQ(p0[1].partition, PartitionId{0});
  auto p1 = this->ReadAll(*log, 1);
  ASSERT_EQ(p1.size(), 1u);
  EXPECT_EQ(p1[0].value, "two");
  EXPECT_EQ(p1[0].offset, (*offsets)[1]);
  EXPECT_TRUE(this->ReadAll(*log, 2).empty());
}

TYPED_TEST_P(EventLogConformance, OffsetsIncreaseAndReadsResumeFromAnyRecord) {
  auto log = this->Open(1);
  ASSERT_TRUE(log);
  std::vector<Offset> all;
  for (int i = 0; i < 5; ++i) {
    auto o = log->Append(this->Batch(0, "b" + std::to_string(i), 3));
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    for (auto off : *o) {
      if (!all.empty()) {
        EXPECT_LT(all.back(), off);
      }
      all.push_back(off);
    }
  }
  auto records = this->ReadAll(*log, 0, 4);  // small pages: resume after each
  ASSERT_EQ(records.size(), 15u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].offset, all[i]);
    EXPECT_EQ(records[i].value, "b" + std::to_string(i / 3) + "-" + std::to_string(i % 3));
  }
  // From any record's offset, a read starts at that record.
  for (size_t i : {0u, 4u, 7u, 14u}) {
    auto r = log->Read(PartitionId{0}, all[i], 2);
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->empty());
    EXPECT_EQ(r->front().offset, all[i]);
  }
  auto end = log->EndOffset(PartitionId{0});
  ASSERT_TRUE(end.ok());
  EXPECT_GT(end->value, all.back().value);
  auto past = log->Read(PartitionId{0}, *end, 10);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->empty());
}

TYPED_TEST_P(EventLogConformance, BatchAcrossPartitionsIsVisibleAtOnce) {
  auto log = this->Open(4);
  ASSERT_TRUE(log);
  std::vector<AppendRecord> batch;
  for (int i = 0; i < 400; ++i)
    batch.push_back({PartitionId{i % 4}, "k" + std::to_string(i % 4), "v" + std::to_string(i)});
  auto offsets = log->Append(batch);
  ASSERT_TRUE(offsets.ok()) << offsets.status().ToString();
  ASSERT_EQ(offsets->size(), 400u);
  for (int32_t p = 0; p < 4; ++p) {
    auto records = this->ReadAll(*log, p);
    ASSERT_EQ(records.size(), 100u) << "partition " << p;
    for (size_t j = 0; j < records.size(); ++j)
      EXPECT_EQ(records[j].value, "v" + std::to_string(j * 4 + p));
  }
  auto empty = log->Append(std::vector<AppendRecord>{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TYPED_TEST_P(EventLogConformance, WaitForTimesOutThenWakesOnAppend) {
  auto log = this->Open(2);
  ASSERT_TRUE(log);
  auto end = log->EndOffset(PartitionId{1});
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(log->WaitFor(PartitionId{1}, *end, std::chrono::milliseconds(150)));
  // A waiter already blocked wakes on the append: the writer appends only
  // once the waiting thread is asleep in the kernel after announcing itself
  // right before WaitFor, i.e. inside WaitFor, which has looked (the
  // embedded log: asleep on its condition variable) or asked (Kafka: its
  // first end-offset request is on its way) before the record existed.
  std::atomic<pid_t> waiter_tid{0};
  bool woke = false;
  std::thread waiter([&] {
    waiter_tid = testing_threads::ThisThreadId();
    woke = log->WaitFor(PartitionId{1}, *end, std::chrono::seconds(60));
  });
  const bool asleep = testing_threads::WaitUntilAsleep(waiter_tid);
  auto appended = log->Append(this->Batch(1, "late", 1));  // lets the waiter go in any case
  waiter.join();
  ASSERT_TRUE(asleep) << "the waiter never blocked in WaitFor";
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_TRUE(woke);
  auto got = log->Read(PartitionId{1}, *end, 10);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].value, "late-0");
  EXPECT_EQ((*got)[0].offset, (*appended)[0]);
  // A record in another partition does not satisfy a wait on this one.
  auto end0 = log->EndOffset(PartitionId{0});
  ASSERT_TRUE(end0.ok());
  EXPECT_FALSE(log->WaitFor(PartitionId{0}, *end0, std::chrono::milliseconds(100)));
}

TYPED_TEST_P(EventLogConformance, ReopenSeesEverythingAndContinues) {
  std::vector<Offset> first;
  {
    auto log = this->Open(2);
    ASSERT_TRUE(log);
    auto o = log->Append(this->Batch(1, "before", 5));
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    first = *o;
  }
  auto log = this->Open(2);
  ASSERT_TRUE(log);
  auto records = this->ReadAll(*log, 1);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[4].offset, first[4]);
  auto o = log->Append(this->Batch(1, "after", 1));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_GT((*o)[0], first[4]);
  EXPECT_EQ(this->ReadAll(*log, 1).size(), 6u);
}

TYPED_TEST_P(EventLogConformance, StreamsMapToStablePartitionsAndGovernanceToZero) {
  auto log = this->Open(5);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->PartitionFor("governance"), PartitionId{0});
  for (const char* key : {"permit-1", "permit-2", "x", ""}) {
    PartitionId p = log->PartitionFor(key);
    EXPECT_GE(p.value, 0);
    EXPECT_LT(p.value, 5);
    EXPECT_EQ(p, log->PartitionFor(key));
  }
  // FNV-1a modulo the partition count: fixed forever (it places streams).
  EXPECT_EQ(log->PartitionFor("permit-1").value, static_cast<int32_t>([] {
              uint32_t h = 2166136261u;
              for (unsigned char c : std::string("permit-1")) h = (h ^ c) * 16777619u;
              return h % 5;
            }()));
  EXPECT_FALSE(log->Read(PartitionId{5}, Offset{0}, 1).ok());
  EXPECT_FALSE(log->Append(std::vector<AppendRecord>{{PartitionId{9}, "k", "v"}}).ok());
}

TYPED_TEST_P(EventLogConformance, TailDeliversEveryPartitionInOrderFromWhereAsked) {
  auto log = this->Open(3);
  ASSERT_TRUE(log);
  for (int round = 0; round < 2; ++round)
    for (int32_t p = 0; p < 3; ++p)
      ASSERT_TRUE(log->Append(this->Batch(p, "r" + std::to_string(round), 4)).ok());
  // Everything after the first record of partition 1; all of 0 and 2.
  const auto first1 = this->ReadAll(*log, 1).front().offset.value;
  auto tail = log->Tail({0, first1 + 1, 0});
  ASSERT_TRUE(tail.ok()) << tail.status().ToString();
  std::vector<std::vector<std::string>> seen(3);
  std::vector<uint64_t> last(3, 0);
  auto collect = [&](size_t want) {
    size_t got = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (got < want && std::chrono::steady_clock::now() < deadline) {
      auto r = (*tail)->Next(5, std::chrono::milliseconds(200));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_LE(r->size(), 5u);
      for (const auto& rec : *r) {
        const int32_t p = rec.partition.value;
        if (!seen[p].empty()) {
          EXPECT_GT(rec.offset.value, last[p]);
        }
        last[p] = rec.offset.value;
        seen[p].push_back(rec.value);
        ++got;
      }
    }
    EXPECT_EQ(got, want);
  };
  collect(23);
  EXPECT_EQ(seen[0].size(), 8u);
  ASSERT_EQ(seen[1].size(), 7u);
  EXPECT_EQ(seen[1].front(), "r0-1");
  EXPECT_EQ(seen[2].back(), "r1-3");
  // Nothing more until something is appended; then exactly that.
  auto none = (*tail)->Next(10, std::chrono::milliseconds(50));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(log->Append(this->Batch(2, "later", 2)).ok());
  collect(2);
  EXPECT_EQ(seen[2].back(), "later-1");
  EXPECT_FALSE(log->Tail({0}).ok());  // one offset per partition
}

REGISTER_TYPED_TEST_SUITE_P(EventLogConformance, AppendReturnsOffsetsThatReadFinds,
                            OffsetsIncreaseAndReadsResumeFromAnyRecord,
                            BatchAcrossPartitionsIsVisibleAtOnce, WaitForTimesOutThenWakesOnAppend,
                            ReopenSeesEverythingAndContinues,
                            StreamsMapToStablePartitionsAndGovernanceToZero,
                            TailDeliversEveryPartitionInOrderFromWhereAsked);

}  // namespace pl
