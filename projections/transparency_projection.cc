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

std::string TransparencyProjection::LeavesKey(uint64_t index) {
  return std::string(kPrefix) + "leaves/" + FixedHex64(index / kLeavesPerKey);
}

namespace {

// Leaf `index` in the value under LeavesKey(index): records of a 4-byte
// big-endian length and the leaf data, one per leaf, in leaf order.
std::optional<std::string_view> LeafInPack(std::string_view pack, uint64_t index) {
  size_t at = 0;
  for (uint64_t i = 0;; ++i) {
    if (pack.size() - at < 4) return std::nullopt;
    const size_t len = LoadBigEndian32(reinterpret_cast<const unsigned char*>(pack.data() + at));
    if (pack.size() - at - 4 < len) return std::nullopt;
    if (i == index % TransparencyProjection::kLeavesPerKey) return pack.substr(at + 4, len);
    at += 4 + len;
  }
}

void AppendToPack(std::string& pack, std::string_view data) {
  AppendBigEndian32(pack, static_cast<uint32_t>(data.size()));
  pack.append(data);
}

}  // namespace

// The fixed-width suffix keeps keys unambiguous even for stream ids that
// contain '/'.
std::string TransparencyProjection::EventPrefix(const StreamId& stream) {
  return std::string(kPrefix) + "event/" + stream.str() + "/";
}

std::string TransparencyProjection::EventKey(const StreamId& stream, uint64_t seq) {
  return EventPrefix(stream) + FixedHex64(seq);
}

std::optional<EventEntry> TransparencyProjection::ParseEventEntry(std::string_view value) {
  if (value.size() != 48) return std::nullopt;
  auto leaf = ParseFixedHex64(value.substr(0, 16));
  auto partition = ParseFixedHex64(value.substr(16, 16));
  auto offset = ParseFixedHex64(value.substr(32));
  if (!leaf || !partition || !offset || *partition > INT32_MAX) return std::nullopt;
  return EventEntry{*leaf, static_cast<int32_t>(*partition), *offset};
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
    auto entry = ParseEventEntry(*existing);
    if (!entry) return Corrupt(event_key);
    BatchKeyReader reader(batch);
    auto data = LeafData(reader, entry->leaf);
    if (!data.ok()) return Status("corrupt_view", data.status().message());
    if (*data == raw.value) return Status::Ok();
    return Status("conflicting_event", "event " + event.event_id +
                                           " is already in the transparency log with "
                                           "different bytes at leaf " +
                                           std::to_string(entry->leaf));
  }
  auto index = AppendLeaf(batch, raw.value);
  if (!index.ok()) return index.status();
  batch.Put(event_key, FixedHex64(*index) + FixedHex64(static_cast<uint32_t>(raw.partition.value)) +
                           FixedHex64(raw.offset.value));
  if (const auto* issued = std::get_if<PermitIssued>(&event.payload)) {
    batch.Put(PermitNumberKey(issued->permit_number), FixedHex64(*index) + event.stream.str());
  } else if (std::holds_alternative<PermitRevoked>(event.payload)) {
    batch.Put(RevokedKey(event.stream), FixedHex64(*index));
  }
  return Status::Ok();
}

Result<uint64_t> TransparencyProjection::AppendLeaf(ViewBatch& batch, std::string_view data) {
  auto index = Tree().AppendLeaf(batch, data);
  if (index.ok()) AppendToPack(batch.Edit(LeavesKey(*index)), data);
  return index;
}

Result<uint64_t> TransparencyProjection::LeafIndexOf(const KeyReader& reader,
                                                     const StreamId& stream, uint64_t seq) {
  const std::string key = EventKey(stream, seq);
  auto v = reader.Get(key);
  if (!v) {
    return NotFound("event " + stream.str() + "/" + std::to_string(seq) +
                    " is not in the transparency log");
  }
  auto entry = ParseEventEntry(*v);
  if (!entry) return Corrupt(key);
  return entry->leaf;
}

Result<LeafEvent> TransparencyProjection::EventAt(const KeyReader& reader, uint64_t index) {
  auto data = LeafData(reader, index);
  if (!data.ok()) return data.status();
  auto event = Decode(*data);
  if (!event.ok())
    return Status("corrupt_view",
                  "leaf " + std::to_string(index) + ": " + event.status().message());
  return LeafEvent{event->stream, event->seq};
}

Result<std::string> TransparencyProjection::LeafData(const KeyReader& reader, uint64_t index) {
  const std::string key = LeavesKey(index);
  auto pack = reader.Get(key);
  auto leaf = pack ? LeafInPack(*pack, index) : std::nullopt;
  if (!leaf) return NotFound("no leaf " + std::to_string(index) + " in the transparency log");
  return std::string(*leaf);
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
