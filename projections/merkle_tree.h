// MerkleTree: an append-only RFC 6962 / RFC 9162 Merkle tree kept in a
// key-value view, with the proofs an auditor checks against it.
//
// Storage (docs/transparency.md): for every complete perfect subtree the
// store holds its hash under (level, index) — level 0 holds the leaf hashes,
// node (l, i) covers leaves [i * 2^l, (i + 1) * 2^l). Nodes are written once
// and never change. The tree size is stored too. Thus:
//   - AppendLeaf writes the leaf hash and every subtree it completes:
//     O(1) amortized reads and writes, O(log n) at worst;
//   - the hash of any subtree a root or proof needs is either one stored node
//     or, for the ragged right edge, a fold of at most log2(n) stored nodes,
//     so Root, InclusionProof and ConsistencyProof cost O(log n) reads, for
//     the current size and for any earlier size alike.
//
// The tree never rebuilds anything from the leaves.
//
// Errors: "out_of_range" for a size or index beyond the stored tree,
// "corrupt_view" when a node the tree size implies is missing or malformed.
//
// Thread safety: MerkleTree holds no mutable state; concurrent readers are as
// safe as the KeyReader they use. Appends must be serialized by the caller
// (the projection engine calls Apply from one thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/result.h"
#include "projections/key_reader.h"
#include "projections/merkle_hash.h"
#include "projections/projection.h"

namespace pl {

class MerkleTree {
 public:
  // All keys live under `key_prefix`.
  explicit MerkleTree(std::string key_prefix = "transparency/tree/");

  // Appends a leaf whose data is `leaf_data`; returns its 0-based index.
  Result<uint64_t> AppendLeaf(ViewBatch& batch, std::string_view leaf_data) const;

  // Number of leaves (0 for a store that never saw a leaf).
  Result<uint64_t> Size(const KeyReader& reader) const;

  // Root hash of the tree made of the first `size` leaves; size <= Size().
  Result<Hash> Root(const KeyReader& reader, uint64_t size) const;

  // Leaf hash of the leaf at `index` < Size().
  Result<Hash> LeafHash(const KeyReader& reader, uint64_t index) const;

  // RFC 9162 §2.1.3.1 inclusion proof (audit path) of leaf `index` in the
  // tree of the first `size` leaves: index < size <= Size().
  Result<std::vector<Hash>> InclusionProof(const KeyReader& reader, uint64_t index,
                                           uint64_t size) const;

  // RFC 9162 §2.1.4.1 consistency proof from the tree of the first `m` leaves
  // to the tree of the first `n`: m <= n <= Size(). Empty when m == 0 or m == n.
  Result<std::vector<Hash>> ConsistencyProof(const KeyReader& reader, uint64_t m, uint64_t n) const;

  // Keys, for the documentation and for tests.
  std::string SizeKey() const;
  std::string NodeKey(int level, uint64_t index) const;

 private:
  Result<Hash> Node(const KeyReader& reader, int level, uint64_t index) const;
  // MTH(D[begin:end]) for a range the RFC recursion produces: `begin` is a
  // multiple of the largest power of two not above end - begin.
  Result<Hash> RangeHash(const KeyReader& reader, uint64_t begin, uint64_t end) const;
  Status CheckSize(const KeyReader& reader, uint64_t size) const;

  std::string prefix_;
};

}  // namespace pl
