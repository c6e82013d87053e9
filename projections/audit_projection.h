// The audit trail: every event of every stream in order (per permit), and
// every step each actor took (per officer).
//
// A permit's events are not copied here: the transparency log keeps each
// event's canonical bytes as its leaf data, and transparency/event/<stream>/
// <seq> lists a stream's events in order with their leaves and log
// positions (transparency_projection.h). This projection owns the prefix
// audit/ and adds the index by actor:
// audit/officer/<actor>/<time>/<stream>/<seq> holds the event id.
#pragma once

#include <nlohmann/json.hpp>

#include "projections/projection.h"

namespace pl {

class AuditProjection final : public Projection {
 public:
  std::string_view name() const override { return "audit"; }
  Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) override;

  // An event as the trail shows it: its JSON (docs/events.md) with its
  // "log_position".
  static Result<nlohmann::json> Render(std::string_view bytes, int32_t partition, uint64_t offset);
};

}  // namespace pl
