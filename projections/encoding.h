// Text encodings used by the transparency log's public formats: standard
// base64 (RFC 4648 §4, with padding) and lowercase hex.
//
// Decoders are strict: they accept only the canonical encoding (the one the
// encoder produces), so one value has exactly one text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pl {

std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

std::string HexEncode(std::string_view bytes);
// Accepts lowercase hex digits only, an even number of them.
std::optional<std::string> HexDecode(std::string_view text);

// A uint64 as exactly 16 lowercase hex digits (sortable in keys), and back.
std::string FixedHex64(uint64_t v);
std::optional<uint64_t> ParseFixedHex64(std::string_view text);

// A uint32 as 4 big-endian bytes (key ids, length prefixes), and back.
void AppendBigEndian32(std::string& out, uint32_t v);
uint32_t LoadBigEndian32(const unsigned char* bytes);

}  // namespace pl
