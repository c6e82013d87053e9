// The personal-data vault: keys staged until stored, several keys for one
// person, the shared vault's derived secrets, wrapping for the key topic.
#include "events/personal_vault.h"

#include <gtest/gtest.h>

#include "events/vault_share.h"
#include "tests/scratch.h"

namespace pl {
namespace {

PersonalData Person(const std::string& nik) {
  return {nik, "Sari Wulandari", "Jl. Mawar 1", "0812", "3174050101010001", ""};
}

std::unique_ptr<PersonalVault> Shared(const std::string& name, const std::string& secret) {
  auto v = PersonalVault::OpenShared(scratch::ScratchDir(name), secret);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? std::move(*v) : nullptr;
}

TEST(PersonalVault, StagedKeysAreStoredOnlyWhenAsked) {
  auto v = PersonalVault::Open(scratch::ScratchDir("vault-staged"));
  ASSERT_TRUE(v.ok());
  std::vector<VaultKey> staged;
  auto a = (*v)->Seal(Person("3174050000000001"), staged);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(staged.size(), 1u);
  EXPECT_EQ(staged[0].person_id, a->person_id);
  // The same person's second application in the batch: a key of its own,
  // so that erasing one application leaves the other readable.
  auto again = (*v)->Seal(Person("3174050000000001"), staged);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(staged.size(), 2u);
  EXPECT_EQ(staged[1].person_id, a->person_id);
  EXPECT_NE(staged[1].key_id, staged[0].key_id);
  EXPECT_EQ(PersonalVault::KeyOf(*a).Name(), staged[0].Name());
  EXPECT_EQ(PersonalVault::KeyOf(*again).Name(), staged[1].Name());
  EXPECT_FALSE((*v)->Unseal(*a).ok());  // not stored yet
  ASSERT_TRUE((*v)->Store(staged, true).ok());
  auto opened = (*v)->Unseal(*again);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->name, "Sari Wulandari");
  // A later batch gets a key of its own (never one an erasure may be
  // destroying); both open.
  std::vector<VaultKey> later;
  auto b = (*v)->Seal(Person("3174050000000001"), later);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(later.size(), 1u);
  EXPECT_NE(later[0].key_id, staged[0].key_id);
  ASSERT_TRUE((*v)->Store(later, true).ok());
  EXPECT_TRUE((*v)->Unseal(*a).ok());
  EXPECT_TRUE((*v)->Unseal(*b).ok());
  ASSERT_TRUE((*v)->Erase(a->person_id).ok());
  EXPECT_EQ((*v)->Unseal(*a).status().code(), "erased");
  EXPECT_EQ((*v)->Unseal(*b).status().code(), "erased");
}

// A person erased, who applies again: the new data is not "erased" where its
// key has not arrived yet, and a late copy of a destroyed key stays out.
TEST(PersonalVault, ErasureIsPerKeyAndADestroyedKeyIsNeverStoredAgain) {
  auto v = PersonalVault::OpenShared(scratch::ScratchDir("vault-per-key"),
                                     "a secret every instance holds");
  ASSERT_TRUE(v.ok());
  std::vector<VaultKey> first, second;
  auto old_data = (*v)->Seal(Person("3174050000000001"), first);
  ASSERT_TRUE(old_data.ok());
  ASSERT_TRUE((*v)->Store(first, false).ok());
  ASSERT_TRUE((*v)->Erase(old_data->person_id).ok());
  auto new_data = (*v)->Seal(Person("3174050000000001"), second);  // another instance's
  ASSERT_TRUE(new_data.ok());
  EXPECT_TRUE((*v)->IsErased(*old_data));
  EXPECT_FALSE((*v)->IsErased(*new_data));
  EXPECT_EQ((*v)->Unseal(*old_data).status().code(), "erased");
  EXPECT_EQ((*v)->Unseal(*new_data).status().code(), "key_unavailable");
  ASSERT_TRUE((*v)->Store(first, false).ok());  // a late copy of the destroyed key
  EXPECT_EQ((*v)->Unseal(*old_data).status().code(), "erased");
  ASSERT_TRUE((*v)->Store(second, false).ok());
  EXPECT_TRUE((*v)->Unseal(*new_data).ok());
  EXPECT_EQ((*v)->KeysOf(new_data->person_id)->size(), 1u);
}

TEST(PersonalVault, SharedCopiesAgreeOnPersonsAndOpenEachOthersKeys) {
  auto a = Shared("vault-shared-a", "a secret every instance holds");
  auto b = Shared("vault-shared-b", "a secret every instance holds");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->PersonId("3174050000000001"), b->PersonId("3174050000000001"));
  EXPECT_EQ(a->SecretFingerprint(), b->SecretFingerprint());

  // Both make a key for the same new person at once (two instances, two
  // partitions): each copy ends up with both, and each opens both seals.
  std::vector<VaultKey> ka, kb;
  auto sa = a->Seal(Person("3174050000000001"), ka);
  auto sb = b->Seal(Person("3174050000000001"), kb);
  ASSERT_TRUE(sa.ok() && sb.ok());
  ASSERT_EQ(ka.size(), 1u);
  ASSERT_EQ(kb.size(), 1u);
  EXPECT_NE(ka[0].key_id, kb[0].key_id);
  EXPECT_EQ(b->Unseal(*sa).status().code(), "key_unavailable");  // not arrived yet
  for (auto* v : {a.get(), b.get()}) {
    for (const auto& staged : {ka, kb}) {
      auto records = KeyTopicRecords(*a, staged, {});  // through the key topic
      ASSERT_TRUE(records.ok());
      for (const auto& rec : *records) {
        auto k = v->Unwrap(rec.name, rec.value);
        ASSERT_TRUE(k.ok()) << k.status().ToString();
        ASSERT_TRUE(v->Store({*k}, false).ok());
      }
    }
    EXPECT_TRUE(v->Unseal(*sa).ok());
    EXPECT_TRUE(v->Unseal(*sb).ok());
    EXPECT_EQ(v->KeysOf(sa->person_id)->size(), 2u);
  }

  // An erasure's tombstones name every key of the person; erasing destroys
  // them all.
  auto records = KeyTopicRecords(*a, {}, {sa->person_id});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_TRUE((*records)[0].value.empty());
  EXPECT_TRUE((*records)[1].value.empty());
  EXPECT_EQ((*records)[2].name, "erase/" + sa->person_id);  // after the tombstones
  // A re-application of the erased person in the same batch: its new key
  // comes after the erasure record, which destroys only what precedes it.
  std::vector<VaultKey> again;
  ASSERT_TRUE(a->Seal(Person("3174050000000001"), again).ok());
  auto with_new = KeyTopicRecords(*a, again, {sa->person_id});
  ASSERT_TRUE(with_new.ok());
  ASSERT_EQ(with_new->size(), 4u);
  EXPECT_EQ((*with_new)[2].name, "erase/" + sa->person_id);
  EXPECT_EQ((*with_new)[3].name, again[0].Name());
  EXPECT_FALSE((*with_new)[3].value.empty());
  ASSERT_TRUE(a->Erase(sa->person_id).ok());
  EXPECT_EQ(a->Unseal(*sa).status().code(), "erased");
  EXPECT_EQ(a->Unseal(*sb).status().code(), "erased");
  EXPECT_TRUE(a->IsErased(*sa));
  // One key destroyed by its tombstone: the other still opens its seal.
  ASSERT_TRUE(b->EraseKey(kb[0].person_id, kb[0].key_id).ok());
  EXPECT_TRUE(b->Unseal(*sa).ok());
  EXPECT_EQ(b->Unseal(*sb).status().code(), "erased");
}

// The keys a shared vault's own processor committed are held in memory
// until its follower stores them from the key topic; an erasure destroys
// them either way, and a store after it does not bring them back.
TEST(PersonalVault, HeldKeysOpenUntilStoredAndDieWithTheirPerson) {
  auto v = Shared("vault-held", "a secret every instance holds");
  ASSERT_TRUE(v);
  std::vector<VaultKey> batch;
  auto sealed = v->Seal(Person("3174050000000009"), batch);
  ASSERT_TRUE(sealed.ok());
  v->Hold(batch);
  EXPECT_TRUE(v->Unseal(*sealed).ok());
  EXPECT_EQ(v->KeysOf(sealed->person_id)->size(), 1u);
  EXPECT_TRUE(v->KeysOf(sealed->person_id, /*held=*/false)->empty());
  ASSERT_TRUE(v->Store(batch, false).ok());  // the follower's copy
  EXPECT_EQ(v->KeysOf(sealed->person_id, /*held=*/false)->size(), 1u);
  EXPECT_EQ(v->KeysOf(sealed->person_id)->size(), 1u);
  v->Hold(batch);  // the follower was first: nothing left in memory
  EXPECT_EQ(v->KeysOf(sealed->person_id)->size(), 1u);

  std::vector<VaultKey> later;
  auto again = v->Seal(Person("3174050000000009"), later);
  ASSERT_TRUE(again.ok());
  v->Hold(later);
  ASSERT_TRUE(v->Erase(sealed->person_id).ok());
  EXPECT_EQ(v->Unseal(*sealed).status().code(), "erased");
  EXPECT_EQ(v->Unseal(*again).status().code(), "erased");
  ASSERT_TRUE(v->Store(later, false).ok());  // a late copy from the topic
  EXPECT_EQ(v->Unseal(*again).status().code(), "erased");
  EXPECT_TRUE(v->KeysOf(sealed->person_id)->empty());
}

TEST(PersonalVault, WrappedKeysOpenOnlyUnderTheirSecretAndName) {
  auto a = Shared("vault-wrap-a", "the cluster's secret");
  auto other = Shared("vault-wrap-b", "another secret of a cluster");
  ASSERT_TRUE(a && other);
  EXPECT_NE(a->SecretFingerprint(), other->SecretFingerprint());
  std::vector<VaultKey> staged;
  ASSERT_TRUE(a->Seal(Person("3174050000000001"), staged).ok());
  const VaultKey& k = staged.at(0);
  const std::string wrapped = a->Wrap(k);
  EXPECT_EQ(wrapped.find(k.key), std::string::npos);
  auto back = a->Unwrap(k.Name(), wrapped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, k);
  EXPECT_EQ(other->Unwrap(k.Name(), wrapped).status().code(), "vault_secret_mismatch");
  // Bound to its name: it does not open as another person's key.
  EXPECT_FALSE(a->Unwrap("person-0000/" + k.key_id, wrapped).ok());
  EXPECT_FALSE(a->Unwrap("no-slash", wrapped).ok());
}

TEST(PersonalVault, SharedOpenRefusesAStoreMadeUnderAnotherSecret) {
  const std::string own = scratch::ScratchDir("vault-own");
  ASSERT_TRUE(PersonalVault::Open(own).ok());
  auto refused = PersonalVault::OpenShared(own, "a secret every instance holds");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "vault_secret_mismatch");

  const std::string shared = scratch::ScratchDir("vault-shared-once");
  ASSERT_TRUE(PersonalVault::OpenShared(shared, "the first secret of the cluster").ok());
  EXPECT_TRUE(PersonalVault::OpenShared(shared, "the first secret of the cluster").ok());
  EXPECT_EQ(PersonalVault::OpenShared(shared, "a second secret of the cluster").status().code(),
            "vault_secret_mismatch");
}

}  // namespace
}  // namespace pl
