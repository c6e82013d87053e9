#include "projections/signed_note.h"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "events/utf8.h"
#include "projections/encoding.h"
#include "projections/merkle_hash.h"

namespace pl {
namespace {

constexpr size_t kMaxNoteBytes = 1 << 20;
constexpr size_t kMaxSignatures = 100;

Status Malformed(std::string why) { return Status("malformed_note", std::move(why)); }
Status InvalidKey(std::string why) { return Status("invalid_key", std::move(why)); }

// Valid UTF-8 (IsUtf8) without ASCII control characters other than newline.
bool IsCleanUtf8(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  }
  return IsUtf8(s);
}

std::optional<uint32_t> ParseKeyId(std::string_view hex) {
  if (hex.size() != 8) return std::nullopt;
  std::string lower(hex);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  auto bytes = HexDecode(lower);
  if (!bytes) return std::nullopt;
  uint32_t id = 0;
  for (unsigned char b : *bytes) id = id << 8 | b;
  return id;
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == '+') return false;
  }
  return true;
}

uint32_t Ed25519KeyId(std::string_view name, const Ed25519PublicKey& public_key) {
  const char type = static_cast<char>(kEd25519SignatureType);
  const Hash h = Sha256(
      {name, "\n", std::string_view(&type, 1),
       std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size())});
  return LoadBigEndian32(h.data());
}

Result<NoteVerifierKey> ParseVerifierKey(std::string_view vkey) {
  const size_t plus1 = vkey.find('+');
  const size_t plus2 = plus1 == std::string_view::npos ? plus1 : vkey.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos) {
    return InvalidKey("verifier key is not <name>+<key id>+<key>");
  }
  NoteVerifierKey key;
  key.name = std::string(vkey.substr(0, plus1));
  if (!IsValidKeyName(key.name)) return InvalidKey("verifier key has an invalid key name");
  auto id = ParseKeyId(vkey.substr(plus1 + 1, plus2 - plus1 - 1));
  if (!id) return InvalidKey("verifier key id is not 8 hex digits");
  auto raw = Base64Decode(vkey.substr(plus2 + 1));
  if (!raw || raw->size() != 1 + key.public_key.size()) {
    return InvalidKey("verifier key is not base64 of a type byte and a 32-byte key");
  }
  if (static_cast<uint8_t>((*raw)[0]) != kEd25519SignatureType) {
    return InvalidKey("verifier key is not an Ed25519 key (signature type 0x01)");
  }
  std::memcpy(key.public_key.data(), raw->data() + 1, key.public_key.size());
  key.key_id = *id;
  if (Ed25519KeyId(key.name, key.public_key) != key.key_id) {
    return InvalidKey("verifier key id does not match its name and key");
  }
  return key;
}

std::string FormatVerifierKey(const NoteVerifierKey& key) {
  char id[9];
  std::snprintf(id, sizeof id, "%08x", key.key_id);
  std::string raw(1, static_cast<char>(kEd25519SignatureType));
  raw.append(reinterpret_cast<const char*>(key.public_key.data()), key.public_key.size());
  return key.name + "+" + id + "+" + Base64Encode(raw);
}

std::string FormatSignatureLine(std::string_view name, uint32_t key_id,
                                std::span<const uint8_t, 64> signature) {
  std::string raw;
  AppendBigEndian32(raw, key_id);
  raw.append(reinterpret_cast<const char*>(signature.data()), signature.size());
  return std::string(kSignatureLinePrefix) + std::string(name) + " " + Base64Encode(raw) + "\n";
}

bool IsValidNoteText(std::string_view text) {
  return !text.empty() && text.back() == '\n' && text.size() < kMaxNoteBytes && IsCleanUtf8(text);
}

Result<std::string> OpenNote(std::string_view note, const NoteVerifierKey& key) {
  if (note.size() > kMaxNoteBytes) return Malformed("note is larger than 1 MiB");
  if (!IsCleanUtf8(note)) return Malformed("note is not UTF-8 text without control characters");
  if (note.empty() || note.back() != '\n') return Malformed("note does not end in a newline");
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Malformed("note has no signature block");
  const std::string_view text = note.substr(0, split + 1);
  std::string_view block = note.substr(split + 2);
  if (block.empty()) return Malformed("note has no signature lines");
  if (sodium_init() < 0) return Status("internal", "libsodium failed to initialise");

  size_t count = 0;
  bool verified = false;
  while (!block.empty()) {
    const size_t eol = block.find('\n');
    std::string_view line = block.substr(0, eol);
    block.remove_prefix(eol + 1);
    if (++count > kMaxSignatures) return Malformed("note has more than 100 signatures");
    if (!line.starts_with(kSignatureLinePrefix)) {
      return Malformed("signature line does not start with an em dash and a space");
    }
    line.remove_prefix(kSignatureLinePrefix.size());
    const size_t space = line.find(' ');
    if (space == 0 || space == std::string_view::npos) {
      return Malformed("signature line is not '— <key name> <signature>'");
    }
    const std::string_view name = line.substr(0, space);
    auto sig = Base64Decode(line.substr(space + 1));
    if (!sig || sig->size() < 5) return Malformed("signature is not base64 of a key id and bytes");
    const auto* bytes = reinterpret_cast<const unsigned char*>(sig->data());
    const uint32_t id = LoadBigEndian32(bytes);
    if (name != key.name || id != key.key_id) continue;  // someone else's signature
    if (sig->size() != 4 + crypto_sign_BYTES ||
        crypto_sign_verify_detached(bytes + 4, reinterpret_cast<const unsigned char*>(text.data()),
                                    text.size(), key.public_key.data()) != 0) {
      return Status("bad_signature", "the signature by " + key.name + " does not verify");
    }
    verified = true;
  }
  if (!verified) return Status("unknown_key", "note carries no signature by " + key.name);
  return std::string(text);
}

}  // namespace pl
