// Transparency log costs over an in-memory view: appends, and proofs in a
// tree of 2^20 leaves. Run: ninja -C build merkle_bench && build/bench/merkle_bench
#include <benchmark/benchmark.h>

#include <map>

#include "projections/merkle_tree.h"

namespace pl {
namespace {

class MapBatch final : public ViewBatch, public KeyReader {
 public:
  std::optional<std::string> Get(std::string_view key) override {
    return std::as_const(*this).Get(key);
  }
  std::optional<std::string> Get(std::string_view key) const override {
    auto it = kv_.find(key);
    return it == kv_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void Put(std::string_view key, std::string_view value) override {
    kv_.insert_or_assign(std::string(key), std::string(value));
  }
  std::string& Edit(std::string_view key) override {
    return kv_.try_emplace(std::string(key)).first->second;
  }
  void Delete(std::string_view key) override {
    if (auto it = kv_.find(key); it != kv_.end()) kv_.erase(it);
  }

 private:
  std::map<std::string, std::string, std::less<>> kv_;
};

const std::string kEvent(300, 'e');  // about the size of an encoded event

void BM_AppendLeaf(benchmark::State& state) {
  MerkleTree tree;
  MapBatch batch;
  for (auto _ : state) benchmark::DoNotOptimize(tree.AppendLeaf(batch, kEvent));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendLeaf);

MapBatch& BigTree() {
  static MapBatch* batch = [] {
    auto* b = new MapBatch;
    MerkleTree tree;
    for (int i = 0; i < (1 << 20); ++i) (void)tree.AppendLeaf(*b, kEvent + std::to_string(i));
    return b;
  }();
  return *batch;
}

void BM_InclusionProof(benchmark::State& state) {
  MerkleTree tree;
  MapBatch& batch = BigTree();
  uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tree.InclusionProof(batch, i, (1 << 20) - 1));
    i = (i + 7919) % ((1 << 20) - 1);
  }
}
BENCHMARK(BM_InclusionProof);

void BM_ConsistencyProof(benchmark::State& state) {
  MerkleTree tree;
  MapBatch& batch = BigTree();
  uint64_t m = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tree.ConsistencyProof(batch, m, (1 << 20) - 1));
    m = (m + 7919) % ((1 << 20) - 2) + 1;
  }
}
BENCHMARK(BM_ConsistencyProof);

}  // namespace
}  // namespace pl

BENCHMARK_MAIN();
