// Ledger::Backup: a copy of the running ledger's data directory
// (POST /v1/admin/backup).
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "events/disk_space.h"
#include "events/embedded_log.h"
#include "events/json.h"
#include "events/personal_vault.h"
#include "events/secret_file.h"
#include "events/store_copy.h"
#include "gateways/checkpoint_publisher.h"
#include "gateways/ledger.h"
#include "projections/command_processor.h"
#include "projections/projection_engine.h"

namespace pl {
namespace fs = std::filesystem;

namespace {

// The files of the data directory beside its stores that a ledger needs
// (its secrets; the demo's tokens), each small and written once, whole.
// Nothing else of the directory is copied: whatever an operator left there.
constexpr const char* kDataFiles[] = {"admin.token", "server.secret", "transparency.key",
                                      "transparency.pub", "demo-tokens.json"};

Status CopyFiles(const fs::path& from, const fs::path& to) {
  for (const char* name : kDataFiles) {
    std::error_code ec;
    if (!fs::is_regular_file(from / name, ec)) continue;
    std::ifstream in(from / name, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    if (!in) return Status("store_unavailable", "cannot read " + (from / name).string());
    if (Status s = WriteNewSecretFile((to / name).string(), contents.str()); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status RefuseBackupBesideItsLedger(const std::string& data_dir) {
  std::error_code ec;
  fs::path dir = fs::absolute(data_dir, ec).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  if (dir.parent_path().filename() != "backups") return Status::Ok();
  const fs::path ledger = dir.parent_path().parent_path();
  // RocksDB holds its store's LOCK file with a POSIX lock while open.
  const int fd = ::open((ledger / "log" / "LOCK").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Ok();
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool held = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  if (!held) return Status::Ok();
  return Status("invalid_argument",
                dir.string() + " is a backup of the ledger in " + ledger.string() +
                    ", which a running process serves: two ledgers with one signing key would "
                    "sign diverging histories. To restore it, stop that process, move " +
                    ledger.string() +
                    " aside and put the backup in its place; to check it, `permitledger audit "
                    "verify --data` reads it as it is");
}

void RemoveUnfinishedBackups(const std::string& data_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(data_dir) / "backups", ec))
    if (entry.path().extension() == ".partial") {
      spdlog::warn("removing {}: a backup the ledger was stopped in the middle of",
                   entry.path().string());
      fs::remove_all(entry.path(), ec);
    }
}

void Ledger::BackupAsync(std::function<void(Result<BackupMade>)> done) {
  if (backup_running_.exchange(true))
    return done(Status("backup_in_progress",
                       "a backup is being made: wait for its answer, then ask again if another "
                       "is wanted"));
  if (backup_thread_.joinable()) backup_thread_.join();  // the last one, ended
  backup_thread_ = std::thread([this, done = std::move(done)] {
    auto made = Backup();
    backup_running_ = false;
    done(std::move(made));
  });
}

Result<Ledger::BackupMade> Ledger::Backup() {
  if (kafka() || !embedded_)
    return Status("backup_on_kafka",
                  "on Kafka the topics are the ledger's durable copy: back up the cluster with "
                  "Kafka's own means, and each instance's admin.token, server.secret and "
                  "transparency.key (its views are rebuilt from the topics); this endpoint copies "
                  "a ledger on the embedded log");
  std::unique_lock one(backup_mu_, std::try_to_lock);
  if (!one.owns_lock())
    return Status("backup_in_progress",
                  "a backup is being made: wait for its answer, then ask again if another is "
                  "wanted");
  const DiskRoom room = options_.free_bytes();
  if (Status s = CheckDiskReserve(room.free, options_.disk_reserve, room.path); !s.ok()) return s;

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  std::error_code ec;
  const fs::path data = fs::absolute(options_.data_dir, ec);
  std::string stamp = IsoTime(options_.clock());
  std::erase(stamp, ':');
  const fs::path final_dir = data / "backups" / stamp;
  const fs::path dir = data / "backups" / (stamp + ".partial");
  fs::create_directories(dir.parent_path(), ec);
  if (ec || fs::exists(final_dir, ec) || !fs::create_directory(dir, ec))
    return Status("store_unavailable",
                  "cannot make " + dir.string() + (ec ? ": " + ec.message() : ": it exists"));
  BackupMade made;
  auto& log = static_cast<EmbeddedLog&>(*log_);
  // Everything at one moment, between two batches of commands: the log
  // stands still, the views catch up with it (they never pass it), a
  // checkpoint is signed of their tree, and every store is copied. The
  // copy is then a ledger stopped cleanly: nothing in it ahead of its log,
  // nothing behind it, and a checkpoint covering it all.
  Status s = embedded_->WhilePaused([&] {
    const auto paused = Clock::now();
    for (int32_t p = 0; p < log.partitions(); ++p) {
      auto end = log.EndOffset(PartitionId{p});
      if (!end.ok()) return end.status();
      made.log_end.push_back(end->value);
      if (end->value == 0 || !options_.follow) continue;
      // (Answered at the deadline too: a follower that cannot keep up
      // leaves views behind, which the copy's start catches up.)
      std::promise<void> applied;
      engine_->WhenApplied(
          LogPosition{PartitionId{p}, Offset{end->value - 1}}, [&applied] { applied.set_value(); },
          Clock::now() + std::chrono::seconds(5));
      applied.get_future().wait();
    }
    Status c = Status::Ok();
    if (publisher_) {
      if (auto signed_now = publisher_->Publish(); !signed_now.ok()) c = signed_now.status();
      if (c.ok()) c = publisher_->checkpoints().CopyTo(CheckpointPublisher::CheckpointDir(dir));
    }
    if (c.ok()) c = CopyStore(*engine_->db(), (dir / "views").string(), "the views");
    if (c.ok()) c = log.CopyTo((dir / "log").string());
    if (c.ok()) c = embedded_->CopyStateTo((dir / "state").string());
    if (c.ok()) c = vault_->CopyTo((dir / "keys").string());
    made.paused_seconds = since(paused);
    return c;
  });
  if (s.ok()) s = CopyFiles(data, dir);
  if (s.ok()) fs::rename(dir, final_dir, ec);
  if (s.ok() && ec)
    s = Status("store_unavailable", "cannot rename " + dir.string() + ": " + ec.message());
  if (!s.ok()) {
    fs::remove_all(dir, ec);
    return s;
  }
  made.directory = final_dir.string();
  made.seconds = since(start);
  spdlog::info("backup made in {} ({:.2f} s, commands paused {:.2f} s)", made.directory,
               made.seconds, made.paused_seconds);
  return made;
}

}  // namespace pl
