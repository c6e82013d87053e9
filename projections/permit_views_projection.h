// The permit views: current status of every permit (with the tracking-code
// index and the per-kelurahan worklist queues), the public statistics and
// the public register of issued permits. One projection keeps all three,
// because each needs the permit's state before and after the event; it owns
// the key prefixes status/, stats/ and register/ (projections/view_keys.h).
//
// Nothing here depends on the clock: due dates and "overdue" are computed
// when a view is read.
#pragma once

#include <memory>
#include <optional>

#include "domain/charter.h"
#include "domain/state.h"
#include "projections/permit_fold.h"
#include "projections/projection.h"
#include "projections/view_keys.h"

namespace pl {

class PermitViewsProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "status";

  std::string_view name() const override { return kName; }
  Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) override;

  // The permit's states before and after `event`, when `event` is the last
  // one applied (null otherwise): what a projection that follows this one
  // reads instead of folding the permit's state again.
  const PermitFold* FoldOf(const Envelope& event) const;

 private:
  void Count(ViewBatch& batch, std::string_view key, int64_t delta);
  void UpdateStats(ViewBatch& batch, const Charter& charter, const PermitFold::Before& before,
                   const PermitState& after, const Envelope& event);
  void UpdateRegister(ViewBatch& batch, const Charter& charter, const PermitState& after,
                      const Envelope& event);

  CharterView charter_{keys::Charter(), /*history=*/true};
  std::optional<PermitFold> last_;  // of the last event applied
};

}  // namespace pl
