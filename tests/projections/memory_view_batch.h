// Test double: a ViewBatch (and KeyReader) over a std::map, counting reads.
#pragma once

#include <map>
#include <string>

#include "projections/key_reader.h"
#include "projections/projection.h"

namespace pl {

class MemoryViewBatch final : public ViewBatch, public KeyReader {
 public:
  std::optional<std::string> Get(std::string_view key) override {
    return std::as_const(*this).Get(key);
  }
  std::optional<std::string> Get(std::string_view key) const override {
    ++gets_;
    auto it = kv_.find(key);
    if (it == kv_.end()) return std::nullopt;
    return it->second;
  }
  void Put(std::string_view key, std::string_view value) override {
    kv_.insert_or_assign(std::string(key), std::string(value));
  }
  std::string& Edit(std::string_view key) override {
    ++gets_;
    return kv_.try_emplace(std::string(key)).first->second;
  }
  void Delete(std::string_view key) override {
    auto it = kv_.find(key);
    if (it != kv_.end()) kv_.erase(it);
  }

  const std::map<std::string, std::string, std::less<>>& contents() const { return kv_; }
  std::map<std::string, std::string, std::less<>>& mutable_contents() { return kv_; }
  size_t gets() const { return gets_; }
  void ResetGets() { gets_ = 0; }

 private:
  std::map<std::string, std::string, std::less<>> kv_;
  mutable size_t gets_ = 0;
};

}  // namespace pl
