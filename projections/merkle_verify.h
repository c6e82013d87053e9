// Verification of Merkle inclusion and consistency proofs, exactly as an
// outside auditor performs it: RFC 9162 §2.1.3.2 and §2.1.4.2.
//
// These are pure functions of their arguments. They share nothing with the
// proof generator (projections/merkle_tree.h) beyond the hash functions, so a
// bug in one is not hidden by the same bug in the other.
//
// Every failure is a Status with code "bad_proof" and a message saying what
// did not match. Thread safety: callable from any thread.
#pragma once

#include <cstdint>
#include <span>

#include "events/result.h"
#include "projections/merkle_hash.h"

namespace pl {

// The root of a tree of `tree_size` leaves implied by `proof` for the leaf
// with hash `leaf_hash` at `index`. Fails if index >= tree_size or the proof
// has the wrong number of elements for that position.
Result<Hash> RootFromInclusionProof(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                                    std::span<const Hash> proof);

// OK iff `proof` shows the leaf `leaf_hash` at `index` in the tree of
// `tree_size` leaves whose root is `root`.
Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                       std::span<const Hash> proof, const Hash& root);

// OK iff `proof` shows the tree of `size2` leaves with root `root2` extends
// the tree of `size1` leaves with root `root1` (the log only grew).
// Conventions for the degenerate cases: size1 == size2 needs an empty proof
// and root1 == root2; size1 == 0 needs an empty proof and root1 equal to the
// empty-tree root (every tree extends the empty tree).
Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2);

}  // namespace pl
