// The Projection port: a read model fed by the event log.
//
// The ProjectionEngine (projections/projection_engine.h) reads each partition
// from its checkpoint and calls Apply once per event, in log order within a
// partition. Everything a projection writes goes into the ViewBatch, which
// the engine commits together with the new checkpoint in one RocksDB write
// batch: a crash can neither skip nor double-apply an event.
//
// Views must depend only on the events (never on the wall clock or on the
// interleaving of partitions), so that a replay from offset zero into a
// fresh store gives byte-identical views.
//
// Thread safety: the engine calls one projection from one thread at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/envelope.h"
#include "events/event_log.h"
#include "events/result.h"

namespace pl {

// Pending view writes, readable before they are committed (reads see the
// batch's own writes first, then the store).
class ViewBatch {
 public:
  virtual ~ViewBatch() = default;
  virtual std::optional<std::string> Get(std::string_view key) = 0;
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;
  // The pending value of `key` (the stored one, or empty if there is none),
  // to change in place: the way to grow an append-only value without
  // copying it. Valid until the next call on the batch.
  virtual std::string& Edit(std::string_view key) = 0;
};

class Projection {
 public:
  Projection() = default;
  Projection(const Projection&) = delete;
  Projection& operator=(const Projection&) = delete;
  virtual ~Projection() = default;

  // Stable name; also the key prefix the projection owns in the view store
  // (every key it writes starts with name() + "/").
  virtual std::string_view name() const = 0;

  // Folds one event into the view. `raw` is the record as stored in the log
  // (the canonical event bytes are raw.value).
  virtual Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) = 0;

  // The name of the projection whose work on the same event this one reads
  // in memory (empty: none). The engine calls both on one thread, that one
  // first for every event, and refuses to open without it.
  virtual std::string_view follows() const { return {}; }
};

}  // namespace pl
