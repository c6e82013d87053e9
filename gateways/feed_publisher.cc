#include "gateways/feed_publisher.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "events/thread_name.h"
#include "gateways/ledger.h"
#include "projections/feed_projection.h"

namespace pl {

struct FeedPublisher::Feed {
  std::string subscriber;
  std::string topic;
  std::unique_ptr<KafkaLog> reader;  // the topic, read_committed (resume point)
  std::unique_ptr<KafkaTransactionalProducer> producer;
  uint64_t next = 0;  // next sequence number to publish; 0: not yet known
  std::chrono::steady_clock::time_point retry_at{};
  // A standby's watch (Orphaned): the topic's end when last seen to move.
  uint64_t watched_end = UINT64_MAX;
  std::chrono::steady_clock::time_point watched_since{}, watch_next{};
  bool adopted = false;  // published here, no publisher being in sight
};

FeedPublisher::FeedPublisher(Ledger& ledger, FeedPublisherOptions options)
    : ledger_(ledger), options_(std::move(options)) {
  thread_ = std::thread([this] {
    NameThisThread("pl-feed-pub");
    Run();
  });
}

FeedPublisher::~FeedPublisher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

uint64_t FeedPublisher::published(const std::string& subscriber) const {
  std::lock_guard lock(mu_);
  auto it = published_.find(subscriber);
  return it == published_.end() ? 0 : it->second;
}

Status FeedPublisher::OpenReader(Feed& feed) {
  if (!feed.reader) {
    KafkaLogOptions lo;
    lo.bootstrap_servers = options_.client.bootstrap_servers;
    lo.topic = feed.topic;
    lo.partitions = 1;  // one total order per subscriber
    lo.replication_factor = options_.replication_factor;
    lo.min_insync_replicas = options_.min_insync_replicas;
    lo.client_config = options_.client.client_config;
    lo.timeout = options_.client.timeout;
    auto log = KafkaLog::Open(lo);
    if (!log.ok()) return log.status();
    feed.reader = std::move(*log);
  }
  return Status::Ok();
}

// Fences older publishers, then finds the last message on the topic.
Status FeedPublisher::Resume(Feed& feed) {
  if (Status s = OpenReader(feed); !s.ok()) return s;
  if (!feed.producer) {
    auto p = KafkaTransactionalProducer::Create(options_.client, feed.topic + ".publisher");
    if (!p.ok()) return p.status();
    feed.producer = std::move(*p);
  }
  // The producer's start aborted any open transaction of an older
  // publisher, so the end is stable.
  auto last_seq = LastSeqOnTopic(feed);
  if (!last_seq.ok()) return last_seq.status();
  feed.next = *last_seq + 1;
  std::lock_guard lock(mu_);
  published_[feed.subscriber] = *last_seq;
  return Status::Ok();
}

// Walks back a window at a time until a committed message shows up
// (aborted batches and commit markers take offsets too).
Result<uint64_t> FeedPublisher::LastSeqOnTopic(Feed& feed) {
  auto end = feed.reader->EndOffset(PartitionId{0});
  if (!end.ok()) return end.status();
  const uint64_t window = 2 * options_.batch + 16;
  uint64_t to = end->value;
  uint64_t last_seq = 0;
  while (to > 0 && last_seq == 0) {
    uint64_t from = to > window ? to - window : 0;
    uint64_t at = from;
    while (at < to) {
      auto records = feed.reader->Read(PartitionId{0}, Offset{at}, options_.batch);
      if (!records.ok()) return records.status();
      if (records->empty()) break;
      for (const auto& r : *records) {
        if (r.offset.value >= to) break;
        auto m = nlohmann::json::parse(r.value, nullptr, false);
        if (m.is_discarded() || !m.contains("seq") || !m["seq"].is_number_unsigned())
          return Status("corrupt_feed", "offset " + std::to_string(r.offset.value) + " of " +
                                            feed.topic + " is not a feed message");
        last_seq = m["seq"].get<uint64_t>();
      }
      at = records->back().offset.value + 1;
    }
    to = from;
  }
  return last_seq;
}

bool FeedPublisher::Orphaned(Feed& feed) {
  const auto now = std::chrono::steady_clock::now();
  if (now < feed.watch_next) return false;
  feed.watch_next = now + std::min<std::chrono::milliseconds>(options_.takeover_after / 3,
                                                              std::chrono::seconds(10));
  if (!OpenReader(feed).ok()) return false;
  auto end = feed.reader->EndOffset(PartitionId{0});
  if (!end.ok()) return false;
  if (end->value != feed.watched_end) {  // it moves: someone publishes it
    feed.watched_end = end->value;
    feed.watched_since = now;
    return false;
  }
  if (now - feed.watched_since < options_.takeover_after) return false;
  auto last = LastSeqOnTopic(feed);
  if (!last.ok()) return false;
  return !FeedProjection::Read(ledger_.engine().db(), feed.subscriber, *last, 1).empty();
}

bool FeedPublisher::PublishSome(Feed& feed) {
  if (std::chrono::steady_clock::now() < feed.retry_at) return false;
  auto fail = [&](const Status& s) {
    if (s.code() == "fenced") {
      feed.adopted = false;  // its publisher is back
      // Another process took the feed over. Take it back only after a
      // while, in case that process has gone: either way the resume point
      // comes from the topic, so nothing is published twice.
      // The broker says so of a transaction it lost too (restarted while
      // one was open: INVALID_TXN_STATE), with no other process about.
      spdlog::warn(
          "feed {}: its transaction was fenced: another instance publishes it now, or the "
          "broker restarted while a transaction was open; trying again in 30 s (nothing is "
          "published twice either way) ({})",
          feed.subscriber, s.message());
      feed.retry_at = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    } else {
      spdlog::warn("feed {}: {}; retrying in 2 s", feed.subscriber, s.ToString());
      feed.retry_at = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    }
    // The resume point is read again from the topic after any failure.
    feed.producer.reset();
    feed.next = 0;
    return false;
  };
  if (feed.next == 0) {
    if (auto s = Resume(feed); !s.ok()) return fail(s);
  }
  auto messages =
      FeedProjection::Read(ledger_.engine().db(), feed.subscriber, feed.next - 1, options_.batch);
  if (messages.empty()) return false;
  std::vector<std::pair<std::string, std::string>> out;  // permit, message
  for (const auto& m : messages) {
    std::string permit;
    bool key_pending = false;
    std::string value =
        RenderFeedMessage(m, ledger_.vault(), ledger_.queries(), &permit, &key_pending);
    // A published message is never published again: it waits for its key.
    if (key_pending) {
      if (key_wait_.Hold(feed.subscriber, m.seq, KeyWait::Clock::now())) break;
      spdlog::warn(
          "feed {}: message {}: the applicant's key did not reach this instance in {} s; "
          "published without the applicant's data",
          feed.subscriber, m.seq,
          std::chrono::duration_cast<std::chrono::seconds>(key_wait_.limit()).count());
    }
    out.emplace_back(std::move(permit), std::move(value));
  }
  if (out.empty()) {
    feed.retry_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    return false;
  }
  messages.resize(out.size());
  if (auto s = feed.producer->BeginTransaction(); !s.ok()) return fail(s);
  for (const auto& [permit, value] : out)
    if (auto s = feed.producer->Produce(feed.topic, 0, permit, value); !s.ok()) return fail(s);
  auto committed = feed.producer->CommitTransaction();
  if (!committed.ok()) return fail(committed.status());
  feed.next = messages.back().seq + 1;
  std::lock_guard lock(mu_);
  published_[feed.subscriber] = messages.back().seq;
  return true;
}

void FeedPublisher::Run() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
    }
    // The subscribers of the policy in force; a feed stays once started.
    if (auto charter = ledger_.governance()->charter) {
      for (const auto& sub : charter->data_sharing) {
        if (feeds_.count(sub.id)) continue;
        auto f = std::make_unique<Feed>();
        f->subscriber = sub.id;
        f->topic = Topic(options_.topic_prefix, sub.id);
        feeds_.emplace(sub.id, std::move(f));
      }
    }
    const bool mine = !options_.may_publish || options_.may_publish();
    if (mine != publishing_) {
      spdlog::info(mine ? "feeds: this instance publishes them now"
                        : "feeds: this instance stands by (it no longer holds command partition "
                          "0: another instance took it, or the broker is out of reach)");
      publishing_ = mine;
    }
    bool busy = false;
    for (auto& [id, feed] : feeds_) {
      if (!mine && !feed->adopted && Orphaned(*feed)) {
        spdlog::warn(
            "feed {}: its topic has not moved for {} s while this instance holds messages past "
            "its end: no instance publishes it (the owner of command partition 0 runs with "
            "--kafka-no-feeds, or decides nothing); this instance publishes it",
            id, std::chrono::duration_cast<std::chrono::seconds>(options_.takeover_after).count());
        feed->adopted = true;
      }
      if (mine || feed->adopted) {
        busy |= PublishSome(*feed);
      } else if (feed->producer) {  // handed over: the next publisher resumes from the topic
        feed->producer.reset();
        feed->next = 0;
      }
      if (mine) feed->adopted = false;
      if (mine || feed->adopted) feed->watched_end = UINT64_MAX;  // watched afresh on standby
    }
    if (busy) continue;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, options_.interval, [&] { return stopping_; });
  }
}

}  // namespace pl
