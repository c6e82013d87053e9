// Crockford's base32 (no I, L, O or U: nothing to misread aloud), as the
// ledger writes permit ids and tracking codes.
#pragma once

#include <string>
#include <string_view>

namespace pl {

inline constexpr std::string_view kCrockford32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// The first `chars` characters of `bytes` (read 5 bits at a time, most
// significant first). `bytes` must hold at least chars * 5 / 8 + 2 bytes.
inline std::string Crockford32(const unsigned char* bytes, int chars) {
  std::string out;
  out.reserve(static_cast<size_t>(chars));
  for (int i = 0; i < chars; ++i) {
    const int bit = i * 5;
    out.push_back(
        kCrockford32[((bytes[bit / 8] << 8 | bytes[bit / 8 + 1]) >> (11 - bit % 8)) & 31]);
  }
  return out;
}

}  // namespace pl
