// The audit trail: every event of every stream in order (per permit), and
// every step each actor took (per officer). Owns the key prefix audit/.
#pragma once

#include "projections/projection.h"

namespace pl {

class AuditProjection final : public Projection {
 public:
  std::string_view name() const override { return "audit"; }
  Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) override;
};

}  // namespace pl
