// Checkpoints: signed tree heads of the transparency log in the C2SP
// tlog-checkpoint format, a signed note (projections/signed_note.h) whose
// text is
//
//   <origin>\n<tree size, decimal>\n<base64 root hash>\n
//
// signed with Ed25519 under a key whose name is the origin.
//
// CheckpointSigner holds the log's private key. It is loaded from, or on
// first start created in, a key file readable by its owner only, in the
// format of Go's golang.org/x/mod/sumdb/note signer keys:
//   PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 seed)>
// The private key never appears in messages or logs.
//
// Error codes: those of signed_note.h, plus "malformed_checkpoint",
// "key_file" (unreadable or unwritable), "insecure_key_file" (group or other
// may access it) and "key_mismatch" (the file holds another name's key).
//
// Thread safety: a CheckpointSigner is immutable once made; Sign* may be
// called from any thread. The free functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "events/result.h"
#include "projections/merkle_hash.h"
#include "projections/signed_note.h"

namespace pl {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  bool operator==(const Checkpoint&) const = default;
};

// The note text of a checkpoint (no extension lines).
std::string FormatCheckpoint(const Checkpoint& checkpoint);

// Parses checkpoint note text: at least three non-empty lines, the size
// without leading zeroes, the root canonical base64 of 32 bytes; extension
// lines are accepted and ignored. Call it only on text that OpenNote has
// verified: an unsigned checkpoint means nothing.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// Verifies a signed checkpoint note with `verifier_key`
// ("<name>+<key id>+<key>") and returns its contents.
Result<Checkpoint> VerifyCheckpoint(std::string_view note, std::string_view verifier_key);

class CheckpointSigner {
 public:
  // Loads the key for `key_name` from `path`, or creates a new random key
  // there (mode 0600, created atomically) if the file does not exist.
  static Result<CheckpointSigner> LoadOrCreate(const std::string& path, std::string_view key_name);
  // The key name of the key file at `path`, or nullopt when there is none.
  static Result<std::optional<std::string>> StoredKeyName(const std::string& path);
  // From a "PRIVATE+KEY+..." string.
  static Result<CheckpointSigner> FromPrivateKey(std::string_view private_key);
  // From a 32-byte Ed25519 seed (tests, known answers).
  static Result<CheckpointSigner> FromSeed(std::string_view key_name,
                                           std::span<const uint8_t, 32> seed);

  CheckpointSigner(CheckpointSigner&&) noexcept = default;
  CheckpointSigner& operator=(CheckpointSigner&&) noexcept = default;
  ~CheckpointSigner();

  const std::string& key_name() const { return verifier_.name; }
  const NoteVerifierKey& verifier() const { return verifier_; }
  // The verifier key to publish: "<name>+<hex key id>+<base64(0x01 || key)>".
  std::string verifier_key() const { return FormatVerifierKey(verifier_); }

  // Signs note text (see IsValidNoteText); returns the whole signed note.
  Result<std::string> SignNote(std::string_view text) const;
  // The signed checkpoint of the tree of `size` leaves with root `root`; the
  // origin is the key name.
  std::string SignCheckpoint(uint64_t size, const Hash& root) const;

 private:
  struct SecretKey;  // libsodium's 64-byte secret key, wiped on destruction
  struct SecretKeyDeleter {
    void operator()(SecretKey* key) const;
  };
  CheckpointSigner(NoteVerifierKey verifier, std::unique_ptr<SecretKey, SecretKeyDeleter> secret);

  NoteVerifierKey verifier_;
  std::unique_ptr<SecretKey, SecretKeyDeleter> secret_;
};

}  // namespace pl
