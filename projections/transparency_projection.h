// TransparencyProjection: folds every event into the transparency log, an
// RFC 9162 Merkle tree whose leaves are the canonical event bytes
// (LogRecord::value), in the order Apply is called.
//
// Besides the tree (projections/merkle_tree.h) it keeps, under
// "transparency/" (docs/transparency.md):
//   leaves/<index / 16>     the leaf data of 16 leaves, so anyone can fetch
//                           and rehash them: per leaf a 4-byte big-endian
//                           length and the canonical event bytes
//   event/<stream>/<seq>    the event's leaf index and its log position
//                           (partition and offset), each 16 hex digits:
//                           the index of every stream's events in order,
//                           so this is also each permit's audit trail
//   permit-number/<number>  the leaf of the PermitIssued event of a permit
//                           number: <16 hex leaf index><stream id>
//   revoked/<stream>        the leaf of the stream's PermitRevoked event
// so a permit's history can carry each event's inclusion proof, and a permit
// number leads to the leaves that prove it was issued (and revoked).
//
// Applying an event that already has a leaf is a no-op when its bytes are
// the same and fails with "conflicting_event" when they differ: the log
// never holds one event twice nor two versions of one event.
//
// Determinism: leaf order is Apply order. A rebuild gives a byte-identical
// tree only if the engine feeds this projection the events in the same
// order as before (e.g. one partition, or a deterministic merge).
//
// Thread safety: Apply from one thread at a time (the Projection contract);
// the static readers are as thread-safe as their KeyReader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "events/ids.h"
#include "events/result.h"
#include "projections/key_reader.h"
#include "projections/merkle_tree.h"
#include "projections/projection.h"

namespace pl {

// What event/<stream>/<seq> holds.
struct EventEntry {
  uint64_t leaf = 0;
  int32_t partition = 0;
  uint64_t offset = 0;
};

// Which event a leaf is.
struct LeafEvent {
  StreamId stream;
  uint64_t seq = 0;
  bool operator==(const LeafEvent&) const = default;
};

// The issuing event of a permit number.
struct IssuedLeaf {
  uint64_t leaf = 0;
  StreamId stream;
};

class TransparencyProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "transparency";

  std::string_view name() const override { return kName; }
  Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) override;

  // The log's tree, for roots and proofs.
  static const MerkleTree& Tree();
  // Appends `data` as the next leaf: its hash to the tree, its bytes to the
  // leaf data. Returns the leaf's index. (Apply's core, without the event
  // index; the benchmark measures it alone.)
  static Result<uint64_t> AppendLeaf(ViewBatch& batch, std::string_view data);

  // The leaf index of event (stream, seq); "not_found" if it has none.
  static Result<uint64_t> LeafIndexOf(const KeyReader& reader, const StreamId& stream,
                                      uint64_t seq);
  // A value stored under EventKey, read; nullopt if malformed.
  static std::optional<EventEntry> ParseEventEntry(std::string_view value);
  // The event at leaf `index` (read from its data); "not_found" beyond the log.
  static Result<LeafEvent> EventAt(const KeyReader& reader, uint64_t index);
  // The leaf data (canonical event bytes) at `index`; "not_found" beyond the log.
  static Result<std::string> LeafData(const KeyReader& reader, uint64_t index);

  // The leaf of the PermitIssued event that issued `permit_number`;
  // "not_found" if no such permit was issued.
  static Result<IssuedLeaf> IssuedLeafOf(const KeyReader& reader, std::string_view permit_number);
  // The leaf of the PermitRevoked event of `stream`; "not_found" if none.
  static Result<uint64_t> RevokedLeafOf(const KeyReader& reader, const StreamId& stream);

  // Keys, for the documentation and for tests.
  static constexpr uint64_t kLeavesPerKey = 16;
  static std::string LeavesKey(uint64_t index);  // the key holding leaf `index`
  static std::string EventKey(const StreamId& stream, uint64_t seq);
  // The keys of a stream's events start with this, then 16 hex digits.
  static std::string EventPrefix(const StreamId& stream);
  static std::string PermitNumberKey(std::string_view permit_number);
  static std::string RevokedKey(const StreamId& stream);
};

}  // namespace pl
