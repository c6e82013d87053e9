#include "events/personal_vault.h"

#include <rocksdb/db.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>

#include "events/hex.h"
#include "events/store_copy.h"
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
std::string HmacSha256(const std::string& key, std::string_view message) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

const char kSecretKey[] = "s/hmac";
// A person's keys: "k/<person>/<key id>" (or "k/<person>", a key made
// before key ids existed); "e/<person>": the person was erased.
std::string PersonPrefix(const std::string& person) { return "k/" + person; }
std::string StoreKey(const std::string& person, const std::string& key_id) {
  return key_id.empty() ? PersonPrefix(person) : PersonPrefix(person) + "/" + key_id;
}
// "e/<person>": some key of the person was destroyed; "e/<person>/<key id>":
// that key was.
std::string ErasedKey(const std::string& id) { return "e/" + id; }
std::string ErasedKey(const std::string& person, const std::string& key_id) {
  return "e/" + person + "/" + key_id;
}
constexpr size_t kKeyIdBytes = 8;                    // the nonce's first bytes
std::string KeyIdBytes(const std::string& key_id) {  // 16 hex digits
  std::string raw;
  for (size_t i = 0; i + 1 < key_id.size(); i += 2)
    raw.push_back(static_cast<char>(std::stoi(key_id.substr(i, 2), nullptr, 16)));
  return raw;
}

// The person and key id of a store key under "k/".
std::optional<std::pair<std::string, std::string>> ParseStoreKey(std::string_view k) {
  if (!k.starts_with("k/")) return std::nullopt;
  k.remove_prefix(2);
  auto slash = k.find('/');
  if (slash == std::string_view::npos) return std::pair{std::string(k), std::string()};
  return std::pair{std::string(k.substr(0, slash)), std::string(k.substr(slash + 1))};
}

}  // namespace

Result<std::unique_ptr<PersonalVault>> PersonalVault::Open(const std::string& path,
                                                           bool read_only) {
  return OpenStore(path, nullptr, "", read_only);
}

Result<std::unique_ptr<PersonalVault>> PersonalVault::OpenShared(const std::string& path,
                                                                 const std::string& secret) {
  if (secret.size() < 16) return Status("invalid_argument", "the shared vault secret is too short");
  const std::string hmac = HmacSha256(secret, "permitledger vault: person ids");
  return OpenStore(path, &hmac, HmacSha256(secret, "permitledger vault: key wrapping"));
}

Result<std::unique_ptr<PersonalVault>> PersonalVault::OpenStore(const std::string& path,
                                                                const std::string* derived_hmac,
                                                                std::string wrap_key,
                                                                bool read_only) {
  if (sodium_init() < 0) return Status("crypto_unavailable", "libsodium failed to initialise");
  rocksdb::Options o = StoreOptions();
  rocksdb::DB* raw = nullptr;
  if (read_only) {
    o.create_if_missing = false;
    auto s = rocksdb::DB::OpenForReadOnly(o, path, &raw);
    if (!s.ok()) return Status("vault_unavailable", OpenFailure("the key store", path, s));
    std::unique_ptr<rocksdb::DB> db(raw);
    std::string secret;
    s = db->Get(rocksdb::ReadOptions(), kSecretKey, &secret);
    if (s.IsNotFound())
      secret = derived_hmac ? *derived_hmac : RandomBytes(32);
    else if (!s.ok())
      return Status("vault_unavailable", ReadFailure("the key store", s));
    return std::unique_ptr<PersonalVault>(
        new PersonalVault(std::move(db), std::move(secret), std::move(wrap_key)));
  }
  // The store holds the keys in the clear (and the secret of the person
  // ids): its folder is the owner's alone, whatever the umask made it.
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec)
    return Status("vault_unavailable", "cannot create the key store " + path + ": " + ec.message());
  // A folder of another owner (a mounted volume) cannot be changed: said,
  // not refused.
  if (fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec); ec)
    spdlog::warn(
        "the key store {} could not be made readable by its owner alone ({}): check "
        "that nobody else may read it",
        path, ec.message());
  auto s = rocksdb::DB::Open(o, path, &raw);
  if (!s.ok()) return Status("vault_unavailable", OpenFailure("the key store", path, s));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string secret;
  s = db->Get(rocksdb::ReadOptions(), kSecretKey, &secret);
  if (s.IsNotFound()) {
    secret = derived_hmac ? *derived_hmac : RandomBytes(32);
    s = db->Put(Synced(), kSecretKey, secret);
  } else if (s.ok() && derived_hmac && secret != *derived_hmac) {
    return Status("vault_secret_mismatch",
                  "the key store " + path +
                      " was made under another secret than this data directory's "
                      "server.secret (or by an embedded ledger), so its person ids would not "
                      "match the other instances'. Put back the server.secret it was made "
                      "with. (A copy of the shared vault can also be moved away: the instance "
                      "then fetches every key again from the cluster's key topic. A store made "
                      "by an embedded ledger holds keys found nowhere else: keep it.)");
  }
  if (!s.ok()) return Status("vault_unavailable", s.ToString());
  return std::unique_ptr<PersonalVault>(
      new PersonalVault(std::move(db), std::move(secret), std::move(wrap_key)));
}

PersonalVault::PersonalVault(std::unique_ptr<rocksdb::DB> db, std::string hmac_key,
                             std::string wrap_key)
    : db_(std::move(db)), hmac_key_(std::move(hmac_key)), wrap_key_(std::move(wrap_key)) {}
PersonalVault::~PersonalVault() = default;

Status PersonalVault::CopyTo(const std::string& dir) const {
  std::lock_guard lock(mu_);
  return CopyStore(*db_, dir, "the personal-data vault");
}

std::string PersonalVault::PersonId(const std::string& nik) const {
  // HMAC-SHA-256 with libsodium: OpenSSL's HMAC() looks up and sets up a
  // digest context on every call, and this runs once per application.
  const std::string mac = HmacSha256(hmac_key_, nik);
  return "person-" + Hex(reinterpret_cast<const unsigned char*>(mac.data()), 16);
}

Result<std::vector<VaultKey>> PersonalVault::KeysOf(const std::string& person_id, bool held) const {
  std::vector<VaultKey> keys;
  if (held) {
    std::lock_guard lock(mu_);
    for (auto it = held_.lower_bound(person_id + "/");
         it != held_.end() && it->second.person_id == person_id; ++it)
      keys.push_back(it->second);
  }
  const std::string prefix = PersonPrefix(person_id);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto parsed = ParseStoreKey(it->key().ToStringView());
    if (!parsed || parsed->first != person_id) continue;
    keys.push_back({person_id, parsed->second, it->value().ToString()});
  }
  if (!it->status().ok()) return Status("vault_unavailable", it->status().ToString());
  return keys;
}

Result<std::map<std::string, VaultKey>> PersonalVault::AllKeys() const {
  std::map<std::string, VaultKey> keys;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("k/"); it->Valid() && it->key().starts_with("k/"); it->Next()) {
    auto parsed = ParseStoreKey(it->key().ToStringView());
    if (!parsed) continue;
    VaultKey k{parsed->first, parsed->second, it->value().ToString()};
    keys.emplace(k.Name(), std::move(k));
  }
  if (!it->status().ok()) return Status("vault_unavailable", it->status().ToString());
  return keys;
}

Result<SealedPersonal> PersonalVault::Seal(const PersonalData& data,
                                           std::vector<VaultKey>& staged) {
  std::string id = PersonId(data.nik);
  // A key of its own for each application: never one held already, which
  // an erasure (here, or decided by another instance and on its way) may be
  // destroying, and never one another application shares, so that its
  // applicant's erasure reaches it alone.
  staged.push_back({id, std::string(), RandomBytes(crypto_secretbox_KEYBYTES)});
  auto it = staged.end() - 1;
  const std::string raw_id = RandomBytes(kKeyIdBytes);
  it->key_id = Hex(reinterpret_cast<const unsigned char*>(raw_id.data()), kKeyIdBytes);
  // nonce = the key's id (8 bytes) ‖ 16 random bytes.
  std::string out = KeyIdBytes(it->key_id) + RandomBytes(crypto_secretbox_NONCEBYTES - kKeyIdBytes);
  std::string plain = EncodePersonal(data);
  out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(out.data()) + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                        reinterpret_cast<const unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(it->key.data()));
  sodium_memzero(plain.data(), plain.size());
  return SealedPersonal{id, std::move(out)};
}

void PersonalVault::Hold(const std::vector<VaultKey>& keys) {
  std::lock_guard lock(mu_);
  std::string v;
  for (const auto& k : keys) {
    // Not when the follower stored it already (it is then never dropped).
    if (IsErasedKey(k.person_id, k.key_id) ||
        db_->Get(rocksdb::ReadOptions(), StoreKey(k.person_id, k.key_id), &v).ok())
      continue;
    held_.emplace(k.Name(), k);
  }
}

std::optional<std::string> PersonalVault::HeldKey(const std::string& person_id,
                                                  const std::string& key_id) const {
  std::lock_guard lock(mu_);
  auto it = held_.find(person_id + "/" + key_id);
  if (it == held_.end()) return std::nullopt;
  return it->second.key;
}

Status PersonalVault::Store(const std::vector<VaultKey>& keys, bool sync) {
  std::lock_guard lock(mu_);
  rocksdb::WriteBatch b;
  for (const auto& k : keys) {
    held_.erase(k.Name());
    // A destroyed key is not brought back (a copy of it still on its way).
    if (!k.key_id.empty() && IsErasedKey(k.person_id, k.key_id)) continue;
    b.Put(StoreKey(k.person_id, k.key_id), k.key);
  }
  if (b.Count() == 0) return Status::Ok();
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  auto s = db_->Write(wo, &b);
  if (!s.ok()) return Status("vault_unavailable", "cannot store keys: " + s.ToString());
  return Status::Ok();
}

namespace {

// The key id a seal names in its nonce.
std::string SealKeyId(const SealedPersonal& sealed) {
  if (sealed.ciphertext.size() < kKeyIdBytes) return std::string();
  return Hex(reinterpret_cast<const unsigned char*>(sealed.ciphertext.data()), kKeyIdBytes);
}

std::optional<PersonalData> OpenSealed(const SealedPersonal& sealed, const std::string& key) {
  const size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  std::string plain(sealed.ciphertext.size() - overhead, '\0');
  const auto* c = reinterpret_cast<const unsigned char*>(sealed.ciphertext.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 c + crypto_secretbox_NONCEBYTES,
                                 sealed.ciphertext.size() - crypto_secretbox_NONCEBYTES, c,
                                 reinterpret_cast<const unsigned char*>(key.data())) != 0)
    return std::nullopt;
  auto data = DecodePersonal(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!data.ok()) return std::nullopt;
  return std::move(*data);
}

}  // namespace

Result<PersonalData> PersonalVault::Unseal(const SealedPersonal& sealed) const {
  auto erased = [&] {
    return Status("erased", "the personal data of " + sealed.person_id + " has been erased");
  };
  if (sealed.ciphertext.empty()) return erased();  // dropped by the permit's erasure
  if (sealed.ciphertext.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return Status("corrupt_personal_data", "sealed personal data is too short");
  // The key its nonce names.
  const std::string key_id = SealKeyId(sealed);
  std::string key;
  auto s = db_->Get(rocksdb::ReadOptions(), StoreKey(sealed.person_id, key_id), &key);
  if (!s.ok() && !s.IsNotFound()) return Status("vault_unavailable", s.ToString());
  if (s.IsNotFound()) {
    if (auto held = HeldKey(sealed.person_id, key_id)) {
      key = std::move(*held);
      s = rocksdb::Status::OK();
    }
  }
  if (s.ok()) {
    if (auto data = OpenSealed(sealed, key)) return std::move(*data);
    return Status("corrupt_personal_data", "sealed personal data failed authentication");
  }
  if (IsErasedKey(sealed.person_id, key_id)) return erased();
  // Sealed before key ids existed: one of the person's keys, if any.
  auto keys = KeysOf(sealed.person_id);
  if (!keys.ok()) return keys.status();
  for (const auto& k : *keys)
    if (auto data = OpenSealed(sealed, k.key)) return std::move(*data);
  // A shared vault has not received its key yet (it holds no data sealed
  // before key ids existed).
  if (!wrap_key_.empty())
    return Status("key_unavailable",
                  "the key of " + sealed.person_id + " has not reached this instance yet");
  if (IsErased(sealed) || keys->empty()) return erased();
  return Status("corrupt_personal_data", "sealed personal data failed authentication");
}

Status PersonalVault::Erase(const std::string& person_id) {
  auto keys = KeysOf(person_id);
  if (!keys.ok()) return keys.status();
  std::vector<std::pair<std::string, std::string>> ids;
  for (const auto& k : *keys) ids.emplace_back(person_id, k.key_id);
  if (ids.empty()) ids.emplace_back(person_id, std::string());  // marks the person all the same
  return EraseKeys(ids);
}

// "p/<stream>/<seq>": a pending erasure, its keys as "<person>/<key id>" lines.
Status PersonalVault::AddPendingErasure(const std::string& id, const KeyIds& keys) {
  std::string v;
  for (const auto& [person, key] : keys) v += person + "/" + key + "\n";
  auto s = db_->Put(Synced(), "p/" + id, v);
  return s.ok() ? Status::Ok() : Status("vault_unavailable", s.ToString());
}

Result<std::map<std::string, PersonalVault::KeyIds>> PersonalVault::PendingErasures() const {
  std::map<std::string, KeyIds> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("p/"); it->Valid() && it->key().starts_with("p/"); it->Next()) {
    KeyIds& keys = out[std::string(it->key().ToStringView().substr(2))];
    std::string_view v = it->value().ToStringView();
    for (size_t nl; (nl = v.find('\n')) != std::string_view::npos; v.remove_prefix(nl + 1)) {
      std::string_view line = v.substr(0, nl);
      const size_t slash = line.find('/');
      if (slash == std::string_view::npos) continue;
      keys.emplace_back(std::string(line.substr(0, slash)), std::string(line.substr(slash + 1)));
    }
  }
  if (!it->status().ok()) return Status("vault_unavailable", it->status().ToString());
  return out;
}

Status PersonalVault::RemovePendingErasure(const std::string& id) {
  auto s = db_->Delete(Synced(), "p/" + id);
  return s.ok() ? Status::Ok() : Status("vault_unavailable", s.ToString());
}

Status PersonalVault::EraseKey(const std::string& person_id, const std::string& key_id) {
  return EraseKeys({{person_id, key_id}});
}

Status PersonalVault::EraseKeys(const KeyIds& ids) {
  if (ids.empty()) return Status::Ok();
  {
    std::lock_guard lock(mu_);
    rocksdb::WriteBatch b;
    for (const auto& [person, id] : ids) {
      held_.erase(person + "/" + id);
      b.Delete(StoreKey(person, id));
      if (!id.empty()) b.Put(ErasedKey(person, id), "");
      b.Put(ErasedKey(person), "");
    }
    auto s = db_->Write(Synced(), &b);
    if (!s.ok()) return Status("vault_unavailable", s.ToString());
  }
  // Compact so that no SST file or WAL segment keeps a destroyed key (the
  // persons' own ranges, outside the lock).
  db_->Flush(rocksdb::FlushOptions());
  std::set<std::string> people;
  for (const auto& [person, id] : ids) people.insert(person);
  for (const auto& person : people) {
    std::string begin = PersonPrefix(person), end = PersonPrefix(person) + '\xff';
    rocksdb::Slice b1(begin), e1(end);
    db_->CompactRange(rocksdb::CompactRangeOptions(), &b1, &e1);
  }
  return Status::Ok();
}

bool PersonalVault::IsErasedKey(const std::string& person_id, const std::string& key_id) const {
  std::string v;
  return db_->Get(rocksdb::ReadOptions(), ErasedKey(person_id, key_id), &v).ok();
}

PersonalVault::KeyState PersonalVault::StateOfKey(const std::string& person_id,
                                                  const std::string& key_id) const {
  if (IsErasedKey(person_id, key_id)) return KeyState::kDestroyed;
  std::string v;
  for (const std::string& id : {key_id, std::string()})
    if (db_->Get(rocksdb::ReadOptions(), StoreKey(person_id, id), &v).ok())
      return KeyState::kStored;
  return KeyState::kAbsent;
}

VaultKey PersonalVault::KeyOf(const SealedPersonal& sealed) {
  return VaultKey{sealed.person_id, SealKeyId(sealed), {}};
}

bool PersonalVault::IsErased(const SealedPersonal& sealed) const {
  if (sealed.ciphertext.empty()) return true;  // dropped by the permit's erasure
  const std::string key_id = SealKeyId(sealed);
  if (IsErasedKey(sealed.person_id, key_id)) return true;
  if (!wrap_key_.empty()) return false;  // its key held, or on its way
  std::string v;
  if (db_->Get(rocksdb::ReadOptions(), StoreKey(sealed.person_id, key_id), &v).ok()) return false;
  // Sealed before key ids existed (its nonce names no key): erased when the
  // person was and none of the person's keys left opens it.
  if (!db_->Get(rocksdb::ReadOptions(), ErasedKey(sealed.person_id), &v).ok()) return false;
  auto keys = KeysOf(sealed.person_id);
  if (!keys.ok()) return false;
  for (const auto& k : *keys)
    if (OpenSealed(sealed, k.key)) return false;
  return true;
}

std::string PersonalVault::Wrap(const VaultKey& key) const {
  // XChaCha20-Poly1305 with the key's name as associated data: a wrapped
  // key opens only under the name it was written with.
  const std::string name = key.Name();
  std::string out = RandomBytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  out.resize(out.size() + key.key.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
      &len, reinterpret_cast<const unsigned char*>(key.key.data()), key.key.size(),
      reinterpret_cast<const unsigned char*>(name.data()), name.size(), nullptr,
      reinterpret_cast<const unsigned char*>(out.data()),
      reinterpret_cast<const unsigned char*>(wrap_key_.data()));
  return out;
}

Result<VaultKey> PersonalVault::Unwrap(const std::string& name, const std::string& wrapped) const {
  auto named = VaultKey::FromName(name);
  if (!named || wrapped.size() < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                                     crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return Status("corrupt_key", "the key record " + name + " is malformed");
  const size_t n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  VaultKey& k = *named;
  k.key.resize(wrapped.size() - n - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(k.key.data()), &len, nullptr,
          reinterpret_cast<const unsigned char*>(wrapped.data()) + n, wrapped.size() - n,
          reinterpret_cast<const unsigned char*>(name.data()), name.size(),
          reinterpret_cast<const unsigned char*>(wrapped.data()),
          reinterpret_cast<const unsigned char*>(wrap_key_.data())) != 0)
    return Status("vault_secret_mismatch",
                  "the key " + name +
                      " was wrapped under another secret: this instance's server.secret differs "
                      "from the other instances' (copy theirs into the data directory)");
  return k;
}

std::string PersonalVault::SecretFingerprint() const {
  unsigned char out[8];
  const std::string label = "permitledger vault: fingerprint";
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), reinterpret_cast<const unsigned char*>(wrap_key_.data()),
                     wrap_key_.size());
  return Hex(out, sizeof out);
}

}  // namespace pl
