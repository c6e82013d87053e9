// The envelope every event travels in, and its canonical binary codec.
//
// Encoding (docs/events.md): cereal portable binary (little-endian, fixed-width
// integers, length-prefixed strings) of the envelope fields followed by the
// payload encoded with its own schema version. The same event always encodes
// to the same bytes: the transparency log hashes them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/event_types.h"
#include "events/ids.h"
#include "events/result.h"

namespace pl {

struct Envelope {
  std::string event_id;  // "<stream>/<seq>": unique and stable
  StreamId stream;       // permit id, or "governance"
  uint64_t seq = 0;      // 1-based position within the stream (the stream's version)
  int64_t time_ms = 0;   // milliseconds since the Unix epoch, UTC
  std::string actor_id;  // officer id, "applicant", or "admin"
  std::string actor_role;
  CommandId command_id;  // the command that caused this event
  Payload payload;

  EventType type() const { return TypeOf(payload); }
  // Equal envelopes have equal canonical bytes (Encode).
  bool operator==(const Envelope&) const = default;
};

inline const StreamId kGovernanceStream{"governance"};

// Canonical bytes of an envelope.
std::string Encode(const Envelope& e);
// Decodes bytes written by any schema version, upcasting old payloads to the
// current structs. Fails with code "corrupt_event" on malformed bytes.
Result<Envelope> Decode(std::string_view bytes);

}  // namespace pl
