#include "events/personal_vault.h"

#include <rocksdb/db.h>
#include <sodium.h>

#include "events/hex.h"
#include "events/store_options.h"

namespace pl {
namespace {

std::string RandomBytes(size_t n) {
  std::string s(n, '\0');
  randombytes_buf(s.data(), n);
  return s;
}
rocksdb::WriteOptions Synced() {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return wo;
}
const char kSecretKey[] = "s/hmac";
std::string PersonKey(const std::string& id) { return "k/" + id; }
std::string ErasedKey(const std::string& id) { return "e/" + id; }

}  // namespace

Result<std::unique_ptr<PersonalVault>> PersonalVault::Open(const std::string& path) {
  if (sodium_init() < 0) return Status("crypto_unavailable", "libsodium failed to initialise");
  rocksdb::Options o = StoreOptions();
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(o, path, &raw);
  if (!s.ok()) return Status("vault_unavailable", OpenFailure("the key store", path, s));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string secret;
  s = db->Get(rocksdb::ReadOptions(), kSecretKey, &secret);
  if (s.IsNotFound()) {
    secret = RandomBytes(32);
    s = db->Put(Synced(), kSecretKey, secret);
  }
  if (!s.ok()) return Status("vault_unavailable", s.ToString());
  return std::unique_ptr<PersonalVault>(new PersonalVault(std::move(db), std::move(secret)));
}

PersonalVault::PersonalVault(std::unique_ptr<rocksdb::DB> db, std::string hmac_key)
    : db_(std::move(db)), hmac_key_(std::move(hmac_key)) {}
PersonalVault::~PersonalVault() = default;

std::string PersonalVault::PersonId(const std::string& nik) const {
  // HMAC-SHA-256 with libsodium: OpenSSL's HMAC() looks up and sets up a
  // digest context on every call, and this runs once per application.
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(hmac_key_.data()),
                              hmac_key_.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(nik.data()),
                                nik.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return "person-" + Hex(mac, 16);
}

Result<std::string> PersonalVault::KeyFor(const std::string& person_id, bool create) {
  std::string key;
  // Creating takes the lock first: one look-up, and no two keys for a person.
  std::unique_lock<std::mutex> lock;
  if (create) lock = std::unique_lock(create_mu_);
  auto s = db_->Get(rocksdb::ReadOptions(), PersonKey(person_id), &key);
  if (s.ok()) return key;
  if (!s.IsNotFound()) return Status("vault_unavailable", s.ToString());
  if (!create) return Status("erased", "the personal data of " + person_id + " has been erased");
  // A person who was erased and applies again gets a fresh key: what was
  // sealed under the destroyed key stays unreadable.
  key = RandomBytes(crypto_secretbox_KEYBYTES);
  s = db_->Put(rocksdb::WriteOptions(), PersonKey(person_id), key);
  if (!s.ok()) return Status("vault_unavailable", s.ToString());
  unsynced_ = true;
  return key;
}

Result<SealedPersonal> PersonalVault::Seal(const PersonalData& data) {
  std::string id = PersonId(data.nik);
  auto key = KeyFor(id, /*create=*/true);
  if (!key.ok()) return key.status();
  std::string plain = EncodePersonal(data);
  std::string out = RandomBytes(crypto_secretbox_NONCEBYTES);
  out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(out.data()) + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                        reinterpret_cast<const unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(key->data()));
  sodium_memzero(plain.data(), plain.size());
  return SealedPersonal{id, std::move(out)};
}

Result<PersonalData> PersonalVault::Unseal(const SealedPersonal& sealed) const {
  std::string key;
  auto s = db_->Get(rocksdb::ReadOptions(), PersonKey(sealed.person_id), &key);
  if (s.IsNotFound())
    return Status("erased", "the personal data of " + sealed.person_id + " has been erased");
  if (!s.ok()) return Status("vault_unavailable", s.ToString());
  const size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.ciphertext.size() < overhead)
    return Status("corrupt_personal_data", "sealed personal data is too short");
  std::string plain(sealed.ciphertext.size() - overhead, '\0');
  const auto* c = reinterpret_cast<const unsigned char*>(sealed.ciphertext.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 c + crypto_secretbox_NONCEBYTES,
                                 sealed.ciphertext.size() - crypto_secretbox_NONCEBYTES, c,
                                 reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    if (IsErased(sealed.person_id))  // sealed under a key destroyed since
      return Status("erased", "the personal data of " + sealed.person_id + " has been erased");
    return Status("corrupt_personal_data", "sealed personal data failed authentication");
  }
  return DecodePersonal(plain);
}

Status PersonalVault::Erase(const std::string& person_id) {
  rocksdb::WriteBatch b;
  b.Delete(PersonKey(person_id));
  b.Put(ErasedKey(person_id), "");
  auto wo = Synced();
  auto s = db_->Write(wo, &b);
  if (!s.ok()) return Status("vault_unavailable", s.ToString());
  // Compact so that no SST file or WAL segment keeps the destroyed key.
  std::string begin = PersonKey(person_id), end = PersonKey(person_id) + '\xff';
  rocksdb::Slice b1(begin), e1(end);
  db_->Flush(rocksdb::FlushOptions());
  db_->CompactRange(rocksdb::CompactRangeOptions(), &b1, &e1);
  return Status::Ok();
}

Status PersonalVault::Sync() {
  if (!unsynced_.exchange(false)) return Status::Ok();
  auto s = db_->SyncWAL();
  if (!s.ok()) {
    unsynced_ = true;
    return Status("vault_unavailable", "cannot make the key store durable: " + s.ToString());
  }
  return Status::Ok();
}

bool PersonalVault::IsErased(const std::string& person_id) const {
  std::string v;
  return db_->Get(rocksdb::ReadOptions(), ErasedKey(person_id), &v).ok();
}

}  // namespace pl
