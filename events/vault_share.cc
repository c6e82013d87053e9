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
constexpr PartitionId kPartition{0};

}  // namespace

std::vector<KeyTopicRecord> KeyTopicRecords(const PersonalVault& vault,
                                            const std::vector<VaultKey>& new_keys,
                                            const std::vector<std::string>& erased) {
  std::vector<KeyTopicRecord> out;
  for (const auto& k : new_keys) out.push_back({k.Name(), vault.Wrap(k)});
  for (const auto& person : erased)
    for (const auto& k : vault.KeysOf(person)) out.push_back({k.Name(), std::string()});
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
  std::unique_ptr<VaultShare> share(new VaultShare(vault, std::move(options), std::move(*log)));
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
    auto producer = KafkaProducer::Create(options_.client);
    if (!producer.ok()) return producer.status();
    std::promise<Status> sent;
    (*producer)->Produce(options_.topic, kPartition.value, mine, "1",
                         [&sent](Status s, Offset) { sent.set_value(std::move(s)); });
    if (Status s = sent.get_future().get(); !s.ok()) return s;
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

// Makes the vault hold exactly the topic's live keys, then follows from the
// end of what was read.
Status VaultShare::Reconcile() {
  // Keys of a transaction still open are not readable yet; wait for it, so
  // that a key missing from the topic is one that was destroyed.
  const bool settled = log_->Settle(kPartition, options_.settle_timeout).ok();
  std::map<std::string, std::string> live;  // name -> wrapped key
  std::set<std::string> destroyed;          // names with a tombstone
  for (;;) {
    auto records = log_->Read(kPartition, Offset{next_}, 1000);
    if (!records.ok()) return records.status();
    if (records->empty()) break;
    for (const auto& r : *records) {
      next_ = r.offset.value + 1;
      if (r.key.starts_with(kCheckPrefix)) continue;
      if (r.value.empty()) {
        live.erase(r.key);
        destroyed.insert(r.key);
      } else {
        live[r.key] = r.value;
        destroyed.erase(r.key);
      }
    }
  }
  std::vector<VaultKey> missing;
  std::map<std::string, VaultKey> held = vault_.AllKeys();
  for (const auto& [name, wrapped] : live) {
    auto k = vault_.Unwrap(name, wrapped);
    if (!k.ok()) return k.status();
    auto it = held.find(name);
    if (it == held.end() || it->second.key != k->key) missing.push_back(std::move(*k));
  }
  if (Status s = vault_.Store(missing, /*sync=*/true); !s.ok()) return s;
  size_t gone = 0;
  for (const auto& [name, k] : held) {
    if (live.count(name)) continue;
    // Destroyed while this instance was away (its tombstone may be
    // compacted away by now). Without a settled topic only a tombstone
    // proves it: a key of a transaction still open would be lost here.
    if (!settled && !destroyed.count(name)) continue;
    if (Status s = vault_.EraseKey(k.person_id, k.key_id); !s.ok()) return s;
    ++gone;
  }
  if (!settled)
    spdlog::warn(
        "vault: {} still had an open transaction after {} ms; keys missing from it "
        "are kept until it ends",
        options_.topic, options_.settle_timeout.count());
  spdlog::info("vault: {} live keys on {}; {} fetched, {} destroyed here", live.size(),
               options_.topic, missing.size(), gone);
  return Status::Ok();
}

Status VaultShare::Apply(const LogRecord& r) {
  if (r.key.starts_with(kCheckPrefix)) return Status::Ok();
  ++applied_;
  if (r.value.empty()) {
    auto slash = r.key.find('/');
    if (slash == std::string::npos) return Status("corrupt_key", "tombstone " + r.key);
    return vault_.EraseKey(r.key.substr(0, slash), r.key.substr(slash + 1));
  }
  auto k = vault_.Unwrap(r.key, r.value);
  if (!k.ok()) return k.status();
  return vault_.Store({*k}, /*sync=*/false);
}

void VaultShare::Follow() {
  std::unique_ptr<LogTail> tail;
  while (!stopping_) {
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
    for (const auto& r : *records) {
      // A record that cannot be applied is skipped (and said so): the rest
      // of the vault stays current.
      if (Status s = Apply(r); !s.ok())
        spdlog::error("vault: key record {} at {}: {}", r.key, r.offset.value, s.ToString());
      next_ = r.offset.value + 1;
    }
  }
}

}  // namespace pl
