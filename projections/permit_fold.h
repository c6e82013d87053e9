// What the permit projections share: the charter in force, kept under a key
// of the projection's own, and the fold of a permit's state, stored under
// another, one event at a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "domain/state.h"
#include "events/envelope.h"
#include "events/result.h"
#include "projections/projection.h"

namespace pl {

class CharterView {
 public:
  // With `history`, every charter adopted is kept too (under `key`/...),
  // for At.
  explicit CharterView(std::string key, bool history = false)
      : key_(std::move(key)), history_(history) {}
  // Keeps the charter of a CharterAdopted event; any other event: nothing.
  Status Observe(const Envelope& event, ViewBatch& batch);
  // The charter in force, or null before one was adopted.
  const Charter* Get(ViewBatch& batch);
  // The charter in force at `time_ms` (the one in force now for a time
  // before any adoption; null before one was adopted): the service levels
  // and calendar a stage entered then is due by (ServiceLevelsFor).
  // Needs `history`.
  const Charter* At(ViewBatch& batch, int64_t time_ms);

 private:
  std::string key_;
  bool history_;
  std::shared_ptr<const Charter> charter_;  // cached
  // By the time of adoption; loaded at the first At.
  std::optional<std::map<int64_t, std::shared_ptr<const Charter>>> adopted_;
};

struct PermitFold {
  // What the views need of the state before the event (not a copy of the
  // whole state, which cost a replay about as much as decoding it).
  struct Before {
    PermitStatus status = PermitStatus::kNone;
    std::string kelurahan;
    int64_t stage_entered_ms = 0;
  } before;
  PermitState after;
};

// Loads the permit's state stored under `key`, checks that `event` is its
// next event ("corrupt_log" otherwise), folds it in and stores the result.
Result<PermitFold> FoldPermit(ViewBatch& batch, const std::string& key, const Envelope& event);

}  // namespace pl
