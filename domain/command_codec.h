// The wire format of commands on the command topic (docs/kafka.md).
//
// cereal portable binary (little-endian, fixed-width integers,
// length-prefixed strings): a format byte (1), then the command id, stream,
// actor (id, role, jurisdiction), expected version (presence byte + u64),
// time, the action's index in `Action` (u32; new actions are only ever
// appended) and the action's fields in declaration order. A decoder refuses
// a format byte it does not know ("corrupt_command"), so a newer writer
// cannot be misread by an older processor.
#pragma once

#include <string>
#include <string_view>

#include "domain/commands.h"
#include "events/result.h"

namespace pl {

inline constexpr uint8_t kCommandFormat = 1;

std::string EncodeCommand(const Command& cmd);
Result<Command> DecodeCommand(std::string_view bytes);

}  // namespace pl
