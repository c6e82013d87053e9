// The audit trail: every event of every stream in order (per permit), and
// every step each actor took (per officer). Owns the key prefix audit/.
//
// audit/permit/<stream>/<seq> holds the event as the log stores it, behind
// its log position (partition and offset, big-endian, 4 + 8 bytes): the
// JSON is rendered when the trail is read, not for every event folded.
// audit/officer/<actor>/<time>/<stream>/<seq> holds the event id.
#pragma once

#include <nlohmann/json.hpp>

#include "projections/projection.h"

namespace pl {

class AuditProjection final : public Projection {
 public:
  std::string_view name() const override { return "audit"; }
  Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) override;

  // A stored audit/permit value as the API shows it: the event's JSON
  // (docs/events.md) with its "log_position".
  static Result<nlohmann::json> Render(std::string_view stored);
};

}  // namespace pl
