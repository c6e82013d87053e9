#include "gateways/url.h"

#include <algorithm>
#include <charconv>

#include "events/utf8.h"

namespace pl {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// At most this much of a name a caller sent is echoed in a message.
std::string Echo(std::string_view s) {
  return s.size() <= 40 ? std::string(s) : std::string(s.substr(0, 40)) + "...";
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    } else {
      out.push_back(s[i] == '+' && plus_is_space ? ' ' : s[i]);
    }
  }
  return out;
}

std::string Capitals(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::optional<std::vector<std::string>> PathParts(std::string_view target) {
  std::vector<std::string> parts;
  const std::string_view path = PathOf(target);
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = std::min(path.find('/', i), path.size());
    if (j > i) {
      auto part = PercentDecode(path.substr(i, j - i), /*plus_is_space=*/false);
      if (!part) return std::nullopt;
      parts.push_back(std::move(*part));
    }
    i = j;
  }
  return parts;
}

Result<Query> Query::Parse(std::string_view target, std::initializer_list<std::string_view> takes) {
  Query q;
  const auto mark = target.find('?');
  if (mark == std::string_view::npos) return q;
  auto what_it_takes = [&] {
    if (takes.size() == 0) return std::string(" (this resource takes no query parameters)");
    std::string list;
    for (auto t : takes) list += (list.empty() ? "" : ", ") + std::string(t);
    return " (this resource takes " + list + ")";
  };
  std::string_view rest = target.substr(mark + 1);
  while (true) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      auto name = PercentDecode(pair.substr(0, eq), true);
      auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                : PercentDecode(pair.substr(eq + 1), true);
      if (!name || !value)
        return Status("invalid_query",
                      "the query parameter \"" + Echo(pair) +
                          "\" has a malformed percent-escape: write % as %25, and any "
                          "other escape as % and two hex digits");
      if (auto c = FirstControl(*name + *value, /*line_breaks_too=*/true))
        return Status("invalid_query", "the query parameter \"" + Echo(pair) +
                                           "\" holds the control character " + *c + "; remove it");
      if (std::find(takes.begin(), takes.end(), *name) == takes.end())
        return Status("invalid_query",
                      "unknown query parameter \"" + Echo(*name) + "\"" + what_it_takes());
      if (q.Get(*name))
        return Status("invalid_query", "the query parameter \"" + *name +
                                           "\" is given more than once: give it once");
      q.params_.emplace_back(std::move(*name), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return q;
}

std::optional<std::string> Query::Get(std::string_view name) const {
  for (const auto& [n, v] : params_)
    if (n == name) return v;
  return std::nullopt;
}

std::optional<uint64_t> ParseDecimal(std::string_view s, uint64_t max) {
  uint64_t v = 0;
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

}  // namespace pl
