#include "events/vault_share.h"

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <set>

#include "events/kafka_clients.h"
#include "events/thread_name.h"

namespace pl {
namespace {

constexpr std::string_view kCheckPrefix = "check/";
// Appended now and then so that the topic's active segment rolls and the
// cleaner can drop destroyed keys even when no key is written.
constexpr std::string_view kRollKey = "roll";
constexpr auto kRollEvery = std::chrono::minutes(30);
constexpr std::string_view kErasePrefix = "erase/";
bool IsKeyRecord(const std::string& name) {
  return !name.starts_with(kCheckPrefix) && !name.starts_with(kErasePrefix) && name != kRollKey;
}
// The person of a key's name ("<person_id>/<key_id>").
std::string PersonOf(const std::string& name) { return name.substr(0, name.find('/')); }
constexpr PartitionId kPartition{0};

}  // namespace

Result<std::vector<KeyTopicRecord>> KeyTopicRecords(const PersonalVault& vault,
                                                    const std::vector<VaultKey>& new_keys,
                                                    const std::vector<std::string>& erased,
                                                    const std::vector<VaultKey>& dropped,
                                                    const std::vector<VaultKey>& erased_keys) {
  std::vector<KeyTopicRecord> out;
  for (const auto& k : dropped) out.push_back({k.Name(), std::string()});
  for (const auto& k : erased_keys) out.push_back({k.Name(), std::string()});
  for (const auto& person : erased) {
    auto keys = vault.KeysOf(person);
    if (!keys.ok()) return keys.status();
    for (const auto& k : *keys)
      if (!k.key_id.empty()) out.push_back({k.Name(), std::string()});
  }
  for (const auto& person : erased) out.push_back({std::string(kErasePrefix) + person, "1"});
  // Last: a new key of an erased person was sealed after the erasure (keys
  // sealed before it are dropped), so it must not come before its record.
  for (const auto& k : new_keys) out.push_back({k.Name(), vault.Wrap(k)});
  return out;
}

Result<std::unique_ptr<VaultShare>> VaultShare::Open(PersonalVault& vault,
                                                     VaultShareOptions options) {
  KafkaLogOptions lo;
  lo.bootstrap_servers = options.client.bootstrap_servers;
  lo.topic = options.topic;
  lo.partitions = 1;
  lo.replication_factor = options.replication_factor;
  lo.min_insync_replicas = options.min_insync_replicas;
  lo.compacted = true;
  lo.timeout = options.client.timeout;
  lo.client_config = options.client.client_config;
  auto log = KafkaLog::Open(lo);
  if (!log.ok()) return log.status();
  auto producer = KafkaProducer::Create(options.client);
  if (!producer.ok()) return producer.status();
  std::unique_ptr<VaultShare> share(
      new VaultShare(vault, std::move(options), std::move(*log), std::move(*producer)));
  if (Status s = share->CheckSecret(); !s.ok()) return s;
  if (Status s = share->Reconcile(); !s.ok()) return s;
  share->thread_ = std::thread([s = share.get()] {
    NameThisThread("pl-vault-share");
    s->Follow();
  });
  return share;
}

VaultShare::~VaultShare() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

// The first check record on the topic names the cluster's secret; an empty
// topic gets this instance's (two instances starting at once on an empty
// topic: the first record wins, the other instance is refused).
Status VaultShare::CheckSecret() {
  const std::string mine = std::string(kCheckPrefix) + vault_.SecretFingerprint();
  auto first_check = [&]() -> Result<std::string> {
    for (uint64_t from = 0;;) {
      auto records = log_->Read(kPartition, Offset{from}, 1000);
      if (!records.ok()) return records.status();
      if (records->empty()) return std::string();
      for (const auto& r : *records)
        if (r.key.starts_with(kCheckPrefix)) return r.key;
      from = records->back().offset.value + 1;
    }
  };
  auto first = first_check();
  if (!first.ok()) return first.status();
  if (first->empty()) {
    if (Status s = ProduceAndWait(mine, "1"); !s.ok()) return s;
    first = first_check();
    if (!first.ok()) return first.status();
  }
  if (*first != mine)
    return Status("vault_secret_mismatch",
                  "this instance's server.secret is not the one the other instances of the "
                  "ledger on topic " +
                      options_.topic +
                      " use (their personal data and tracking codes would not open here): copy "
                      "server.secret from another instance's data directory into this one");
  return Status::Ok();
}

Status VaultShare::ProduceAndWait(std::string_view key, std::string_view value) {
  std::promise<Status> sent;
  producer_->Produce(options_.topic, kPartition.value, key, value,
                     [&sent](Status s, Offset) { sent.set_value(std::move(s)); });
  return sent.get_future().get();
}

// Brings the vault up to the topic: stores the live keys it lacks and
// destroys the keys the topic has a tombstone for (tombstones are kept
// forever, so an instance away for any time learns every erasure). A held
// key the topic has neither is kept: a topic lost or recreated must not
// take the keys with it.
Status VaultShare::Reconcile() {
  std::map<std::string, std::string> live;  // name -> wrapped key
  std::set<std::string> destroyed;          // names with a tombstone, or before an erasure
  std::set<std::string> missed;             // destroyed by an erasure record, no tombstone yet
  for (;;) {
    auto records = log_->Read(kPartition, Offset{next_}, 1000);
    if (!records.ok()) return records.status();
    if (records->empty()) break;
    for (const auto& r : *records) {
      next_ = r.offset.value + 1;
      if (r.key.starts_with(kErasePrefix)) {
        // Every key of the person before it is destroyed; one still live
        // here missed its tombstone.
        const std::string person = r.key.substr(kErasePrefix.size());
        for (auto it = live.lower_bound(person + "/");
             it != live.end() && PersonOf(it->first) == person;) {
          destroyed.insert(it->first);
          missed.insert(it->first);
          it = live.erase(it);
        }
        continue;
      }
      if (!IsKeyRecord(r.key)) continue;
      if (r.value.empty()) {
        live.erase(r.key);
        destroyed.insert(r.key);
        missed.erase(r.key);  // another instance wrote it
      } else {
        live[r.key] = r.value;
      }
    }
  }
  auto held = vault_.AllKeys();
  if (!held.ok()) return held.status();
  std::vector<VaultKey> missing;
  for (const auto& [name, wrapped] : live) {
    if (destroyed.count(name)) continue;  // a key is never made twice
    auto k = vault_.Unwrap(name, wrapped);
    if (!k.ok()) return k.status();
    if (!held->count(name)) missing.push_back(std::move(*k));
  }
  if (Status s = vault_.Store(missing, /*sync=*/true); !s.ok()) return s;
  // Destroyed here: held keys destroyed on the topic, and the markers of
  // every destroyed key (so a late copy stays out, and its data reads as
  // erased), in one write.
  std::vector<std::pair<std::string, std::string>> to_erase;
  size_t gone = 0, unknown = 0;
  for (const auto& [name, k] : *held) {
    if (destroyed.count(name)) {
      ++gone;
    } else if (!live.count(name)) {
      ++unknown;
    }
  }
  for (const auto& name : destroyed) {
    auto k = VaultKey::FromName(name);
    if (k && (held->count(name) || !vault_.IsErasedKey(k->person_id, k->key_id)))
      to_erase.emplace_back(k->person_id, k->key_id);
  }
  if (Status s = vault_.EraseKeys(to_erase); !s.ok()) return s;
  for (const auto& name : missed) Tombstone(name);
  spdlog::info("vault: {} live keys on {}; {} fetched, {} destroyed here", live.size(),
               options_.topic, missing.size(), gone);
  if (unknown)
    spdlog::warn("vault: {} keys held here are not on {} (a topic lost or recreated?); kept",
                 unknown, options_.topic);
  return Status::Ok();
}

void VaultShare::Tombstone(const std::string& name) {
  producer_->Produce(options_.topic, kPartition.value, name, std::string_view(),
                     [this, name](Status s, Offset) {
                       if (s.ok()) return;
                       spdlog::warn("vault: tombstone {}: {}; will retry", name, s.ToString());
                       std::lock_guard lock(retry_mu_);
                       retry_.insert(name);
                     });
}

Status VaultShare::Apply(const LogRecord& r) {
  if (r.key.starts_with(kErasePrefix)) {
    // The keys of the person stored here all come before it on the topic
    // (this follower stored them; keys the processor committed since are
    // only held in memory): those its transaction did not name go now.
    auto keys = vault_.KeysOf(r.key.substr(kErasePrefix.size()), /*held=*/false);
    if (!keys.ok()) return keys.status();
    std::vector<std::pair<std::string, std::string>> ids;
    for (const auto& k : *keys) ids.emplace_back(k.person_id, k.key_id);
    if (Status s = vault_.EraseKeys(ids); !s.ok()) return s;
    for (const auto& k : *keys) Tombstone(k.Name());
    return Status::Ok();
  }
  if (!IsKeyRecord(r.key)) return Status::Ok();
  ++applied_;
  auto named = VaultKey::FromName(r.key);
  if (!named) return Status("corrupt_key", "key record " + r.key);
  if (r.value.empty()) return vault_.EraseKey(named->person_id, named->key_id);
  auto k = vault_.Unwrap(r.key, r.value);
  if (!k.ok()) return k.status();
  return vault_.Store({*k}, /*sync=*/false);
}

void VaultShare::Follow() {
  std::unique_ptr<LogTail> tail;
  auto rolled = std::chrono::steady_clock::now();
  auto retried = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (std::chrono::steady_clock::now() - retried > std::chrono::seconds(5)) {
      retried = std::chrono::steady_clock::now();
      std::set<std::string> again;
      {
        std::lock_guard lock(retry_mu_);
        again.swap(retry_);
      }
      for (const auto& name : again) Tombstone(name);
    }
    if (std::chrono::steady_clock::now() - rolled > kRollEvery) {
      rolled = std::chrono::steady_clock::now();
      producer_->Produce(options_.topic, kPartition.value, kRollKey,
                         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count()),
                         [topic = options_.topic](Status s, Offset) {
                           if (!s.ok()) spdlog::warn("vault: {}: {}", topic, s.ToString());
                         });
    }
    if (!tail) {
      auto t = log_->Tail({next_});
      if (!t.ok()) {
        spdlog::warn("vault: following {}: {}", options_.topic, t.status().ToString());
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      tail = std::move(*t);
    }
    auto records = tail->Next(1000, std::chrono::milliseconds(200));
    if (!records.ok()) {
      spdlog::warn("vault: reading {}: {}", options_.topic, records.status().ToString());
      tail.reset();  // again from next_
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (!records->empty() && options_.before_apply) options_.before_apply();
    for (const auto& r : *records) {
      Status s = Apply(r);
      if (!s.ok() && s.code() == "vault_unavailable") {
        // The store failed: the same record again, from the topic.
        spdlog::warn("vault: key record at {}: {}; retrying", r.offset.value, s.ToString());
        tail.reset();
        std::this_thread::sleep_for(std::chrono::seconds(1));
        break;
      }
      // A record that cannot be opened (corrupt, another secret) is
      // skipped, and said so: the rest of the vault stays current.
      if (!s.ok())
        spdlog::error("vault: key record {} at {}: {}", r.key, r.offset.value, s.ToString());
      next_ = r.offset.value + 1;
    }
  }
}

}  // namespace pl
