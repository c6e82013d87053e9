// Ledger::Backup: a copy of the running ledger's data directory
// (POST /v1/admin/backup).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
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

// The files of the data directory beside its stores (the secrets, the
// demo's tokens), copied as they are: each is written once, whole.
Status CopyFiles(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    const std::string name = entry.path().filename().string();
    // A file still being written by the process that left it.
    if (!entry.is_regular_file(ec) || name.find(".tmp.") != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    if (!in) return Status("store_unavailable", "cannot read " + entry.path().string());
    if (Status s = WriteNewSecretFile((to / name).string(), contents.str()); !s.ok()) return s;
  }
  if (ec) return Status("store_unavailable", "cannot list " + from.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

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

  const auto start = std::chrono::steady_clock::now();
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  const fs::path data(options_.data_dir);
  std::string stamp = IsoTime(options_.clock());
  std::erase(stamp, ':');
  const fs::path final_dir = data / "backups" / stamp;
  const fs::path dir = data / "backups" / (stamp + ".partial");
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec || fs::exists(final_dir, ec) || !fs::create_directory(dir, ec))
    return Status("store_unavailable",
                  "cannot make " + dir.string() + (ec ? ": " + ec.message() : ": it exists"));
  BackupMade made;
  // In the order that leaves nothing in the copy ahead of what it was made
  // from: the signed checkpoints (of trees the views held), the views (of
  // events the log holds), then the log, the state store (folded from the
  // log) and the vault (every key the log's applications were sealed
  // under, none an erasure on the log destroyed) together.
  Status s = Status::Ok();
  // A checkpoint signed now covers (nearly) the whole copy: `audit verify`
  // of the backup vouches for it.
  if (publisher_) {
    if (auto signed_now = publisher_->Publish(); !signed_now.ok()) s = signed_now.status();
    if (s.ok()) s = publisher_->checkpoints().CopyTo(CheckpointPublisher::CheckpointDir(dir));
  }
  if (s.ok()) s = CopyStore(*engine_->db(), (dir / "views").string(), "the views");
  if (s.ok()) {
    const auto paused = std::chrono::steady_clock::now();
    auto& log = static_cast<EmbeddedLog&>(*log_);
    s = embedded_->WhilePaused([&] {
      Status c = log.CopyTo((dir / "log").string());
      if (c.ok()) c = embedded_->CopyStateTo((dir / "state").string());
      if (c.ok()) c = vault_->CopyTo((dir / "keys").string());
      for (int32_t p = 0; c.ok() && p < log.partitions(); ++p) {
        auto end = log.EndOffset(PartitionId{p});
        if (!end.ok()) return end.status();
        made.log_end.push_back(end->value);
      }
      return c;
    });
    made.paused_seconds = since(paused);
  }
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
