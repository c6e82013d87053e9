#include "projections/merkle_tree.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>
#include <utility>

#include "projections/encoding.h"

namespace pl {
namespace {

// The largest power of two strictly below n (n >= 2): the RFC's split point k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Status OutOfRange(std::string message) { return Status("out_of_range", std::move(message)); }

// Nodes a tile holds once its first `c` base nodes are in (c <= 16): the
// perfect subtrees of c leaves, 2c - popcount(c), less the band's own root
// when c is 16 (that node is the next band's base node).
uint64_t TileNodes(uint64_t c) {
  return 2 * c - std::popcount(c) - (c == MerkleTree::kTileWidth ? 1 : 0);
}

// Where node (j, local) sits in its tile's value, counted in hashes: it is
// the last node level j adds when base node c - 1 = ((local + 1) << j) - 1
// arrives, before the nodes above it that complete at the same time.
uint64_t TileSlot(int j, uint64_t local) {
  const uint64_t c = (local + 1) << j;
  const int top = std::min(std::countr_zero(c), MerkleTree::kTileHeight - 1);
  return TileNodes(c) - 1 - (top - j);
}

void AppendHash(std::string& tile, const Hash& h) {
  tile.append(reinterpret_cast<const char*>(h.data()), h.size());
}

}  // namespace

std::optional<std::string> MerkleTileCache::Find(int band, uint64_t index) const {
  std::shared_lock lock(mu_);
  if (auto it = tiles_.find(Key(band, index)); it != tiles_.end()) return it->second;
  return std::nullopt;
}

void MerkleTileCache::Offer(int band, uint64_t index, const std::string& tile) const {
  std::unique_lock lock(mu_);
  auto it = tiles_.find(Key(band, index));
  if (it == tiles_.end()) {
    if (tiles_.size() < max_entries_) tiles_.emplace(Key(band, index), tile);
  } else if (it->second.size() < tile.size()) {
    it->second = tile;
  }
}

// Reads nodes through their tiles, keeping the tiles one operation has read
// (a proof reads a handful, often the same one several times), and through
// the reader's tile cache when it has one.
class MerkleTree::Reader {
 public:
  Reader(const MerkleTree& tree, const KeyReader& inner)
      : tree_(tree), inner_(inner), cache_(inner.tile_cache()) {}

  Result<Hash> Node(int level, uint64_t index) {
    const int band = level / kTileHeight, j = level % kTileHeight;
    const uint64_t per_tile = kTileWidth >> j;
    const uint64_t tile = index / per_tile, local = index % per_tile;
    bool held_before = false;
    for (const Held& held : tiles_) {
      if (held.band != band || held.index != tile) continue;
      if (auto h = TileNode(held.value, j, local)) return *h;
      held_before = true;
    }
    if (!held_before && cache_ && cache_->Keeps(band)) {
      if (auto cached = cache_->Find(band, tile)) {
        auto h = TileNode(*cached, j, local);
        tiles_.push_back({band, tile, std::move(*cached)});
        if (h) return *h;
      }
    }
    // Not read yet, or the copy at hand is older than the node: the store.
    if (auto stored = inner_.Get(tree_.TileKey(band, tile))) {
      if (cache_ && cache_->Keeps(band)) cache_->Offer(band, tile, *stored);
      auto h = TileNode(*stored, j, local);
      tiles_.push_back({band, tile, std::move(*stored)});
      if (h) return *h;
    }
    return Status("corrupt_view", "missing Merkle tree node (" + std::to_string(level) + ", " +
                                      std::to_string(index) + ") in " + tree_.TileKey(band, tile));
  }

 private:
  struct Held {
    int band;
    uint64_t index;
    std::string value;
  };
  const MerkleTree& tree_;
  const KeyReader& inner_;
  const MerkleTileCache* cache_;
  std::vector<Held> tiles_;
};

MerkleTree::MerkleTree(std::string key_prefix) : prefix_(std::move(key_prefix)) {}

std::string MerkleTree::SizeKey() const { return prefix_ + "size"; }

std::string MerkleTree::TilePrefix() const { return prefix_ + "tile/"; }

std::string MerkleTree::TileKey(int band, uint64_t index) const {
  const char band_byte = static_cast<char>(band);
  return TilePrefix() + HexEncode({&band_byte, 1}) + "/" + FixedHex64(index);
}

std::optional<Hash> MerkleTree::TileNode(std::string_view tile, int j, uint64_t local) {
  if (j < 0 || j >= kTileHeight || local >= (kTileWidth >> j)) return std::nullopt;
  const uint64_t slot = TileSlot(j, local);
  if (tile.size() < (slot + 1) * kHashSize) return std::nullopt;
  Hash h;
  std::memcpy(h.data(), tile.data() + slot * kHashSize, kHashSize);
  return h;
}

Result<uint64_t> MerkleTree::Size(const KeyReader& reader) const {
  auto v = reader.Get(SizeKey());
  if (!v) return uint64_t{0};
  auto size = ParseFixedHex64(*v);
  if (!size) return Status("corrupt_view", "malformed Merkle tree size under " + SizeKey());
  return *size;
}

Result<uint64_t> MerkleTree::AppendLeaf(ViewBatch& batch, std::string_view leaf_data) const {
  BatchKeyReader reader(batch);
  auto size = Size(reader);
  if (!size.ok()) return size.status();
  const uint64_t leaf = *size;

  // Add base node `index` of `band`, then every node it completes; a band's
  // root is the next band's base node.
  Hash h = HashLeaf(leaf_data);
  uint64_t index = leaf;
  for (int band = 0;; ++band) {
    const uint64_t local = index % kTileWidth;
    const std::string key = TileKey(band, index / kTileWidth);
    std::string& tile = batch.Edit(key);
    if (tile.size() != TileNodes(local) * kHashSize)
      return Status("corrupt_view", "Merkle tree tile " + key + " does not match tree size " +
                                        std::to_string(leaf));
    AppendHash(tile, h);
    int j = 0;
    uint64_t at = local;
    for (; (at & 1) != 0; ++j, at >>= 1) {
      const Hash left = *TileNode(tile, j, at - 1);
      h = HashChildren(left, h);
      if (j + 1 == kTileHeight) break;  // the band's root: the next band's base
      AppendHash(tile, h);
    }
    if (j + 1 != kTileHeight || (at & 1) == 0) break;
    index /= kTileWidth;
  }
  batch.Put(SizeKey(), FixedHex64(leaf + 1));
  return leaf;
}

Status MerkleTree::CheckSize(const KeyReader& reader, uint64_t size) const {
  auto stored = Size(reader);
  if (!stored.ok()) return stored.status();
  if (size > *stored) {
    return OutOfRange("tree size " + std::to_string(size) + " exceeds the log's " +
                      std::to_string(*stored) + " leaves");
  }
  return Status::Ok();
}

Result<Hash> MerkleTree::RangeHash(Reader& reader, uint64_t begin, uint64_t end) const {
  // Split [begin, end) into its perfect subtrees, largest (leftmost) first,
  // then fold them right to left as MTH's recursion does.
  std::vector<Hash> peaks;
  uint64_t pos = begin;
  while (pos < end) {
    const uint64_t width = std::bit_floor(end - pos);
    if (pos % width != 0) {
      return Status("internal", "range [" + std::to_string(begin) + ", " + std::to_string(end) +
                                    ") is not a Merkle subtree");
    }
    auto node = reader.Node(std::countr_zero(width), pos / width);
    if (!node.ok()) return node.status();
    peaks.push_back(*node);
    pos += width;
  }
  if (peaks.empty()) return EmptyTreeRoot();
  Hash acc = peaks.back();
  for (size_t i = peaks.size() - 1; i-- > 0;) acc = HashChildren(peaks[i], acc);
  return acc;
}

Result<Hash> MerkleTree::Root(const KeyReader& reader, uint64_t size) const {
  if (Status s = CheckSize(reader, size); !s.ok()) return s;
  Reader nodes(*this, reader);
  return RangeHash(nodes, 0, size);
}

Result<Hash> MerkleTree::LeafHash(const KeyReader& reader, uint64_t index) const {
  auto size = Size(reader);
  if (!size.ok()) return size.status();
  if (index >= *size) {
    return OutOfRange("leaf index " + std::to_string(index) + " is not below the log's " +
                      std::to_string(*size) + " leaves");
  }
  Reader nodes(*this, reader);
  return nodes.Node(0, index);
}

Result<std::vector<Hash>> MerkleTree::InclusionProof(const KeyReader& reader, uint64_t index,
                                                     uint64_t size) const {
  if (index >= size) {
    return OutOfRange("leaf index " + std::to_string(index) + " is not below tree size " +
                      std::to_string(size));
  }
  if (Status s = CheckSize(reader, size); !s.ok()) return s;
  Reader nodes(*this, reader);
  // PATH(m, D[begin:end]), walked from the root down: at each split the
  // sibling of the half holding the leaf joins the path.
  std::vector<Hash> path;
  uint64_t begin = 0, end = size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    Result<Hash> sibling =
        index < begin + k ? RangeHash(nodes, begin + k, end) : RangeHash(nodes, begin, begin + k);
    if (!sibling.ok()) return sibling.status();
    path.push_back(*sibling);
    if (index < begin + k) {
      end = begin + k;
    } else {
      begin += k;
    }
  }
  std::reverse(path.begin(), path.end());  // the RFC lists the leaf's sibling first
  return path;
}

Result<std::vector<Hash>> MerkleTree::ConsistencyProof(const KeyReader& reader, uint64_t m,
                                                       uint64_t n) const {
  if (m > n) {
    return OutOfRange("first tree size " + std::to_string(m) + " exceeds second tree size " +
                      std::to_string(n));
  }
  if (Status s = CheckSize(reader, n); !s.ok()) return s;
  std::vector<Hash> proof;
  if (m == 0 || m == n) return proof;
  Reader nodes(*this, reader);
  // SUBPROOF(m, D[begin:end], b), walked from the root down.
  uint64_t begin = 0, end = n;
  bool whole_old_tree = true;  // the RFC's b: D[begin:end] is still the whole old tree
  while (true) {
    if (m - begin == end - begin) {
      if (!whole_old_tree) {
        auto h = RangeHash(nodes, begin, end);
        if (!h.ok()) return h.status();
        proof.push_back(*h);
      }
      break;
    }
    const uint64_t k = SplitPoint(end - begin);
    Result<Hash> sibling =
        m - begin <= k ? RangeHash(nodes, begin + k, end) : RangeHash(nodes, begin, begin + k);
    if (!sibling.ok()) return sibling.status();
    proof.push_back(*sibling);
    if (m - begin <= k) {
      end = begin + k;
    } else {
      begin += k;
      whole_old_tree = false;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

}  // namespace pl
