#include "events/event_log.h"

#include <algorithm>
#include <thread>

namespace pl {
namespace {

class PollingTail final : public LogTail {
 public:
  PollingTail(EventLog& log, std::vector<uint64_t> next) : log_(log), next_(std::move(next)) {}

  Result<std::vector<LogRecord>> Next(size_t max, std::chrono::milliseconds timeout) override {
    auto out = ReadRound(max);
    if (!out.ok() || !out->empty()) return out;
    log_.WaitFor(PartitionId{0}, Offset{next_[0]},
                 std::min(timeout, std::chrono::milliseconds(20)));
    return ReadRound(max);
  }

 private:
  // One pass over the partitions, starting after the one read last.
  Result<std::vector<LogRecord>> ReadRound(size_t max) {
    std::vector<LogRecord> out;
    const int32_t n = static_cast<int32_t>(next_.size());
    for (int32_t i = 0; i < n && out.size() < max; ++i) {
      start_ = (start_ + 1) % n;
      auto records = log_.Read(PartitionId{start_}, Offset{next_[start_]}, max - out.size());
      if (!records.ok()) return records.status();
      if (records->empty()) continue;
      next_[start_] = records->back().offset.value + 1;
      std::move(records->begin(), records->end(), std::back_inserter(out));
    }
    return out;
  }

  EventLog& log_;
  std::vector<uint64_t> next_;
  int32_t start_ = -1;
};

}  // namespace

Result<std::unique_ptr<LogTail>> EventLog::Tail(std::vector<uint64_t> from) {
  if (static_cast<int32_t>(from.size()) != partitions())
    return Status("invalid_argument", "one start offset per partition expected");
  return std::unique_ptr<LogTail>(new PollingTail(*this, std::move(from)));
}

PartitionId EventLog::PartitionFor(std::string_view key) const {
  if (key == "governance" || partitions() <= 1) return PartitionId{0};
  uint32_t h = 2166136261u;  // FNV-1a, fixed forever: it places streams
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return PartitionId{static_cast<int32_t>(h % static_cast<uint32_t>(partitions()))};
}

Result<Offset> EventLog::EndOffsetReaching(PartitionId p, uint64_t at_least) {
  const auto deadline = std::chrono::steady_clock::now() + end_offset_lag();
  for (;;) {
    auto end = EndOffset(p);
    if (!end.ok() || end->value >= at_least || std::chrono::steady_clock::now() >= deadline)
      return end;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace pl
