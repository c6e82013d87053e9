// MerkleTree: an append-only RFC 6962 / RFC 9162 Merkle tree kept in a
// key-value view, with the proofs an auditor checks against it.
//
// Storage (docs/transparency.md): the hashes of every complete perfect
// subtree ("node (l, i)" covers leaves [i * 2^l, (i + 1) * 2^l); level 0 holds
// the leaf hashes) are grouped in tiles of four levels. Tile (b, k) of band b
// holds the nodes of levels 4b .. 4b+3 under node (4b+4, k): its 16 base
// nodes (4b, 16k .. 16k+15) and the 8 + 4 + 2 nodes above them, 30 hashes at
// most. A tile's value is its nodes in the order they complete, so it only
// ever grows at its end and a node exists exactly when the value is long
// enough to hold it. Nodes never change once written. Thus:
//   - AppendLeaf extends one tile (every 16th leaf also the tile above, and
//     so on): O(1) amortized reads and writes, and a batch of appends writes
//     each touched tile once;
//   - any node is one read of its tile, and a proof's path crosses one tile
//     per band, so Root, InclusionProof and ConsistencyProof cost O(log n)
//     reads (about log16 n for an inclusion proof), for the current size and
//     for any earlier size alike.
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
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/result.h"
#include "projections/key_reader.h"
#include "projections/merkle_hash.h"
#include "projections/projection.h"

namespace pl {

// A cache of Merkle tree tiles shared by the readers of one view store
// (handed to the tree by a KeyReader's tile_cache()). Nodes never change
// once written and a tile only grows, so a cached tile serves every node it
// holds to every reader, whatever its snapshot; a reader that needs a node
// the cached copy lacks reads the store and offers the longer tile. Only
// tiles of band `min_band` and above are kept (one per 16^min_band leaves:
// the top of the tree that every proof walks), at most `max_entries`.
//
// Thread safety: every member may be called from any thread.
class MerkleTileCache {
 public:
  explicit MerkleTileCache(int min_band = 1, size_t max_entries = size_t{1} << 17)
      : min_band_(min_band), max_entries_(max_entries) {}
  bool Keeps(int band) const { return band >= min_band_; }
  std::optional<std::string> Find(int band, uint64_t index) const;
  // Keeps `tile` unless the cache holds a longer copy or is full.
  void Offer(int band, uint64_t index, const std::string& tile) const;

 private:
  static uint64_t Key(int band, uint64_t index) {
    return static_cast<uint64_t>(band) << 58 | index;
  }
  const int min_band_;
  const size_t max_entries_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<uint64_t, std::string> tiles_;  // guarded by mu_
};

class MerkleTree {
 public:
  static constexpr int kTileHeight = 4;       // levels per band
  static constexpr uint64_t kTileWidth = 16;  // base nodes per tile

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

  // Keys, for the documentation, the auditor and tests.
  std::string SizeKey() const;
  std::string TilePrefix() const;  // every tile key starts with it
  std::string TileKey(int band, uint64_t index) const;

  // Node (level j of the tile, position `local` in it) of a tile's value, if
  // the value holds it: e.g. TileNode(v, 0, 3) is the fourth base node.
  static std::optional<Hash> TileNode(std::string_view tile, int j, uint64_t local);

 private:
  class Reader;
  // MTH(D[begin:end]) for a range the RFC recursion produces: `begin` is a
  // multiple of the largest power of two not above end - begin.
  Result<Hash> RangeHash(Reader& reader, uint64_t begin, uint64_t end) const;
  Status CheckSize(const KeyReader& reader, uint64_t size) const;

  std::string prefix_;
};

}  // namespace pl
