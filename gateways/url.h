// The parts of a request target: its path segments and its query string.
//
// Percent-escapes are decoded strictly: a `%` not followed by two hex
// digits is a malformed target, refused rather than read literally, so no
// two spellings of a target name different things. A query is read against
// the parameters its resource takes: a parameter the resource does not take
// or one given twice is refused (400 "invalid_query") rather than ignored,
// so a mistyped `?limt=5` is not silently a request without a limit; so is
// a control character (a NUL, say) in a name or a value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/result.h"

namespace pl {

// The target without its query: what a message about the resource names
// (a query is the client's, and may be long).
inline std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// `s` with its %XX escapes decoded (and `+` as a space when
// `plus_is_space`, as in a query); nullopt when an escape is malformed.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);

// The path's non-empty segments, each percent-decoded (a segment is the same
// resource whether its characters are sent as they are or encoded, as a
// browser encodes `@` in an officer id; a `%2F` stays inside its segment);
// nullopt when an escape is malformed.
std::optional<std::vector<std::string>> PathParts(std::string_view target);

// `s` with its ASCII letters in capitals: permit ids and numbers are issued
// so, and a segment typed in small letters is looked up again this way.
std::string Capitals(std::string_view s);

// A number of a query: decimal digits without leading zeroes ("0" itself
// is one), at most `max`; nullopt otherwise.
std::optional<uint64_t> ParseDecimal(std::string_view s, uint64_t max = UINT64_MAX);

class Query {
 public:
  // The query of `target` (after `?`), percent-decoded, when it names only
  // parameters in `takes`, each at most once, without control characters.
  // Refused with code "invalid_query" and a message naming the parameter
  // and what the resource takes.
  static Result<Query> Parse(std::string_view target,
                             std::initializer_list<std::string_view> takes);

  // The decoded value; nullopt when the parameter is absent.
  std::optional<std::string> Get(std::string_view name) const;
  // The decoded value; "" when absent.
  std::string Value(std::string_view name) const { return Get(name).value_or(""); }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace pl
