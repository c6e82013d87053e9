// merkle_hash and merkle_verify against the published RFC 6962 vectors
// (tests/projections/merkle_vectors.h), with the corruptions an attacker
// would try.
#include "projections/merkle_verify.h"

#include <gtest/gtest.h>

#include "projections/merkle_hash.h"
#include "tests/projections/merkle_reference.h"
#include "tests/projections/merkle_vectors.h"

namespace pl {
namespace {

Hash H(const std::string& hex) {
  auto h = HashFromHex(hex);
  EXPECT_TRUE(h.has_value()) << hex;
  return h.value_or(Hash{});
}

std::vector<Hash> Hs(const std::vector<std::string>& hexes) {
  std::vector<Hash> out;
  for (const auto& h : hexes) out.push_back(H(h));
  return out;
}

std::vector<Hash> LeafHashes() {
  std::vector<Hash> out;
  for (const auto& leaf : vectors::kLeaves) out.push_back(HashLeaf(leaf));
  return out;
}

TEST(MerkleHash, EmptyTreeAndDomainSeparation) {
  EXPECT_EQ(HashToHex(EmptyTreeRoot()), vectors::kEmptyRoot);
  // The leaf "" hashes as SHA-256(0x00): the first published root.
  EXPECT_EQ(HashToHex(HashLeaf("")), vectors::kRoots[0]);
  Hash a = HashLeaf("a"), b = HashLeaf("b");
  EXPECT_NE(HashChildren(a, b), HashChildren(b, a));
  EXPECT_NE(HashLeaf(std::string(HashBytes(a)) + std::string(HashBytes(b))), HashChildren(a, b));
  EXPECT_FALSE(HashFromHex("00").has_value());
  EXPECT_FALSE(HashFromHex(std::string(64, 'G')).has_value());
}

TEST(MerkleHash, PublishedRootsForEverySizeUpToEight) {
  auto leaves = LeafHashes();
  for (size_t n = 1; n <= leaves.size(); ++n) {
    EXPECT_EQ(HashToHex(reference::Mth(std::span(leaves).first(n))), vectors::kRoots[n - 1])
        << "size " << n;
  }
}

TEST(MerkleVerify, PublishedInclusionProofs) {
  auto leaves = LeafHashes();
  for (const auto& v : vectors::kInclusion) {
    SCOPED_TRACE("leaf " + std::to_string(v.leaf) + " size " + std::to_string(v.size));
    const uint64_t index = v.leaf - 1;
    const Hash root = H(vectors::kRoots[v.size - 1]);
    auto proof = Hs(v.proof);
    auto computed = RootFromInclusionProof(leaves[index], index, v.size, proof);
    ASSERT_TRUE(computed.ok()) << computed.status().ToString();
    EXPECT_EQ(*computed, root);
    EXPECT_TRUE(VerifyInclusion(leaves[index], index, v.size, proof, root).ok());

    // Wrong index, size, leaf or root; a proof one element short, long, or
    // with one bit flipped.
    EXPECT_FALSE(VerifyInclusion(leaves[index], index + 1, v.size, proof, root).ok());
    if (index > 0) {
      EXPECT_FALSE(VerifyInclusion(leaves[index], index - 1, v.size, proof, root).ok());
    }
    EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size * 2, proof, root).ok());
    if (v.size > 1) {
      EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size / 2, proof, root).ok());
    }
    EXPECT_FALSE(VerifyInclusion(HashLeaf("WrongLeaf"), index, v.size, proof, root).ok());
    EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size, proof, EmptyTreeRoot()).ok());
    auto longer = proof;
    longer.push_back(root);
    EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size, longer, root).ok());
    auto preceded = proof;
    preceded.insert(preceded.begin(), root);
    EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size, preceded, root).ok());
    for (size_t i = 0; i < proof.size(); ++i) {
      auto flipped = proof;
      flipped[i][0] ^= 8;
      EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size, flipped, root).ok()) << i;
    }
    if (!proof.empty()) {
      auto shorter = proof;
      shorter.pop_back();
      EXPECT_FALSE(VerifyInclusion(leaves[index], index, v.size, shorter, root).ok());
    }
  }
}

TEST(MerkleVerify, InclusionRejectsIndexOutsideTheTree) {
  Hash leaf = HashLeaf("data");
  EXPECT_TRUE(VerifyInclusion(leaf, 0, 1, {}, leaf).ok());
  EXPECT_EQ(VerifyInclusion(leaf, 0, 0, {}, leaf).code(), "bad_proof");
  EXPECT_EQ(VerifyInclusion(leaf, 1, 1, {}, leaf).code(), "bad_proof");
  EXPECT_EQ(VerifyInclusion(leaf, 2, 1, {}, EmptyTreeRoot()).code(), "bad_proof");
}

TEST(MerkleVerify, PublishedConsistencyProofs) {
  for (const auto& v : vectors::kConsistency) {
    SCOPED_TRACE(std::to_string(v.size1) + " -> " + std::to_string(v.size2));
    const Hash root1 = H(vectors::kRoots[v.size1 - 1]);
    const Hash root2 = H(vectors::kRoots[v.size2 - 1]);
    auto proof = Hs(v.proof);
    ASSERT_TRUE(VerifyConsistency(v.size1, v.size2, proof, root1, root2).ok())
        << VerifyConsistency(v.size1, v.size2, proof, root1, root2).ToString();
    if (proof.empty()) continue;

    EXPECT_FALSE(VerifyConsistency(v.size1 - 1, v.size2, proof, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1 + 1, v.size2, proof, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1 ^ 2, v.size2, proof, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2 * 2, proof, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2 / 2, proof, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, proof, HashLeaf("x"), root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, proof, root1, HashLeaf("x")).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, proof, root2, root1).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, {}, root1, root2).ok());
    for (const Hash& extra : {root1, root2, proof[0]}) {
      auto longer = proof;
      longer.push_back(extra);
      EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, longer, root1, root2).ok());
      auto preceded = proof;
      preceded.insert(preceded.begin(), extra);
      EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, preceded, root1, root2).ok());
    }
    auto shorter = proof;
    shorter.pop_back();
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, shorter, root1, root2).ok());
    for (size_t i = 0; i < proof.size(); ++i) {
      auto flipped = proof;
      flipped[i][0] ^= 16;
      EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, flipped, root1, root2).ok()) << i;
    }
  }
}

TEST(MerkleVerify, ConsistencyDegenerateSizes) {
  const Hash r1 = HashLeaf("one"), r2 = HashLeaf("two");
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, EmptyTreeRoot(), EmptyTreeRoot()).ok());
  EXPECT_TRUE(VerifyConsistency(0, 5, {}, EmptyTreeRoot(), r2).ok());
  EXPECT_FALSE(VerifyConsistency(0, 5, {}, r1, r2).ok());
  EXPECT_TRUE(VerifyConsistency(3, 3, {}, r1, r1).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, {}, r1, r2).ok());
  const Hash one[] = {r1};
  EXPECT_FALSE(VerifyConsistency(3, 3, one, r1, r1).ok());
  EXPECT_FALSE(VerifyConsistency(0, 1, one, EmptyTreeRoot(), r1).ok());
  EXPECT_EQ(VerifyConsistency(2, 1, {}, r1, r2).code(), "bad_proof");
  EXPECT_FALSE(VerifyConsistency(1, 2, {}, r1, r2).ok());
}

}  // namespace
}  // namespace pl
