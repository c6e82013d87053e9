#include "projections/audit_projection.h"

#include "events/json.h"
#include "projections/view_keys.h"

namespace pl {

Status AuditProjection::Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) {
  nlohmann::json j = ToJson(event);
  j["log_position"] = {{"partition", raw.partition.value}, {"offset", raw.offset.value}};
  batch.Put(keys::AuditPermit(event.stream.str(), event.seq), j.dump());
  // Applicants act on their own permit only; the per-actor trail is for
  // officers and administrators.
  if (event.actor_role != "applicant")
    batch.Put(keys::AuditOfficer(event.actor_id, event.time_ms, event.event_id), event.event_id);
  return Status::Ok();
}

}  // namespace pl
