// Signed notes (c2sp.org/signed-note) with Ed25519 keys: the envelope of the
// transparency log's checkpoints, verifiable with any implementation of the
// spec (e.g. Go's golang.org/x/mod/sumdb/note).
//
//   <text, ending in a newline>
//   <blank line>
//   — <key name> <base64(4-byte big-endian key id || 64-byte signature)>
//
// The signature covers the text including its final newline.
//   key id       = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]
//   verifier key = <key name>+<8 hex digits key id>+<base64(0x01 || public key)>
//
// Key names are restricted here to printable ASCII without space or '+'.
//
// Error codes: "malformed_note", "unknown_key" (no signature by the given
// key), "bad_signature", "invalid_key" (an unusable verifier or private key).
//
// Thread safety: pure functions, callable from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "events/result.h"

namespace pl {

inline constexpr uint8_t kEd25519SignatureType = 0x01;
inline constexpr std::string_view kSignatureLinePrefix = "\xE2\x80\x94 ";  // U+2014, space

using Ed25519PublicKey = std::array<uint8_t, 32>;

struct NoteVerifierKey {
  std::string name;
  uint32_t key_id = 0;
  Ed25519PublicKey public_key{};
};

bool IsValidKeyName(std::string_view name);
uint32_t Ed25519KeyId(std::string_view name, const Ed25519PublicKey& public_key);

// Parses "<name>+<hex key id>+<base64(0x01 || public key)>"; the key id must
// match the name and key.
Result<NoteVerifierKey> ParseVerifierKey(std::string_view vkey);
std::string FormatVerifierKey(const NoteVerifierKey& key);

// The signature line "— <name> <base64(key id || signature)>\n".
std::string FormatSignatureLine(std::string_view name, uint32_t key_id,
                                std::span<const uint8_t, 64> signature);

// Whether `text` may be the text of a note: non-empty, ends in a newline,
// valid UTF-8, no control characters but newline.
bool IsValidNoteText(std::string_view text);

// The text of `note` if it carries a valid signature by `key`. Signatures
// by other keys are ignored; a failing signature by `key` rejects the note.
Result<std::string> OpenNote(std::string_view note, const NoteVerifierKey& key);

}  // namespace pl
