#include "projections/merkle_tree.h"

#include <algorithm>
#include <bit>

#include "projections/encoding.h"

namespace pl {
namespace {

// The largest power of two strictly below n (n >= 2): the RFC's split point k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Status OutOfRange(std::string message) { return Status("out_of_range", std::move(message)); }

}  // namespace

MerkleTree::MerkleTree(std::string key_prefix) : prefix_(std::move(key_prefix)) {}

std::string MerkleTree::SizeKey() const { return prefix_ + "size"; }

std::string MerkleTree::NodeKey(int level, uint64_t index) const {
  const char level_byte = static_cast<char>(level);
  return prefix_ + "node/" + HexEncode({&level_byte, 1}) + "/" + FixedHex64(index);
}

Result<uint64_t> MerkleTree::Size(const KeyReader& reader) const {
  auto v = reader.Get(SizeKey());
  if (!v) return uint64_t{0};
  auto size = ParseFixedHex64(*v);
  if (!size) return Status("corrupt_view", "malformed Merkle tree size under " + SizeKey());
  return *size;
}

Result<Hash> MerkleTree::Node(const KeyReader& reader, int level, uint64_t index) const {
  const std::string key = NodeKey(level, index);
  auto v = reader.Get(key);
  if (!v) return Status("corrupt_view", "missing Merkle tree node " + key);
  auto h = HashFromBytes(*v);
  if (!h) return Status("corrupt_view", "malformed Merkle tree node " + key);
  return *h;
}

Result<uint64_t> MerkleTree::AppendLeaf(ViewBatch& batch, std::string_view leaf_data) const {
  BatchKeyReader reader(batch);
  auto size = Size(reader);
  if (!size.ok()) return size.status();
  const uint64_t index = *size;

  Hash h = HashLeaf(leaf_data);
  batch.Put(NodeKey(0, index), HashBytes(h));
  // Each trailing 1 bit of the index closes a perfect subtree one level up.
  uint64_t i = index;
  int level = 0;
  while ((i & 1) != 0) {
    auto left = Node(reader, level, i - 1);
    if (!left.ok()) return left.status();
    h = HashChildren(*left, h);
    ++level;
    i >>= 1;
    batch.Put(NodeKey(level, i), HashBytes(h));
  }
  batch.Put(SizeKey(), FixedHex64(index + 1));
  return index;
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

Result<Hash> MerkleTree::RangeHash(const KeyReader& reader, uint64_t begin, uint64_t end) const {
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
    auto node = Node(reader, std::countr_zero(width), pos / width);
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
  return RangeHash(reader, 0, size);
}

Result<Hash> MerkleTree::LeafHash(const KeyReader& reader, uint64_t index) const {
  auto size = Size(reader);
  if (!size.ok()) return size.status();
  if (index >= *size) {
    return OutOfRange("leaf index " + std::to_string(index) + " is not below the log's " +
                      std::to_string(*size) + " leaves");
  }
  return Node(reader, 0, index);
}

Result<std::vector<Hash>> MerkleTree::InclusionProof(const KeyReader& reader, uint64_t index,
                                                     uint64_t size) const {
  if (index >= size) {
    return OutOfRange("leaf index " + std::to_string(index) + " is not below tree size " +
                      std::to_string(size));
  }
  if (Status s = CheckSize(reader, size); !s.ok()) return s;
  // PATH(m, D[begin:end]), walked from the root down: at each split the
  // sibling of the half holding the leaf joins the path.
  std::vector<Hash> path;
  uint64_t begin = 0, end = size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    Result<Hash> sibling =
        index < begin + k ? RangeHash(reader, begin + k, end) : RangeHash(reader, begin, begin + k);
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
  // SUBPROOF(m, D[begin:end], b), walked from the root down.
  uint64_t begin = 0, end = n;
  bool whole_old_tree = true;  // the RFC's b: D[begin:end] is still the whole old tree
  while (true) {
    if (m - begin == end - begin) {
      if (!whole_old_tree) {
        auto h = RangeHash(reader, begin, end);
        if (!h.ok()) return h.status();
        proof.push_back(*h);
      }
      break;
    }
    const uint64_t k = SplitPoint(end - begin);
    Result<Hash> sibling =
        m - begin <= k ? RangeHash(reader, begin + k, end) : RangeHash(reader, begin, begin + k);
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
