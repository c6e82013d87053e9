// The ledger on one machine, in-process: the demo history through the real
// processor, views against a replay, restart.
#include "gateways/ledger.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>

#include "domain/state_codec.h"
#include "events/embedded_log.h"
#include "gateways/api_gateway.h"
#include "gateways/api_render.h"
#include "gateways/audit_cli.h"
#include "gateways/checkpoint_publisher.h"
#include "gateways/demo.h"
#include "gateways/shipped_charter.h"
#include "projections/projection_engine.h"
#include "projections/view_keys.h"
#include "tests/application_json.h"

namespace pl {
namespace {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FreshDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("pl-unit-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(Ledger, DemoHistoryViewsEqualAReplayAndSurviveARestart) {
  const std::string dir = FreshDir("demo");
  std::string digest;
  uint64_t events = 0;
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    auto demo = RunDemo(**ledger, {60, 7});
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    EXPECT_EQ(demo->refused, 0);
    events = (*ledger)->log().EndOffset(PartitionId{0})->value;
    EXPECT_GT(events, 200u);

    // Every application is counted once in the stage counters.
    auto stats = (*ledger)->queries().Stats();
    int64_t total = 0;
    for (auto& [stage, n] : stats["kecamatan"]["by_stage"].items()) total += n.get<int64_t>();
    EXPECT_EQ(total, 60);
    // And once in the months' new applications, though some entered
    // "submitted" twice (sent back in after missing documents).
    int64_t applications = 0, entered_submitted = 0;
    for (const auto& m : stats["kecamatan"]["months"]) {
      applications += m["applications"].get<int64_t>();
      entered_submitted += m["entered"].value("submitted", int64_t{0});
    }
    EXPECT_EQ(applications, 60);
    EXPECT_GT(entered_submitted, 60) << "the demo sends no application back in";

    // The register pages by permit number: after= the last of a page, the
    // next, to the end, each entry once; a kelurahan's the same way.
    for (const std::string kel : {"", "31.74.10.1003"}) {
      const auto all = (*ledger)->queries().Register(kel, "", 500);
      ASSERT_GE(all.size(), 2u) << kel;
      std::vector<nlohmann::json> paged;
      for (std::string after;;) {
        auto page = (*ledger)->queries().Register(kel, "", 3, after);
        paged.insert(paged.end(), page.begin(), page.end());
        if (page.size() < 3) break;
        after = page.back()["permit_number"];
      }
      EXPECT_EQ(paged, all) << kel;
      const std::string second = all[1]["permit_number"];
      EXPECT_EQ(
          (*ledger)->queries().Register(kel, "", 1, all[0]["permit_number"])[0]["permit_number"],
          second);
    }

    // A replay from offset zero into a fresh store is byte-identical.
    auto fresh =
        ProjectionEngine::Open((*ledger)->log(), AllProjections(), {dir + "/replay", 97, true});
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE((*fresh)->CatchUp().ok());
    digest = ProjectionEngine::Digest((*ledger)->engine().db());
    EXPECT_EQ(ProjectionEngine::Digest((*fresh)->db()), digest);
    // So is one folded by a single thread (the replay above splits each
    // batch of 97 events among two), and one with a thread per run of
    // projections (the feeds stay on the permit views' thread, after them:
    // they read the views' fold).
    for (int threads : {1, 4}) {
      ProjectionEngineOptions o{dir + "/replay" + std::to_string(threads), 97, true};
      o.threads = threads;
      auto other = ProjectionEngine::Open((*ledger)->log(), AllProjections(), o);
      ASSERT_TRUE(other.ok());
      ASSERT_TRUE((*other)->CatchUp().ok());
      EXPECT_EQ(ProjectionEngine::Digest((*other)->db()), digest) << threads << " threads";
    }
    // A replay as far as given offsets (a replay's, as far as the live
    // views reach while another instance appends) stops there, and goes on
    // from there to the same views.
    {
      auto part = ProjectionEngine::Open((*ledger)->log(), AllProjections(),
                                         {dir + "/replay-part", 97, true});
      ASSERT_TRUE(part.ok());
      const std::vector<uint64_t> until{events / 2};
      auto n = (*part)->CatchUp(&until);
      ASSERT_TRUE(n.ok());
      EXPECT_EQ(*n, events / 2);
      EXPECT_EQ((*part)->checkpoints(), until);
      ASSERT_TRUE((*part)->CatchUp().ok());
      EXPECT_EQ(ProjectionEngine::Digest((*part)->db()), digest);
    }
    // The JSON the views store (feed messages, register entries) is
    // canonical: what nlohmann's dump() writes for it (sorted keys).
    int checked = 0, sealed = 0;
    std::unique_ptr<rocksdb::Iterator> it(
        (*ledger)->engine().db()->NewIterator(rocksdb::ReadOptions()));
    for (const char* prefix : {"feeds/msg/", "register/permit/"}) {
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        const std::string v = it->value().ToString();
        EXPECT_EQ(nlohmann::json::parse(v).dump(), v) << it->key().ToString();
        ++checked;
        sealed += v.find("\"sealed\"") != std::string::npos;
      }
    }
    EXPECT_GT(checked, 60);
    EXPECT_GT(sealed, 0) << "no message carried sealed applicant fields";
    it.reset();
    // The feeds without the permit views they follow: refused on open.
    auto all = AllProjections();
    std::erase_if(all, [](const auto& p) { return p->name() == "status"; });
    auto orphan = ProjectionEngine::Open((*ledger)->log(), std::move(all),
                                         {dir + "/replay-orphan", 97, true});
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.status().code(), "invalid_argument");
  }
  // Reopening folds nothing twice: same views, same processor state.
  auto ledger = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)->log().EndOffset(PartitionId{0})->value, events);
  EXPECT_EQ(ProjectionEngine::Digest((*ledger)->engine().db()), digest);
  auto s = (*ledger)->queries().Permit("PDEMO100000");
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->version, 0u);
  ledger->reset();

  // Views of another layout (here an older one, with a stray key) are
  // dropped and rebuilt from the log on open.
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir + "/views", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "format", "1").ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "audit/permit/stray", "{}").ok());
  }
  ledger = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ProjectionEngine::Digest((*ledger)->engine().db()), digest);
  std::filesystem::remove_all(dir);
}

// The demo adopts its charter before the history it generates, so that its
// permits' stages fall under it: an amendment then leaves their due dates
// where they were (as for permits made live), instead of applying to
// stages that seemed older than any charter.
TEST(Ledger, TheDemosCharterPrecedesItsHistoryAndAnAmendmentMovesNoDueDate) {
  const std::string dir = FreshDir("demo-charter");
  const DemoOptions demo{80, 11};
  LedgerOptions lo;
  lo.data_dir = dir;
  lo.charter_time_ms = DemoCharterTime(SystemNowMs(), demo);
  auto ledger = Ledger::Open(lo);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  ASSERT_TRUE(RunDemo(**ledger, demo).ok());
  auto gov = (*ledger)->governance();
  ASSERT_EQ(gov->adopted.size(), 1u);
  EXPECT_EQ(gov->adopted.begin()->first, lo.charter_time_ms);

  std::map<std::string, std::string> due;  // open permits' due dates
  for (int i = 0; i < demo.permits; ++i) {
    const std::string id = "PDEMO" + std::to_string(100000 + i);
    auto state = (*ledger)->queries().Permit(id);
    ASSERT_TRUE(state) << id;
    EXPECT_GE(state->stage_entered_ms, lo.charter_time_ms) << id;
    if (auto d = Stage(*state, *gov).due_date; !d.empty()) due[id] = d;
  }
  ASSERT_FALSE(due.empty());

  // Version 2 makes every service level 30 working days, and renames a
  // kelurahan.
  auto amended = nlohmann::json::parse(gov->charter->canonical_json);
  amended["charter_version"] = 2;
  for (auto& [stage, days] : amended["service_days"].items()) days = 30;
  const std::string renamed = amended["kelurahan"][0]["code"];
  amended["kelurahan"][0]["name"] = "Nama Baru";
  Command cmd;
  cmd.id = CommandId("amend-service-levels");
  cmd.stream = kGovernanceStream;
  cmd.actor = {"admin", "admin", ""};
  cmd.action = AdoptCharter{amended.dump()};
  Outcome o = (*ledger)->ExecuteSync(std::move(cmd));
  ASSERT_TRUE(o.error.ok() && !o.refusal) << (o.refusal ? o.refusal->message : o.error.message());
  gov = (*ledger)->governance();
  ASSERT_EQ(gov->charter->version, 2u);
  for (const auto& [id, date] : due)
    EXPECT_EQ(Stage(*(*ledger)->queries().Permit(id), *gov).due_date, date) << id;
  // The register names the kelurahan as the charter in force does, like
  // every other view.
  const auto entries = (*ledger)->queries().Register(renamed, "", 500);
  ASSERT_FALSE(entries.empty());
  for (const auto& e : entries) EXPECT_EQ(e["kelurahan_name"], "Nama Baru") << e.dump();
  const std::string number = entries.front()["permit_number"];
  EXPECT_EQ((*(*ledger)->queries().RegisterEntry(number))["kelurahan_name"], "Nama Baru");
  ledger->reset();
  std::filesystem::remove_all(dir);
}

// The log's name is fixed with its key: started once under a name, the
// ledger keeps it when started again without one (the default would be
// "permitledger.local/<kecamatan>/<permit type>" of the charter).
TEST(Ledger, TheLogKeepsTheNameItsKeyWasMadeWith) {
  const std::string dir = FreshDir("origin");
  const std::string pub = CheckpointPublisher::PublicKeyPath(dir);
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  {
    LedgerOptions lo;
    lo.data_dir = dir;
    lo.transparency_origin = "ledger.example/pesanggrahan";
    auto ledger = Ledger::Open(lo);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  const std::string key = read(pub);
  ASSERT_TRUE(key.starts_with("ledger.example/pesanggrahan+")) << key;
  auto again = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(read(pub), key);
  again->reset();
  std::filesystem::remove_all(dir);
  // A new log's default name holds the kecamatan and the permit type: the
  // ledgers of two permits of one kecamatan sign under names of their own.
  {
    auto fresh = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  }
  EXPECT_TRUE(read(pub).starts_with("permitledger.local/31.74.10/IUMK+")) << read(pub);
  std::filesystem::remove_all(dir);
}

// The data directory a ledger makes, and its key store always, are the
// owner's alone: the keys open every applicant's personal data.
TEST(Ledger, ItsNewDataDirectoryAndItsKeysAreTheOwnersAlone) {
  namespace fs = std::filesystem;
  const std::string dir = FreshDir("private");
  const auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  EXPECT_EQ(mode(dir), fs::perms::owner_all);
  EXPECT_EQ(mode(fs::path(dir) / "keys"), fs::perms::owner_all);
  // A directory made by someone else keeps its mode; the key store is
  // made private again.
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  fs::permissions(fs::path(dir) / "keys",
                  fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  EXPECT_EQ(mode(dir), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  EXPECT_EQ(mode(fs::path(dir) / "keys"), fs::perms::owner_all);
  fs::remove_all(dir);
}

// A history restored without the key store that seals its applicants'
// data, or without the secret that answers its subscribers, is refused by
// the server (never given new ones) until they are restored, or an empty
// key store folder says they are lost for good; an offline tool reads it
// and makes nothing in the directory.
TEST(Ledger, AHistoryWithoutItsKeysOrSecretIsRefusedNotGivenNewOnes) {
  namespace fs = std::filesystem;
  const std::string dir = FreshDir("restored");
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  const fs::path keys = fs::path(dir) / "keys", secret = fs::path(dir) / "server.secret";
  fs::rename(keys, dir + "-keys");
  fs::rename(secret, dir + "-secret");
  auto refused = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "data_dir_incomplete");
  EXPECT_NE(refused.status().message().find("restore it from the backup of the keys"),
            std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(fs::exists(keys));
  // The offline tools read it, and leave nothing behind.
  LedgerOptions offline = LedgerOptions::At(dir);
  auto r = ReplayViews(offline, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(fs::exists(keys)) << "a replay made a key store";
  EXPECT_FALSE(fs::exists(secret)) << "a replay made a server secret";

  fs::rename(dir + "-keys", keys);
  refused = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "data_dir_incomplete");
  EXPECT_NE(refused.status().message().find("server.secret is missing"), std::string::npos)
      << refused.status().message();
  fs::rename(dir + "-secret", secret);
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  // The keys lost for good: an empty folder in their place says so.
  fs::remove_all(keys);
  fs::create_directory(keys);
  auto anew = Ledger::Open(LedgerOptions::At(dir));
  EXPECT_TRUE(anew.ok()) << anew.status().ToString();
  anew->reset();
  fs::remove_all(dir);
}

// The offline tools open the key store as they find it: not even RocksDB's
// recovery writes there (a copy kept as evidence may be read-only).
TEST(Ledger, AReplayLeavesTheKeyStoreAsItIs) {
  namespace fs = std::filesystem;
  const std::string dir = FreshDir("keys-as-they-are");
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  auto listing = [&] {
    std::set<std::string> files;
    for (const auto& f : fs::directory_iterator(fs::path(dir) / "keys"))
      files.insert(f.path().filename().string() + " " +
                   std::to_string(f.is_regular_file() ? f.file_size() : 0));
    return files;
  };
  const auto before = listing();
  auto r = ReplayViews(LedgerOptions::At(dir), "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(listing(), before);
  fs::remove_all(dir);
}

// A first start adopts the charter compiled into the binary, the checkout's
// charters/pesanggrahan.json as it was built: a binary copied away from its
// checkout starts the same.
TEST(Ledger, AFirstStartAdoptsTheShippedCharterCompiledIn) {
  std::ifstream in(PL_SOURCE_DIR "/charters/pesanggrahan.json");
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(ShippedCharter(), file);
  const std::string dir = FreshDir("shipped-charter");
  LedgerOptions lo;
  lo.data_dir = dir;
  {
    auto ledger = Ledger::Open(lo);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ASSERT_TRUE((*ledger)->governance()->charter);
    EXPECT_EQ((*ledger)->governance()->charter->kecamatan_code,
              nlohmann::json::parse(file)["kecamatan"]["code"]);
  }
  std::filesystem::remove_all(dir);
}

// What a start killed while writing a secret file left is removed at the
// next start (one of this very process's id included: in a container every
// start may be process 1); a running process's is left to it.
TEST(Ledger, ASecretFilesTemporaryLeftByAKilledStartIsRemoved) {
  const std::string dir = FreshDir("secret-tmp");
  std::filesystem::create_directories(dir);
  const std::string own = dir + "/admin.token.tmp." + std::to_string(::getpid());
  const std::string dead = dir + "/server.secret.tmp.999999999";
  const std::string alive = dir + "/server.secret.tmp.1";  // process 1 runs
  for (const auto& f : {own, dead, alive}) std::ofstream(f) << "x";
  {
    LedgerOptions lo;
    lo.data_dir = dir;
    auto ledger = Ledger::Open(lo);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  }
  EXPECT_FALSE(std::filesystem::exists(own));
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_TRUE(std::filesystem::exists(alive));
  std::filesystem::remove_all(dir);
}

// The offline replay reads the log and never writes to it, not even the
// charter a first start did not get to adopt.
TEST(Ledger, AReplayOfALogWithoutACharterAdoptsNone) {
  const std::string dir = FreshDir("no-charter");
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(EmbeddedLog::Open({dir + "/log"}).ok());  // a first start that died early
  LedgerOptions lo;
  lo.data_dir = dir;
  auto r = ReplayViews(lo, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->events, 0u);
  EXPECT_TRUE(r->no_live_views);
  EXPECT_FALSE(std::filesystem::exists(dir + "/views")) << "a replay made the live views";
  auto log = EmbeddedLog::Open({dir + "/log"});
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->EndOffset(PartitionId{0})->value, 0u);
  log->reset();
  std::filesystem::remove_all(dir);
}

// The processor's store is derived from the log: rebuilt from it (here from
// scratch, as after a crash between the append and the store's write), a
// repeated command of any stream answers its first outcome.
TEST(Ledger, RepeatsAnswerTheirFirstOutcomeAfterTheStoreIsRebuiltFromTheLog) {
  const std::string dir = FreshDir("rebuilt");
  auto enrol = [] {
    Command cmd;
    cmd.id = CommandId("enrol-x");
    cmd.stream = kGovernanceStream;
    cmd.actor = {"admin", "admin", ""};
    cmd.action = EnrollOfficer{"ptsp-x", "X", "ptsp_officer", "31.74.10.1003", HashToken("t")};
    return cmd;
  };
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    Outcome o = (*ledger)->ExecuteSync(enrol());
    ASSERT_TRUE(o.error.ok() && !o.refusal && o.events.size() == 1u);
  }
  std::filesystem::remove_all(dir + "/state");
  auto ledger = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  Outcome again = (*ledger)->ExecuteSync(enrol());
  ASSERT_TRUE(again.error.ok()) << again.error.ToString();
  EXPECT_FALSE(again.refusal) << again.refusal->code;
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.events.size(), 1u);
  ledger->reset();
  std::filesystem::remove_all(dir);
}

// A log that lost records its views and processor were built from (a
// damaged disk, a log restored from an older copy) is not served: new
// events would take the lost offsets and be skipped as applied. Each store
// built from more says so; with them moved away, the signed checkpoint
// still does (transparency.md).
TEST(Ledger, ALogShorterThanItsViewsIsRefusedNotServed) {
  const std::string dir = FreshDir("lost-records");
  auto enrol = [](const std::string& id) {
    Command cmd;
    cmd.id = CommandId("enrol-" + id);
    cmd.stream = kGovernanceStream;
    cmd.actor = {"admin", "admin", ""};
    cmd.action = EnrollOfficer{id, "X", "ptsp_officer", "31.74.10.1003", HashToken(id)};
    return cmd;
  };
  LedgerOptions lo = LedgerOptions::At(dir);
  {
    auto ledger = Ledger::Open(lo);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ASSERT_TRUE((*ledger)->ExecuteSync(enrol("a")).error.ok());
  }
  std::filesystem::copy(dir + "/log", dir + "/log.older", std::filesystem::copy_options::recursive);
  {
    auto ledger = Ledger::Open(lo);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ASSERT_TRUE((*ledger)->ExecuteSync(enrol("b")).error.ok());
  }
  std::filesystem::remove_all(dir + "/log");
  std::filesystem::rename(dir + "/log.older", dir + "/log");
  auto refused = Ledger::Open(lo);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "log_inconsistent") << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("processor's state"), std::string::npos);
  std::filesystem::rename(dir + "/state", dir + "/state.moved");
  refused = Ledger::Open(lo);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "log_inconsistent") << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("the views"), std::string::npos);
  std::filesystem::rename(dir + "/views", dir + "/views.moved");
  refused = Ledger::Open(lo);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "log_inconsistent") << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("signed"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A permit's state changed in the processor's store (an insider moving an
// application forward past its steps) is not decided on: at start it
// differs from the views' fold of the same log, and the start is refused
// until the store is rebuilt.
TEST(Ledger, AProcessorStateChangedOutsideTheLedgerIsRefusedAtStart) {
  const std::string dir = FreshDir("altered-state");
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ASSERT_TRUE(RunDemo(**ledger, {12, 7}).ok());
  }
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir + "/state", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    it->Seek("p/");
    ASSERT_TRUE(it->Valid() && it->key().starts_with("p/"));
    const std::string key = it->key().ToString();
    auto state = DecodePermitState(it->value().ToStringView());
    ASSERT_TRUE(state.ok());
    it.reset();
    state->status = state->status == PermitStatus::kRecommended ? PermitStatus::kSurveyed
                                                                : PermitStatus::kRecommended;
    std::string altered;
    EncodePermitState(*state, altered);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, altered).ok());
  }
  auto refused = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "state_inconsistent") << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("audit verify"), std::string::npos);
  // The store moved away is folded again from the log.
  std::filesystem::rename(dir + "/state", dir + "/state.altered");
  auto rebuilt = Ledger::Open(LedgerOptions::At(dir));
  EXPECT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  rebuilt->reset();
  std::filesystem::remove_all(dir);
}

// A stored checkpoint altered (an older one, which CheckConsistent does
// not look at) is refused at start: auditors and banks are served from the
// file.
TEST(Ledger, AnAlteredOlderCheckpointIsRefusedAtStart) {
  const std::string dir = FreshDir("altered-checkpoint");
  for (const std::string id : {"a", "b"}) {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    Command cmd;
    cmd.id = CommandId("enrol-" + id);
    cmd.stream = kGovernanceStream;
    cmd.actor = {"admin", "admin", ""};
    cmd.action = EnrollOfficer{id, "X", "ptsp_officer", "31.74.10.1003", HashToken(id)};
    ASSERT_TRUE((*ledger)->ExecuteSync(std::move(cmd)).error.ok());
  }  // each stop signs a checkpoint
  const std::string file = CheckpointLog::FilePath(CheckpointPublisher::CheckpointDir(dir));
  auto stored = CheckpointLog::ReadFile(file);
  ASSERT_TRUE(stored.ok() && stored->records.size() >= 2u);
  std::ifstream in(file, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  // The first record's root (its note's third line), one letter changed.
  const size_t root = data.find('\n', data.find('\n', data.find('\n') + 1) + 1) + 1;
  data[root] = data[root] == 'A' ? 'B' : 'A';
  std::ofstream(file, std::ios::binary | std::ios::trunc) << data;
  auto refused = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "log_inconsistent") << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("checkpoint 0 "), std::string::npos)
      << refused.status().message();
  std::filesystem::remove_all(dir);
}

// A write-ahead log cut short (a damaged disk, a careless copy) leaves the
// log shorter than its views: the start is refused, and the damaged file is
// left as it was found, for an audit (RocksDB's recovery would otherwise
// write what it read into a new table file and delete the log file).
TEST(Ledger, ALogFileCutShortIsRefusedAndLeftAsFound) {
  const std::string dir = FreshDir("cut-short");
  {
    auto ledger = Ledger::Open(LedgerOptions::At(dir));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    for (int i = 0; i < 20; ++i) {
      Command cmd;
      cmd.id = CommandId("enrol-" + std::to_string(i));
      cmd.stream = kGovernanceStream;
      cmd.actor = {"admin", "admin", ""};
      cmd.action = EnrollOfficer{"o" + std::to_string(i), "X", "ptsp_officer", "31.74.10.1003",
                                 HashToken("o" + std::to_string(i))};
      ASSERT_TRUE((*ledger)->ExecuteSync(std::move(cmd)).error.ok());
    }
  }
  std::filesystem::path wal;
  for (const auto& f : std::filesystem::directory_iterator(dir + "/log"))
    if (f.path().extension() == ".log" &&
        (wal.empty() || f.file_size() > std::filesystem::file_size(wal)))
      wal = f.path();
  ASSERT_FALSE(wal.empty());
  const auto cut = std::filesystem::file_size(wal) / 2;
  std::filesystem::resize_file(wal, cut);
  auto refused = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "log_inconsistent") << refused.status().ToString();
  ASSERT_TRUE(std::filesystem::exists(wal)) << "the damaged log file was deleted";
  EXPECT_EQ(std::filesystem::file_size(wal), cut);
  std::filesystem::remove_all(dir);
}

// Below its disk reserve the ledger writes nothing: it does not start, and
// it refuses commands until space is freed.
TEST(Ledger, BelowItsDiskReserveTheLedgerRefusesAndWritesNothing) {
  const std::string dir = FreshDir("disk");
  auto free = std::make_shared<std::atomic<uint64_t>>(10ull << 20);
  LedgerOptions lo;
  lo.data_dir = dir;
  lo.free_bytes = [free] { return DiskRoom{free->load(), "test disk"}; };
  auto refused = Ledger::Open(lo);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "disk_full");
  EXPECT_NE(refused.status().message().find("10 MiB free"), std::string::npos)
      << refused.status().message();
  // A new ledger needs its stores' room too, refused before they are made.
  free->store(200ull << 20);
  refused = Ledger::Open(lo);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("a new ledger needs"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(std::filesystem::exists(dir + "/log"));

  free->store(1ull << 30);
  auto ledger = Ledger::Open(lo);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  const uint64_t end = (*ledger)->log().EndOffset(PartitionId{0})->value;
  auto enrol = [](const std::string& id) {
    Command cmd;
    cmd.id = CommandId(id);
    cmd.stream = kGovernanceStream;
    cmd.actor = {"admin", "admin", ""};
    cmd.action = EnrollOfficer{id, "X", "ptsp_officer", "31.74.10.1003", HashToken(id)};
    return cmd;
  };
  free->store(1ull << 20);
  Outcome o = (*ledger)->ExecuteSync(enrol("disk-1"));
  EXPECT_EQ(o.error.code(), "disk_full") << o.error.ToString();
  EXPECT_EQ((*ledger)->log().EndOffset(PartitionId{0})->value, end);
  // Over HTTP: the health check says so (503), the metrics give the free
  // bytes, and a command's answer says what to do without the server's path.
  ApiGateway api(**ledger);
  auto call = [&](http::verb verb, const std::string& target, const std::string& body) {
    HttpRequest req{verb, target, 11};
    req.set(http::field::authorization, "Bearer " + (*ledger)->admin_token());
    req.body() = body;
    req.prepare_payload();
    auto answer = std::make_shared<std::promise<HttpResponse>>();
    api.Handle(std::move(req), [answer](HttpResponse r) { answer->set_value(std::move(r)); });
    auto future = answer->get_future();
    EXPECT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready) << target;
    return future.get();
  };
  HttpResponse health = call(http::verb::get, "/healthz", "");
  EXPECT_EQ(health.result(), http::status::service_unavailable);
  EXPECT_EQ(nlohmann::json::parse(health.body())["status"], "disk_full") << health.body();
  EXPECT_NE(
      call(http::verb::get, "/metrics", "").body().find("permitledger_disk_free_bytes 1048576"),
      std::string::npos);
  HttpResponse answer =
      call(http::verb::post, "/v1/officers",
           R"({"id":"disk-2","name":"X","role":"ptsp_officer","kelurahan":"31.74.10.1003"})");
  EXPECT_EQ(answer.result(), http::status::service_unavailable) << answer.body();
  EXPECT_NE(answer.body().find("disk is nearly full"), std::string::npos) << answer.body();
  EXPECT_EQ(answer.body().find(dir), std::string::npos) << answer.body();
  // Nor is a backup made: 503 with the reason, for the administrator.
  HttpResponse backup = call(http::verb::post, "/v1/admin/backup", "");
  EXPECT_EQ(backup.result(), http::status::service_unavailable) << backup.body();
  EXPECT_NE(backup.body().find("no backup was made"), std::string::npos) << backup.body();
  EXPECT_FALSE(std::filesystem::exists(dir + "/backups/"));
  free->store(1ull << 30);
  o = (*ledger)->ExecuteSync(enrol("disk-1"));  // the same command, once space is back
  EXPECT_TRUE(o.error.ok()) << o.error.ToString();
  EXPECT_EQ(o.events.size(), 1u);
  EXPECT_EQ(call(http::verb::get, "/healthz", "").result(), http::status::ok);
  ledger->reset();
  std::filesystem::remove_all(dir);
}

TEST(Ledger, ConcurrentCommandsAreGroupCommittedInOrderPerPermit) {
  const std::string dir = FreshDir("group");
  auto ledger = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_TRUE(ledger.ok());
  Ledger& l = **ledger;
  // 200 applications submitted at once, each followed by a withdrawal.
  std::atomic<int> done{0}, accepted{0};
  for (int i = 0; i < 200; ++i) {
    Command submit;
    submit.id = CommandId("g-" + std::to_string(i));
    submit.stream = StreamId("PG" + std::to_string(i));
    submit.actor = {"applicant", "applicant", submit.stream.str()};
    SubmitApplication s;
    s.kelurahan = "31.74.10.1002";
    s.personal = {"31740101019" + std::to_string(10000 + i), "Budi", "Jl. A", "", "", ""};
    s.business = {"Toko " + std::to_string(i), "47111", "toko", 1000000, 2000000, 1, "leased"};
    s.documents = {"form"};
    s.tracking_hash = "h" + std::to_string(i);
    submit.action = s;
    Command withdraw = submit;
    withdraw.id = CommandId("w-" + std::to_string(i));
    withdraw.action = Withdraw{"changed my mind"};
    for (auto* c : {&submit, &withdraw})
      l.Execute(*c, [&](Outcome o) {
        accepted += o.error.ok() && !o.refusal;
        ++done;
      });
  }
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(120);
       done < 400 && std::chrono::steady_clock::now() < end;)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (done < 400) {
    ledger->reset();  // before `done` and `accepted` go, with answers outstanding
    FAIL() << "only " << done << " of 400 commands were answered in 120 s";
  }
  EXPECT_EQ(accepted, 400);
  for (int i = 0; i < 200; ++i) {
    auto s = l.queries().Permit("PG" + std::to_string(i));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->status, PermitStatus::kWithdrawn);
    EXPECT_EQ(s->version, 2u);
  }
  std::filesystem::remove_all(dir);
}

// The public statistics count a stage on time by the due date the permit's
// own view promised: the service level of the charter in force when the
// stage was entered, not of the one in force when it ended.
TEST(Ledger, OnTimeInTheStatisticsMeansByTheDueDatePromised) {
  const std::string dir = FreshDir("sla");
  auto jakarta = [](int d, int hour) {  // March 2026, Jakarta time
    using namespace std::chrono;
    auto t = sys_days{year(2026) / March / day(d)} + hours(hour) - hours(7);
    return duration_cast<milliseconds>(t.time_since_epoch()).count();
  };
  std::atomic<int64_t> now = jakarta(2, 9);  // Monday
  LedgerOptions lo = LedgerOptions::At(dir);
  lo.clock = [&] { return now.load(); };
  lo.charter_time_ms = jakarta(1, 9);
  auto opened = Ledger::Open(lo);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Ledger& l = **opened;
  auto run = [&](const std::string& id, const std::string& stream, Actor actor, Action action) {
    Command c;
    c.id = CommandId(id);
    c.stream = StreamId(stream);
    c.actor = std::move(actor);
    c.action = std::move(action);
    Outcome o = l.ExecuteSync(std::move(c));
    EXPECT_TRUE(o.error.ok() && !o.refusal)
        << id << ": " << (o.refusal ? o.refusal->message : o.error.message());
  };
  const Actor admin{"admin", "admin", ""}, officer{"ptsp-1", "ptsp_officer", "31.74.10.1002"};
  run("enrol", kGovernanceStream.str(), admin,
      EnrollOfficer{"ptsp-1", "Petugas", "ptsp_officer", "31.74.10.1002", HashToken("t")});
  now = jakarta(5, 9);  // Thursday: due in 2 working days, Monday 9 March
  SubmitApplication s;
  s.kelurahan = "31.74.10.1002";
  s.personal = {"3174010101900001", "Budi", "Jl. A", "", "", ""};
  s.business = {"Toko Makmur", "47111", "toko", 1000000, 2000000, 1, "leased"};
  s.documents = {"form", "undertaking", "ktp", "kk", "premises_photo", "premises_proof"};
  s.tracking_hash = "h-sla";
  run("apply", "PSLA1", {"applicant", "applicant", "PSLA1"}, s);
  // The same day, version 2 gives submitted applications 10 working days.
  now = jakarta(5, 12);
  auto amended = nlohmann::json::parse(l.governance()->charter->canonical_json);
  amended["charter_version"] = 2;
  amended["service_days"]["submitted"] = 10;
  run("amend", kGovernanceStream.str(), admin, AdoptCharter{amended.dump()});
  now = jakarta(10, 9);  // Tuesday: a day past the promise, within version 2's level
  ASSERT_TRUE(RenderStage(Stage(*l.queries().Permit("PSLA1"), *l.governance()),
                          *l.governance()->charter, now)["overdue"]);
  // The public statistics count it among the applications now overdue, for
  // its kelurahan and the kecamatan, until it leaves the stage.
  ApiGateway api(l);
  auto public_stats = [&] {
    std::optional<HttpResponse> out;
    api.Handle(HttpRequest{http::verb::get, "/v1/public/stats", 11},
               [&](HttpResponse r) { out = std::move(r); });
    return out ? nlohmann::json::parse(out->body()) : nlohmann::json();
  };
  auto overdue = public_stats();
  EXPECT_EQ(overdue["kecamatan"]["overdue"], nlohmann::json({{"submitted", 1}})) << overdue.dump();
  for (const auto& k : overdue["kelurahan"])
    EXPECT_EQ(k["overdue"], k["code"] == "31.74.10.1002" ? nlohmann::json({{"submitted", 1}})
                                                         : nlohmann::json::object())
        << k.dump();
  run("verify", "PSLA1", officer, VerifyDocuments{});
  EXPECT_EQ(public_stats()["kecamatan"]["overdue"], nlohmann::json::object());
  const auto stats = l.queries().Stats();
  nlohmann::json level;
  for (const auto& m : stats["kecamatan"]["months"])
    if (m["month"] == "2026-03") level = m["service_level"]["submitted"];
  EXPECT_EQ(level["total"], 1) << stats.dump();
  EXPECT_EQ(level["on_time"], 0) << "it was overdue: " << stats.dump();
  EXPECT_EQ(level["service_days"], 10) << "today's level";
  // Version 3 has no level for submitted applications: the month says so
  // (null), not a level of 0 days.
  amended["charter_version"] = 3;
  amended["service_days"].erase("submitted");
  run("amend-3", kGovernanceStream.str(), admin, AdoptCharter{amended.dump()});
  for (const auto& m : l.queries().Stats()["kecamatan"]["months"])
    if (m["month"] == "2026-03") {
      EXPECT_TRUE(m["service_level"]["submitted"]["service_days"].is_null()) << m.dump();
      EXPECT_EQ(m["service_level"]["submitted"]["total"], 1) << m.dump();
    }

  // A command stamped a few minutes before the stage began (within the
  // clocks' tolerance), across a Jakarta midnight: the stay counts 0 working
  // days, not -1 (which once made the statistics unreadable).
  now = jakarta(17, 0) + 60'000;  // Tuesday 00:01
  s.tracking_hash = "h-sla-2";
  run("apply-2", "PSLA2", {"applicant", "applicant", "PSLA2"}, s);
  now = jakarta(17, 0) - 120'000;  // Monday 23:58
  run("verify-2", "PSLA2", officer, VerifyDocuments{});
  nlohmann::json later;
  ASSERT_NO_THROW(later = l.queries().Stats());
  for (const auto& m : later["kecamatan"]["months"])
    if (m["month"] == "2026-03") {  // PSLA1's 3 days (5 to 10 March) and PSLA2's 0
      EXPECT_EQ(m["median_days"]["submitted"], 1.5) << later.dump();
    }
  opened->reset();
  std::filesystem::remove_all(dir);
}

// A caller waiting for the views is answered at its deadline when the
// record it waits for never arrives (on Kafka: the broker unreachable).
TEST(Ledger, ViewWaitersAreAnsweredAtTheirDeadline) {
  const std::string dir = FreshDir("deadline");
  auto ledger = Ledger::Open(LedgerOptions::At(dir));
  ASSERT_TRUE(ledger.ok());
  std::promise<void> fired;
  (*ledger)->engine().WhenApplied(
      {PartitionId{0}, Offset{1'000'000}}, [&] { fired.set_value(); },
      std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
  EXPECT_EQ(fired.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  // No deadline: it waits for the record, whatever deadline checks pass
  // over it. Two do here: each answers a waiter with a deadline registered
  // after it, the second one after the first check had answered everything
  // it found due (the engine's one thread answers them in turn).
  std::atomic<bool> answered{false};
  (*ledger)->engine().WhenApplied({PartitionId{0}, Offset{1'000'000}}, [&] { answered = true; });
  std::promise<void> expired[2];
  for (auto& e : expired) {
    (*ledger)->engine().WhenApplied(
        {PartitionId{0}, Offset{1'000'000}}, [&e] { e.set_value(); },
        std::chrono::steady_clock::now() + std::chrono::milliseconds(1));
    if (e.get_future().wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ledger->reset();  // before the promises go
      FAIL() << "a waiter past its deadline was not answered in 30 s";
    }
  }
  EXPECT_FALSE(answered) << "a waiter without a deadline was answered by a deadline check";
  ledger->reset();
  std::filesystem::remove_all(dir);
}

// An application's repeat gets its tracking code again only soon after the
// application (its answer was lost); later the command_id, which readers of
// the permit's history see, answers 409 whatever the body, so that neither
// the code nor whether guessed personal fields match is told.
TEST(Ledger, AnApplicationsRepeatGetsItsTrackingCodeOnlySoonAfter) {
  const std::string dir = FreshDir("retry-window");
  std::atomic<int64_t> now = SystemNowMs();
  LedgerOptions options = LedgerOptions::At(dir);
  options.clock = [&] { return now.load(); };
  auto ledger = Ledger::Open(options);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  ApiGateway api(**ledger);
  auto post = [&](const std::string& nik) {
    const nlohmann::json body = test::Application("retry-app", "31.74.10.1003", nik);
    HttpRequest req{http::verb::post, "/v1/applications", 11};
    req.body() = body.dump();
    req.prepare_payload();
    std::promise<HttpResponse> answered;  // once the views hold the command
    api.Handle(std::move(req), [&](HttpResponse r) { answered.set_value(std::move(r)); });
    return answered.get_future().get();
  };
  auto first = post("3174010101900001");
  ASSERT_EQ(first.result_int(), 201u) << first.body();
  const std::string code = nlohmann::json::parse(first.body())["tracking_code"];
  now += ApiGateway::kApplicationRetryMs - 1000;
  auto retry = post("3174010101900001");
  ASSERT_EQ(retry.result_int(), 201u) << retry.body();
  EXPECT_EQ(nlohmann::json::parse(retry.body())["tracking_code"], code);
  EXPECT_EQ(post("3174010101900002").result_int(), 409u) << "another request";
  now += 2000;
  auto late = post("3174010101900001"), guessed = post("3174010101900002");
  EXPECT_EQ(late.result_int(), 409u) << late.body();
  EXPECT_EQ(nlohmann::json::parse(late.body())["error"]["code"], "command_id_reused");
  EXPECT_EQ(late.body().find(code), std::string::npos);
  EXPECT_EQ(late.body(), guessed.body()) << "the answer tells nothing of the fields";
  ledger->reset();
  std::filesystem::remove_all(dir);
}

// Permit ids are derived from the application's command id: a retry sent
// after an upgrade must still name the same permit, so the derivation is
// pinned (SHA-256 of the id, its first 60 bits in Crockford base32).
TEST(Ledger, APermitIdIsDerivedFromTheCommandIdAsEver) {
  EXPECT_EQ(PermitIdFor("app-1"), "PBTVYE9F6QB23");
}

TEST(Ledger, ATrackingCodeIsReadAsTyped) {
  const std::string code = "0A1B2-C3D4E-F5G6H-J7K8M";
  for (const char* typed :
       {"0A1B2-C3D4E-F5G6H-J7K8M", "0a1b2c3d4ef5g6hj7k8m", " 0a1b2 c3d4e f5g6h j7k8m ",
        "oA1B2-C3D4E-F5G6H-J7K8M", "0AIB2-C3D4E-F5G6H-J7K8M", "0Al B2C3D4EF5G6HJ7K8M",
        // Pasted from a message or a PDF: en and em dashes, a minus sign, a
        // no-break space, a zero-width space.
        "0A1B2\u2013C3D4E\u2014F5G6H\u2212J7K8M", "0A1B2\u00a0C3D4E\u200bF5G6H\uff0dJ7K8M"})
    EXPECT_EQ(Ledger::NormalizeTrackingCode(typed), code) << typed;
  // Not twenty characters of the alphabet: as given, matching no code.
  for (const char* other : {"0A1B2-C3D4E-F5G6H-J7K8", "0A1B2-C3D4E-F5G6H-J7K8MM",
                            "0A1B2-C3D4E-F5G6H-J7K8U", "", "admin-token"})
    EXPECT_EQ(Ledger::NormalizeTrackingCode(other), other) << other;
}

}  // namespace
}  // namespace pl
