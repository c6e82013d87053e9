#include "projections/merkle_hash.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "projections/encoding.h"

namespace pl {
namespace {

constexpr char kLeafPrefix = 0x00;
constexpr char kNodePrefix = 0x01;

// Fetched once: OpenSSL 3 would otherwise look the algorithm up on every
// EVP_sha256() digest initialisation.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) std::abort();  // no SHA-256: nothing can be verified
    return fetched;
  }();
  return md;
}

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

EVP_MD_CTX* ThreadCtx() {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) std::abort();
  return ctx.get();
}

}  // namespace

Hash Sha256(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = ThreadCtx();
  Hash out{};
  unsigned int len = 0;
  bool ok = EVP_DigestInit_ex(ctx, Sha256Md(), nullptr) == 1;
  for (std::string_view p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == kHashSize;
  if (!ok) std::abort();  // only on memory exhaustion inside OpenSSL
  return out;
}

Hash HashLeaf(std::string_view leaf_data) {
  return Sha256({std::string_view(&kLeafPrefix, 1), leaf_data});
}

Hash HashChildren(const Hash& left, const Hash& right) {
  return Sha256({std::string_view(&kNodePrefix, 1), HashBytes(left), HashBytes(right)});
}

Hash EmptyTreeRoot() {
  static const Hash empty = Sha256({});
  return empty;
}

std::optional<Hash> HashFromBytes(std::string_view bytes) {
  if (bytes.size() != kHashSize) return std::nullopt;
  Hash h;
  std::memcpy(h.data(), bytes.data(), kHashSize);
  return h;
}

std::string HashToHex(const Hash& h) { return HexEncode(HashBytes(h)); }

std::optional<Hash> HashFromHex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  if (!bytes) return std::nullopt;
  return HashFromBytes(*bytes);
}

}  // namespace pl
