#include <gtest/gtest.h>

#include "events/envelope.h"
#include "projections/merkle_verify.h"
#include "projections/transparency_projection.h"
#include "tests/projections/memory_view_batch.h"

namespace pl {
namespace {

Envelope Event(const std::string& stream, uint64_t seq) {
  Envelope e;
  e.stream = StreamId(stream);
  e.seq = seq;
  e.event_id = stream + "/" + std::to_string(seq);
  e.time_ms = 1764288000000 + static_cast<int64_t>(seq);
  e.actor_id = "applicant";
  e.actor_role = "applicant";
  e.command_id = CommandId("c-" + e.event_id);
  ApplicationSubmitted a;
  a.kelurahan = "31.74.10.1002";
  a.applicant = {"person-1", "sealed"};
  a.business = {"Warung " + stream, "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  e.payload = a;
  return e;
}

LogRecord Raw(const Envelope& e, uint64_t offset) {
  return LogRecord{PartitionId{0}, Offset{offset}, e.stream.str(), Encode(e)};
}

class TransparencyProjectionTest : public ::testing::Test {
 protected:
  Status Apply(const Envelope& e) { return projection_.Apply(Raw(e, offset_++), e, store_); }

  TransparencyProjection projection_;
  MemoryViewBatch store_;
  uint64_t offset_ = 0;
};

TEST_F(TransparencyProjectionTest, EveryEventBecomesALeafInApplyOrder) {
  EXPECT_EQ(projection_.name(), "transparency");
  std::vector<Envelope> events = {Event("P1", 1), Event("P2", 1), Event("P1", 2), Event("a/b", 1),
                                  Event("a", 1)};
  for (const auto& e : events) ASSERT_TRUE(Apply(e).ok());

  const MerkleTree& tree = TransparencyProjection::Tree();
  ASSERT_EQ(*tree.Size(store_), events.size());
  const Hash root = *tree.Root(store_, events.size());
  for (uint64_t i = 0; i < events.size(); ++i) {
    const Envelope& e = events[i];
    auto index = TransparencyProjection::LeafIndexOf(store_, e.stream, e.seq);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    EXPECT_EQ(*index, i);
    auto at = TransparencyProjection::EventAt(store_, i);
    ASSERT_TRUE(at.ok());
    EXPECT_EQ(*at, (LeafEvent{e.stream, e.seq}));
    auto data = TransparencyProjection::LeafData(store_, i);
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(*data, Encode(e));

    // What a permit's history would hand out: the leaf verifies in the log.
    auto proof = tree.InclusionProof(store_, i, events.size());
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(VerifyInclusion(HashLeaf(*data), i, events.size(), *proof, root).ok());
  }
  for (const auto& [key, value] : store_.contents()) {
    EXPECT_TRUE(key.starts_with("transparency/")) << key;
  }
}

TEST_F(TransparencyProjectionTest, ReapplyingAnEventIsANoOpAndAChangedOneIsRefused) {
  Envelope e = Event("P1", 1);
  ASSERT_TRUE(Apply(e).ok());
  auto before = store_.contents();
  ASSERT_TRUE(Apply(e).ok());
  EXPECT_EQ(store_.contents(), before);

  Envelope changed = e;
  changed.time_ms += 1;
  Status s = Apply(changed);
  EXPECT_EQ(s.code(), "conflicting_event");
  EXPECT_EQ(*TransparencyProjection::Tree().Size(store_), 1u);
}

TEST_F(TransparencyProjectionTest, UnknownLeavesAndEventsAreNotFound) {
  ASSERT_TRUE(Apply(Event("P1", 1)).ok());
  EXPECT_EQ(TransparencyProjection::LeafIndexOf(store_, StreamId("P1"), 2).status().code(),
            "not_found");
  EXPECT_EQ(TransparencyProjection::EventAt(store_, 1).status().code(), "not_found");
  EXPECT_EQ(TransparencyProjection::LeafData(store_, 1).status().code(), "not_found");
}

TEST_F(TransparencyProjectionTest, ReplayGivesAByteIdenticalView) {
  std::vector<Envelope> events;
  for (uint64_t i = 1; i <= 40; ++i) events.push_back(Event("P" + std::to_string(i % 7), i));
  for (const auto& e : events) ASSERT_TRUE(Apply(e).ok());
  TransparencyProjection replay;
  MemoryViewBatch fresh;
  uint64_t offset = 0;
  for (const auto& e : events) ASSERT_TRUE(replay.Apply(Raw(e, offset++), e, fresh).ok());
  EXPECT_EQ(fresh.contents(), store_.contents());
}

}  // namespace
}  // namespace pl
