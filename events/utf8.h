// UTF-8 well-formedness, for text that is echoed, signed or used as a key.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace pl {

// Whether `s` is well-formed UTF-8: no overlong forms, surrogates or code
// points past U+10FFFF.
inline bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// The number of code points of well-formed UTF-8 `s` (what a clerk counts
// as characters), not of its bytes.
inline size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The first control character of well-formed UTF-8 `s` (C0, DEL, a C1
// control U+0080-U+009F, which terminals read as escapes, or a
// bidirectional embedding, override or isolate, U+202A-U+202E and
// U+2066-U+2069, which show a text in another order than it is read) as
// "U+XXXX"; nullopt when there is none. Line breaks and tabs count only
// when `line_breaks_too`.
inline std::optional<std::string> FirstControl(std::string_view s, bool line_breaks_too) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned cp = at(0);
    const bool line = cp == '\n' || cp == '\r' || cp == '\t';
    if (cp == 0xC2 && i + 1 < s.size() && at(1) >= 0x80 && at(1) <= 0x9F)
      cp = at(1);
    else if (cp == 0xE2 && i + 2 < s.size() &&
             ((at(1) == 0x80 && at(2) >= 0xAA && at(2) <= 0xAE) ||
              (at(1) == 0x81 && at(2) >= 0xA6 && at(2) <= 0xA9)))
      cp = 0x2000 | (at(1) & 0x3F) << 6 | (at(2) & 0x3F);
    else if ((cp >= 0x20 && cp != 0x7F) || (line && !line_breaks_too))
      continue;
    char code[8];
    std::snprintf(code, sizeof code, "U+%04X", cp);
    return code;
  }
  return std::nullopt;
}

}  // namespace pl
