// librdkafka's log lines through spdlog, each kind at most once per 30 s
// (events/kafka_internal.h).
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "events/kafka_internal.h"

namespace pl::kafka_internal {

void LogLine(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  // The kind of a line: the same words with other numbers (a broker's port
  // or id, a client's), from another of librdkafka's threads ("[thrd:...]")
  // or with another note of how long or how often ("(after 0ms in state
  // CONNECT, 5 identical error(s) suppressed)") is the same news.
  std::string_view words = text;
  if (words.starts_with("[thrd:") && words.find("]: ") != std::string_view::npos)
    words.remove_prefix(words.find("]: ") + 3);
  words = words.substr(0, words.find(" (after "));
  std::string kind = facility;
  kind += ':';
  for (char c : words)
    if (c < '0' || c > '9') kind += c;
  // Shared by every client handle's threads; never destroyed, as a handle
  // may log while the process exits.
  struct Seen {
    std::chrono::steady_clock::time_point last;
    uint64_t left_out = 0;
  };
  static auto* mu = new std::mutex;
  static auto* seen = new std::unordered_map<std::string, Seen>;
  const auto now = std::chrono::steady_clock::now();
  uint64_t left_out = 0;
  {
    std::lock_guard lock(*mu);
    auto [it, first] = seen->try_emplace(std::move(kind));
    if (!first && now - it->second.last < std::chrono::seconds(30)) {
      ++it->second.left_out;
      return;
    }
    it->second.last = now;
    left_out = std::exchange(it->second.left_out, 0);
    if (seen->size() > 4096) seen->clear();  // bounded, whatever the lines say
  }
  const auto lvl = level <= 3   ? spdlog::level::err
                   : level == 4 ? spdlog::level::warn
                   : level <= 6 ? spdlog::level::info
                                : spdlog::level::debug;
  const char* name = rk ? rd_kafka_name(rk) : "kafka";
  if (left_out)
    spdlog::log(lvl, "kafka {} {}: {} ({} more like it in the last 30 s left out)", name, facility,
                text, left_out);
  else
    spdlog::log(lvl, "kafka {} {}: {}", name, facility, text);
}

}  // namespace pl::kafka_internal
