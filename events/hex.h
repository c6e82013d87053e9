// Lower-case hexadecimal of bytes (hashes, tokens, pseudonyms).
#pragma once

#include <cstddef>
#include <string>

namespace pl {

inline std::string Hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s.push_back(digits[p[i] >> 4]);
    s.push_back(digits[p[i] & 15]);
  }
  return s;
}

}  // namespace pl
