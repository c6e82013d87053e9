// PersonalVault: the key store beside the ledger that makes erasure possible
// on an immutable log (crypto-shredding). Each person is identified by a
// pseudonym derived from the NIK with a secret HMAC key. Personal data is
// sealed with XSalsa20-Poly1305 (libsodium secretbox) before it reaches the
// log, under a random 256-bit key made for it: one per application, so an
// application never shares a key with another, nor with one an erasure
// decided elsewhere may be destroying. The first 8 bytes of the nonce are
// the key's id (data sealed before key ids existed has a random nonce, and
// is opened by trying each key of the person). Erasing an application
// destroys its key, erasing a person every key of the person, and both
// compact them away: every copy of the
// ciphertext becomes unreadable, while hashes over the ciphertext still
// verify. A destroyed key's id stays marked, so "erased" and "not here yet"
// (a shared vault's key still on its way) are told apart.
//
// Two kinds of vault:
//   Open: a vault of its own (the embedded ledger): a random HMAC secret
//     kept in the store.
//   OpenShared: one of several instances' copies of the same vault (the
//     ledger on Kafka, events/vault_share.h): the HMAC secret and the key
//     that wraps keys for the shared key topic are derived from a secret
//     every instance holds (DATA/server.secret), so that a NIK gives the
//     same person id everywhere and keys travel wrapped.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_types.h"
#include "events/personal.h"
#include "events/result.h"

namespace rocksdb {
class DB;
}

namespace pl {

// One key of one person.
struct VaultKey {
  std::string person_id;
  std::string key_id;  // 16 hex digits, random; empty for a key made before ids existed
  std::string key;     // 32 bytes
  // "<person_id>/<key_id>": the key's name in the store and on the key topic.
  std::string Name() const { return person_id + "/" + key_id; }
  // The person and key id a name gives (no key); nullopt for a name that is
  // not "<person_id>/<key_id>".
  static std::optional<VaultKey> FromName(std::string_view name) {
    const auto slash = name.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == name.size())
      return std::nullopt;
    return VaultKey{std::string(name.substr(0, slash)), std::string(name.substr(slash + 1)), {}};
  }
  bool operator==(const VaultKey&) const = default;
};

class PersonalVault {
 public:
  // `read_only`: an existing store, opened as it is (an offline tool's:
  // nothing written, not even RocksDB's recovery; the vault's writes fail).
  static Result<std::unique_ptr<PersonalVault>> Open(const std::string& path,
                                                     bool read_only = false);
  // A copy of a vault shared by instances that all hold `shared_secret`.
  // Refuses ("vault_secret_mismatch") a store made under another secret.
  static Result<std::unique_ptr<PersonalVault>> OpenShared(const std::string& path,
                                                           const std::string& shared_secret);
  ~PersonalVault();
  PersonalVault(const PersonalVault&) = delete;
  PersonalVault& operator=(const PersonalVault&) = delete;

  // The pseudonymous person id of a NIK (stable for this vault).
  std::string PersonId(const std::string& nik) const;
  // Seals `data` (one application's) under a new key of its person, added
  // to `staged`: the caller stores the staged keys (Store) before the sealed
  // data is written anywhere, or drops them.
  Result<SealedPersonal> Seal(const PersonalData& data, std::vector<VaultKey>& staged);
  // Stores keys (staged by Seal, or received from another instance); `sync`
  // makes them durable before returning. A destroyed key is skipped.
  Status Store(const std::vector<VaultKey>& keys, bool sync);
  // Holds keys in memory only, until Store stores them (or an erasure
  // destroys them): a shared vault's keys that its own processor committed,
  // usable at once while they travel the key topic to the store.
  void Hold(const std::vector<VaultKey>& keys);
  // Opens sealed data. Fails with code "erased" once its key was destroyed,
  // "key_unavailable" when a shared vault has not received its key yet.
  Result<PersonalData> Unseal(const SealedPersonal& sealed) const;
  // The keys of a person held here (stored, and with `held` those held in
  // memory too).
  Result<std::vector<VaultKey>> KeysOf(const std::string& person_id, bool held = true) const;
  // Every key held here, by name.
  Result<std::map<std::string, VaultKey>> AllKeys() const;
  // Destroys the person's keys (all of them, or the one named `key_id`).
  // Idempotent. A destroyed key is never stored again.
  Status Erase(const std::string& person_id);
  Status EraseKey(const std::string& person_id, const std::string& key_id);
  using KeyIds = std::vector<std::pair<std::string, std::string>>;  // person, key id
  // EraseKey for many keys at once (one write, one compaction).
  Status EraseKeys(const KeyIds& person_and_key_ids);
  // An erasure decided and not yet known to be on the log: the keys it is
  // to destroy, named (synced) before its append, so that a processor that
  // stops in between destroys exactly those once it finds the erasure on
  // the log, and none if it does not. `id` names the erasure event
  // ("<stream>/<seq>").
  Status AddPendingErasure(const std::string& id, const KeyIds& keys);
  Result<std::map<std::string, KeyIds>> PendingErasures() const;
  Status RemovePendingErasure(const std::string& id);
  // Whether the key `sealed` was sealed under has been destroyed.
  bool IsErased(const SealedPersonal& sealed) const;
  // The key `sealed` was sealed under ("<person_id>/<key_id>", no key); for
  // data sealed before key ids existed, a key id that names no key.
  static VaultKey KeyOf(const SealedPersonal& sealed);
  // Whether the key named `name` ("<person_id>/<key_id>") has been destroyed.
  bool IsErasedKey(const std::string& person_id, const std::string& key_id) const;
  // What became of the key an application's data was sealed under, as
  // stored here (keys only held in memory not counted): destroyed, stored,
  // or neither. Data sealed before key ids existed (the person's one key,
  // `k/<person>`) counts as stored while the person's key is.
  enum class KeyState { kStored, kDestroyed, kAbsent };
  KeyState StateOfKey(const std::string& person_id, const std::string& key_id) const;

  // Shared vaults only. A key as it travels on the key topic: sealed under
  // the wrapping key (derived from the shared secret).
  std::string Wrap(const VaultKey& key) const;
  // The key named `name` ("<person_id>/<key_id>") from its wrapped form;
  // "vault_secret_mismatch" when it was wrapped under another secret.
  Result<VaultKey> Unwrap(const std::string& name, const std::string& wrapped) const;
  // A fingerprint of the shared secret (16 hex digits): instances that hold
  // the same secret have the same one.
  std::string SecretFingerprint() const;

  // The vault as it is now, copied into the new directory `dir` (CopyStore):
  // between two of its changes, never in the middle of one.
  Status CopyTo(const std::string& dir) const;

 private:
  PersonalVault(std::unique_ptr<rocksdb::DB> db, std::string hmac_key, std::string wrap_key);
  static Result<std::unique_ptr<PersonalVault>> OpenStore(const std::string& path,
                                                          const std::string* derived_hmac,
                                                          std::string wrap_key,
                                                          bool read_only = false);
  std::optional<std::string> HeldKey(const std::string& person_id, const std::string& key_id) const;

  mutable std::mutex mu_;                 // orders Store, Hold and erasures
  std::map<std::string, VaultKey> held_;  // by name; guarded by mu_

  std::unique_ptr<rocksdb::DB> db_;
  std::string hmac_key_;
  std::string wrap_key_;  // empty for a vault of its own
};

}  // namespace pl
