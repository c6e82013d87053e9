#include "events/event_log.h"

namespace pl {

PartitionId EventLog::PartitionFor(std::string_view key) const {
  if (key == "governance" || partitions() <= 1) return PartitionId{0};
  uint32_t h = 2166136261u;  // FNV-1a, fixed forever: it places streams
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return PartitionId{static_cast<int32_t>(h % static_cast<uint32_t>(partitions()))};
}

}  // namespace pl
