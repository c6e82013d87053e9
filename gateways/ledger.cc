#include "gateways/ledger.h"

#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <rocksdb/db.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "domain/state_codec.h"
#include "events/disk_space.h"
#include "events/embedded_log.h"
#include "events/hex.h"
#include "events/kafka_log.h"
#include "events/secret_file.h"
#include "events/store_options.h"
#include "gateways/crockford.h"
#include "gateways/kafka_backend.h"
#include "gateways/shipped_charter.h"
#include "gateways/transparency_gateway.h"
#include "projections/audit_projection.h"
#include "projections/command_processor.h"
#include "projections/feed_projection.h"
#include "projections/permit_views_projection.h"
#include "projections/transparency_projection.h"
#include "projections/view_keys.h"

namespace pl {
namespace fs = std::filesystem;
namespace {

// Both the processor's state and the views fold every permit's events
// from the one log: caught up with it at start, each permit's state is
// stored byte for byte the same in both. One that differs was changed
// outside the ledger, and the processor would decide on it (a status
// moved forward skips the steps before): nothing is served until someone
// decides which store to rebuild.
Status StatesAgree(const CommandProcessor& processor, rocksdb::DB* views,
                   const std::string& data_dir) {
  uint64_t held = 0;
  std::string differs, view;
  Status s;
  Status walked = processor.ForEachState([&](std::string_view id, std::string_view state) {
    ++held;
    const auto got = views->Get(rocksdb::ReadOptions(), keys::Permit(id), &view);
    if (!got.ok() && !got.IsNotFound()) {
      s = Status("store_unavailable", "the views at " + data_dir + "/views: " + got.ToString());
      return false;
    }
    const bool found = got.ok();
    if (found && view == state) return true;
    auto told = [](std::string_view encoded) {
      auto st = DecodePermitState(encoded);
      return st.ok() ? "version " + std::to_string(st->version) + ", " +
                           std::string(StatusName(st->status))
                     : std::string("undecodable");
    };
    const std::string mine = told(state), theirs = found ? told(view) : "no such permit";
    differs = "permit " + std::string(id) + ": " +
              (mine == theirs ? "both at " + mine + ", but other fields differ"
                              : "the processor's state has " + mine + ", the views " + theirs);
    return false;
  });
  if (!s.ok()) return s;
  if (!walked.ok()) return walked;
  if (differs.empty()) {
    uint64_t shown = 0;
    std::unique_ptr<rocksdb::Iterator> it(views->NewIterator(rocksdb::ReadOptions()));
    const std::string prefix = keys::Permit("");
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++shown;
    if (shown == held) return Status::Ok();
    differs = "the views hold " + std::to_string(shown) + " permits, the processor's state " +
              std::to_string(held);
  }
  const fs::path dir(data_dir);
  return Status("state_inconsistent",
                "the processor's state and the views, both folded from the one log, disagree (" +
                    differs +
                    "): one of them was changed outside the ledger. Stop here, keep a copy of "
                    "the data directory as evidence, and run `permitledger audit verify --data " +
                    data_dir +
                    "` (it re-decides every event from the log); then move the "
                    "changed store away (" +
                    (dir / "state").string() + " or " + (dir / "views").string() +
                    ", both if unsure): it is rebuilt from the log at the next start");
}

// Names the permits whose personal data's key the vault lacks with no
// erasure that destroyed it (DATA/keys restored from a copy older than the
// log): their applicants' data can no longer be read. Logged, not refused:
// without a copy that holds them the keys are lost for good, and the
// ledger's other work goes on; `audit verify` lists each, and a key back
// from such a copy that an erasure had destroyed (the state of an erased
// application no longer names its key). Returns how many.
uint64_t WarnOfLostKeys(const CommandProcessor& processor, const PersonalVault& vault,
                        const std::string& data_dir) {
  uint64_t lost = 0;
  std::string first;
  (void)processor.ForEachState([&](std::string_view id, std::string_view encoded) {
    auto st = DecodePermitState(encoded);
    if (!st.ok() || st->personal_erased || st->applicant.ciphertext.empty()) return true;
    const VaultKey key = PersonalVault::KeyOf(st->applicant);
    if (vault.StateOfKey(key.person_id, key.key_id) != PersonalVault::KeyState::kAbsent)
      return true;
    if (++lost <= 5) first += (first.empty() ? "" : ", ") + std::string(id);
    return true;
  });
  if (lost)
    spdlog::error(
        "vault: {} holds no key for the personal data of {} application(s) that no erasure "
        "destroyed ({}{}): their applicants' data can no longer be read. Was it restored from a "
        "copy older than the log? Stop the ledger and restore it from a copy that holds them "
        "(taken with the ledger stopped); `permitledger audit verify --data {}` lists each",
        (fs::path(data_dir) / "keys").string(), lost, first, lost > 5 ? ", ..." : "", data_dir);
  return lost;
}

// A tracking code's 20 characters in groups of five, for reading aloud.
std::string GroupedCode(std::string code) {
  for (size_t at : {15, 10, 5}) code.insert(at, 1, '-');
  return code;
}

// Reads a secret file, or creates it (mode 0600) with `make()`.
Result<std::string> LoadOrCreateSecret(const fs::path& path,
                                       const std::function<std::string()>& make) {
  if (fs::exists(path)) {
    std::ifstream in(path);
    std::string s;
    std::getline(in, s);
    if (s.empty()) return Status("invalid_data_dir", path.string() + " is empty");
    return s;
  }
  std::string s = make();
  Status written = WriteNewSecretFile(path.string(), s + "\n");
  if (written.code() == "key_exists") return LoadOrCreateSecret(path, make);  // another process's
  if (!written.ok()) return Status("invalid_data_dir", written.message());
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string HashToken(const std::string& token) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), md);
  return Hex(md, sizeof md);
}

std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), bytes);
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

std::vector<std::unique_ptr<Projection>> AllProjections() {
  std::vector<std::unique_ptr<Projection>> p;
  auto permits = std::make_unique<PermitViewsProjection>();
  auto feeds = std::make_unique<FeedProjection>(*permits);
  p.push_back(std::move(permits));
  p.push_back(std::move(feeds));  // follows the permit views: their thread
  p.push_back(std::make_unique<AuditProjection>());
  p.push_back(std::make_unique<TransparencyProjection>());
  return p;
}

Result<std::unique_ptr<Ledger>> Ledger::Open(LedgerOptions options) {
  const fs::path dir(options.data_dir);
  const bool kafka = !options.kafka.bootstrap.empty();
  // A data directory holds one kind of ledger: an embedded one's log, or
  // an instance on Kafka's views of the topics. Refused before anything is
  // made in it or on the cluster.
  std::error_code ec;
  if (kafka && fs::exists(dir / "log", ec))
    return Status("invalid_data_dir",
                  options.data_dir + " holds an embedded ledger (its log is " +
                      (dir / "log").string() +
                      "): an instance on Kafka needs a data directory of its own; give --data a "
                      "new directory, and leave this one to the embedded ledger");
  if (!kafka && fs::exists(dir / "instance.id", ec))
    return Status("invalid_data_dir",
                  options.data_dir +
                      " belongs to an instance on Kafka (it holds instance.id and no log of its "
                      "own): start it with --kafka and the --kafka-topic-prefix it was made with");
  // On Kafka, what a refused start made of the instance's own (a copy of
  // the shared vault, an administrator token, its stores) is taken away again: the next
  // start, with the other instances' secrets copied in as the refusal
  // says, then finds the directory as it was.
  std::vector<fs::path> made;
  if (kafka)
    for (const char* name : {"admin.token", "keys", "state", "views", "checkpoints"})
      if (!fs::exists(dir / name, ec)) made.push_back(dir / name);
  // A read-only log is an offline tool's (replay, audit trail); a server
  // writes to it.
  const StoreOpener opener =
      options.read_only_log ? StoreOpener::kOfflineTool : StoreOpener::kServer;
  auto ledger = OpenHere(std::move(options));
  if (!ledger.ok()) {
    for (const auto& path : made) fs::remove_all(path, ec);
    return WithHeldAdvice(ledger.status(), opener);
  }
  return ledger;
}

Result<std::unique_ptr<Ledger>> Ledger::OpenHere(LedgerOptions options) {
  if (sodium_init() < 0) return Status("crypto_unavailable", "libsodium failed to initialise");
  if (!options.clock) options.clock = SystemClockMs;
  std::error_code ec;
  // A new data directory is the owner's alone (it holds the keys, the
  // secrets and the sealed personal data); an existing one keeps its mode.
  if (!fs::exists(options.data_dir, ec) && fs::create_directories(options.data_dir, ec))
    fs::permissions(options.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec)
    return Status("invalid_data_dir", "cannot create " + options.data_dir + ": " + ec.message());
  if (!options.free_bytes) options.free_bytes = [d = options.data_dir] { return LeastFree(d); };
  // A new ledger's stores take their room at once: refused before any is
  // made, rather than halfway (embedded or on Kafka, a ledger's directory
  // has its processor's state or its views once it has started).
  const fs::path at(options.data_dir);
  const bool fresh =
      !fs::exists(at / "log", ec) && !fs::exists(at / "state", ec) && !fs::exists(at / "views", ec);
  const DiskRoom room = options.free_bytes();
  if (Status s = CheckDiskReserve(
          room.free, options.disk_reserve + (fresh ? kNewLedgerRoom : 0), room.path,
          fresh ? "a new ledger needs (its stores' room and the " +
                      std::to_string(options.disk_reserve >> 20) + " MiB it keeps in reserve)"
                : "the ledger keeps in reserve");
      !s.ok())
    return s;
  std::unique_ptr<Ledger> l(new Ledger(options));
  const fs::path dir(options.data_dir);

  // An embedded ledger's log holds a history sealed under its key store
  // and answered with its secret: one restored without them (a backup kept
  // apart from the keys, as docs/events.md advises) is refused, not given
  // new ones that would read every applicant as erased, give a person who
  // applies again a new person id (out of reach of an erasure order for
  // the old ones) and change every subscriber's feed token. On Kafka the
  // shared vault is fetched again from the cluster (docs/kafka.md).
  const bool offline = options.read_only_log;
  if (!offline && !l->kafka() && fs::exists(dir / "log" / "CURRENT", ec)) {
    if (!fs::exists(dir / "keys", ec))
      return Status("data_dir_incomplete",
                    (dir / "keys").string() +
                        " (the key store that seals every applicant's personal data) is missing, "
                        "but " +
                        (dir / "log").string() +
                        " holds a history sealed with it: restore it from the backup of the keys. "
                        "Only if it is lost for good, create the empty folder " +
                        (dir / "keys").string() +
                        " and start again: every applicant's personal data then reads as erased, "
                        "and a person who applies again gets a new person id, which an erasure "
                        "order of the person's earlier applications does not reach");
    if (!fs::exists(dir / "server.secret", ec))
      return Status("data_dir_incomplete",
                    (dir / "server.secret").string() + " is missing, but " +
                        (dir / "log").string() +
                        " holds a history answered with it: restore it from a backup. Only if it "
                        "is lost for good, write a new one (`(umask 077; head -c 32 /dev/urandom | "
                        "base64 > " +
                        (dir / "server.secret").string() +
                        ")`) and start again: every subscriber's feed token changes (hand each "
                        "its new one: GET /v1/feeds/{subscriber}/token)");
  }
  // An offline tool makes nothing in the data directory (a server started
  // on it later would take what it made for what the ledger had): what is
  // missing is made for the run alone, a key store in a folder of its own
  // that the ledger removes when it closes.
  auto secret_file = [&](const char* name, size_t bytes) -> Result<std::string> {
    if (offline && !fs::exists(dir / name, ec)) return RandomToken(bytes);
    if (!offline) RemoveStaleTemporaries((dir / name).string());
    return LoadOrCreateSecret(dir / name, [bytes] { return RandomToken(bytes); });
  };
  if (!offline) {
    if (Status s = RefuseBackupBesideItsLedger(options.data_dir); !s.ok()) return s;
    RemoveUnfinishedBackups(options.data_dir);
  }
  const bool had_admin_token = fs::exists(dir / "admin.token");
  const bool had_log_key = fs::exists(CheckpointPublisher::KeyPath(options.data_dir));
  auto admin = secret_file("admin.token", 24);
  if (!admin.ok()) return admin.status();
  l->admin_token_ = *admin;
  auto secret = secret_file("server.secret", 32);
  if (!secret.ok()) return secret.status();
  l->secret_ = *secret;

  std::string keys = (dir / "keys").string();
  if (offline && !fs::exists(keys, ec)) {
    std::string scratch = (fs::temp_directory_path() / "permitledger-keys-XXXXXX").string();
    if (!mkdtemp(scratch.data()))
      return Status("vault_unavailable",
                    "cannot make a folder for a key store: " + std::string(std::strerror(errno)));
    keys = l->scratch_keys_ = scratch;
  }
  // On Kafka every instance holds a copy of one vault (events/vault_share.h).
  // An offline tool opens the key store there as it is (it reads the
  // erasures; a copy kept as evidence may be read-only).
  auto vault = l->kafka() ? PersonalVault::OpenShared(keys, l->secret_)
                          : PersonalVault::Open(keys, offline && l->scratch_keys_.empty());
  if (!vault.ok()) return vault.status();
  l->vault_ = std::move(*vault);
  if (Status st = l->kafka() ? l->OpenKafka() : l->OpenEmbedded(); !st.ok()) return st;
  ProjectionEngineOptions views{(dir / "views").string()};
  views.refuse_ahead_of_log = true;
  // The offline tools read the views as they are: they audit them.
  views.read_only = options.read_only_log;
  auto engine = ProjectionEngine::Open(*l->log_, AllProjections(), views);
  if (!engine.ok()) return engine.status();
  l->engine_ = std::move(*engine);
  if (!views.read_only)
    if (auto n = l->engine_->CatchUp(); !n.ok()) return n.status();
  l->queries_ = std::make_unique<ViewQueries>(l->engine_->db());
  // On Kafka the instances share one admin token and, with one partition,
  // one log key (docs/kafka.md, "Several instances"): one joining topics
  // that hold a charter already without them made its own.
  const bool joining = l->kafka() && l->queries_->charter();
  // A new instance handed a ledger's signing key, as one joining it is,
  // that finds no ledger on its topics was pointed at the wrong ones: a
  // mistyped prefix would start a second ledger signed with the first's
  // key, two histories under one signature.
  if (l->kafka() && fresh && had_log_key && !joining && options.follow && !options.read_only_log)
    return Status(
        "invalid_argument",
        "the topics " + KafkaTopics::WithPrefix(options.kafka.topic_prefix).events +
            " hold no ledger, but " + CheckpointPublisher::KeyPath(options.data_dir) +
            " was there before this instance's first start, as a key copied to join a ledger "
            "is: is --kafka-topic-prefix \"" +
            options.kafka.topic_prefix +
            "\" mistyped, or --kafka another cluster's? Started, this instance would begin a "
            "second ledger signed with that key. Give the prefix and cluster of the ledger to "
            "join; for a new ledger, give a new data directory (this start may have created the "
            "topics " +
            options.kafka.topic_prefix + ".*: delete them if unwanted)");
  if (joining && !had_admin_token)
    spdlog::warn(
        "{} was made here while the topics already hold a ledger: the other instances' "
        "administrator token is refused here, and this one there. Copy admin.token from the first "
        "instance into {} and start this one again (docs/kafka.md)",
        (dir / "admin.token").string(), options.data_dir);
  if (joining && options.kafka.partitions == 1 && options.follow &&
      !fs::exists(CheckpointPublisher::KeyPath(options.data_dir)))
    spdlog::warn(
        "transparency: {} is missing while the topics already hold a ledger: this instance makes "
        "a key of its own, and banks checking its checkpoints against the first instance's key "
        "read them as not genuine. Stop it, copy transparency.key and transparency.pub from the "
        "first instance into {}, move {} away, and start it again (docs/kafka.md)",
        CheckpointPublisher::KeyPath(options.data_dir), options.data_dir,
        CheckpointPublisher::CheckpointDir(options.data_dir));
  if (options.follow) l->engine_->Start();
  // Whether the log held anything before this start (a first start adopts
  // the charter: its event is no history whose checkpoints could be lost).
  bool had_history = true;
  if (!l->kafka())
    if (auto end = l->log_->EndOffset(PartitionId{0}); end.ok()) had_history = end->value > 0;
  if (options.adopt_charter) {
    if (Status s = l->Bootstrap(); !s.ok()) return s;
  }
  // Checked after the signed checkpoints (a log changed since is told so
  // first) and before anything is signed or served. Views just rebuilt for
  // a new layout are this version's fold, which a processor state folded
  // by an earlier one need not match byte for byte.
  auto states_agree = [&]() -> Status {
    if (!l->embedded_) return Status::Ok();
    l->keys_missing_ = WarnOfLostKeys(*l->embedded_, *l->vault_, options.data_dir);
    if (l->engine_->relaid()) {
      spdlog::info(
          "views rebuilt for a new layout: the processor's state is not compared "
          "with them at this start");
      return Status::Ok();
    }
    return StatesAgree(*l->embedded_, l->engine_->db(), options.data_dir);
  };
  if (options.follow) {
    // The log's name is fixed when its key is made: a later charter that
    // renames the kecamatan does not rename the log (its checkpoints and
    // every verifier key handed out name it).
    std::string origin = options.transparency_origin;
    if (origin.empty()) {
      auto stored = CheckpointSigner::StoredKeyName(CheckpointPublisher::KeyPath(options.data_dir));
      if (!stored.ok()) return stored.status();
      auto charter = l->queries_->charter();
      // The kecamatan and the permit type: two ledgers of one kecamatan
      // (the IUMK's, another permit's) sign under names of their own.
      origin = stored->value_or(
          "permitledger.local/" +
          (charter ? charter->kecamatan_code + "/" + charter->permit_type : std::string("log")));
    }
    const bool had_checkpoint_file =
        fs::exists(CheckpointLog::FilePath(CheckpointPublisher::CheckpointDir(options.data_dir)));
    auto publisher = CheckpointPublisher::Open(
        l->engine_->db(), {options.data_dir, origin, options.checkpoint_interval});
    if (!publisher.ok()) return publisher.status();
    // A log that lost events or changed since its last signed checkpoint is
    // not served: its proofs would contradict what it signed before.
    if (Status s = (*publisher)->CheckConsistent(); !s.ok()) return s;
    if (Status s = (*publisher)->CheckStored(); !s.ok()) return s;
    if (Status s = states_agree(); !s.ok()) return s;
    // Embedded, the checkpoint file of a log that holds events was made
    // here (on Kafka, an instance that joins makes its own only now); a
    // crash before the first checkpoint leaves it there, empty.
    if (!l->kafka() && had_history && !had_checkpoint_file) {
      RocksSnapshotReader reader(l->engine_->db());
      if (auto size = TransparencyProjection::Tree().Size(reader); size.ok() && *size > 0)
        spdlog::warn(
            "transparency: {} holds no checkpoint while the log holds {} events: if it was "
            "lost, stop the ledger and restore it from a backup (the checkpoints auditors and "
            "banks hold are served from it); the ledger signs a new first checkpoint now",
            CheckpointPublisher::CheckpointDir(options.data_dir), *size);
    }
    l->publisher_ = std::move(*publisher);
    l->publisher_->Start();
    if (l->kafka() && options.kafka.publish_feeds) {
      const auto& k = options.kafka;
      FeedPublisherOptions fo;
      fo.client = {k.bootstrap, std::chrono::milliseconds(30000), k.client_config};
      fo.topic_prefix = k.topic_prefix;
      fo.replication_factor = k.replication_factor;
      fo.min_insync_replicas = k.min_insync_replicas;
      // One instance publishes: the owner of command partition 0 (there is
      // one at a time), or, when that one publishes nothing, a standby.
      fo.may_publish = [kafka = static_cast<KafkaBackend*>(l->backend_.get())] {
        return kafka->processor() && kafka->processor()->owned().contains(0);
      };
      fo.takeover_after = k.feeds_takeover_after;
      l->feeds_ = std::make_unique<FeedPublisher>(*l, std::move(fo));
    }
  }
  if (!options.follow)
    if (Status s = states_agree(); !s.ok()) return s;
  return l;
}

Ledger::~Ledger() {
  if (backup_thread_.joinable()) backup_thread_.join();  // a backup under way ends first
  feeds_.reset();      // reads the views, the vault and (may_publish) the backend
  publisher_.reset();  // its last checkpoint reads the views
  backend_.reset();    // stops deciding; queued commands were never acknowledged
  engine_.reset();
  if (!scratch_keys_.empty()) {
    vault_.reset();
    std::error_code ec;
    fs::remove_all(scratch_keys_, ec);
  }
}

namespace {

// The embedded processor behind the LedgerBackend interface.
class EmbeddedBackend final : public LedgerBackend {
 public:
  EmbeddedBackend(std::unique_ptr<CommandProcessor> p, size_t partitions)
      : p_(std::move(p)), partitions_(partitions) {}
  void Submit(Command cmd, std::function<void(Outcome)> done) override {
    p_->Submit(std::move(cmd), std::move(done));
  }
  std::shared_ptr<const GovernanceState> governance() const override { return p_->governance(); }
  uint64_t commands_accepted() const override { return p_->commands_accepted(); }
  uint64_t commands_refused() const override { return p_->commands_refused(); }
  size_t partitions_deciding() const override { return partitions_; }

 private:
  std::unique_ptr<CommandProcessor> p_;
  size_t partitions_;
};

// The offline tools' (LedgerOptions::read_only_log, embedded): no processor,
// its state store not even opened; a command is refused.
class OfflineBackend final : public LedgerBackend {
 public:
  void Submit(Command cmd, std::function<void(Outcome)> done) override {
    Outcome o;
    o.command_id = cmd.id;
    o.stream = cmd.stream.str();
    o.error = Status("read_only",
                     "the ledger is open read-only, by an offline tool: it decides no command");
    done(std::move(o));
  }
  std::shared_ptr<const GovernanceState> governance() const override { return gov_; }
  uint64_t commands_accepted() const override { return 0; }
  uint64_t commands_refused() const override { return 0; }
  size_t partitions_deciding() const override { return 0; }

 private:
  std::shared_ptr<const GovernanceState> gov_ = std::make_shared<GovernanceState>();
};

}  // namespace

Status Ledger::OpenEmbedded() {
  const fs::path dir(options_.data_dir);
  EmbeddedLogOptions lo{(dir / "log").string(), options_.partitions, true};
  lo.read_only = options_.read_only_log;
  auto log = EmbeddedLog::Open(lo);
  if (!log.ok()) return log.status();
  log_ = std::move(*log);
  if (options_.read_only_log) {
    backend_ = std::make_unique<OfflineBackend>();
    return Status::Ok();
  }
  auto processor = CommandProcessor::Open(
      *log_, *vault_,
      {(dir / "state").string(), 4096, options_.clock, options_.disk_reserve, options_.free_bytes});
  if (!processor.ok()) return processor.status();
  embedded_ = processor->get();
  backend_ = std::make_unique<EmbeddedBackend>(std::move(*processor), log_->partitions());
  return Status::Ok();
}

// Creates (or checks) the three topics, starts this instance's processor
// (a member of the processors' group) and the gateway side.
Status Ledger::OpenKafka() {
  const LedgerKafkaOptions& k = options_.kafka;
  const fs::path dir(options_.data_dir);
  const KafkaTopics topics = KafkaTopics::WithPrefix(k.topic_prefix);
  const KafkaClientOptions client{k.bootstrap, std::chrono::milliseconds(30000), k.client_config};
  auto open_topic = [&](const std::string& topic, int64_t retention, bool create = true) {
    KafkaLogOptions lo;
    lo.create_if_missing = create;
    lo.bootstrap_servers = k.bootstrap;
    lo.topic = topic;
    lo.partitions = k.partitions;
    lo.replication_factor = k.replication_factor;
    lo.min_insync_replicas = k.min_insync_replicas;
    lo.retention_ms = retention;
    lo.client_config = k.client_config;
    return KafkaLog::Open(lo);
  };
  // A reader (replay) creates nothing on the cluster: the event topic is
  // there, or the prefix is mistyped.
  if (options_.read_only_log) {
    auto events = open_topic(topics.events, -1, /*create=*/false);
    if (!events.ok()) return events.status();
    log_ = std::move(*events);
  }
  // The vault's keys first: the processor publishes keys, and the views
  // open what they seal.
  VaultShareOptions vo;
  vo.client = client;
  vo.topic = topics.keys;
  vo.replication_factor = k.replication_factor;
  vo.min_insync_replicas = k.min_insync_replicas;
  vo.before_apply = k.before_key_apply;
  auto share = VaultShare::Open(*vault_, std::move(vo));
  if (!share.ok()) return share.status();
  vault_share_ = std::move(*share);
  auto commands = open_topic(topics.commands, k.command_retention_ms);
  if (!commands.ok()) return commands.status();
  auto outcomes = open_topic(topics.outcomes, -1);
  if (!outcomes.ok()) return outcomes.status();
  if (!log_) {
    auto events = open_topic(topics.events, -1);
    if (!events.ok()) return events.status();
    log_ = std::move(*events);
  }

  // This instance's name in the group: stable across restarts, so that a
  // restarted instance fences its previous incarnation.
  auto instance = LoadOrCreateSecret(dir / "instance.id", [] { return RandomToken(8); });
  if (!instance.ok()) return instance.status();
  std::unique_ptr<KafkaCommandProcessor> processor;
  std::unique_ptr<CommandCore> gov_core;
  std::unique_ptr<EventLog> gov_log;
  if (k.process_commands) {
    KafkaProcessorOptions po;
    po.client = client;
    po.topics = topics;
    po.partitions = k.partitions;
    po.group_id = k.group_id.empty() ? k.topic_prefix + ".processors" : k.group_id;
    po.transactional_id = k.topic_prefix + ".processor." + *instance;
    po.state_path = (dir / "state").string();
    po.clock = options_.clock;
    po.transaction_timeout = k.transaction_timeout;
    po.session_timeout = k.session_timeout;
    po.delete_decided_every = k.delete_decided_every;
    po.before_commit = k.before_commit;
    po.disk_reserve = options_.disk_reserve;
    po.free_bytes = options_.free_bytes;
    auto p = KafkaCommandProcessor::Open(*vault_, std::move(po));
    if (!p.ok()) return p.status();
    processor = std::move(*p);
  } else {
    auto core = CommandCore::Open((dir / "state").string(), k.partitions);
    if (!core.ok()) return core.status();
    gov_core = std::move(*core);
    auto gl = open_topic(topics.events, -1);
    if (!gl.ok()) return gl.status();
    gov_log = std::move(*gl);
  }
  KafkaBackend::Options bo{
      client,       topics, k.partitions, k.outcome_timeout, options_.clock, k.unreachable_after,
      k.probe_every};
  auto backend = KafkaBackend::Open(std::move(bo), *log_, std::move(processor), std::move(gov_core),
                                    std::move(gov_log));
  if (!backend.ok()) return backend.status();
  backend_ = std::move(*backend);
  return Status::Ok();
}

uint64_t Ledger::disk_free() const {
  // For /healthz and /metrics, which may be asked thousands of times a
  // second: a second old at most while there is room, asked each time when
  // there is not (so that the end of a shortage shows at once).
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  const uint64_t last = disk_free_.load();
  if (last >= options_.disk_reserve && now - disk_free_at_ms_.load() < 1000) return last;
  const uint64_t free = options_.free_bytes().free;
  disk_free_.store(free);
  disk_free_at_ms_.store(now);
  return free;
}

Status Ledger::Bootstrap() {
  if (backend_->governance()->charter) return Status::Ok();
  std::string text = options_.charter_path.empty() ? std::string(ShippedCharter())
                                                   : ReadFile(options_.charter_path);
  if (text.empty())
    return Status("invalid_charter", "cannot read the charter " + options_.charter_path);
  if (Status s = Charter::CheckProposal(text); !s.ok()) return s;
  Command cmd;
  cmd.id = CommandId("bootstrap-charter");
  cmd.stream = kGovernanceStream;
  cmd.actor = {"admin", "admin", ""};
  cmd.time_ms = options_.charter_time_ms;  // 0: the processor's clock
  cmd.action = AdoptCharter{text};
  // Instances starting together on new topics all send it: one is decided,
  // the others are repeats, whose first outcome may not be readable at once.
  // A repeat under the same command id never adopts a second charter.
  for (int attempt = 1;; ++attempt) {
    Outcome o = ExecuteSync(cmd);
    if (o.refusal) return Status(o.refusal->code, o.refusal->message);
    adopted_charter_ = o.error.ok();
    if (o.error.ok() || backend_->governance()->charter) return Status::Ok();
    if (kafka() && !options_.kafka.process_commands && o.error.code() == "outcome_unknown")
      return Status("outcome_unknown",
                    "no command processor adopted the charter on these topics, and this instance "
                    "runs none (--kafka-gateway-only): start an instance that processes "
                    "commands first (" +
                        o.error.message() + ")");
    if (o.error.code() != "unavailable" || attempt == 5) return o.error;
    spdlog::info("adopting the charter: {}; repeating it", o.error.message());
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

std::string Ledger::Mac(std::string_view message) const {
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string Ledger::SubscriberToken(const std::string& subscriber, uint32_t generation) const {
  // A permit id never holds a NUL, so no tracking code is a subscriber token.
  // Generation 0 is the token of before generations were counted.
  std::string message = std::string("feed-subscriber") + '\0' + subscriber;
  if (generation > 0) message += '\0' + std::to_string(generation);
  const std::string m = Mac(message);
  return "feed_" + Hex(reinterpret_cast<const unsigned char*>(m.data()), 20);
}

std::string Ledger::OfficerToken(const std::string& command_id, std::string_view request) const {
  const std::string m =
      Mac("officer-token" + std::string(1, '\0') + command_id + '\0' + std::string(request));
  return Hex(reinterpret_cast<const unsigned char*>(m.data()), 24);
}

std::string Ledger::NormalizeTrackingCode(std::string_view typed) {
  // As pasted from a message or a PDF: the blanks and unseen characters of
  // any script left out, and the dashes that look like its hyphens
  // (DropBlanks makes them '-') too.
  const std::string pasted = DropBlanks(typed);
  std::string bare;
  for (size_t i = 0; i < pasted.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(pasted[i]);
    if (c == ' ' || c == '-' || c == '\t') continue;
    c = static_cast<unsigned char>(std::toupper(c));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kCrockford32.find(static_cast<char>(c)) == std::string_view::npos)
      return std::string(typed);
    bare.push_back(static_cast<char>(c));
  }
  return bare.size() == 20 ? GroupedCode(std::move(bare)) : std::string(typed);
}

std::string Ledger::TrackingCode(const std::string& permit_id, std::string_view request) const {
  const std::string m =
      Mac("tracking-code" + std::string(1, '\0') + permit_id + '\0' + std::string(request));
  const auto* mac = reinterpret_cast<const unsigned char*>(m.data());
  // 20 characters of Crockford base32 (100 bits), grouped for reading aloud.
  return GroupedCode(Crockford32(mac, 20));
}

void Ledger::Submit(Command cmd, std::function<void(Outcome)> done) {
  backend_->Submit(std::move(cmd), std::move(done));
}

void Ledger::Execute(Command cmd, std::function<void(Outcome)> done) {
  backend_->Submit(std::move(cmd), [this, done = std::move(done)](Outcome o) mutable {
    if (!o.last || !options_.follow) return done(std::move(o));
    auto pos = *o.last;
    auto shared = std::make_shared<Outcome>(std::move(o));
    // Read-your-writes, within reason: the command is durable already, so
    // when the views cannot follow (the log unreachable) it is answered
    // after the outcome timeout all the same.
    engine_->WhenApplied(
        pos, [shared, done = std::move(done)]() mutable { done(std::move(*shared)); },
        std::chrono::steady_clock::now() + options_.kafka.outcome_timeout);
  });
}

Outcome Ledger::ExecuteSync(Command cmd) {
  std::mutex m;
  std::condition_variable cv;
  std::optional<Outcome> result;
  Execute(std::move(cmd), [&](Outcome o) {
    std::lock_guard lock(m);
    result = std::move(o);
    cv.notify_one();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return result.has_value(); });
  return std::move(*result);
}

}  // namespace pl
