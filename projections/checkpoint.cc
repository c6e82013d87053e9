#include "projections/checkpoint.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <vector>

#include "events/secret_file.h"
#include "projections/encoding.h"

namespace pl {
namespace {

constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";

Status MalformedCheckpoint(std::string why) {
  return Status("malformed_checkpoint", std::move(why));
}

Status KeyFileError(const std::string& path, const std::string& what) {
  return Status("key_file", what + " " + path + ": " + std::strerror(errno));
}

// Wipes a buffer holding key material when it goes out of scope.
template <size_t N>
struct Wiped {
  std::array<unsigned char, N> bytes{};
  ~Wiped() { sodium_memzero(bytes.data(), bytes.size()); }
};

// Strings holding key material are wiped, then released.
void Wipe(std::string& s) {
  sodium_memzero(s.data(), s.size());
  s.clear();
}

std::string FormatPrivateKey(std::string_view name, uint32_t key_id,
                             std::span<const uint8_t, 32> seed) {
  char id[9];
  std::snprintf(id, sizeof id, "%08x", key_id);
  std::string raw(1, static_cast<char>(kEd25519SignatureType));
  raw.append(reinterpret_cast<const char*>(seed.data()), seed.size());
  std::string out =
      std::string(kPrivateKeyPrefix) + std::string(name) + "+" + id + "+" + Base64Encode(raw);
  Wipe(raw);
  return out;
}

// Reads an existing key file; nullopt (with errno ENOENT) if there is none.
Result<std::optional<std::string>> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return KeyFileError(path, "cannot open");
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = KeyFileError(path, "cannot stat");
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
    ::close(fd);
    return Status("insecure_key_file", "checkpoint key file " + path +
                                           " must be a regular file that only its owner can "
                                           "access (chmod 600)");
  }
  std::string contents;
  char buf[512];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = KeyFileError(path, "cannot read");
      ::close(fd);
      sodium_memzero(buf, sizeof buf);
      Wipe(contents);
      return s;
    }
    if (n == 0) break;
    contents.append(buf, static_cast<size_t>(n));
    if (contents.size() > 4096) break;
  }
  sodium_memzero(buf, sizeof buf);
  ::close(fd);
  return std::optional<std::string>(std::move(contents));
}

}  // namespace

std::string FormatCheckpoint(const Checkpoint& checkpoint) {
  return checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
         Base64Encode(HashBytes(checkpoint.root)) + "\n";
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return MalformedCheckpoint("checkpoint text does not end in a newline");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) return MalformedCheckpoint("checkpoint has fewer than three lines");
  for (std::string_view line : lines) {
    if (line.empty()) return MalformedCheckpoint("checkpoint has an empty line");
  }
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  const std::string_view size = lines[1];
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (ec != std::errc() || end != size.data() + size.size() ||
      (size.size() > 1 && size[0] == '0')) {
    return MalformedCheckpoint("checkpoint tree size is not a decimal number");
  }
  auto root = Base64Decode(lines[2]);
  auto hash = root ? HashFromBytes(*root) : std::nullopt;
  if (!hash) return MalformedCheckpoint("checkpoint root is not base64 of 32 bytes");
  cp.root = *hash;
  return cp;
}

Result<Checkpoint> VerifyCheckpoint(std::string_view note, std::string_view verifier_key) {
  auto key = ParseVerifierKey(verifier_key);
  if (!key.ok()) return key.status();
  auto text = OpenNote(note, *key);
  if (!text.ok()) return text.status();
  return ParseCheckpoint(*text);
}

struct CheckpointSigner::SecretKey {
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> bytes;
};

void CheckpointSigner::SecretKeyDeleter::operator()(SecretKey* key) const {
  sodium_memzero(key->bytes.data(), key->bytes.size());
  delete key;
}

CheckpointSigner::CheckpointSigner(NoteVerifierKey verifier,
                                   std::unique_ptr<SecretKey, SecretKeyDeleter> secret)
    : verifier_(std::move(verifier)), secret_(std::move(secret)) {}

CheckpointSigner::~CheckpointSigner() = default;

Result<CheckpointSigner> CheckpointSigner::FromSeed(std::string_view key_name,
                                                    std::span<const uint8_t, 32> seed) {
  if (!IsValidKeyName(key_name)) {
    return Status("invalid_key", "key name must be printable ASCII without spaces or '+'");
  }
  if (sodium_init() < 0) return Status("internal", "libsodium failed to initialise");
  std::unique_ptr<SecretKey, SecretKeyDeleter> secret(new SecretKey);
  NoteVerifierKey verifier;
  verifier.name = std::string(key_name);
  crypto_sign_seed_keypair(verifier.public_key.data(), secret->bytes.data(), seed.data());
  verifier.key_id = Ed25519KeyId(verifier.name, verifier.public_key);
  return CheckpointSigner(std::move(verifier), std::move(secret));
}

Result<CheckpointSigner> CheckpointSigner::FromPrivateKey(std::string_view private_key) {
  auto invalid = [] { return Status("invalid_key", "not a PRIVATE+KEY+<name>+<id>+<key> string"); };
  if (!private_key.starts_with(kPrivateKeyPrefix)) return invalid();
  std::string_view rest = private_key.substr(kPrivateKeyPrefix.size());
  const size_t plus1 = rest.find('+');
  const size_t plus2 = plus1 == std::string_view::npos ? plus1 : rest.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos) return invalid();
  const std::string_view name = rest.substr(0, plus1);
  const std::string_view id_hex = rest.substr(plus1 + 1, plus2 - plus1 - 1);
  auto raw = Base64Decode(rest.substr(plus2 + 1));
  if (!raw || raw->size() != 33 || static_cast<uint8_t>((*raw)[0]) != kEd25519SignatureType) {
    if (raw) Wipe(*raw);
    return invalid();
  }
  Wiped<32> seed;
  std::memcpy(seed.bytes.data(), raw->data() + 1, 32);
  Wipe(*raw);
  auto signer = FromSeed(name, seed.bytes);
  if (!signer.ok()) return signer.status();
  char id[9];
  std::snprintf(id, sizeof id, "%08x", signer->verifier_.key_id);
  if (id_hex != id) return Status("invalid_key", "private key id does not match its key");
  return signer;
}

Result<CheckpointSigner> CheckpointSigner::LoadOrCreate(const std::string& path,
                                                        std::string_view key_name) {
  if (!IsValidKeyName(key_name)) {
    return Status("invalid_key", "key name must be printable ASCII without spaces or '+'");
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto existing = ReadKeyFile(path);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      std::string contents = std::move(**existing);
      if (!contents.empty() && contents.back() == '\n') contents.pop_back();
      auto signer = FromPrivateKey(contents);
      Wipe(contents);
      if (!signer.ok()) {
        return Status("invalid_key", "checkpoint key file " + path + " holds no usable key");
      }
      if (signer->key_name() != key_name) {
        return Status("key_mismatch", "checkpoint key file " + path + " holds the key of " +
                                          signer->key_name() + ", not " + std::string(key_name));
      }
      return signer;
    }
    if (sodium_init() < 0) return Status("internal", "libsodium failed to initialise");
    Wiped<32> seed;
    randombytes_buf(seed.bytes.data(), seed.bytes.size());
    auto signer = FromSeed(key_name, seed.bytes);
    if (!signer.ok()) return signer.status();
    std::string contents = FormatPrivateKey(key_name, signer->verifier_.key_id, seed.bytes) + "\n";
    Status written = WriteNewSecretFile(path, contents);
    Wipe(contents);
    if (written.ok()) return signer;
    if (written.code() != "key_exists") return written;
    // Another process created the key first: load theirs.
  }
  return Status("key_file", "checkpoint key file " + path + " keeps changing");
}

Result<std::optional<std::string>> CheckpointSigner::StoredKeyName(const std::string& path) {
  auto existing = ReadKeyFile(path);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) return std::optional<std::string>();
  std::string contents = std::move(**existing);
  if (!contents.empty() && contents.back() == '\n') contents.pop_back();
  auto signer = FromPrivateKey(contents);
  Wipe(contents);
  if (!signer.ok())
    return Status("invalid_key", "checkpoint key file " + path + " holds no usable key");
  return std::optional<std::string>(signer->key_name());
}

Result<std::string> CheckpointSigner::SignNote(std::string_view text) const {
  if (!IsValidNoteText(text)) {
    return Status("malformed_note",
                  "note text must be UTF-8 without control characters, ending in a newline");
  }
  std::array<uint8_t, crypto_sign_BYTES> sig;
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), secret_->bytes.data());
  return std::string(text) + "\n" + FormatSignatureLine(verifier_.name, verifier_.key_id, sig);
}

std::string CheckpointSigner::SignCheckpoint(uint64_t size, const Hash& root) const {
  // A checkpoint text is always valid note text: the key name is printable ASCII.
  return std::move(SignNote(FormatCheckpoint({verifier_.name, size, root})).value());
}

}  // namespace pl
