// VaultShare: one personal-data vault for every instance of a ledger on
// Kafka (docs/kafka.md, "The vault on Kafka").
//
// Each instance keeps a copy of the vault (DATA/keys, a PersonalVault opened
// with OpenShared under DATA/server.secret). The copies meet on a compacted,
// one-partition key topic, "<prefix>.keys":
//   "<person_id>/<key_id>"  a person's key, wrapped under a key derived from
//                           the shared secret (PersonalVault::Wrap);
//   the same name, no value a tombstone: the key was destroyed (erasure);
//   "erase/<person_id>"     the person was erased: every key of the person
//                           before it on the topic is destroyed, also one
//                           the deciding instance had not received yet (an
//                           instance that holds such a key destroys it and
//                           writes its tombstone);
//   "check/<fingerprint>"   the fingerprint of the secret that wraps keys;
//   "roll"                  a time, now and then (see below).
// The command processor writes a batch's new keys and the tombstones of the
// keys it erases (an application's, or every key of a person) in the same
// Kafka transaction as the batch's
// events (KeyTopicRecords), so a key is on the topic exactly when data
// sealed under it is on the event topic. Compaction then removes destroyed
// keys from the brokers' disks: segments roll hourly (a "roll" record every
// 30 minutes makes sure of it on a quiet topic), and tombstones are kept
// for good, so that an instance away for any time learns every erasure.
//
// Thread safety: the follower runs on a thread of its own; KeyTopicRecords
// may be called from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "events/kafka_clients.h"
#include "events/kafka_log.h"
#include "events/personal_vault.h"

namespace pl {

struct VaultShareOptions {
  KafkaClientOptions client;
  std::string topic;  // "<prefix>.keys"
  int16_t replication_factor = 1;
  int32_t min_insync_replicas = 1;
  // Fault injection, for tests only: called on the follower's thread before
  // it applies records it read (a late key: block here).
  std::function<void()> before_apply;
};

// One record of the key topic; `value` empty: a tombstone.
struct KeyTopicRecord {
  std::string name;
  std::string value;
};

// The key topic's records for a batch, in this order: a tombstone for each
// dropped key (sealed under in the batch before it was erased), for each
// key of an erased application (`erased_keys`) and for each key the vault
// holds of each erased person; an erasure record "erase/<person_id>" for
// each erased person; each new key, wrapped.
Result<std::vector<KeyTopicRecord>> KeyTopicRecords(const PersonalVault& vault,
                                                    const std::vector<VaultKey>& new_keys,
                                                    const std::vector<std::string>& erased,
                                                    const std::vector<VaultKey>& dropped = {},
                                                    const std::vector<VaultKey>& erased_keys = {});

class VaultShare {
 public:
  // Creates or checks the key topic. Refuses ("vault_secret_mismatch") an
  // instance whose secret is not the cluster's: the first check record on
  // the topic names the cluster's (an empty topic gets this instance's).
  // Then brings the vault up to the topic (keys destroyed while this
  // instance was away are destroyed here too; keys it never saw are stored;
  // keys the topic does not know are kept, with a warning) and follows the
  // topic from there on.
  static Result<std::unique_ptr<VaultShare>> Open(PersonalVault& vault, VaultShareOptions options);
  ~VaultShare();  // stops following
  VaultShare(const VaultShare&) = delete;
  VaultShare& operator=(const VaultShare&) = delete;

  // Key records applied by the follower since start (for tests and metrics).
  uint64_t applied() const { return applied_; }

 private:
  VaultShare(PersonalVault& vault, VaultShareOptions options, std::unique_ptr<KafkaLog> log,
             std::unique_ptr<KafkaProducer> producer)
      : vault_(vault),
        options_(std::move(options)),
        log_(std::move(log)),
        producer_(std::move(producer)) {}
  Status ProduceAndWait(std::string_view key, std::string_view value);
  void Tombstone(const std::string& name);  // without waiting
  Status CheckSecret();
  Status Reconcile();
  void Follow();
  Status Apply(const LogRecord& r);

  PersonalVault& vault_;
  VaultShareOptions options_;
  // Before producer_: its last callbacks (in its destructor) use them.
  std::mutex retry_mu_;
  std::set<std::string> retry_;  // tombstones whose sending failed; guarded by retry_mu_
  std::unique_ptr<KafkaLog> log_;
  std::unique_ptr<KafkaProducer> producer_;  // check, roll and missed keys' tombstone records
  uint64_t next_ = 0;                        // the next offset to read
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> applied_{0};
  std::thread thread_;
};

}  // namespace pl
