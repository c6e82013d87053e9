// PersonalVault: the key store beside the ledger that makes erasure possible
// on an immutable log (crypto-shredding). Each person (identified by a
// pseudonym derived from the NIK with a secret HMAC key) has a random 256-bit
// key; personal data is sealed with XSalsa20-Poly1305 (libsodium secretbox)
// before it reaches the log. Erasing a person destroys the key and compacts
// it away: every copy of the ciphertext becomes unreadable, while hashes over
// the ciphertext still verify.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "events/event_types.h"
#include "events/personal.h"
#include "events/result.h"

namespace rocksdb {
class DB;
}

namespace pl {

class PersonalVault {
 public:
  static Result<std::unique_ptr<PersonalVault>> Open(const std::string& path);
  ~PersonalVault();
  PersonalVault(const PersonalVault&) = delete;
  PersonalVault& operator=(const PersonalVault&) = delete;

  // The pseudonymous person id of a NIK (stable for this vault).
  std::string PersonId(const std::string& nik) const;
  // Seals `data` under the key of its person, creating the key on first use.
  // A key created here is durable only after Sync(): call it before the
  // sealed data is made durable anywhere (the processor does, once a batch).
  Result<SealedPersonal> Seal(const PersonalData& data);
  // Makes every key created so far durable (one fsync), if any is pending.
  Status Sync();
  // Opens sealed data. Fails with code "erased" once the person was erased.
  Result<PersonalData> Unseal(const SealedPersonal& sealed) const;
  // Destroys the person's key. Idempotent.
  Status Erase(const std::string& person_id);
  bool IsErased(const std::string& person_id) const;

 private:
  PersonalVault(std::unique_ptr<rocksdb::DB> db, std::string hmac_key);
  Result<std::string> KeyFor(const std::string& person_id, bool create);

  std::unique_ptr<rocksdb::DB> db_;
  std::string hmac_key_;
  std::mutex create_mu_;  // serializes key creation
  std::atomic<bool> unsynced_{false};
};

}  // namespace pl
