// JSON rendering of events for the API, exports and docs. Sealed personal
// data renders as its pseudonymous person id only: decrypting it is the job
// of the gateways, where the data-sharing policy allows.
#pragma once

#include <nlohmann/json.hpp>

#include "events/envelope.h"

namespace pl {

nlohmann::json PayloadToJson(const Payload& p);
nlohmann::json ToJson(const Envelope& e);
// "2026-11-27T22:47:30.123Z"
std::string IsoTime(int64_t time_ms);

}  // namespace pl
