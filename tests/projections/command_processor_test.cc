// The embedded command processor's erasures: a person's keys are destroyed
// only once the erasure is on the log, exactly the keys the erasure named,
// and at the latest when a processor next works on that log.
#include "projections/command_processor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>

#include "events/embedded_log.h"
#include "events/personal_vault.h"
#include "gateways/ledger.h"
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

TEST(CommandProcessor, AnErasureDestroysKeysOnlyOnceOnTheLogAndAtTheLatestOnReopening) {
  const std::string dir = scratch::ScratchDir("erasure-order");
  auto log = EmbeddedLog::Open({dir + "/log"});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto vault = PersonalVault::Open(dir + "/keys");
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  FaultyLog faulty(**log);
  auto open = [&] {
    ProcessorOptions options;
    options.state_path = dir + "/state";
    auto p = CommandProcessor::Open(faulty, **vault, options);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(*p) : nullptr;
  };
  auto processor = open();
  ASSERT_TRUE(processor);

  std::ifstream in(DefaultCharterPath());
  std::stringstream charter;
  charter << in.rdbuf();
  const Actor admin{"admin", "admin", ""};
  ASSERT_TRUE(
      Decide(*processor, Cmd("charter", kGovernanceStream, admin, AdoptCharter{charter.str()}))
          .error.ok());
  const StreamId permit("PERASE0000001");
  const Actor applicant{"applicant", "applicant", permit.str()};
  SubmitApplication s;
  s.kelurahan = processor->governance()->charter->kelurahan.front().code;
  s.personal = {"3174010101900001", "Sari Rahayu", "Jl. Mawar 1", "081234567890", "", ""};
  s.business = {"Warung Bu Sari", "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  s.documents = processor->governance()->charter->required_documents;
  s.tracking_hash = "tracking-hash";
  Outcome submitted = Decide(*processor, Cmd("apply", permit, applicant, s));
  ASSERT_TRUE(submitted.error.ok() && !submitted.refusal)
      << (submitted.refusal ? submitted.refusal->message : submitted.error.ToString());
  const SealedPersonal sealed = processor->State(permit)->applicant;
  ASSERT_TRUE((*vault)->Unseal(sealed).ok());

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

}  // namespace
}  // namespace pl
