// The wire format of outcomes on the outcome topic (docs/kafka.md): what a
// command did, as the Kafka command processor tells the gateway that is
// waiting for it.
//
// cereal portable binary: a format byte (1), command id, stream, duplicate
// (bool), error (presence byte, code, message), refusal (presence byte,
// code, message), version (u64), status, last event position (presence
// byte, partition i32, offset u64), the command's events, each as its
// canonical envelope bytes (events/envelope.h), then (format 2) the sender
// and the action (`Outcome::sender`, `Outcome::action`), then (format 3)
// the action's digest (`Outcome::digest`). Formats 1 and 2, without the
// last fields, are still read (as unknown sender, unknown digest). An error outcome (the
// ledger could not take the command, e.g. the vault failed) is not
// remembered: the same command id may be retried.
#pragma once

#include <string>
#include <string_view>

#include "projections/command_core.h"

namespace pl {

inline constexpr uint8_t kOutcomeFormat = 3;

std::string EncodeOutcome(const Outcome& o);
Result<Outcome> DecodeOutcome(std::string_view bytes);

}  // namespace pl
