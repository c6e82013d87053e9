// KeyWait: how long a feed message waits for its applicant's key.
//
// On Kafka a person's key reaches an instance's vault through the key topic,
// a moment after the events sealed under it reach its views. A feed message
// rendered in that moment would show the applicant's fields as
// {"unavailable": true} (RenderFeedMessage's `key_pending`); the feeds hold
// it back instead, up to a limit, after which it goes out as it is.
//
// Thread safety: all members may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace pl {

class KeyWait {
 public:
  using Clock = std::chrono::steady_clock;
  // The key follows the event by milliseconds; a minute is a broken instance.
  static constexpr Clock::duration kDefaultLimit = std::chrono::seconds(60);

  explicit KeyWait(Clock::duration limit = kDefaultLimit) : limit_(limit) {}

  // Whether message `seq` of `feed`, whose key is pending at `now`, is
  // still held back: until `limit` after the first time it was asked.
  bool Hold(const std::string& feed, uint64_t seq, Clock::time_point now) {
    std::lock_guard lock(mu_);
    if (held_.size() > 1024) {  // forget the messages long past their limit
      for (auto it = held_.begin(); it != held_.end();)
        it = now - it->second > 2 * limit_ ? held_.erase(it) : std::next(it);
    }
    auto [it, fresh] = held_.try_emplace({feed, seq}, now);
    return now - it->second < limit_;
  }

  Clock::duration limit() const { return limit_; }

 private:
  const Clock::duration limit_;
  std::mutex mu_;
  std::map<std::pair<std::string, uint64_t>, Clock::time_point> held_;  // since when
};

}  // namespace pl
