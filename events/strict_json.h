// Strict JSON parsing for what people send the ledger (request bodies,
// charters): the document must be valid JSON, nest at most
// kMaxJsonDepth objects and arrays deep, and no object may name a key
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

// Deeper than any document of the ledger needs (a charter nests 4 levels);
// the limit keeps code that walks a document recursively (checks, dump)
// off the end of its thread's stack.
inline constexpr size_t kMaxJsonDepth = 32;

// The document, or code "malformed_json" with a message naming the first
// repeated key, or the depth limit.
inline Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  using nlohmann::json;
  // The parser would stop reading at a NUL and take what comes after for
  // nothing: a reviewer would read another document than the ledger.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos)
    return Status("malformed_json", "holds a NUL byte (at byte " + std::to_string(nul) +
                                        "): send it as JSON text encoded as UTF-8 (in a JSON "
                                        "string, a NUL is written \\u0000)");
  std::vector<std::set<std::string>> open;  // the keys of each open object (arrays: empty)
  std::string repeated;
  bool too_deep = false;
  json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        open.emplace_back();
        if (open.size() > kMaxJsonDepth) too_deep = true;
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
    return !too_deep;  // discards what is too deep instead of building it
  };
  json doc;
  try {
    doc = json::parse(text, check);
  } catch (const json::out_of_range&) {  // a number past a double's range
    return Status("malformed_json",
                  "holds a number too large to read (past 1.8e308): send amounts as whole "
                  "rupiah, and ids as strings");
  } catch (const json::parse_error& e) {
    if (!IsUtf8(text))
      return Status("malformed_json",
                    "is not valid JSON (its text is not UTF-8: send it encoded as UTF-8)");
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
      return Status("malformed_json",
                    text.empty() ? "is not valid JSON (the body is empty: send a JSON object)"
                                 : "is not valid JSON (the body holds only white space: send a "
                                   "JSON object)");
    // The parser reads one byte past the end before it finds the text cut
    // short: a position past the end names no byte of it.
    if (e.byte > text.size())
      return Status("malformed_json",
                    "is not valid JSON: the body ends before the JSON is complete (it stops "
                    "after " +
                        std::to_string(text.size()) +
                        " bytes, with a value, a list or an object still open): send all of it");
    return Status("malformed_json", "is not valid JSON: the error is at byte " +
                                        std::to_string(e.byte) + " of " +
                                        std::to_string(text.size()) +
                                        "; check the quotes, commas and braces there (an "
                                        "object is written {\"key\": \"value\", ...})");
  }
  if (too_deep)
    return Status("malformed_json", "nests objects and arrays more than " +
                                        std::to_string(kMaxJsonDepth) + " levels deep");
  if (!repeated.empty())
    return Status("malformed_json", "names the key '" + repeated + "' twice in one object");
  return doc;
}

}  // namespace pl
