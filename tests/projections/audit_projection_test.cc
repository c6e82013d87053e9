// The audit trail by officer: an officer's events in time order, and those
// of one millisecond in each stream's order.
#include "projections/audit_projection.h"

#include <gtest/gtest.h>

#include "events/envelope.h"
#include "tests/projections/memory_view_batch.h"

namespace pl {
namespace {

TEST(AuditProjection, AnOfficersEventsOfOneMillisecondKeepTheirStreamsOrder) {
  AuditProjection audit;
  MemoryViewBatch batch;
  // Twelve enrolments in the same millisecond, as an administrator's
  // script makes them: "governance/10" sorted as text came before "/2".
  for (uint64_t seq = 1; seq <= 12; ++seq) {
    Envelope e;
    e.stream = kGovernanceStream;
    e.seq = seq;
    e.event_id = "governance/" + std::to_string(seq);
    e.time_ms = 1764547200000;
    e.actor_id = "admin";
    e.actor_role = "admin";
    e.payload = OfficerRetired{"ptsp-" + std::to_string(seq), "pindah tugas"};
    ASSERT_TRUE(
        audit.Apply(LogRecord{PartitionId{0}, Offset{seq - 1}, "governance", "x"}, e, batch).ok());
  }
  std::vector<std::string> trail;
  for (const auto& [key, value] : batch.contents())
    if (key.starts_with("audit/officer/admin/")) trail.push_back(value);
  ASSERT_EQ(trail.size(), 12u);
  for (uint64_t seq = 1; seq <= 12; ++seq)
    EXPECT_EQ(trail[seq - 1], "governance/" + std::to_string(seq));
}

}  // namespace
}  // namespace pl
