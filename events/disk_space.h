// Free space on the disk under the ledger's stores. RocksDB does not survive
// a full disk gracefully (a failed write can end the process), so the
// ledger keeps a reserve: it refuses to start, and refuses commands, while
// less is free, and the stores never reach the disk's end.
#pragma once

#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>

#include "events/result.h"

namespace pl {

// What the ledger keeps free by default.
inline constexpr uint64_t kDefaultDiskReserve = 64ull << 20;
// What a new ledger's stores take at once beyond it: RocksDB reserves room
// for each store's write-ahead log ahead of use (about 70 MiB each).
inline constexpr uint64_t kNewLedgerRoom = 300ull << 20;

// Bytes an unprivileged process may still write on the file system of
// `path` (the maximum when it cannot be told: an unknown is not a refusal).
inline uint64_t FreeBytes(const std::string& path) {
  struct statvfs s {};
  if (::statvfs(path.c_str(), &s) != 0) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(s.f_bavail) * s.f_frsize;
}

// The free bytes of the least free disk among a ledger's stores, and the
// folder on it (what a message names).
struct DiskRoom {
  uint64_t free = 0;
  std::string path;
};

// The least free of the disks of `dir` and of the stores in it (one may be
// a mount of its own).
inline DiskRoom LeastFree(const std::string& dir) {
  DiskRoom least{FreeBytes(dir), dir};
  for (const char* store : {"log", "state", "views", "keys", "checkpoints"}) {
    const std::string path = dir + "/" + store;
    if (const uint64_t free = FreeBytes(path); free < least.free) least = {free, path};
  }
  return least;
}

// Ok while at least `reserve` bytes are free; else code "disk_full" with
// what to do.
// `needed_for` says what the reserve is.
inline Status CheckDiskReserve(uint64_t free, uint64_t reserve, const std::string& path,
                               const std::string& needed_for = "the ledger keeps in reserve") {
  if (free >= reserve) return Status::Ok();
  return Status("disk_full", "the disk of " + path + " has " + std::to_string(free >> 20) +
                                 " MiB free, less than the " + std::to_string(reserve >> 20) +
                                 " MiB " + needed_for +
                                 ": nothing was written; free space there, then try again");
}

// CheckDiskReserve for a processor that checks before every batch: tells
// its operator once when the disk falls short of the reserve (an error in
// the server's log, with the path) and once when it has room again.
class DiskReserveWatch {
 public:
  Status Check(const DiskRoom& disk, uint64_t reserve) {
    const uint64_t free = disk.free;
    const std::string& path = disk.path;
    Status room = CheckDiskReserve(free, reserve, path);
    const bool short_now = !room.ok();
    if (short_.exchange(short_now) != short_now) {
      if (short_now)
        spdlog::error("{}. Commands are refused (503) until then", room.message());
      else
        spdlog::info("the disk of {} has {} MiB free again: commands are taken", path, free >> 20);
    }
    return room;
  }

 private:
  std::atomic<bool> short_{false};
};

}  // namespace pl
