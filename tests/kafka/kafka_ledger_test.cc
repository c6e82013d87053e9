// The ledger on Kafka, end to end against a real broker: the workflow
// through a Kafka-mode Ledger (its KafkaCommandProcessor and KafkaBackend),
// refusals, repeats, a second instance taking over, and byte-identical
// replay of the views.
#include <gtest/gtest.h>

#include <future>

#include "events/kafka_clients.h"
#include "gateways/api_gateway.h"
#include "projections/feed_projection.h"
#include "projections/projection_engine.h"
#include "tests/application_json.h"
#include "tests/kafka/kafka_env.h"

namespace pl {
namespace {

using namespace kafkatest;

constexpr const char* kKec = "31.74.10";

Command Cmd(const std::string& id, const std::string& stream, Actor actor, Action action) {
  Command c;
  c.id = CommandId(id);
  c.stream = StreamId(stream);
  c.actor = std::move(actor);
  c.action = std::move(action);
  return c;
}

Actor Officer(const std::string& role, const std::string& jurisdiction = kKel) {
  return {role + "@" + jurisdiction, role, jurisdiction};
}

void Enroll(Ledger& l, const std::string& role, const std::string& jurisdiction) {
  Outcome o = l.ExecuteSync(Cmd("enroll-" + role, kGovernanceStream.str(), {"admin", "admin", ""},
                                EnrollOfficer{role + "@" + jurisdiction, role, role, jurisdiction,
                                              HashToken("token-" + role)}));
  ASSERT_TRUE(o.error.ok()) << o.error.ToString();
  ASSERT_FALSE(o.refusal) << o.refusal->code << ": " << o.refusal->message;
}

// Whether every command written to the command topic of `prefix` was
// deleted (the topic had some, and holds none now, nor can a reader from
// offset 0 find one) within 20 s.
void ExpectCommandsDeleted(const std::string& prefix, int32_t partitions) {
  KafkaLogOptions o;
  o.bootstrap_servers = Bootstrap();
  o.topic = prefix + ".commands";
  o.partitions = partitions;
  o.retention_ms = LedgerKafkaOptions().command_retention_ms;
  auto log = KafkaLog::Open(o);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  uint64_t written = 0;
  bool emptied = false;
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       !emptied && std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    emptied = true;
    written = 0;
    for (int32_t p = 0; p < partitions; ++p) {
      auto first = (*log)->StartOffset(PartitionId{p});
      auto stop = (*log)->EndOffset(PartitionId{p});
      ASSERT_TRUE(first.ok() && stop.ok());
      written += stop->value;
      if (first->value != stop->value) emptied = false;
    }
  }
  EXPECT_GT(written, 0u);
  EXPECT_TRUE(emptied) << "decided commands are still on " << o.topic;
  auto reader = KafkaTopicReader::Open({Bootstrap(), std::chrono::seconds(30), {}}, o.topic,
                                       std::vector<int64_t>(partitions, 0));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto records = (*reader)->Poll(std::chrono::seconds(2));
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty()) << records->size() << " commands can still be read";
}

// The vault's key topic of `prefix`, read to its end: the keys it keeps
// (name to wrapped key) and how many tombstones it holds.
struct KeyTopic {
  std::map<std::string, std::string> live;
  int tombstones = 0;
  std::set<std::string> LivePeople() const {
    std::set<std::string> people;
    for (const auto& [name, wrapped] : live) people.insert(name.substr(0, name.find('/')));
    return people;
  }
};

KeyTopic ReadKeyTopic(const std::string& prefix) {
  KafkaLogOptions lo;
  lo.bootstrap_servers = Bootstrap();
  lo.topic = prefix + ".keys";
  lo.partitions = 1;
  lo.compacted = true;
  auto keys = KafkaLog::Open(lo);
  EXPECT_TRUE(keys.ok()) << keys.status().ToString();
  // A transaction's markers reach its partitions one by one: the key
  // records of a batch whose outcomes are out may not be readable yet.
  if (keys.ok()) {
    EXPECT_TRUE((*keys)->Settle(PartitionId{0}, std::chrono::seconds(20)).ok());
  }
  KeyTopic topic;
  for (uint64_t from = 0; keys.ok();) {
    auto records = (*keys)->Read(PartitionId{0}, Offset{from}, 1000);
    EXPECT_TRUE(records.ok());
    if (!records.ok() || records->empty()) break;
    for (const auto& r : *records) {
      from = r.offset.value + 1;
      if (r.key.starts_with("check/") || r.key.starts_with("erase/") || r.key == "roll") continue;
      if (r.value.empty()) {
        ++topic.tombstones;
        topic.live.erase(r.key);
      } else {
        topic.live[r.key] = r.value;
      }
    }
  }
  return topic;
}

TEST(KafkaLedger, WorkflowRefusalsRepeatsTakeoverAndReplay) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("ledger");
  const std::string permit = "permit-workflow-1";
  // The first instance never deletes the commands it decided; the second
  // deletes them once it takes the partitions over, and its own on the way
  // out (its period is longer than the test).
  auto options = [&](const std::string& dir, int delete_every_ms) {
    LedgerOptions o = KafkaLedger(TempDir(dir), Bootstrap(), prefix);
    o.kafka.delete_decided_every = std::chrono::milliseconds(delete_every_ms);
    return o;
  };
  auto a = Ledger::Open(options("a", 0));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Ledger& l = **a;
  ASSERT_TRUE(l.governance()->charter) << "the charter was not adopted on first start";
  for (const char* role : {"ptsp_officer", "ptsp_head", "lurah", "kelurahan_economy"})
    Enroll(l, role, kKel);
  Enroll(l, "kecamatan_umkm", kKec);

  Outcome submitted = l.ExecuteSync(Cmd("submit-1", permit, {"applicant", "applicant", permit},
                                        Application(HashToken("code-1"))));
  ASSERT_TRUE(submitted.error.ok()) << submitted.error.ToString();
  ASSERT_FALSE(submitted.refusal) << submitted.refusal->message;
  EXPECT_EQ(submitted.status, "submitted");
  ASSERT_EQ(submitted.events.size(), 1u);
  ASSERT_TRUE(submitted.last);
  EXPECT_EQ(submitted.last->partition, l.log().PartitionFor(permit));
  // Read-your-writes: the views include the command when it is answered.
  ASSERT_TRUE(l.queries().Permit(permit));
  EXPECT_EQ(l.queries().Permit(permit)->version, 1u);

  // A refusal: issuing before the survey.
  Outcome early = l.ExecuteSync(Cmd("issue-early", permit, Officer("ptsp_head"), IssuePermit{}));
  ASSERT_TRUE(early.error.ok());
  ASSERT_TRUE(early.refusal);
  EXPECT_TRUE(early.events.empty());
  const std::string refusal_code = early.refusal->code;

  struct Step {
    std::string id;
    Actor actor;
    Action action;
    std::string status;
  };
  std::vector<Step> steps = {
      {"verify-1", Officer("ptsp_officer"), VerifyDocuments{}, "documents_verified"},
      {"survey-1", Officer("ptsp_officer"),
       ScheduleSurvey{
           test::SurveyDate(),
           {"ptsp_officer@" + std::string(kKel), "kelurahan_economy@" + std::string(kKel)}},
       "survey_scheduled"},
      {"record-1", Officer("kelurahan_economy"), RecordSurvey{true, "fits"}, "surveyed"},
      {"recommend-1", Officer("lurah"), Recommend{"REK-1"}, "recommended"},
      {"issue-1", Officer("ptsp_head"), IssuePermit{}, "issued"}};
  Outcome verified;
  for (auto& s : steps) {
    Outcome o = l.ExecuteSync(Cmd(s.id, permit, s.actor, s.action));
    ASSERT_TRUE(o.error.ok()) << s.id << ": " << o.error.ToString();
    ASSERT_FALSE(o.refusal) << s.id << ": " << o.refusal->code << ": " << o.refusal->message;
    EXPECT_EQ(o.status, s.status) << s.id;
    EXPECT_FALSE(o.duplicate);
    if (s.id == "verify-1") verified = o;
  }
  EXPECT_EQ(l.queries().Permit(permit)->status, PermitStatus::kIssued);

  // Repeats return the first outcome and write nothing.
  Outcome again =
      l.ExecuteSync(Cmd("verify-1", permit, Officer("ptsp_officer"), VerifyDocuments{}));
  ASSERT_TRUE(again.error.ok());
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.version, verified.version);
  ASSERT_EQ(again.events.size(), 1u);
  EXPECT_EQ(Encode(again.events[0]), Encode(verified.events[0]));
  Outcome refused_again =
      l.ExecuteSync(Cmd("issue-early", permit, Officer("ptsp_head"), IssuePermit{}));
  ASSERT_TRUE(refused_again.refusal);
  EXPECT_TRUE(refused_again.duplicate);
  EXPECT_EQ(refused_again.refusal->code, refusal_code);

  // Replay: every view rebuilt from the event topic is byte-identical.
  {
    auto fresh = ProjectionEngine::Open(l.log(), AllProjections(),
                                        {TempDir("replay") + "/views", 8192, true});
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE((*fresh)->CatchUp().ok());
    EXPECT_EQ(ProjectionEngine::Digest((*fresh)->db()), ProjectionEngine::Digest(l.engine().db()));
  }
  auto events_before = EventsByCommand(Bootstrap(), prefix, 4);
  a->reset();

  // A second instance (fresh store) takes the partitions over: it rebuilds
  // the permit from the event topic and the refusals from the outcome topic.
  auto b = Ledger::Open(options("b", 3600 * 1000));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  Outcome b_refused =
      (*b)->ExecuteSync(Cmd("issue-early", permit, Officer("ptsp_head"), IssuePermit{}));
  ASSERT_TRUE(b_refused.error.ok()) << b_refused.error.ToString();
  ASSERT_TRUE(b_refused.refusal);
  EXPECT_TRUE(b_refused.duplicate);
  EXPECT_EQ(b_refused.refusal->code, refusal_code);
  // Its sender, learnt from the outcome topic: a repeat by another is
  // another request (the gateway answers 409 command_id_reused).
  EXPECT_EQ(b_refused.sender, Officer("ptsp_head").id);
  EXPECT_EQ(b_refused.action, "issue_permit");
  Outcome b_again =
      (*b)->ExecuteSync(Cmd("verify-1", permit, Officer("ptsp_officer"), VerifyDocuments{}));
  EXPECT_TRUE(b_again.duplicate);
  ASSERT_EQ(b_again.events.size(), 1u);
  EXPECT_EQ(Encode(b_again.events[0]), Encode(verified.events[0]));
  // And the digest of what a command accepted before the takeover asked,
  // learnt from the outcome topic too: the same id with other fields is
  // another request (409 command_id_reused at the gateway), the same
  // fields a repeat.
  Outcome b_record = (*b)->ExecuteSync(
      Cmd("record-1", permit, Officer("kelurahan_economy"), RecordSurvey{false, "not fit"}));
  EXPECT_TRUE(b_record.duplicate);
  EXPECT_EQ(b_record.digest, ActionDigest(RecordSurvey{true, "fits"}));
  EXPECT_NE(b_record.digest, ActionDigest(RecordSurvey{false, "not fit"}));
  Outcome revoke =
      (*b)->ExecuteSync(Cmd("revoke-1", permit, Officer("ptsp_head"), Revoke{"closed down"}));
  ASSERT_TRUE(revoke.error.ok());
  ASSERT_FALSE(revoke.refusal) << revoke.refusal->code << ": " << revoke.refusal->message;
  EXPECT_EQ(revoke.version, 7u);  // built on the state the first instance left
  EXPECT_EQ((*b)->queries().Permit(permit)->status, PermitStatus::kRevoked);
  // The permit's history (read from the transparency log's leaves): every
  // event in order, each at its place on the event topic.
  {
    const auto history = (*b)->queries().History(permit);
    ASSERT_EQ(history.size(), 7u);
    for (size_t i = 0; i < history.size(); ++i) {
      const auto& e = history[i];
      EXPECT_EQ(e["seq"], i + 1);
      const int32_t partition = e["log_position"]["partition"];
      EXPECT_EQ(partition, (*b)->log().PartitionFor(permit).value);
      auto at = (*b)->log().Read(PartitionId{partition},
                                 Offset{e["log_position"]["offset"].get<uint64_t>()}, 1);
      ASSERT_TRUE(at.ok() && !at->empty());
      auto logged = Decode(at->front().value);
      ASSERT_TRUE(logged.ok());
      EXPECT_EQ(logged->event_id, e["event_id"]);
    }
  }
  auto events_after = EventsByCommand(Bootstrap(), prefix, 4);
  EXPECT_EQ(events_after.size(), events_before.size() + 1);  // only revoke-1 is new
  EXPECT_EQ(events_after["verify-1"], 1);
  EXPECT_EQ(events_after.count("issue-early"), 0u);
  EXPECT_EQ(events_after["revoke-1"], 1);

  // One command id on two permits at once: two commands, each answered with
  // its own outcome (repeats are per permit). (Last: events of two
  // partitions applied in either order give the transparency log another
  // leaf order than a replay's, docs/kafka.md.)
  std::promise<Outcome> on_x, on_y;
  for (auto [stream, promise] :
       {std::pair{"permit-same-id-x", &on_x}, std::pair{"permit-same-id-y", &on_y}})
    (*b)->Execute(Cmd("same-id", stream, {"applicant", "applicant", stream},
                      Application(HashToken(std::string("code-") + stream))),
                  [promise](Outcome o) { promise->set_value(std::move(o)); });
  for (auto [stream, promise] :
       {std::pair{"permit-same-id-x", &on_x}, std::pair{"permit-same-id-y", &on_y}}) {
    Outcome o = promise->get_future().get();
    ASSERT_TRUE(o.error.ok()) << stream << ": " << o.error.ToString();
    EXPECT_FALSE(o.duplicate) << stream;
    EXPECT_EQ(o.stream, stream);
    ASSERT_EQ(o.events.size(), 1u) << stream;
    EXPECT_EQ(o.events[0].stream.str(), stream);
  }
  // Decided commands (an applicant's data in the clear) left the command
  // topic, those the first instance decided too; nothing above needed them.
  b->reset();
  ExpectCommandsDeleted(prefix, 4);
}

// One ledger on Kafka (one partition) as two instances: `decider` decides
// the commands, `gateway` only serves (process_commands off): everything it
// answers or opens comes from the decider through the topics.
struct TwoInstances {
  std::unique_ptr<Ledger> decider, gateway;
};
TwoInstances OpenTwoInstances(const std::string& prefix) {
  TwoInstances t;
  auto a = Ledger::Open(KafkaLedger(TempDir(prefix + "-a"), Bootstrap(), prefix, 1));
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  LedgerOptions bo = KafkaLedger(TempDir(prefix + "-b"), Bootstrap(), prefix, 1);
  bo.kafka.process_commands = false;
  auto b = Ledger::Open(bo);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  if (a.ok() && b.ok()) t = {std::move(*a), std::move(*b)};
  return t;
}

// Two requests sending one command id at the same moment, through two
// instances or one: each is answered by its own command's outcome (the
// first decided, the other its duplicate, naming the first's action), never
// by the other's as if it were its own.
TEST(KafkaLedger, RequestsRacingWithOneCommandIdGetTheirOwnOutcomes) {
  PL_REQUIRE_KAFKA();
  auto [a, b] = OpenTwoInstances(Unique("race"));  // b: every answer comes off the topic
  ASSERT_TRUE(a && b);
  Enroll(*a, "ptsp_officer", kKel);

  // Sends both commands before either can be decided; their outcomes.
  auto race = [](Ledger& x, Command cx, Ledger& y, Command cy) {
    std::promise<Outcome> px, py;
    x.Submit(std::move(cx), [&](Outcome o) { px.set_value(std::move(o)); });
    y.Submit(std::move(cy), [&](Outcome o) { py.set_value(std::move(o)); });
    return std::pair{px.get_future().get(), py.get_future().get()};
  };
  for (int round = 0; round < 3; ++round) {
    const std::string permit = "permit-race-" + std::to_string(round);
    Outcome submitted =
        a->ExecuteSync(Cmd("submit-" + permit, permit, {"applicant", "applicant", permit},
                           Application(HashToken("code-" + permit))));
    ASSERT_TRUE(submitted.error.ok() && !submitted.refusal);
    // Round 0: another action through each instance; 1: both through the
    // gateway; 2: the same command twice.
    Ledger& first = round == 1 ? *b : *a;
    Command verify = Cmd("race-" + permit, permit, Officer("ptsp_officer"), VerifyDocuments{});
    Command other = round == 2 ? verify
                               : Cmd("race-" + permit, permit, Officer("ptsp_officer"),
                                     RequestCompletion{{"kk"}});
    auto [x, y] = race(first, verify, *b, other);
    ASSERT_TRUE(x.error.ok() && y.error.ok()) << x.error.ToString() << y.error.ToString();
    EXPECT_NE(x.duplicate, y.duplicate) << "round " << round << ": one decided, one repeated";
    const Outcome& decided = x.duplicate ? y : x;
    const Outcome& repeat = x.duplicate ? x : y;
    EXPECT_EQ(decided.action, x.duplicate ? (round == 2 ? "verify_documents" : "request_completion")
                                          : "verify_documents")
        << "round " << round << ": a request answered with the other's command";
    EXPECT_EQ(repeat.action, decided.action) << "a repeat names the first command's action";
    EXPECT_EQ(repeat.events.size(), decided.events.size());
  }
}

// Of two instances, the one whose processor owns command partition 0
// publishes the feeds; the other stands by instead of fencing it again and
// again.
TEST(KafkaLedger, OneInstancePublishesTheFeeds) {
  PL_REQUIRE_KAFKA();
  auto [a, b] = OpenTwoInstances(Unique("onepub"));  // b decides nothing: never the publisher
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->feeds() && b->feeds());
  for (int i = 1; i <= 3; ++i) {
    Outcome o = a->ExecuteSync(SubmitCommand("onepub", i));
    ASSERT_TRUE(o.error.ok() && !o.refusal);
  }
  // The ministry's feed carries every application.
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       a->feeds()->published("ministry-umkm") < 3 && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(a->feeds()->published("ministry-umkm"), 3u);
  EXPECT_EQ(b->feeds()->published("ministry-umkm"), 0u);
}

// The owner of command partition 0 elects the publisher, but runs without
// feeds: a standby that sees a feed's topic stand still while it holds
// messages past its end publishes that feed (before, nobody did).
TEST(KafkaLedger, AStandbyPublishesTheFeedsTheOwnerOfPartitionZeroDoesNot) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("orphan");
  LedgerOptions ao = KafkaLedger(TempDir("orphan-a"), Bootstrap(), prefix, 1);
  ao.kafka.publish_feeds = false;
  auto a = Ledger::Open(ao);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  LedgerOptions bo = KafkaLedger(TempDir("orphan-b"), Bootstrap(), prefix, 1);
  bo.kafka.process_commands = false;  // never the owner of a partition
  bo.kafka.feeds_takeover_after = std::chrono::seconds(2);
  auto b = Ledger::Open(bo);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE((*b)->feeds());
  for (int i = 1; i <= 3; ++i) {
    Outcome o = (*a)->ExecuteSync(SubmitCommand("orphan", i));
    ASSERT_TRUE(o.error.ok() && !o.refusal);
  }
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(40);
       (*b)->feeds()->published("ministry-umkm") < 3 && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ((*b)->feeds()->published("ministry-umkm"), 3u);
}

// One vault for every instance (events/vault_share.h): personal data sealed
// by one instance opens on another, an erasure destroys the key everywhere
// (and a new application of the same person is not erased), an instance
// away during an erasure destroys the key when it comes back, and an
// instance with another server.secret is refused.
TEST(KafkaLedger, InstancesShareOneVault) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("vault");
  auto a = Ledger::Open(KafkaLedger(TempDir("va"), Bootstrap(), prefix, 1));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  LedgerOptions bo = KafkaLedger(TempDir("vb"), Bootstrap(), prefix, 1);
  bo.kafka.process_commands = false;  // everything it opens, the other one sealed
  auto b = Ledger::Open(bo);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  // What /metrics tells the operator: b decides nothing, a the partition
  // (once the group assigned it).
  EXPECT_EQ((*b)->partitions_deciding(), 0u);
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       (*a)->partitions_deciding() == 0 && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ((*a)->partitions_deciding(), 1u);

  auto submit = [&](const std::string& permit, const std::string& nik) {
    Command c = Cmd("submit-" + permit, permit, {"applicant", "applicant", permit},
                    Application(HashToken("code-" + permit)));
    std::get<SubmitApplication>(c.action).personal.nik = nik;
    Outcome o = (*a)->ExecuteSync(std::move(c));
    ASSERT_TRUE(o.error.ok()) << o.error.ToString();
    ASSERT_FALSE(o.refusal) << o.refusal->message;
  };
  // The applicant's erasure (this application's key), or the
  // administrator's on a legal order (every key of the person).
  auto erase = [&](const std::string& permit, bool person = false) {
    if (!person) {  // an applicant ends the application first
      Outcome w =
          (*a)->ExecuteSync(Cmd("withdraw-" + permit, permit, {"applicant", "applicant", permit},
                                Withdraw{"tidak jadi"}));
      ASSERT_TRUE(w.error.ok() && !w.refusal) << w.error.ToString();
    }
    Outcome o =
        (*a)->ExecuteSync(person ? Cmd("erase-" + permit, permit, {"admin", "admin", ""},
                                       ErasePersonalData{"Putusan PN Jakarta Selatan 12/2026"})
                                 : Cmd("erase-" + permit, permit,
                                       {"applicant", "applicant", permit}, ErasePersonalData{}));
    ASSERT_TRUE(o.error.ok()) << o.error.ToString();
    ASSERT_FALSE(o.refusal) << o.refusal->message;
  };
  // The sealed data of each application as submitted (the erasure event
  // clears it from the permit's state: these copies show what the vaults
  // make of the ciphertext on the log).
  std::map<std::string, SealedPersonal> sealed;
  // What `l` makes of the permit's personal data: "ok", or the code of the
  // vault's refusal; polled until it is `want` (views and keys follow).
  auto opens = [&sealed](Ledger& l, const std::string& permit, const std::string& want,
                         std::chrono::milliseconds wait = std::chrono::seconds(20)) {
    std::string got = "no permit";
    for (auto end = std::chrono::steady_clock::now() + wait;;) {
      if (auto st = l.queries().Permit(permit)) {
        if (!sealed.count(permit)) sealed[permit] = st->applicant;
        auto data = l.vault().Unseal(sealed[permit]);
        got = data.ok() ? "ok" : data.status().code();
        if (data.ok()) {
          EXPECT_EQ(data->name, "Sari Wulandari");
        }
      }
      if (got == want || std::chrono::steady_clock::now() > end) return got;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };

  submit("permit-vault-1", "3174050101900001");
  submit("permit-vault-2", "3174050101900002");
  EXPECT_EQ(opens(**b, "permit-vault-1", "ok"), "ok");
  EXPECT_EQ(opens(**b, "permit-vault-2", "ok"), "ok");
  // A key of the person that only b holds (as if committed by another
  // instance a moment before the erasure, not yet received by a): the
  // erasure's tombstones cannot name it; its erasure record destroys it on
  // b all the same, and b writes its tombstone.
  const std::string p1 = sealed.at("permit-vault-1").person_id;
  const VaultKey unseen{p1, "00000000000000aa", std::string(32, 'k')};
  ASSERT_TRUE((*b)->vault().Store({unseen}, false).ok());
  erase("permit-vault-1", /*person=*/true);
  EXPECT_EQ(opens(**a, "permit-vault-1", "erased", {}), "erased");
  EXPECT_EQ(opens(**b, "permit-vault-1", "erased"), "erased");
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       !(*b)->vault().KeysOf(p1)->empty() && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE((*b)->vault().KeysOf(p1)->empty());
  EXPECT_TRUE((*b)->vault().IsErasedKey(p1, unseen.key_id));
  EXPECT_EQ(opens(**b, "permit-vault-2", "ok", {}), "ok");
  // The erased person applies again: a new key, and the new application is
  // not erased anywhere (the old one stays erased).
  submit("permit-vault-4", "3174050101900001");
  EXPECT_EQ(opens(**b, "permit-vault-4", "ok"), "ok");
  EXPECT_EQ(opens(**a, "permit-vault-4", "ok", {}), "ok");
  EXPECT_EQ(opens(**b, "permit-vault-1", "erased", {}), "erased");
  EXPECT_FALSE((*b)->vault().IsErased((*b)->queries().Permit("permit-vault-4")->applicant));

  // Away during an erasure and a new application: on its return it has
  // the one and not the other, before it serves anything.
  b->reset();
  erase("permit-vault-2");
  submit("permit-vault-3", "3174050101900003");
  b = Ledger::Open(bo);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(opens(**b, "permit-vault-2", "erased", {}), "erased");
  EXPECT_EQ(opens(**b, "permit-vault-3", "ok", {}), "ok");
  EXPECT_EQ(opens(**b, "permit-vault-4", "ok", {}), "ok");
  EXPECT_EQ(opens(**b, "permit-vault-1", "erased", {}), "erased");
  // An applicant's erasure reaches its own application only, on every
  // instance: the same person's other application stays readable.
  submit("permit-vault-5", "3174050101900003");
  EXPECT_EQ(opens(**b, "permit-vault-5", "ok"), "ok");
  erase("permit-vault-5");
  EXPECT_EQ(opens(**a, "permit-vault-5", "erased"), "erased");
  EXPECT_EQ(opens(**b, "permit-vault-5", "erased"), "erased");
  EXPECT_EQ(opens(**a, "permit-vault-3", "ok", {}), "ok");
  EXPECT_EQ(opens(**b, "permit-vault-3", "ok", {}), "ok");

  // The key topic keeps the live keys, wrapped, and tombstones.
  KeyTopic keys = ReadKeyTopic(prefix);
  // The first person's two keys (one from b), the second's, the fifth
  // application's.
  EXPECT_EQ(keys.tombstones, 4);
  EXPECT_EQ(keys.LivePeople(),
            (std::set<std::string>{(*a)->queries().Permit("permit-vault-3")->applicant.person_id,
                                   (*a)->queries().Permit("permit-vault-4")->applicant.person_id}));

  // Another secret: refused, with what to do.
  const std::string c_dir = TempDir("vc");
  std::ofstream(c_dir + "/server.secret") << HashToken("another secret") << "\n";
  auto c = Ledger::Open(KafkaLedger(c_dir, Bootstrap(), prefix, 1));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), "vault_secret_mismatch") << c.status().ToString();
  EXPECT_NE(c.status().message().find("copy server.secret"), std::string::npos);
  // The refused start took away what it made of its own: with the shared
  // secret copied in as it says, the next start opens.
  EXPECT_FALSE(std::filesystem::exists(c_dir + "/keys"));
  EXPECT_FALSE(std::filesystem::exists(c_dir + "/admin.token"));
  std::filesystem::remove(c_dir + "/server.secret");
  auto again = Ledger::Open(KafkaLedger(c_dir, Bootstrap(), prefix, 1));
  EXPECT_TRUE(again.ok()) << again.status().ToString();
  again->reset();

  // A new instance handed the ledger's signing key and secret, as one that
  // joins it is, but pointed at topics that hold no ledger (a mistyped
  // prefix): refused, not a second ledger signed with the first's key.
  const std::string d_dir = TempDir("vd");
  for (const char* name : {"server.secret", "admin.token", "transparency.key", "transparency.pub"})
    std::filesystem::copy_file(c_dir + "/" + name, d_dir + "/" + name);
  auto forked = Ledger::Open(KafkaLedger(d_dir, Bootstrap(), prefix + "-mistyped", 1));
  ASSERT_FALSE(forked.ok());
  EXPECT_NE(forked.status().message().find("mistyped"), std::string::npos)
      << forked.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(d_dir + "/views"));
  auto joined = Ledger::Open(KafkaLedger(d_dir, Bootstrap(), prefix, 1));
  EXPECT_TRUE(joined.ok()) << joined.status().ToString();
}

// A data directory holds one kind of ledger; a mistyped prefix is not
// created by a replay or an audit.
TEST(KafkaLedger, AnEmbeddedDirectoryOrAMistypedPrefixIsRefusedAndNothingIsMade) {
  PL_REQUIRE_KAFKA();
  const std::string dir = TempDir("kind");
  ASSERT_TRUE(Ledger::Open(LedgerOptions::At(dir)).ok());  // an embedded ledger
  const std::string prefix = Unique("kind");
  auto k = Ledger::Open(KafkaLedger(dir, Bootstrap(), prefix, 1));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), "invalid_data_dir") << k.status().ToString();
  const std::string kdir = TempDir("kind-k");
  ASSERT_TRUE(Ledger::Open(KafkaLedger(kdir, Bootstrap(), prefix, 1)).ok());
  auto e = Ledger::Open(LedgerOptions::At(kdir));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), "invalid_data_dir") << e.status().ToString();
  // A replay on a prefix with no topics.
  LedgerOptions typo = KafkaLedger(kdir, Bootstrap(), prefix + "-typo", 1);
  typo.read_only_log = true;
  typo.follow = false;
  typo.adopt_charter = false;
  typo.kafka.process_commands = false;
  auto r = Ledger::Open(typo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "not_found") << r.status().ToString();
  EXPECT_NE(r.status().message().find("--kafka-topic-prefix"), std::string::npos);
  KafkaLogOptions probe;
  probe.bootstrap_servers = Bootstrap();
  probe.topic = prefix + "-typo.keys";
  probe.partitions = 1;
  probe.create_if_missing = false;
  EXPECT_EQ(KafkaLog::Open(probe).status().code(), "not_found") << "the replay made its key topic";
}

// On `l`: the applicant's data of `permit` opens (once the key reached the
// instance) and is `nik`'s, and `erased` (another application's) is erased.
void ExpectReapplied(Ledger& l, const std::string& permit, const std::string& nik,
                     const SealedPersonal& erased) {
  auto data = Result<PersonalData>(Status("no_permit", "not in the views yet"));
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    auto state = l.queries().Permit(permit);
    if (!state) continue;
    data = l.vault().Unseal(state->applicant);
    if (data.ok() || data.status().code() != "key_unavailable") break;
  }
  ASSERT_TRUE(data.ok()) << permit << ": " << data.status().ToString();
  EXPECT_EQ(data->nik, nik);
  EXPECT_EQ(l.vault().Unseal(erased).status().code(), "erased");
}

// An erasure and a new application of the same person decided in one batch
// (both waited on the command topic while no processor ran): the new
// application's key follows the erasure record on the key topic, so it
// survives on every instance, and after a restart.
TEST(KafkaLedger, ReapplicationInTheErasuresBatchSurvives) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("reapply");
  const std::string nik = "3174050101900077";
  LedgerOptions ao = KafkaLedger(TempDir("ra"), Bootstrap(), prefix, 1);
  auto submit_cmd = [&](const std::string& permit) {
    Command c = Cmd("submit-" + permit, permit, {"applicant", "applicant", permit},
                    Application(HashToken("code-" + permit)));
    std::get<SubmitApplication>(c.action).personal.nik = nik;
    return c;
  };
  SealedPersonal old_data;
  {
    auto a = Ledger::Open(ao);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    Outcome o = (*a)->ExecuteSync(submit_cmd("permit-reapply-x"));
    ASSERT_TRUE(o.error.ok() && !o.refusal);
    old_data = (*a)->queries().Permit("permit-reapply-x")->applicant;
    o = (*a)->ExecuteSync(Cmd("withdraw-x", "permit-reapply-x",
                              {"applicant", "applicant", "permit-reapply-x"}, Withdraw{"pindah"}));
    ASSERT_TRUE(o.error.ok() && !o.refusal);
  }
  LedgerOptions go = KafkaLedger(TempDir("rg"), Bootstrap(), prefix, 1);
  go.kafka.process_commands = false;
  auto g = Ledger::Open(go);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  std::promise<Outcome> erased, applied;
  (*g)->Submit(Cmd("erase-x", "permit-reapply-x", {"applicant", "applicant", "permit-reapply-x"},
                   ErasePersonalData{}),
               [&](Outcome o) { erased.set_value(std::move(o)); });
  (*g)->Submit(submit_cmd("permit-reapply-y"), [&](Outcome o) { applied.set_value(std::move(o)); });
  auto a = Ledger::Open(ao);  // takes both from the command topic at once
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  for (auto* p : {&erased, &applied}) {
    Outcome o = p->get_future().get();
    ASSERT_TRUE(o.error.ok()) << o.error.ToString();
    ASSERT_FALSE(o.refusal) << o.refusal->message;
  }
  auto check = [&](Ledger& l) { ExpectReapplied(l, "permit-reapply-y", nik, old_data); };
  check(**a);
  check(**g);
  a->reset();
  a = Ledger::Open(ao);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  check(**a);
}

// A commit that fails (the transaction fenced just before it: another
// producer took its transactional id) leaves nothing behind: the batch (an
// erasure, and a new application of another person) is decided again, each
// command once; the erasure destroys the key it named, on this instance and
// on one that starts later, and the new application opens everywhere.
TEST(KafkaLedger, FencedCommitIsDecidedAgainWithItsKeys) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("fenced");
  LedgerOptions ao = KafkaLedger(TempDir("fa"), Bootstrap(), prefix, 1);
  SealedPersonal erased_data;
  {
    auto a = Ledger::Open(ao);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    Outcome o = (*a)->ExecuteSync(SubmitCommand("fenced", 1));
    ASSERT_TRUE(o.error.ok() && !o.refusal);
    erased_data = (*a)->queries().Permit(o.stream)->applicant;
    o = (*a)->ExecuteSync(Cmd("withdraw-fenced-1", "permit-fenced-1",
                              {"applicant", "applicant", "permit-fenced-1"}, Withdraw{"pindah"}));
    ASSERT_TRUE(o.error.ok() && !o.refusal);
  }
  // Both commands wait on the command topic while no processor runs, so that
  // the first batch holds both. (The gateway is gone before the processor
  // comes: no other instance holds the first key, nor can destroy it.)
  Command erase = Cmd("erase-fenced-1", "permit-fenced-1",
                      {"applicant", "applicant", "permit-fenced-1"}, ErasePersonalData{});
  Command reapply = SubmitCommand("fenced", 2);
  std::get<SubmitApplication>(reapply.action).personal.nik = "3174050101900088";
  {
    LedgerOptions go = KafkaLedger(TempDir("fg"), Bootstrap(), prefix, 1);
    go.kafka.process_commands = false;
    auto g = Ledger::Open(go);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    (*g)->Submit(erase, [](Outcome) {});
    (*g)->Submit(reapply, [](Outcome) {});
  }  // its producer delivers both on the way out

  std::atomic<int> fenced{0};
  std::unique_ptr<KafkaTransactionalProducer> fencer;
  ao.kafka.before_commit = [&](const std::string& transactional_id) {
    if (fenced++ > 0) return;
    auto p = KafkaTransactionalProducer::Create({Bootstrap(), std::chrono::seconds(30), {}},
                                                transactional_id);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    fencer = std::move(*p);
  };
  auto a = Ledger::Open(ao);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // The fenced commit, then the batch's own again (nothing else was sent).
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       fenced.load() < 2 && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GE(fenced.load(), 2) << "the batch was not committed again after the fenced commit";
  // Sent again: answered with the batch's outcome (the gateway waits for the
  // command id), or as a repeat.
  for (const Command& c : {erase, reapply}) {
    Outcome o = (*a)->ExecuteSync(c);
    ASSERT_TRUE(o.error.ok()) << o.error.ToString();
    ASSERT_FALSE(o.refusal) << o.refusal->message;
  }
  auto events = EventsByCommand(Bootstrap(), prefix, 1);
  EXPECT_EQ(events["erase-fenced-1"], 1);
  EXPECT_EQ(events["app-fenced-2"], 1);
  // The erased key's tombstone came with the erasure: only the new
  // application's key lives on the key topic.
  KeyTopic keys = ReadKeyTopic(prefix);
  EXPECT_EQ(keys.LivePeople(),
            std::set<std::string>{(*a)->queries().Permit("permit-fenced-2")->applicant.person_id});
  auto check = [&](Ledger& l) {
    ExpectReapplied(l, "permit-fenced-2", "3174050101900088", erased_data);
  };
  check(**a);
  auto later = Ledger::Open(KafkaLedger(TempDir("fl"), Bootstrap(), prefix, 1));
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  check(**later);
}

// A tracking code one instance has just handed out may reach another before
// its views hold the application: that one looks it up again as its views
// move on, rather than answering "unknown" (as it does, after 2 s, for a
// code no application has).
TEST(KafkaLedger, AFreshTrackingCodeIsKnownOnAnotherInstance) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("freshcode");
  auto a = Ledger::Open(KafkaLedger(TempDir("fa"), Bootstrap(), prefix, 1));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = Ledger::Open(KafkaLedger(TempDir("fb"), Bootstrap(), prefix, 1));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ApiGateway api(**b);
  auto get = [&](const std::string& target, const std::string& token) {
    HttpRequest req{http::verb::get, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    auto answer = std::make_shared<std::promise<HttpResponse>>();
    api.Handle(std::move(req), [answer](HttpResponse r) { answer->set_value(std::move(r)); });
    auto future = answer->get_future();
    EXPECT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready) << target;
    return future.get();
  };
  for (int i = 0; i < 5; ++i) {
    const std::string code = "ABCDE-FGHJK-MNPQR-STVW" + std::to_string(i);
    Command submit = SubmitCommand("fresh", i);
    std::get<SubmitApplication>(submit.action).tracking_hash = HashToken(code);
    Outcome o = (*a)->ExecuteSync(submit);
    ASSERT_TRUE(o.error.ok() && !o.refusal) << o.error.ToString();
    EXPECT_EQ(get("/v1/track/" + code, "").result_int(), 200u) << code;
    EXPECT_EQ(get("/v1/permits/" + submit.stream.str(), code).result_int(), 200u) << code;
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/v1/track/ABCDE-FGHJK-MNPQR-STVWX", "").result_int(), 404u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// On Kafka an instance's views can hold a feed message before its vault
// holds the applicant's key (it comes through the key topic): the SSE feed
// holds the message back until the key is there, rather than sending it
// with the applicant "unavailable".
TEST(KafkaLedger, AFeedMessageWaitsForItsKeyOnAnotherInstance) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("keywait");
  LedgerOptions ao = KafkaLedger(TempDir("ka"), Bootstrap(), prefix, 1);
  ao.kafka.publish_feeds = false;
  auto a = Ledger::Open(ao);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::atomic<bool> late{false};  // while set, b's vault takes no key
  LedgerOptions bo = KafkaLedger(TempDir("kb"), Bootstrap(), prefix, 1);
  bo.kafka.process_commands = false;
  bo.kafka.publish_feeds = false;
  bo.kafka.before_key_apply = [&late] {
    while (late) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  auto b = Ledger::Open(bo);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  late = true;
  struct Release {  // before b closes, whatever fails: its follower must not stay blocked
    std::atomic<bool>& late;
    ~Release() { late = false; }
  } release{late};

  const std::string permit = "permit-keywait-1";
  Command submit = SubmitCommand("keywait", 1);
  const std::string nik = std::get<SubmitApplication>(submit.action).personal.nik;
  for (Command c : {submit, Cmd("consent-keywait-1", permit, {"applicant", "applicant", permit},
                                GrantConsent{"bank-dki"})}) {
    Outcome o = (*a)->ExecuteSync(c);
    ASSERT_TRUE(o.error.ok()) << o.error.ToString();
    ASSERT_FALSE(o.refusal) << o.refusal->code << ": " << o.refusal->message;
  }
  // b's views hold the bank's message (consent_granted, with the applicant).
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       FeedProjection::LastSeq((*b)->engine().db(), "bank-dki") < 1 &&
       std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GE(FeedProjection::LastSeq((*b)->engine().db(), "bank-dki"), 1u);

  ApiGateway api(**b);
  auto read = [&] {
    HttpRequest req{http::verb::get, "/v1/feeds/bank-dki?after=0", 11};
    req.set(http::field::authorization, "Bearer " + (*b)->SubscriberToken("bank-dki", 0));
    std::optional<HttpResponse> res;
    api.Handle(std::move(req), [&](HttpResponse r) { res = std::move(r); });
    EXPECT_TRUE(res && res->result_int() == 200u);
    return res ? res->body() : std::string();
  };
  const std::string held = read();
  EXPECT_EQ(held.find("id: "), std::string::npos) << "sent before its key arrived: " << held;
  late = false;  // the key arrives
  std::string body;
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       body.find("id: ") == std::string::npos && std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(20)))
    body = read();
  EXPECT_NE(body.find("\"nik\":\"" + nik + "\""), std::string::npos) << body;
  EXPECT_EQ(body.find("unavailable"), std::string::npos) << body;
}

// Short of disk under the processor's store: commands are answered with
// "disk_full" and nothing is written; the same command id is decided once
// there is room again.
TEST(KafkaLedger, FullDiskRefusesCommandsAndWritesNothing) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("disk");
  std::atomic<uint64_t> free{uint64_t{1} << 30};
  LedgerOptions o = KafkaLedger(TempDir("disk"), Bootstrap(), prefix, 1);
  o.free_bytes = [&free] { return DiskRoom{free.load(), "test disk"}; };
  auto l = Ledger::Open(o);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  auto submit = [&] {
    return (*l)->ExecuteSync(Cmd("submit-full", "permit-full-1",
                                 {"applicant", "applicant", "permit-full-1"},
                                 Application(HashToken("code-full"))));
  };
  free = 1 << 20;
  Outcome refused = submit();
  EXPECT_EQ(refused.error.code(), "disk_full") << refused.error.ToString();
  EXPECT_NE(refused.error.message().find("nothing was written"), std::string::npos);
  EXPECT_TRUE(refused.events.empty());
  EXPECT_FALSE((*l)->queries().Permit("permit-full-1"));
  free = uint64_t{1} << 30;
  Outcome taken = submit();
  ASSERT_TRUE(taken.error.ok()) << taken.error.ToString();
  ASSERT_FALSE(taken.refusal) << taken.refusal->message;
  EXPECT_FALSE(taken.duplicate);
  EXPECT_EQ(EventsByCommand(Bootstrap(), prefix, 1)["submit-full"], 1);
  // A backup is the cluster's on Kafka, not an instance's.
  auto backup = (*l)->Backup();
  EXPECT_EQ(backup.status().code(), "backup_on_kafka") << backup.status().ToString();
}

// An instance pointed at other topics than the ones it was built from
// (another prefix here; topics deleted and made again alike) refuses to
// start: its processor state and views are past those topics' end, and new
// events would take offsets it holds as decided and applied.
TEST(KafkaLedger, AnInstanceOnOtherTopicsThanItWasBuiltFromRefusesToStart) {
  PL_REQUIRE_KAFKA();
  LedgerOptions o = KafkaLedger(TempDir("moved"), Bootstrap(), Unique("moved"), 1);
  {
    auto l = Ledger::Open(o);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    Outcome taken = (*l)->ExecuteSync(Cmd("submit-moved", "permit-moved-1",
                                          {"applicant", "applicant", "permit-moved-1"},
                                          Application(HashToken("code-moved"))));
    ASSERT_TRUE(taken.error.ok()) << taken.error.ToString();
    ASSERT_FALSE(taken.refusal) << taken.refusal->message;
  }
  o.kafka.topic_prefix = Unique("elsewhere");
  auto moved = Ledger::Open(o);
  ASSERT_FALSE(moved.ok()) << "an instance built from other topics started";
  EXPECT_EQ(moved.status().code(), "log_inconsistent") << moved.status().ToString();
  EXPECT_NE(moved.status().message().find(o.kafka.topic_prefix + ".events"), std::string::npos)
      << moved.status().message();
  EXPECT_NE(moved.status().message().find("--kafka-topic-prefix"), std::string::npos);
}

// Fault (a): the (single) broker killed with SIGKILL under load, restarted.
TEST(KafkaLedgerFaults, BrokerKilledUnderLoadLosesAndDuplicatesNothing) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("brokerkill");
  const std::string tag = Unique("bk");
  auto l = Ledger::Open(KafkaLedger(TempDir("bk"), Bootstrap(), prefix));
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  const int n = 600;
  std::atomic<int> done{0}, done_at_kill{0};
  std::thread chaos([&] {
    while (done < n / 4) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_EQ(std::system(PL_SOURCE_DIR "/scripts/kafka.sh kill 1"), 0);
    done_at_kill = done.load();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    ASSERT_EQ(std::system(PL_SOURCE_DIR "/scripts/kafka.sh restart 1 >/dev/null"), 0);
  });
  LoadResult load =
      RunLoad([&](Command c) { return (*l)->ExecuteSync(std::move(c)); }, tag, n, 8, &done);
  chaos.join();
  // Commands in flight wait for the broker (or time out and are retried
  // with the same id); either way the kill happened mid-load.
  EXPECT_LT(done_at_kill, n) << "the broker was killed after the load";
  ExpectExactlyOnce(load, tag, n, Bootstrap(), prefix, 4, **l);
}

// The broker down: a command sent then waits (its record queued); once the
// command topic has taken nothing for a while, new commands are refused at
// once ("unavailable", 503) and never written, but for one every
// `probe_every`, which is sent to find out; the broker back, the queued
// record and the probe are decided once and commands are accepted again.
TEST(KafkaLedgerFaults, AnUnreachableClusterRefusesCommandsAtOnceAndWritesNothing) {
  PL_REQUIRE_KAFKA();
  const std::string prefix = Unique("unreach");
  const std::string tag = Unique("ur");
  LedgerOptions o = KafkaLedger(TempDir("ur"), Bootstrap(), prefix);
  o.kafka.unreachable_after = std::chrono::seconds(2);
  o.kafka.probe_every = std::chrono::seconds(8);
  auto l = Ledger::Open(o);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  Ledger& ledger = **l;
  auto until = [](const std::function<bool()>& done, std::chrono::seconds limit) {
    for (auto end = std::chrono::steady_clock::now() + limit; !done();) {
      if (std::chrono::steady_clock::now() > end) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  };
  auto decided = [&](int i) {  // sent again until decided: its first outcome
    Outcome out;
    until([&] { return (out = ledger.ExecuteSync(SubmitCommand(tag, i))).error.ok(); },
          std::chrono::seconds(150));
    return out;
  };
  Outcome first = decided(0);
  ASSERT_TRUE(first.error.ok()) << first.error.ToString();
  EXPECT_TRUE(ledger.backend().log_reachable());

  auto known_end = ledger.log().EndOffsetNow(PartitionId{0});
  ASSERT_TRUE(known_end.ok()) << known_end.status().ToString();
  ASSERT_EQ(std::system(PL_SOURCE_DIR "/scripts/kafka.sh kill 1"), 0);
  bool restarted = false;
  auto restart = [&] {
    if (std::exchange(restarted, true)) return;
    EXPECT_EQ(std::system(PL_SOURCE_DIR "/scripts/kafka.sh restart 1 >/dev/null"), 0);
  };
  struct OnExit {
    std::function<void()> fn;
    ~OnExit() { fn(); }
  } on_exit{restart};
  auto queued = std::make_shared<std::promise<Outcome>>();  // answered even as the ledger closes
  ledger.Submit(SubmitCommand(tag, 1),
                [queued](Outcome out) { queued->set_value(std::move(out)); });
  ASSERT_TRUE(until([&] { return !ledger.backend().log_reachable(); }, std::chrono::seconds(60)))
      << "the command topic is down, and the ledger does not see it";
  // The command whose record found the partition down is answered then
  // (its outcome unknown: the record may yet be taken), not after the
  // outcome timeout, whose answer says it waited for an outcome.
  auto queued_answer = queued->get_future();
  ASSERT_EQ(queued_answer.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  const Outcome stuck = queued_answer.get();
  EXPECT_EQ(stuck.error.code(), "outcome_unknown") << stuck.error.ToString();
  EXPECT_NE(stuck.error.message().find("cannot reach its Kafka cluster"), std::string::npos)
      << stuck.error.message();
  // A command of the partition found down (each partition is found so by
  // its own records: one leader may be down, the others not).
  const auto partition_of = [&](int i) {
    return ledger.log().PartitionFor(SubmitCommand(tag, i).stream.str()).value;
  };
  int same = 2;
  while (partition_of(same) != partition_of(1)) ++same;
  Outcome refused = ledger.ExecuteSync(SubmitCommand(tag, same));
  EXPECT_EQ(refused.error.code(), "unavailable") << refused.error.ToString();
  EXPECT_NE(refused.error.message().find("Nothing was written"), std::string::npos)
      << refused.error.message();
  // The health check says so, with 200: a balancer keeps the process in
  // service, to send the command that finds the cluster back.
  ApiGateway api(ledger);
  auto health = [&] {
    std::optional<HttpResponse> out;
    api.Handle(HttpRequest{http::verb::get, "/healthz", 11},
               [&](HttpResponse r) { out = std::move(r); });
    EXPECT_TRUE(out && out->result() == http::status::ok);
    return out ? nlohmann::json::parse(out->body())["status"] : nlohmann::json();
  };
  EXPECT_EQ(health(), "log_unreachable");
  // The metrics' end offset does not wait on the cluster (it once held an
  // HTTP thread for the whole outage): the end last known.
  auto end_now = ledger.log().EndOffsetNow(PartitionId{0});
  ASSERT_TRUE(end_now.ok()) << end_now.status().ToString();
  EXPECT_GE(end_now->value, known_end->value);

  // Past `probe_every` (counted from when the partition was found down, at
  // most the time waited above), one command is sent to find out whether
  // the partition is back: it is not refused, it waits; the next is
  // refused again. A refusal is answered inside Submit, so what is answered
  // when Submit returns was refused.
  std::this_thread::sleep_for(o.kafka.probe_every + std::chrono::milliseconds(500));
  int probe = same + 1;
  while (partition_of(probe) != partition_of(1)) ++probe;
  auto probed = std::make_shared<std::promise<Outcome>>();
  ledger.Submit(SubmitCommand(tag, probe),
                [probed](Outcome out) { probed->set_value(std::move(out)); });
  EXPECT_EQ(probed->get_future().wait_for(std::chrono::seconds(0)), std::future_status::timeout)
      << "the probe was refused at once: the partition is never tried again";
  int after_probe = probe + 1;
  while (partition_of(after_probe) != partition_of(1)) ++after_probe;
  EXPECT_EQ(ledger.ExecuteSync(SubmitCommand(tag, after_probe)).error.code(), "unavailable");

  restart();
  ASSERT_TRUE(until([&] { return ledger.backend().log_reachable(); }, std::chrono::seconds(120)))
      << "the broker is back, and the ledger still refuses commands";
  EXPECT_EQ(health(), "ok");
  LoadResult load;
  const int after = after_probe + 1;
  for (int i : {1, probe, after}) {
    Outcome out = decided(i);
    ASSERT_TRUE(out.error.ok()) << i << ": " << out.error.ToString();
    if (i != probe) {  // the probe: decided if in time, or its repeat
      EXPECT_EQ(out.duplicate, i == 1) << i;
    }
  }
  for (int i : {0, 1, probe, after})
    load.acknowledged.insert("app-" + tag + "-" + std::to_string(i));
  // The refused commands are not on the event topic: ExpectExactlyOnce
  // finds no event of a command it was not told was acknowledged.
  ExpectExactlyOnce(load, tag, 4, Bootstrap(), prefix, 4, ledger);
}

}  // namespace
}  // namespace pl
