// FeedPublisher: copies each subscriber's feed (the FeedProjection's
// messages, projections/feed_projection.h) to a Kafka topic of its own,
// `<prefix>.feed.<subscriber>` (one partition, kept forever), exactly once
// and in sequence order (docs/feeds.md).
//
// Exactly once rests on two things:
//   - one transactional producer per subscriber (transactional.id
//     `<prefix>.feed.<subscriber>.publisher`): starting it fences any older
//     publisher of that feed and aborts its open transaction;
//   - the resume point is read from the topic itself: after fencing, the
//     publisher reads the last committed message (read_committed) and goes on
//     from the sequence number after it. A batch of messages is one
//     transaction, so it is on the topic entirely or not at all.
// Of several instances, the one whose processor owns command partition 0
// publishes (`may_publish`); the others stand by, and the next owner of
// that partition takes the feeds over (fencing the last). A publisher
// fenced all the same leaves that feed for 30 s, then takes it back from
// the topic's end if it still may. A standby watches each feed's topic: one
// that has not moved for `takeover_after` while this instance holds
// messages past its end has no publisher (the owner of partition 0 runs
// without feeds, or decides nothing), and this instance publishes it until
// another fences it.
//
// Thread safety: the constructor starts one thread; the destructor stops it.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "events/kafka_log.h"
#include "events/personal_vault.h"
#include "gateways/key_wait.h"

namespace pl {

class Ledger;

struct FeedPublisherOptions {
  KafkaClientOptions client;
  std::string topic_prefix = "permitledger";
  int16_t replication_factor = 1;
  int32_t min_insync_replicas = 1;
  size_t batch = 500;  // messages per transaction, at most
  std::chrono::milliseconds interval{200};
  // Whether this instance is the one to publish now; empty: always.
  std::function<bool()> may_publish;
  // How long a standby lets a feed's topic stand still, with messages to
  // publish, before it publishes that feed itself.
  std::chrono::milliseconds takeover_after{30000};
};

class FeedPublisher {
 public:
  FeedPublisher(Ledger& ledger, FeedPublisherOptions options);
  ~FeedPublisher();
  FeedPublisher(const FeedPublisher&) = delete;
  FeedPublisher& operator=(const FeedPublisher&) = delete;

  static std::string Topic(const std::string& prefix, const std::string& subscriber) {
    return prefix + ".feed." + subscriber;
  }
  // Messages of `subscriber` on its topic so far (as far as this process
  // knows: the next sequence number to publish, minus one).
  uint64_t published(const std::string& subscriber) const;

 private:
  struct Feed;
  void Run();
  // Publishes what the feed has beyond the topic; returns false if nothing
  // was to do.
  bool PublishSome(Feed& feed);
  Status Resume(Feed& feed);
  // Opens the topic's reader, once.
  Status OpenReader(Feed& feed);
  // The seq of the last committed message on the topic (0: none).
  Result<uint64_t> LastSeqOnTopic(Feed& feed);
  // A standby's watch of `feed`'s topic: whether it has no publisher.
  bool Orphaned(Feed& feed);

  Ledger& ledger_;
  FeedPublisherOptions options_;
  std::map<std::string, std::unique_ptr<Feed>> feeds_;  // by subscriber; publisher thread only
  KeyWait key_wait_;
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> published_;  // guarded by mu_
  std::condition_variable wake_;
  bool stopping_ = false;    // guarded by mu_
  bool publishing_ = false;  // publisher thread only: whether may_publish said so last
  std::thread thread_;
};

}  // namespace pl
