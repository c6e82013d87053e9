#include "projections/transparency_projection.h"

#include "projections/encoding.h"

namespace pl {
namespace {

constexpr std::string_view kPrefix = "transparency/";

Status NotFound(std::string message) { return Status("not_found", std::move(message)); }
Status Corrupt(std::string key) { return Status("corrupt_view", "malformed value under " + key); }

}  // namespace

const MerkleTree& TransparencyProjection::Tree() {
  static const MerkleTree tree(std::string(kPrefix) + "tree/");
  return tree;
}

std::string TransparencyProjection::LeafKey(uint64_t index) {
  return std::string(kPrefix) + "leaf/" + FixedHex64(index);
}

std::string TransparencyProjection::LeafEventKey(uint64_t index) {
  return std::string(kPrefix) + "leaf-event/" + FixedHex64(index);
}

// The fixed-width suffix keeps keys unambiguous even for stream ids that
// contain '/'.
std::string TransparencyProjection::EventKey(const StreamId& stream, uint64_t seq) {
  return std::string(kPrefix) + "event/" + stream.str() + "/" + FixedHex64(seq);
}

std::string TransparencyProjection::PermitNumberKey(std::string_view permit_number) {
  return std::string(kPrefix) + "permit-number/" + std::string(permit_number);
}

std::string TransparencyProjection::RevokedKey(const StreamId& stream) {
  return std::string(kPrefix) + "revoked/" + stream.str();
}

Status TransparencyProjection::Apply(const LogRecord& raw, const Envelope& event,
                                     ViewBatch& batch) {
  const std::string event_key = EventKey(event.stream, event.seq);
  if (auto existing = batch.Get(event_key)) {
    auto index = ParseFixedHex64(*existing);
    if (!index) return Corrupt(event_key);
    auto data = batch.Get(LeafKey(*index));
    if (!data) return Status("corrupt_view", "missing leaf " + LeafKey(*index));
    if (*data == raw.value) return Status::Ok();
    return Status("conflicting_event", "event " + event.event_id +
                                           " is already in the transparency log with "
                                           "different bytes at leaf " +
                                           std::to_string(*index));
  }
  auto index = Tree().AppendLeaf(batch, raw.value);
  if (!index.ok()) return index.status();
  batch.Put(LeafKey(*index), raw.value);
  batch.Put(LeafEventKey(*index), FixedHex64(event.seq) + event.stream.str());
  batch.Put(event_key, FixedHex64(*index));
  if (const auto* issued = std::get_if<PermitIssued>(&event.payload)) {
    batch.Put(PermitNumberKey(issued->permit_number), FixedHex64(*index) + event.stream.str());
  } else if (std::holds_alternative<PermitRevoked>(event.payload)) {
    batch.Put(RevokedKey(event.stream), FixedHex64(*index));
  }
  return Status::Ok();
}

Result<uint64_t> TransparencyProjection::LeafIndexOf(const KeyReader& reader,
                                                     const StreamId& stream, uint64_t seq) {
  const std::string key = EventKey(stream, seq);
  auto v = reader.Get(key);
  if (!v) {
    return NotFound("event " + stream.str() + "/" + std::to_string(seq) +
                    " is not in the transparency log");
  }
  auto index = ParseFixedHex64(*v);
  if (!index) return Corrupt(key);
  return *index;
}

Result<LeafEvent> TransparencyProjection::EventAt(const KeyReader& reader, uint64_t index) {
  const std::string key = LeafEventKey(index);
  auto v = reader.Get(key);
  if (!v) return NotFound("no leaf " + std::to_string(index) + " in the transparency log");
  auto seq = v->size() > 16 ? ParseFixedHex64(std::string_view(*v).substr(0, 16)) : std::nullopt;
  if (!seq) return Corrupt(key);
  return LeafEvent{StreamId(v->substr(16)), *seq};
}

Result<std::string> TransparencyProjection::LeafData(const KeyReader& reader, uint64_t index) {
  auto v = reader.Get(LeafKey(index));
  if (!v) return NotFound("no leaf " + std::to_string(index) + " in the transparency log");
  return std::move(*v);
}

Result<IssuedLeaf> TransparencyProjection::IssuedLeafOf(const KeyReader& reader,
                                                        std::string_view permit_number) {
  const std::string key = PermitNumberKey(permit_number);
  auto v = reader.Get(key);
  if (!v) return NotFound("no permit " + std::string(permit_number) + " was issued in the log");
  auto leaf = v->size() > 16 ? ParseFixedHex64(std::string_view(*v).substr(0, 16)) : std::nullopt;
  if (!leaf) return Corrupt(key);
  return IssuedLeaf{*leaf, StreamId(v->substr(16))};
}

Result<uint64_t> TransparencyProjection::RevokedLeafOf(const KeyReader& reader,
                                                       const StreamId& stream) {
  const std::string key = RevokedKey(stream);
  auto v = reader.Get(key);
  if (!v) return NotFound("permit " + stream.str() + " was not revoked");
  auto leaf = ParseFixedHex64(*v);
  if (!leaf) return Corrupt(key);
  return *leaf;
}

}  // namespace pl
