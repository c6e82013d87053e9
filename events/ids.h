// Strong types for identifiers and log positions, so that a permit id is never
// passed where an officer id is expected, nor an offset where a sequence is.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace pl {

template <class Tag>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(std::string v) : v_(std::move(v)) {}
  const std::string& str() const { return v_; }
  bool empty() const { return v_.empty(); }
  auto operator<=>(const StrongId&) const = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(v_);
  }

 private:
  std::string v_;
};

// A stream is one aggregate's history: a permit's, or the governance stream
// (charter and officers).
using StreamId = StrongId<struct StreamTag>;
using OfficerId = StrongId<struct OfficerTag>;
using CommandId = StrongId<struct CommandTag>;

// Position of a record in one partition of the log; 0 is the first record.
struct Offset {
  uint64_t value = 0;
  auto operator<=>(const Offset&) const = default;
};

struct PartitionId {
  int32_t value = 0;
  auto operator<=>(const PartitionId&) const = default;
};

}  // namespace pl

template <class Tag>
struct std::hash<pl::StrongId<Tag>> {
  size_t operator()(const pl::StrongId<Tag>& id) const noexcept {
    return std::hash<std::string>()(id.str());
  }
};
