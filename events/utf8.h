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
// U+2066-U+2069, which show a text in another order than it is read), or
// any character nobody types: a noncharacter (U+FDD0-U+FDEF, U+xFFFE,
// U+xFFFF) or one of private use (U+E000-U+F8FF, planes 15 and 16, which
// each font draws as it likes), as "U+XXXX"; nullopt when there is none.
// Line breaks and tabs (and U+2028, U+2029) count only when
// `line_breaks_too`.
inline std::optional<std::string> FirstControl(std::string_view s, bool line_breaks_too) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    const bool line = cp == '\n' || cp == '\r' || cp == '\t' || cp == 0x2028 || cp == 0x2029;
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
                         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    const bool untyped = (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE ||
                         (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
    if (line ? !line_breaks_too : !control && !untyped) continue;
    char code[10];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    return code;
  }
  return std::nullopt;
}

}  // namespace pl
