// The variable names follow RFC 9162: fn is the position of the node being
// rebuilt within its level, sn the position of the last node of that level.
#include "projections/merkle_verify.h"

#include <string>

namespace pl {
namespace {

Status BadProof(std::string message) { return Status("bad_proof", std::move(message)); }

bool IsPowerOfTwo(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

}  // namespace

Result<Hash> RootFromInclusionProof(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                                    std::span<const Hash> proof) {
  if (index >= tree_size) {
    return BadProof("leaf index " + std::to_string(index) + " is not below tree size " +
                    std::to_string(tree_size));
  }
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return BadProof("inclusion proof is longer than the path to the root");
    if ((fn & 1) != 0 || fn == sn) {
      r = HashChildren(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return BadProof("inclusion proof is shorter than the path to the root");
  return r;
}

Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                       std::span<const Hash> proof, const Hash& root) {
  auto computed = RootFromInclusionProof(leaf_hash, index, tree_size, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) return BadProof("inclusion proof leads to a different root");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2) {
  if (size1 > size2) {
    return BadProof("first tree size " + std::to_string(size1) + " exceeds second tree size " +
                    std::to_string(size2));
  }
  if (size1 == size2) {
    if (!proof.empty()) return BadProof("proof between equal tree sizes must be empty");
    if (root1 != root2) return BadProof("equal tree sizes with different roots");
    return Status::Ok();
  }
  if (size1 == 0) {
    if (!proof.empty()) return BadProof("proof from the empty tree must be empty");
    if (root1 != EmptyTreeRoot()) return BadProof("first root is not the empty-tree root");
    return Status::Ok();
  }
  if (proof.empty()) return BadProof("consistency proof is empty");

  // When size1 is a power of two, the old root is itself a node of the new
  // tree and the proof omits it: it is implicitly the first element.
  const bool prepend_root1 = IsPowerOfTwo(size1);
  const size_t length = proof.size() + (prepend_root1 ? 1 : 0);
  auto element = [&](size_t i) -> const Hash& {
    if (prepend_root1) return i == 0 ? root1 : proof[i - 1];
    return proof[i];
  };

  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = element(0);
  Hash sr = element(0);
  for (size_t i = 1; i < length; ++i) {
    const Hash& c = element(i);
    if (sn == 0) return BadProof("consistency proof is longer than expected");
    if ((fn & 1) != 0 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return BadProof("consistency proof is shorter than expected");
  if (fr != root1) return BadProof("consistency proof does not lead to the first root");
  if (sr != root2) return BadProof("consistency proof does not lead to the second root");
  return Status::Ok();
}

}  // namespace pl
