#include "projections/audit_projection.h"

#include "events/json.h"
#include "projections/encoding.h"
#include "projections/view_keys.h"

namespace pl {
namespace {
constexpr size_t kPositionBytes = 12;
}  // namespace

Status AuditProjection::Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) {
  std::string v;
  v.reserve(kPositionBytes + raw.value.size());
  AppendBigEndian32(v, static_cast<uint32_t>(raw.partition.value));
  AppendBigEndian32(v, static_cast<uint32_t>(raw.offset.value >> 32));
  AppendBigEndian32(v, static_cast<uint32_t>(raw.offset.value));
  v += raw.value;
  batch.Put(keys::AuditPermit(event.stream.str(), event.seq), v);
  // Applicants act on their own permit only; the per-actor trail is for
  // officers and administrators.
  if (event.actor_role != "applicant")
    batch.Put(keys::AuditOfficer(event.actor_id, event.time_ms, event.stream.str(), event.seq),
              event.event_id);
  return Status::Ok();
}

Result<nlohmann::json> AuditProjection::Render(std::string_view stored) {
  if (stored.size() < kPositionBytes)
    return Status("corrupt_view", "an audit entry shorter than its log position");
  const auto* b = reinterpret_cast<const unsigned char*>(stored.data());
  auto event = Decode(stored.substr(kPositionBytes));
  if (!event.ok()) return event.status();
  nlohmann::json j = ToJson(*event);
  const uint64_t offset = uint64_t{LoadBigEndian32(b + 4)} << 32 | LoadBigEndian32(b + 8);
  j["log_position"] = {{"partition", LoadBigEndian32(b)}, {"offset", offset}};
  return j;
}

}  // namespace pl
