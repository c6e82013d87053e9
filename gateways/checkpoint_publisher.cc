#include "gateways/checkpoint_publisher.h"

#include <fcntl.h>
#include <rocksdb/db.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "events/secret_file.h"
#include "events/thread_name.h"
#include "projections/rocksdb_key_reader.h"
#include "projections/transparency_projection.h"

namespace pl {
namespace fs = std::filesystem;
namespace {

Status IoError(const std::string& what, const std::string& path) {
  return Status("checkpoint_store", what + " " + path + ": " + std::strerror(errno));
}

struct Parsed {
  std::vector<StoredCheckpoint> records;
  std::vector<uint64_t> offsets;  // of each note
  uint64_t good_end = 0;          // bytes up to the end of the last whole record
  std::optional<std::string> error;
  bool torn = false;  // the file ends inside a record
};

bool ParseU64(std::string_view s, uint64_t& v) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

// Whether `rest` can be the start of a single signed note: no line follows
// its first signature line ("— " opens one).
bool IsPrefixOfOneNote(std::string_view rest) {
  static constexpr std::string_view kSignature = "\n\xE2\x80\x94 ";
  const size_t sig = rest.find(kSignature);
  if (sig == std::string_view::npos) return true;
  const size_t end = rest.find('\n', sig + 1);
  return end == std::string_view::npos || end + 1 == rest.size();
}

Parsed Parse(std::string_view data) {
  Parsed out;
  size_t pos = 0;
  while (pos < data.size()) {
    const std::string where =
        "record " + std::to_string(out.records.size()) + " at byte " + std::to_string(pos);
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) {
      out.torn = true;
      out.error = where + ": incomplete header";
      return out;
    }
    std::string_view header = data.substr(pos, nl - pos);
    size_t sp = header.find(' ');
    uint64_t size = 0, length = 0;
    if (sp == std::string_view::npos || !ParseU64(header.substr(0, sp), size) ||
        !ParseU64(header.substr(sp + 1), length) || length > (1 << 20)) {
      out.error = where + ": malformed header";
      return out;
    }
    if (data.size() - (nl + 1) < length) {
      // A crash mid-append leaves a prefix of one record: at most one
      // signature line, and nothing after it. More than that is a damaged
      // record in the middle (its length changed), not a torn tail.
      out.torn = IsPrefixOfOneNote(data.substr(nl + 1));
      out.error = where + (out.torn ? ": the file ends inside the note"
                                    : ": its length runs over the records after it");
      return out;
    }
    out.records.push_back(
        StoredCheckpoint{out.records.size(), size, std::string(data.substr(nl + 1, length))});
    out.offsets.push_back(nl + 1);
    pos = nl + 1 + length;
    out.good_end = pos;
  }
  return out;
}

Result<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read", path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s;
}

}  // namespace

std::string CheckpointLog::FilePath(const std::string& dir) {
  return (fs::path(dir) / "checkpoints.log").string();
}

Result<CheckpointLog::FileContents> CheckpointLog::ReadFile(const std::string& path) {
  FileContents out;
  if (!fs::exists(path)) return out;
  auto data = Slurp(path);
  if (!data.ok()) return data.status();
  Parsed p = Parse(*data);
  out.records = std::move(p.records);
  out.error = std::move(p.error);
  out.torn = p.torn;
  return out;
}

Result<std::unique_ptr<CheckpointLog>> CheckpointLog::Open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status("checkpoint_store", "cannot create " + dir + ": " + ec.message());
  const std::string path = FilePath(dir);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open", path);
  auto data = Slurp(path);
  if (!data.ok()) {
    ::close(fd);
    return data.status();
  }
  Parsed p = Parse(*data);
  if (p.error && !p.torn) {
    ::close(fd);
    return Status("checkpoint_store", "the checkpoint log " + path + " is corrupt: " + *p.error);
  }
  if (p.torn) {
    spdlog::warn("checkpoint log {}: cutting off a torn last record ({})", path, *p.error);
    if (::ftruncate(fd, static_cast<off_t>(p.good_end)) != 0 || ::fsync(fd) != 0) {
      Status s = IoError("cannot truncate", path);
      ::close(fd);
      return s;
    }
  }
  std::vector<Entry> entries;
  for (size_t i = 0; i < p.records.size(); ++i)
    entries.push_back(Entry{p.records[i].size, p.offsets[i], p.records[i].note.size()});
  return std::unique_ptr<CheckpointLog>(
      new CheckpointLog(fd, path, std::move(entries), p.good_end));
}

CheckpointLog::CheckpointLog(int fd, std::string path, std::vector<Entry> entries, uint64_t end)
    : fd_(fd), path_(std::move(path)), entries_(std::move(entries)), end_(end) {}

CheckpointLog::~CheckpointLog() { ::close(fd_); }

Result<StoredCheckpoint> CheckpointLog::Append(uint64_t size, const std::string& note) {
  std::lock_guard lock(mu_);
  if (!entries_.empty() && size <= entries_.back().size)
    return Status("checkpoint_store", "checkpoint size " + std::to_string(size) +
                                          " does not exceed the latest " +
                                          std::to_string(entries_.back().size));
  std::string record = std::to_string(size) + " " + std::to_string(note.size()) + "\n";
  const uint64_t note_offset = end_ + record.size();
  record += note;
  size_t done = 0;
  while (done < record.size()) {
    ssize_t n =
        ::pwrite(fd_, record.data() + done, record.size() - done, static_cast<off_t>(end_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = IoError("cannot append to", path_);
      (void)::ftruncate(fd_, static_cast<off_t>(end_));
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) return IoError("cannot sync", path_);
  end_ += record.size();
  entries_.push_back(Entry{size, note_offset, note.size()});
  return StoredCheckpoint{entries_.size() - 1, size, note};
}

Status CheckpointLog::CopyTo(const std::string& dir) const {
  std::string contents;
  uint64_t end;
  {
    std::lock_guard lock(mu_);
    end = end_;
    contents = ReadNote(Entry{0, 0, end});
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (contents.size() != end || ec) return IoError("cannot copy", path_);
  return WriteNewSecretFile(FilePath(dir), contents);
}

std::string CheckpointLog::ReadNote(const Entry& e) const {
  std::string note(e.length, '\0');
  size_t done = 0;
  while (done < e.length) {
    ssize_t n =
        ::pread(fd_, note.data() + done, e.length - done, static_cast<off_t>(e.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  note.resize(done);
  return note;
}

StoredCheckpoint CheckpointLog::At(size_t i) const {
  return StoredCheckpoint{i, entries_[i].size, ReadNote(entries_[i])};
}

size_t CheckpointLog::count() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::optional<StoredCheckpoint> CheckpointLog::Latest() const {
  std::lock_guard lock(mu_);
  if (entries_.empty()) return std::nullopt;
  return At(entries_.size() - 1);
}

std::optional<StoredCheckpoint> CheckpointLog::AtSize(uint64_t size) const {
  std::lock_guard lock(mu_);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), size,
                             [](const Entry& e, uint64_t s) { return e.size < s; });
  if (it == entries_.end() || it->size != size) return std::nullopt;
  return At(it - entries_.begin());
}

std::optional<StoredCheckpoint> CheckpointLog::FirstCovering(uint64_t leaf) const {
  std::lock_guard lock(mu_);
  auto it = std::upper_bound(entries_.begin(), entries_.end(), leaf,
                             [](uint64_t l, const Entry& e) { return l < e.size; });
  if (it == entries_.end()) return std::nullopt;
  return At(it - entries_.begin());
}

// ---------------------------------------------------------------------------

std::string CheckpointPublisher::KeyPath(const std::string& data_dir) {
  return (fs::path(data_dir) / "transparency.key").string();
}
std::string CheckpointPublisher::PublicKeyPath(const std::string& data_dir) {
  return (fs::path(data_dir) / "transparency.pub").string();
}
std::string CheckpointPublisher::CheckpointDir(const std::string& data_dir) {
  return (fs::path(data_dir) / "checkpoints").string();
}

Result<std::unique_ptr<CheckpointPublisher>> CheckpointPublisher::Open(
    rocksdb::DB* views, CheckpointPublisherOptions options) {
  // A new key is made only for a log that has signed nothing yet: a lost key
  // is restored, not silently replaced (every verification code handed out
  // names the old one).
  if (!fs::exists(KeyPath(options.data_dir))) {
    auto earlier =
        CheckpointLog::ReadFile(CheckpointLog::FilePath(CheckpointDir(options.data_dir)));
    if (!earlier.ok()) return earlier.status();
    if (!earlier->records.empty())
      return Status("checkpoint_key_missing",
                    KeyPath(options.data_dir) + " is missing, but " +
                        std::to_string(earlier->records.size()) + " checkpoints in " +
                        CheckpointDir(options.data_dir) +
                        " were signed with it: restore the key from a backup (to start a new "
                        "key instead, move the checkpoints away; the verification codes "
                        "handed out so far then stop resolving)");
  }
  auto signer = CheckpointSigner::LoadOrCreate(KeyPath(options.data_dir), options.key_name);
  if (!signer.ok()) return signer.status();
  // The public half, for auditors and banks: rewritten when it differs.
  const std::string pub = PublicKeyPath(options.data_dir);
  const std::string vkey = signer->verifier_key() + "\n";
  auto existing = Slurp(pub);
  if (!existing.ok() || *existing != vkey) {
    std::ofstream out(pub, std::ios::trunc);
    out << vkey;
    if (!out) return Status("checkpoint_store", "cannot write " + pub);
  }
  auto log = CheckpointLog::Open(CheckpointDir(options.data_dir));
  if (!log.ok()) return log.status();
  return std::unique_ptr<CheckpointPublisher>(
      new CheckpointPublisher(views, std::move(options), std::move(*signer), std::move(*log)));
}

CheckpointPublisher::CheckpointPublisher(rocksdb::DB* views, CheckpointPublisherOptions options,
                                         CheckpointSigner signer,
                                         std::unique_ptr<CheckpointLog> log)
    : views_(views),
      options_(std::move(options)),
      signer_(std::move(signer)),
      log_(std::move(log)) {}

CheckpointPublisher::~CheckpointPublisher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (started_) {
    if (auto p = Publish(); !p.ok()) spdlog::error("checkpoint: {}", p.status().ToString());
  }
}

void CheckpointPublisher::Start() {
  started_ = true;
  if (options_.interval.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] {
    NameThisThread("pl-checkpoints");
    Run();
  });
}

void CheckpointPublisher::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.interval, [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (auto p = Publish(); !p.ok()) spdlog::error("checkpoint: {}", p.status().ToString());
    lock.lock();
  }
}

Status CheckpointPublisher::CheckConsistent() const {
  auto latest = log_->Latest();
  if (!latest) return Status::Ok();
  RocksSnapshotReader reader(views_);
  const MerkleTree& tree = TransparencyProjection::Tree();
  auto size = tree.Size(reader);
  if (!size.ok()) return size.status();
  const std::string which = "checkpoint " + std::to_string(latest->number) + " (tree size " +
                            std::to_string(latest->size) + ")";
  if (*size < latest->size)
    return Status("log_inconsistent",
                  "the log holds " + std::to_string(*size) + " events but " + which +
                      " was signed over more: the log has lost events (restored from an older "
                      "backup?). Nothing is signed until the log is restored in full.");
  auto signed_cp = VerifyCheckpoint(latest->note, signer_.verifier_key());
  if (!signed_cp.ok())
    return Status("log_inconsistent",
                  which + " does not verify with this ledger's key (transparency.key): " +
                      signed_cp.status().message() +
                      ". If the key was replaced on purpose (on Kafka, by the first instance's, "
                      "as docs/kafka.md says), move DATA/checkpoints away: the ledger signs its "
                      "checkpoints again with this key; otherwise restore the key they were "
                      "signed with");
  auto root = tree.Root(reader, latest->size);
  if (!root.ok()) return root.status();
  if (*root != signed_cp->root)
    return Status("log_inconsistent",
                  "the log's first " + std::to_string(latest->size) + " events do not hash to " +
                      which +
                      ": the log's history was changed. Nothing is signed until the "
                      "log is restored.");
  return Status::Ok();
}

Status CheckpointPublisher::CheckStored() const {
  const std::string path = CheckpointLog::FilePath(CheckpointDir(options_.data_dir));
  auto file = CheckpointLog::ReadFile(path);
  if (!file.ok()) return file.status();
  uint64_t before = 0;
  for (const StoredCheckpoint& r : file->records) {
    auto cp = VerifyCheckpoint(r.note, signer_.verifier_key());
    const bool grows = r.number == 0 || r.size > before;
    before = r.size;
    if (cp.ok() && cp->size == r.size && grows) continue;
    return Status("log_inconsistent",
                  "checkpoint " + std::to_string(r.number) + " (tree size " +
                      std::to_string(r.size) + ") of " + path + " " +
                      (!cp.ok() ? "does not verify with this ledger's key (transparency.key): " +
                                      cp.status().message()
                       : !grows ? std::string("is no larger than the one before it")
                                : "signs a tree of " + std::to_string(cp->size) + " leaves") +
                      ". The file was altered, and its checkpoints are served to auditors and "
                      "banks: restore it from a backup (`permitledger audit verify` names every "
                      "record that fails)");
  }
  return Status::Ok();
}

Result<std::optional<StoredCheckpoint>> CheckpointPublisher::Publish() {
  std::lock_guard lock(publish_mu_);
  auto latest = log_->Latest();
  RocksSnapshotReader reader(views_);
  const MerkleTree& tree = TransparencyProjection::Tree();
  auto size = tree.Size(reader);
  if (!size.ok()) return size.status();
  if (*size == 0 || (latest && latest->size == *size)) return latest;
  // A new head only extends the latest: never sign a history that
  // contradicts an earlier signature.
  if (Status s = CheckConsistent(); !s.ok()) return s;
  auto root = tree.Root(reader, *size);
  if (!root.ok()) return root.status();
  auto stored = log_->Append(*size, signer_.SignCheckpoint(*size, *root));
  if (!stored.ok()) return stored.status();
  spdlog::info("checkpoint {}: tree size {}", stored->number, *size);
  return std::optional<StoredCheckpoint>(std::move(*stored));
}

Result<StoredCheckpoint> CheckpointPublisher::Covering(uint64_t leaf) {
  if (auto c = log_->FirstCovering(leaf)) return *c;
  auto p = Publish();
  if (!p.ok()) return p.status();
  if (auto c = log_->FirstCovering(leaf)) return *c;
  return Status("not_found", "leaf " + std::to_string(leaf) + " is not in the log yet");
}

}  // namespace pl
