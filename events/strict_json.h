// Strict JSON parsing for what people send the ledger (request bodies,
// charters): the document must be valid JSON and no object may name a key
// twice. RFC 8259 leaves such an object's meaning open and nlohmann keeps
// the last value, so {"subscriber":"a","subscriber":"b"} would be read as
// "b" while a reviewer of the text sees "a".
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/result.h"
#include "events/utf8.h"

namespace pl {

// The document, or code "malformed_json" with a message naming the first
// repeated key.
inline Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  using nlohmann::json;
  std::vector<std::set<std::string>> open;  // the keys of each open object (arrays: empty)
  std::string repeated;
  json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        open.emplace_back();
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!open.empty()) open.pop_back();
        break;
      case json::parse_event_t::key:
        if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second &&
            repeated.empty())
          repeated = parsed.get<std::string>();
        break;
      default:
        break;
    }
    return true;
  };
  json doc = json::parse(text, check, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return Status("malformed_json", IsUtf8(text) ? "is not valid JSON"
                                                 : "is not valid JSON (its text is not UTF-8: "
                                                   "send it encoded as UTF-8)");
  if (!repeated.empty())
    return Status("malformed_json", "names the key '" + repeated + "' twice in one object");
  return doc;
}

}  // namespace pl
