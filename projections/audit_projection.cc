#include "projections/audit_projection.h"

#include "events/json.h"
#include "projections/view_keys.h"

namespace pl {

Status AuditProjection::Apply(const LogRecord&, const Envelope& event, ViewBatch& batch) {
  // Applicants act on their own permit only; the per-actor trail is for
  // officers and administrators.
  if (event.actor_role != "applicant")
    batch.Put(keys::AuditOfficer(event.actor_id, event.time_ms, event.stream.str(), event.seq),
              event.event_id);
  return Status::Ok();
}

Result<nlohmann::json> AuditProjection::Render(std::string_view bytes, int32_t partition,
                                               uint64_t offset) {
  auto event = Decode(bytes);
  if (!event.ok()) return event.status();
  nlohmann::json j = ToJson(*event);
  j["log_position"] = {{"partition", partition}, {"offset", offset}};
  return j;
}

}  // namespace pl
