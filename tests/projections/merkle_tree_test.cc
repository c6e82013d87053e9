// The stored Merkle tree: published vectors, agreement with the literal RFC
// recursion, proofs that verify (and stop verifying when anything changes),
// and O(log n) reads.
#include "projections/merkle_tree.h"

#include <gtest/gtest.h>

#include <bit>
#include <chrono>

#include "projections/merkle_verify.h"
#include "projections/rocksdb_key_reader.h"
#include "tests/projections/memory_view_batch.h"
#include "tests/projections/merkle_reference.h"
#include "tests/projections/merkle_vectors.h"

namespace pl {
namespace {

std::string LeafData(uint64_t i) { return "leaf-" + std::to_string(i); }

// A tree of `n` leaves LeafData(0..n-1), and the leaf hashes for the oracle.
struct Fixture {
  MerkleTree tree;
  MemoryViewBatch store;
  std::vector<Hash> leaves;

  void Append(std::string_view data) {
    auto index = tree.AppendLeaf(store, data);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    ASSERT_EQ(*index, leaves.size());
    leaves.push_back(HashLeaf(data));
  }
  void Grow(uint64_t n) {
    while (leaves.size() < n) Append(LeafData(leaves.size()));
  }
};

TEST(MerkleTree, PublishedVectors) {
  Fixture f;
  auto size = f.tree.Size(f.store);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 0u);
  EXPECT_EQ(HashToHex(*f.tree.Root(f.store, 0)), vectors::kEmptyRoot);
  for (const auto& leaf : vectors::kLeaves) f.Append(leaf);

  for (uint64_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(HashToHex(*f.tree.Root(f.store, n)), vectors::kRoots[n - 1]) << n;
  }
  for (const auto& v : vectors::kInclusion) {
    auto proof = f.tree.InclusionProof(f.store, v.leaf - 1, v.size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    std::vector<std::string> hex;
    for (const Hash& h : *proof) hex.push_back(HashToHex(h));
    EXPECT_EQ(hex, v.proof) << "leaf " << v.leaf << " size " << v.size;
  }
  for (const auto& v : vectors::kConsistency) {
    auto proof = f.tree.ConsistencyProof(f.store, v.size1, v.size2);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    std::vector<std::string> hex;
    for (const Hash& h : *proof) hex.push_back(HashToHex(h));
    EXPECT_EQ(hex, v.proof) << v.size1 << " -> " << v.size2;
  }
}

TEST(MerkleTree, EveryProofUpTo70LeavesMatchesTheRfcAndVerifies) {
  constexpr uint64_t kMax = 70;
  Fixture f;
  f.Grow(kMax + 1);
  std::span<const Hash> all(f.leaves);
  std::vector<Hash> roots(kMax + 2);
  for (uint64_t n = 0; n <= kMax + 1; ++n) {
    roots[n] = *f.tree.Root(f.store, n);
    ASSERT_EQ(roots[n], reference::Mth(all.first(n))) << n;
  }
  const Hash other = HashLeaf("not in the log");

  for (uint64_t n = 1; n <= kMax; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = f.tree.InclusionProof(f.store, i, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, reference::Path(i, all.first(n))) << i << "/" << n;
      ASSERT_TRUE(VerifyInclusion(f.leaves[i], i, n, *proof, roots[n]).ok()) << i << "/" << n;
      EXPECT_FALSE(VerifyInclusion(other, i, n, *proof, roots[n]).ok());
      EXPECT_FALSE(VerifyInclusion(f.leaves[i], i, n, *proof, other).ok());
      // A proof does not bind the tree size by itself (the same path can fit
      // several sizes); the size comes with its root, and a grown root fails.
      EXPECT_FALSE(VerifyInclusion(f.leaves[i], i, n + 1, *proof, roots[n + 1]).ok());
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion(f.leaves[i], i, n, *proof, roots[n - 1]).ok());
        EXPECT_FALSE(VerifyInclusion(f.leaves[i], (i + 1) % n, n, *proof, roots[n]).ok());
      }
    }
  }
  for (uint64_t n = 1; n <= kMax; ++n) {
    for (uint64_t m = 0; m <= n; ++m) {
      auto proof = f.tree.ConsistencyProof(f.store, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, reference::Proof(m, all.first(n))) << m << "->" << n;
      ASSERT_TRUE(VerifyConsistency(m, n, *proof, roots[m], roots[n]).ok()) << m << "->" << n;
      if (m == n) continue;
      EXPECT_FALSE(VerifyConsistency(m, n, *proof, other, roots[n]).ok());
      if (m > 0) {  // every tree extends the empty one: nothing binds root2
        EXPECT_FALSE(VerifyConsistency(m, n, *proof, roots[m], other).ok());
        EXPECT_FALSE(VerifyConsistency(m - 1, n, *proof, roots[m], roots[n]).ok());
        EXPECT_FALSE(VerifyConsistency(m, n + 1, *proof, roots[m], roots[n + 1]).ok());
      }
    }
  }
}

TEST(MerkleTree, RefusesSizesAndIndexesBeyondTheLog) {
  Fixture f;
  f.Grow(5);
  EXPECT_EQ(f.tree.Root(f.store, 6).status().code(), "out_of_range");
  EXPECT_EQ(f.tree.LeafHash(f.store, 5).status().code(), "out_of_range");
  EXPECT_EQ(f.tree.LeafHash(f.store, UINT64_MAX).status().code(), "out_of_range");
  EXPECT_EQ(f.tree.InclusionProof(f.store, 5, 5).status().code(), "out_of_range");
  EXPECT_EQ(f.tree.InclusionProof(f.store, 0, 6).status().code(), "out_of_range");
  EXPECT_EQ(f.tree.ConsistencyProof(f.store, 3, 6).status().code(), "out_of_range");
  EXPECT_EQ(f.tree.ConsistencyProof(f.store, 4, 3).status().code(), "out_of_range");
  EXPECT_EQ(*f.tree.LeafHash(f.store, 4), HashLeaf(LeafData(4)));
}

TEST(MerkleTree, ReportsAMissingNodeAsCorruption) {
  Fixture f;
  f.Grow(6);
  f.store.Delete(f.tree.TileKey(0, 0));  // every node below level 4
  auto root = f.tree.Root(f.store, 4);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().code(), "corrupt_view");
  auto inclusion = f.tree.InclusionProof(f.store, 0, 6);
  ASSERT_FALSE(inclusion.ok());
  EXPECT_EQ(inclusion.status().code(), "corrupt_view");
  auto consistency = f.tree.ConsistencyProof(f.store, 2, 6);
  ASSERT_FALSE(consistency.ok());
  EXPECT_EQ(consistency.status().code(), "corrupt_view");
  f.store.Put(f.tree.SizeKey(), "seven");
  auto size = f.tree.Size(f.store);
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.status().code(), "corrupt_view");
}

TEST(MerkleTree, ProofsAndRootsCostLogarithmicReads) {
  Fixture f;
  f.Grow(5000);
  auto budget = [](uint64_t n) { return 2 * std::bit_width(n) + 2; };
  for (uint64_t n : {1u, 2u, 3u, 1000u, 1023u, 1024u, 1025u, 4097u, 4999u, 5000u}) {
    f.store.ResetGets();
    ASSERT_TRUE(f.tree.Root(f.store, n).ok());
    EXPECT_LE(f.store.gets(), budget(n)) << "root " << n;
    for (uint64_t i : {uint64_t{0}, n / 3, n / 2, n - 1}) {
      f.store.ResetGets();
      ASSERT_TRUE(f.tree.InclusionProof(f.store, i, n).ok());
      EXPECT_LE(f.store.gets(), budget(n)) << "inclusion " << i << "/" << n;
      f.store.ResetGets();
      ASSERT_TRUE(f.tree.ConsistencyProof(f.store, i + 1, n).ok());
      EXPECT_LE(f.store.gets(), budget(n)) << "consistency " << i + 1 << "->" << n;
    }
  }
  // Appends: one read of the size and one of the leaf's tile, plus the tile
  // above for every 16th leaf (and so on up): 2 + 1/15 on average.
  f.store.ResetGets();
  f.Grow(5000 + 1024);
  EXPECT_LE(f.store.gets(), 2u * 1024 + 1024 / 15 + 16);
}

// The shared tile cache: a cached tile serves later and earlier tree sizes
// alike, a cached copy older than the node a reader needs is read again from
// the store, and a warm cache leaves a proof one tile read and the size.
TEST(MerkleTree, TileCacheServesEverySizeAndRefreshesShortTiles) {
  Fixture f;
  MerkleTileCache cache(/*min_band=*/1);
  CachingKeyReader cached(f.store, cache);
  f.Grow(300);  // band 1: tile 1 holds 2 of 16 base nodes
  for (uint64_t i = 0; i < 300; i += 7) ASSERT_TRUE(f.tree.InclusionProof(cached, i, 300).ok());
  f.Grow(5000);  // the cached band-1 and band-2 tiles are now too short
  auto same = [](const auto& through_cache, const auto& direct) {
    ASSERT_TRUE(through_cache.ok()) << through_cache.status().ToString();
    ASSERT_TRUE(direct.ok()) << direct.status().ToString();
    EXPECT_EQ(*through_cache, *direct);
  };
  for (uint64_t n : {300u, 301u, 4096u, 5000u}) {
    same(f.tree.Root(cached, n), f.tree.Root(f.store, n));
    for (uint64_t i : {uint64_t{0}, n / 3, n - 1}) {
      SCOPED_TRACE(std::to_string(i) + " of " + std::to_string(n));
      same(f.tree.InclusionProof(cached, i, n), f.tree.InclusionProof(f.store, i, n));
      same(f.tree.ConsistencyProof(cached, i + 1, n), f.tree.ConsistencyProof(f.store, i + 1, n));
    }
  }
  // Warm: the size, the leaf's band-0 tile, and the band-0 tile of the
  // ragged right edge (4992..4999).
  ASSERT_TRUE(f.tree.InclusionProof(cached, 1234, 5000).ok());
  f.store.ResetGets();
  ASSERT_TRUE(f.tree.InclusionProof(cached, 1234, 5000).ok());
  EXPECT_LE(f.store.gets(), 3u);
}

TEST(MerkleTree, HundredThousandLeavesMatchTheRecursiveRoot) {
  constexpr uint64_t kLeaves = 100000;
  Fixture f;
  f.leaves.reserve(kLeaves);
  auto start = std::chrono::steady_clock::now();
  f.Grow(kLeaves);
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("appends_per_second", static_cast<int>(kLeaves / elapsed));
  std::span<const Hash> all(f.leaves);
  for (uint64_t n : {uint64_t{1}, uint64_t{65536}, uint64_t{65537}, uint64_t{99999}, kLeaves}) {
    EXPECT_EQ(*f.tree.Root(f.store, n), reference::Mth(all.first(n))) << n;
  }
  // And a proof from deep inside checks against that root.
  const Hash root = *f.tree.Root(f.store, kLeaves);
  auto proof = f.tree.InclusionProof(f.store, 77777, kLeaves);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyInclusion(f.leaves[77777], 77777, kLeaves, *proof, root).ok());
  auto consistency = f.tree.ConsistencyProof(f.store, 65537, kLeaves);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(
      VerifyConsistency(65537, kLeaves, *consistency, *f.tree.Root(f.store, 65537), root).ok());
}

}  // namespace
}  // namespace pl
