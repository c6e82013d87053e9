#include "projections/outcome_codec.h"

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "events/binary_archive.h"

namespace pl {

std::string EncodeOutcome(const Outcome& o) {
  std::string out;
  {
    WriteArchive ar(out);
    uint8_t format = kOutcomeFormat;
    bool refused = o.refusal.has_value(), has_last = o.last.has_value();
    std::string code = refused ? o.refusal->code : "", message = refused ? o.refusal->message : "";
    int32_t lp = has_last ? o.last->partition.value : 0;
    uint64_t lo = has_last ? o.last->offset.value : 0;
    std::vector<std::string> events;
    events.reserve(o.events.size());
    for (const auto& e : o.events) events.push_back(Encode(e));
    bool failed = !o.error.ok();
    ar(format, o.command_id.str(), o.stream, o.duplicate, failed, o.error.code(), o.error.message(),
       refused, code, message, o.version, o.status, has_last, lp, lo, events, o.sender, o.action,
       o.digest);
  }
  return out;
}

Result<Outcome> DecodeOutcome(std::string_view bytes) {
  try {
    ReadArchive ar(bytes);
    uint8_t format = 0;
    ar(format);
    if (format < 1 || format > kOutcomeFormat)
      return Status("corrupt_outcome", "unknown outcome format " + std::to_string(format));
    Outcome o;
    std::string id, code, message;
    bool refused = false, has_last = false;
    int32_t lp = 0;
    uint64_t lo = 0;
    std::vector<std::string> events;
    bool failed = false;
    std::string ecode, emessage;
    ar(id, o.stream, o.duplicate, failed, ecode, emessage, refused, code, message, o.version,
       o.status, has_last, lp, lo, events);
    if (format >= 2) ar(o.sender, o.action);
    if (format >= 3) ar(o.digest);
    o.command_id = CommandId(id);
    if (failed) o.error = Status(ecode.empty() ? "unavailable" : ecode, emessage);
    if (refused) o.refusal = Refusal{code, message};
    if (has_last) o.last = LogPosition{PartitionId{lp}, Offset{lo}};
    for (const auto& bytes : events) {
      auto e = Decode(bytes);
      if (!e.ok()) return e.status();
      o.events.push_back(std::move(*e));
    }
    return o;
  } catch (const std::exception& e) {
    return Status("corrupt_outcome", std::string("malformed outcome: ") + e.what());
  }
}

}  // namespace pl
