// Test oracle: RFC 6962 §2.1 MTH, PATH and PROOF written as the literal
// recursive definitions over the list of leaf hashes. Slow (O(n) per call)
// and obviously correct, to check the stored tree against.
#pragma once

#include <bit>
#include <span>
#include <vector>

#include "projections/merkle_hash.h"

namespace pl::reference {

inline uint64_t Split(uint64_t n) { return std::bit_floor(n - 1); }

inline Hash Mth(std::span<const Hash> d) {
  if (d.empty()) return EmptyTreeRoot();
  if (d.size() == 1) return d[0];
  const uint64_t k = Split(d.size());
  return HashChildren(Mth(d.first(k)), Mth(d.subspan(k)));
}

inline std::vector<Hash> Path(uint64_t m, std::span<const Hash> d) {
  if (d.size() <= 1) return {};
  const uint64_t k = Split(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = Path(m, d.first(k));
    out.push_back(Mth(d.subspan(k)));
  } else {
    out = Path(m - k, d.subspan(k));
    out.push_back(Mth(d.first(k)));
  }
  return out;
}

inline std::vector<Hash> SubProof(uint64_t m, std::span<const Hash> d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{Mth(d)};
  const uint64_t k = Split(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = SubProof(m, d.first(k), b);
    out.push_back(Mth(d.subspan(k)));
  } else {
    out = SubProof(m - k, d.subspan(k), false);
    out.push_back(Mth(d.first(k)));
  }
  return out;
}

inline std::vector<Hash> Proof(uint64_t m, std::span<const Hash> d) {
  if (m == 0) return {};
  return SubProof(m, d, true);
}

}  // namespace pl::reference
