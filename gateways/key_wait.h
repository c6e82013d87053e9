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
#include <deque>
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
  // How long, and how many, messages are remembered: one asked for again
  // within that time is not held back a second time.
  static constexpr Clock::duration kRemember = std::chrono::hours(1);
  static constexpr size_t kMaxRemembered = 100000;

  explicit KeyWait(Clock::duration limit = kDefaultLimit) : limit_(limit) {}

  // Whether message `seq` of `feed`, whose key is pending at `now`, is
  // still held back: until `limit` after the first time it was asked.
  bool Hold(const std::string& feed, uint64_t seq, Clock::time_point now) {
    std::lock_guard lock(mu_);
    while (!order_.empty() &&
           (order_.size() >= kMaxRemembered || now - since_.at(order_.front()) > kRemember)) {
      since_.erase(order_.front());
      order_.pop_front();
    }
    auto [it, fresh] = since_.try_emplace({feed, seq}, now);
    if (fresh) order_.push_back(it->first);
    return now - it->second < limit_;
  }

  Clock::duration limit() const { return limit_; }

 private:
  using Message = std::pair<std::string, uint64_t>;  // feed, seq
  const Clock::duration limit_;
  std::mutex mu_;
  std::map<Message, Clock::time_point> since_;  // first asked for
  std::deque<Message> order_;                   // the same, oldest first
};

}  // namespace pl
