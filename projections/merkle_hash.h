// The hash functions of the transparency log: RFC 6962 / RFC 9162 §2.1.1
// Merkle tree hashing with SHA-256.
//
//   leaf hash  = SHA-256(0x00 || leaf data)
//   node hash  = SHA-256(0x01 || left || right)
//   empty tree = SHA-256("")
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace pl {

inline constexpr size_t kHashSize = 32;

// A SHA-256 digest: a Merkle tree leaf, node or root hash.
using Hash = std::array<uint8_t, kHashSize>;

// SHA-256 of the concatenation of `parts`.
Hash Sha256(std::initializer_list<std::string_view> parts);

Hash HashLeaf(std::string_view leaf_data);
Hash HashChildren(const Hash& left, const Hash& right);
// The root of the tree with no leaves.
Hash EmptyTreeRoot();

// The 32 raw bytes of a hash, and back (nullopt unless exactly 32 bytes).
inline std::string_view HashBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}
std::optional<Hash> HashFromBytes(std::string_view bytes);

// Lowercase hex of a hash, and back (nullopt unless 64 hex digits).
std::string HashToHex(const Hash& h);
std::optional<Hash> HashFromHex(std::string_view hex);

}  // namespace pl
