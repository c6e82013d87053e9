// Binary encoding of folded permit states, for the stores that keep them (the
// command processor's state store, the status view). Not a log format: a
// store holding it can always be rebuilt from the log.
#pragma once

#include <string>
#include <string_view>

#include "domain/state.h"
#include "events/result.h"

namespace pl {

std::string EncodePermitState(const PermitState& s);
// The same bytes into `out`, replacing what it held (and reusing its
// buffer).
void EncodePermitState(const PermitState& s, std::string& out);
Result<PermitState> DecodePermitState(std::string_view bytes);

}  // namespace pl
