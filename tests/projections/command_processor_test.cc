// The embedded command processor's erasures: a person's keys are destroyed
// only once the erasure is on the log, exactly the keys the erasure named,
// and at the latest when a processor next works on that log.
#include "projections/command_processor.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <fstream>
#include <future>
#include <sstream>

#include "events/binary_archive.h"
#include "events/embedded_log.h"
#include "events/personal_vault.h"
#include "gateways/ledger.h"
#include "gateways/shipped_charter.h"
#include "projections/outcome_codec.h"
#include "tests/scratch.h"

namespace pl {
namespace {

// The real embedded log, whose appends can be made to fail: before they
// are written, or after (written and durable, as when the process dies
// before it learns so).
class FaultyLog final : public EventLog {
 public:
  enum class Fault { kNone, kBefore, kAfter };
  explicit FaultyLog(EventLog& log) : log_(log) {}
  Fault fault = Fault::kNone;

  int32_t partitions() const override { return log_.partitions(); }
  Result<std::vector<Offset>> Append(std::span<const AppendRecord> records) override {
    if (fault == Fault::kBefore) return Status("unavailable", "injected: nothing appended");
    auto appended = log_.Append(records);
    if (fault == Fault::kAfter && appended.ok())
      return Status("unavailable", "injected: appended, then the answer lost");
    return appended;
  }
  Result<std::vector<LogRecord>> Read(PartitionId p, Offset from, size_t max) override {
    return log_.Read(p, from, max);
  }
  Result<Offset> EndOffset(PartitionId p) override { return log_.EndOffset(p); }
  bool WaitFor(PartitionId p, Offset from, std::chrono::milliseconds timeout) override {
    return log_.WaitFor(p, from, timeout);
  }

 private:
  EventLog& log_;
};

Outcome Decide(CommandProcessor& p, Command cmd) {
  std::promise<Outcome> done;
  p.Submit(std::move(cmd), [&](Outcome o) { done.set_value(std::move(o)); });
  return done.get_future().get();
}

Command Cmd(const std::string& id, const StreamId& stream, Actor actor, Action action) {
  Command c;
  c.id = CommandId(id);
  c.stream = stream;
  c.actor = std::move(actor);
  c.action = std::move(action);
  return c;
}

// A processor whose state store is `dir`/state; null (and a failure) if it
// does not open.
std::unique_ptr<CommandProcessor> OpenProcessor(EventLog& log, PersonalVault& vault,
                                                const std::string& dir) {
  ProcessorOptions options;
  options.state_path = dir + "/state";
  auto p = CommandProcessor::Open(log, vault, options);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(*p) : nullptr;
}

const Actor kAdmin{"admin", "admin", ""};

Outcome AdoptDefaultCharter(CommandProcessor& p) {
  return Decide(
      p, Cmd("charter", kGovernanceStream, kAdmin, AdoptCharter{std::string(ShippedCharter())}));
}

// A complete application of the charter's first kelurahan.
SubmitApplication Application(const CommandProcessor& p) {
  SubmitApplication s;
  s.kelurahan = p.governance()->charter->kelurahan.front().code;
  s.personal = {"3174010101900001", "Sari Rahayu", "Jl. Mawar 1", "081234567890", "", ""};
  s.business = {"Warung Bu Sari", "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  s.documents = p.governance()->charter->required_documents;
  s.tracking_hash = "tracking-hash";
  return s;
}

TEST(CommandProcessor, AnErasureDestroysKeysOnlyOnceOnTheLogAndAtTheLatestOnReopening) {
  const std::string dir = scratch::ScratchDir("erasure-order");
  auto log = EmbeddedLog::Open({dir + "/log"});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto vault = PersonalVault::Open(dir + "/keys");
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  FaultyLog faulty(**log);
  auto open = [&] { return OpenProcessor(faulty, **vault, dir); };
  auto processor = open();
  ASSERT_TRUE(processor);

  ASSERT_TRUE(AdoptDefaultCharter(*processor).error.ok());
  const StreamId permit("PERASE0000001");
  const Actor applicant{"applicant", "applicant", permit.str()};
  SubmitApplication s = Application(*processor);
  Outcome submitted = Decide(*processor, Cmd("apply", permit, applicant, s));
  ASSERT_TRUE(submitted.error.ok() && !submitted.refusal)
      << (submitted.refusal ? submitted.refusal->message : submitted.error.ToString());
  const SealedPersonal sealed = processor->State(permit)->applicant;
  ASSERT_TRUE((*vault)->Unseal(sealed).ok());
  // An applicant ends an application before erasing it.
  ASSERT_FALSE(
      Decide(*processor, Cmd("withdraw", permit, applicant, Withdraw{"ganti usaha"})).refusal);

  // The append fails: the erasure is not acknowledged, and changes nothing.
  faulty.fault = FaultyLog::Fault::kBefore;
  Outcome failed = Decide(*processor, Cmd("erase", permit, applicant, ErasePersonalData{}));
  EXPECT_EQ(failed.error.code(), "unavailable");
  EXPECT_TRUE((*vault)->Unseal(sealed).ok()) << "a failed erasure destroyed the keys";

  // The append is durable but its answer is lost (as in a crash between the
  // append and the keys' destruction). The person then applies again, for
  // another business: that batch's catch-up finds the erasure on the log and
  // destroys the keys it named, not the new application's.
  faulty.fault = FaultyLog::Fault::kAfter;
  Outcome lost = Decide(*processor, Cmd("erase", permit, applicant, ErasePersonalData{}));
  EXPECT_EQ(lost.error.code(), "unavailable");
  EXPECT_TRUE((*vault)->Unseal(sealed).ok());
  faulty.fault = FaultyLog::Fault::kNone;
  const StreamId second("PERASE0000002");
  s.business.name = "Laundry Bu Sari";
  Outcome again =
      Decide(*processor, Cmd("apply-2", second, {"applicant", "applicant", second.str()}, s));
  ASSERT_TRUE(again.error.ok() && !again.refusal) << again.error.ToString();
  EXPECT_FALSE((*vault)->Unseal(sealed).ok()) << "an erasure on the log left its keys";
  const SealedPersonal later = processor->State(second)->applicant;
  EXPECT_EQ(later.person_id, sealed.person_id);
  EXPECT_TRUE((*vault)->Unseal(later).ok()) << "the erasure destroyed a key made after it";
  EXPECT_TRUE((*vault)->PendingErasures()->empty());
  // Its repeat answers the erasure on the log, and appends nothing.
  const uint64_t end = (*log)->EndOffset(PartitionId{0})->value;
  Outcome repeat = Decide(*processor, Cmd("erase", permit, applicant, ErasePersonalData{}));
  EXPECT_TRUE(repeat.error.ok()) << repeat.error.ToString();
  EXPECT_TRUE(repeat.duplicate);
  EXPECT_EQ((*log)->EndOffset(PartitionId{0})->value, end);

  // A processor stopped between the append and the destruction: the next
  // one destroys them when it opens.
  ASSERT_FALSE(
      Decide(*processor, Cmd("withdraw-2", second, {"applicant", "applicant", second.str()},
                             Withdraw{"ganti usaha"}))
          .refusal);
  faulty.fault = FaultyLog::Fault::kAfter;
  lost = Decide(*processor, Cmd("erase-2", second, {"applicant", "applicant", second.str()},
                                ErasePersonalData{}));
  EXPECT_EQ(lost.error.code(), "unavailable");
  processor.reset();
  faulty.fault = FaultyLog::Fault::kNone;
  EXPECT_TRUE((*vault)->Unseal(later).ok());
  processor = open();
  ASSERT_TRUE(processor);
  EXPECT_FALSE((*vault)->Unseal(later).ok()) << "the opening processor left the keys";
  EXPECT_TRUE((*vault)->PendingErasures()->empty());
}

// Anyone may apply under another's NIK: the tracking code proves the one
// application, so an applicant's erasure reaches that application alone.
// The administrator's (a legal order, the identity checked) reaches every
// application of the person.
TEST(CommandProcessor, AnApplicantErasesTheApplicationAndTheAdministratorThePerson) {
  const std::string dir = scratch::ScratchDir("erasure-scope");
  auto log = EmbeddedLog::Open({dir + "/log"});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto vault = PersonalVault::Open(dir + "/keys");
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  auto processor = OpenProcessor(**log, **vault, dir);
  ASSERT_TRUE(processor);
  ASSERT_TRUE(AdoptDefaultCharter(*processor).error.ok());
  SubmitApplication s = Application(*processor);
  std::vector<StreamId> permits;
  for (const char* id : {"PSCOPE0000001", "PSCOPE0000002", "PSCOPE0000003"}) {
    permits.emplace_back(id);
    s.business.name = std::string("Warung ") + id;
    Outcome o = Decide(*processor, Cmd(std::string("apply-") + id, permits.back(),
                                       {"applicant", "applicant", id}, s));
    ASSERT_TRUE(o.error.ok() && !o.refusal)
        << (o.refusal ? o.refusal->message : o.error.ToString());
  }
  auto sealed = [&](size_t i) { return processor->State(permits[i])->applicant; };
  std::vector<SealedPersonal> before{sealed(0), sealed(1), sealed(2)};
  ASSERT_EQ(before[0].person_id, before[1].person_id);
  ASSERT_NE(PersonalVault::KeyOf(before[0]).key_id, PersonalVault::KeyOf(before[1]).key_id);

  ASSERT_FALSE(
      Decide(*processor, Cmd("withdraw-1", permits[1], {"applicant", "applicant", permits[1].str()},
                             Withdraw{"ganti usaha"}))
          .refusal);
  Outcome mine =
      Decide(*processor, Cmd("erase-1", permits[1], {"applicant", "applicant", permits[1].str()},
                             ErasePersonalData{}));
  ASSERT_TRUE(mine.error.ok() && !mine.refusal) << mine.error.ToString();
  EXPECT_TRUE((*vault)->IsErased(before[1]));
  EXPECT_FALSE((*vault)->Unseal(before[1]).ok());
  EXPECT_TRUE((*vault)->Unseal(before[0]).ok()) << "another application of the NIK was erased";
  EXPECT_TRUE((*vault)->Unseal(before[2]).ok());
  EXPECT_FALSE((*vault)->IsErased(before[0]));

  Outcome order = Decide(*processor, Cmd("erase-0", permits[0], kAdmin,
                                         ErasePersonalData{"Putusan PN Jaksel 12/2026"}));
  ASSERT_TRUE(order.error.ok() && !order.refusal)
      << (order.refusal ? order.refusal->message : order.error.ToString());
  for (const auto& b : before) {
    EXPECT_TRUE((*vault)->IsErased(b));
    EXPECT_FALSE((*vault)->Unseal(b).ok()) << "the person's erasure left a key";
  }
  EXPECT_FALSE(processor->State(permits[2])->personal_erased)
      << "the permit's own history holds no erasure; its key is gone all the same";
}

// A refused command is remembered with who sent it and what it asked, so
// that a repeat under its id by another sender is known as another request;
// a refusal remembered before senders were kept is still answered.
TEST(CommandProcessor, ARefusalIsRememberedWithItsSenderAcrossReopening) {
  const std::string dir = scratch::ScratchDir("refusal-sender");
  auto log = EmbeddedLog::Open({dir + "/log"});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto vault = PersonalVault::Open(dir + "/keys");
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  auto open = [&] { return OpenProcessor(**log, **vault, dir); };
  auto processor = open();
  ASSERT_TRUE(processor);
  ASSERT_TRUE(AdoptDefaultCharter(*processor).error.ok());
  const StreamId permit("PREFUSED00001");
  const std::string kel = processor->governance()->charter->kelurahan.front().code;
  ASSERT_FALSE(Decide(*processor, Cmd("apply", permit, {"applicant", "applicant", permit.str()},
                                      Application(*processor)))
                   .refusal);
  const Actor head{"head-1", "ptsp_head", kel}, officer{"ptsp-1", "ptsp_officer", kel};
  for (const Actor& a : {head, officer})
    ASSERT_FALSE(Decide(*processor, Cmd("enrol-" + a.id, kGovernanceStream, kAdmin,
                                        EnrollOfficer{a.id, a.id, a.role, kel, "hash-" + a.id}))
                     .refusal);

  Outcome first = Decide(*processor, Cmd("verify", permit, head, VerifyDocuments{}));
  ASSERT_TRUE(first.refusal);
  EXPECT_EQ(first.refusal->code, "role_not_permitted");
  EXPECT_EQ(first.sender, "head-1");
  EXPECT_EQ(first.action, "verify_documents");
  auto repeat_from = [&](const Actor& who) {
    Outcome o = Decide(*processor, Cmd("verify", permit, who, VerifyDocuments{}));
    EXPECT_TRUE(o.duplicate);
    EXPECT_TRUE(o.refusal);
    EXPECT_EQ(o.sender, "head-1") << "the first sender, whoever repeats";
    EXPECT_EQ(o.action, "verify_documents");
  };
  repeat_from(officer);
  processor.reset();
  processor = open();
  ASSERT_TRUE(processor);
  repeat_from(head);

  // A refusal remembered in the record of earlier versions (no sender).
  processor.reset();
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir + "/state", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    const std::string old = WriteBinary(uint8_t{1}, int32_t{0}, uint64_t{0}, uint64_t{0},
                                        uint64_t{1}, std::string("submitted"),
                                        std::string("role_not_permitted"), std::string("earlier"));
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "d/" + permit.str() + '\0' + "old", old).ok());
  }
  processor = open();
  ASSERT_TRUE(processor);
  Outcome earlier = Decide(*processor, Cmd("old", permit, officer, VerifyDocuments{}));
  EXPECT_TRUE(earlier.duplicate);
  ASSERT_TRUE(earlier.refusal);
  EXPECT_EQ(earlier.refusal->message, "earlier");
  EXPECT_EQ(earlier.sender, "");
  // The officer it was meant for takes the action under a new id.
  Outcome taken = Decide(*processor, Cmd("verify-2", permit, officer, VerifyDocuments{}));
  EXPECT_FALSE(taken.refusal) << taken.refusal->message;
  EXPECT_EQ(taken.events.size(), 1u);
}

// Outcomes on the outcome topic carry their sender (format 2) and digest
// (format 3); those of format 1, written before, are read as of an unknown
// sender and digest.
TEST(OutcomeCodec, CarriesTheSenderAndDigestAndReadsTheFormerFormat) {
  Outcome o;
  o.command_id = CommandId("c-1");
  o.stream = "P1";
  o.refusal = Refusal{"role_not_permitted", "not yours"};
  o.version = 3;
  o.status = "submitted";
  o.sender = "head-1";
  o.action = "verify_documents";
  o.digest = ActionDigest(VerifyDocuments{});
  auto back = DecodeOutcome(EncodeOutcome(o));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->sender, "head-1");
  EXPECT_EQ(back->action, "verify_documents");
  EXPECT_EQ(back->digest, o.digest);
  EXPECT_EQ(back->refusal->message, "not yours");
  EXPECT_EQ(back->version, 3u);

  const std::string v1 = WriteBinary(
      uint8_t{1}, std::string("c-1"), std::string("P1"), false, false, std::string(), std::string(),
      true, std::string("role_not_permitted"), std::string("not yours"), uint64_t{3},
      std::string("submitted"), false, int32_t{0}, uint64_t{0}, std::vector<std::string>{});
  auto former = DecodeOutcome(v1);
  ASSERT_TRUE(former.ok()) << former.status().ToString();
  EXPECT_EQ(former->command_id.str(), "c-1");
  EXPECT_EQ(former->refusal->code, "role_not_permitted");
  EXPECT_EQ(former->sender, "");
  EXPECT_EQ(former->digest, "");
  EXPECT_FALSE(DecodeOutcome(std::string(1, '\1') + std::string(1, '\3')).ok())
      << "an unknown format";
}

// The digest tells the same action with other fields apart, and keeps no
// trace of an application's personal fields.
TEST(ActionDigest, SameFieldsSameDigestOtherFieldsAnother) {
  const ScheduleSurvey a{"2026-12-08", {"ekbang-1"}};
  EXPECT_EQ(ActionDigest(a), ActionDigest(ScheduleSurvey{"2026-12-08", {"ekbang-1"}}));
  EXPECT_EQ(ActionDigest(a).size(), 16u);
  EXPECT_NE(ActionDigest(a), ActionDigest(ScheduleSurvey{"2026-12-09", {"ekbang-1"}}));
  EXPECT_NE(ActionDigest(Withdraw{"pindah"}), ActionDigest(Revoke{"pindah"}));
  EXPECT_EQ(ActionDigest(SubmitApplication{}), "");
}

}  // namespace
}  // namespace pl
