// The transparency log over HTTP (docs/api.md, docs/transparency.md):
//
//   GET  /v1/transparency/checkpoint[?size=N]   latest (or size N) signed note, text/plain
//   POST /v1/transparency/checkpoint            admin: sign one now if the tree grew
//   GET  /v1/transparency/key                   the verifier key, text/plain
//   GET  /v1/transparency/leaves/{index}[?format=json]
//   GET  /v1/transparency/proof/inclusion?index=I[&size=N]
//   GET  /v1/transparency/proof/consistency?first=M[&second=N]
//
// plus the proofs that the permit history and public verification answers
// carry, and the QR code of a permit's verification code.
//
// Every leaf's hash and proofs are public. Its data (the event's bytes) is
// public for the events anyone may see (LeafIsPublic); any other leaf is an
// event of a permit's history (an applicant's pseudonym and sealed data,
// survey notes, reasons), whose data only a caller who may read that
// history (and the administrator) gets: 401 "unauthenticated" without a
// token, 403 "outside_jurisdiction" with another's, and `leaf_data` null in
// its inclusion proof.
//
// Every read goes through one RocksDB snapshot of the view store, so a tree
// size and the nodes it implies always agree.
//
// Verification code of an issued permit:
//   v1.<base64url(permit number), no padding>.<leaf index>.<tree size>
// where the leaf is the permit's PermitIssued event and the tree size that
// of the first checkpoint including it (stable once published).
//
// Thread safety: stateless over the Ledger; callable from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gateways/http_server.h"
#include "gateways/ledger.h"

namespace pl {

struct VerificationCode {
  std::string permit_number;
  uint64_t leaf = 0;
  uint64_t size = 0;
  bool operator==(const VerificationCode&) const = default;
};
std::string FormatVerificationCode(const VerificationCode& code);
std::optional<VerificationCode> ParseVerificationCode(std::string_view text);
// The permit number a text of a code's form names ("v1.<number>.<a>.<b>"),
// whatever its leaf and tree size are: a code altered there still names
// its permit.
std::optional<std::string> VerificationCodeNumber(std::string_view text);
// What a permit's QR code holds: `<public_url>/?verify=<code>`, or with no
// public_url `http://<host>/?verify=<code>` (the host the QR code was asked
// of), or the code alone when the host is none or not a plain host[:port].
std::string VerificationLink(std::string_view public_url, std::string_view host,
                             const std::string& code);
// The verification code a link of a permit's QR code carries
// ("https://.../?verify=<code>"); `text` itself when it is no such link.
std::string_view CodeOfLink(std::string_view text);
// What a verifier holding a checkpoint of `held` leaves is told when the
// latest one it is given has fewer (`latest`): a log only grows.
std::string BeyondLatest(uint64_t held, uint64_t latest);
// `text` without its blanks: ASCII white space, Unicode spaces and
// zero-width characters (a permit number or code as pasted or typed); the
// dashes that look like a hyphen (U+2010..2015, U+2212, U+FE63, U+FF0D)
// as '-'.
std::string DropBlanks(std::string_view text);

// URL-safe base64 without padding (RFC 4648 §5), and back (strict).
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// An SVG image of the QR code (error correction M) of `text`; empty if the
// text cannot be encoded.
std::string QrSvg(const std::string& text);

class TransparencyGateway {
 public:
  explicit TransparencyGateway(Ledger& ledger) : ledger_(ledger) {}

  // Who calls: no token, the administrator's token, an applicant's tracking
  // code, or an officer's token.
  enum class Caller { kAnonymous, kAdmin, kApplicant, kOfficer };
  // Whether the caller may read the history of permit `stream`.
  using MayReadPermit = std::function<bool(const StreamId& stream)>;
  // Serves /v1/transparency/...; `parts` are the path segments.
  void Handle(const HttpRequest& req, const std::vector<std::string>& parts, Caller caller,
              const MayReadPermit& may_read, const Respond& respond);
  // Whether anyone may read the data of the leaf of `event`: the governance
  // stream (charters, officers) and the permit_issued and permit_revoked
  // events, which the public register and verification answers show.
  static bool LeafIsPublic(const Envelope& event);
  // Whether the data of `event` holds the applicant's pseudonym (the
  // application and an erasure), which the applicant never reads: anyone may
  // apply under a guessed NIK and compare the pseudonyms.
  static bool LeafNamesPseudonym(const Envelope& event);
  // Adds each event's "leaf_index" and "inclusion_proof" (against the latest
  // checkpoint) and the "checkpoint" itself to a permit history answer
  // {"permit_id", "events": [...]}.
  void AddProofs(nlohmann::json& history);
  // The permit number as issued, for one typed in any case: permit numbers
  // are issued in capitals, and a clerk may type them in small letters (the
  // register's search does not mind either). Blanks are dropped; the
  // verification code of a permit's QR code, or the permit id alone, name
  // the number too. `typed` itself (without blanks) if nothing names an
  // issued permit.
  std::string IssuedNumber(const std::string& typed) const;
  // The "verification" block of an issued permit number: code, leaf, proof,
  // checkpoint, and the revocation's proof if revoked. Null if the log has
  // not issued that number. With `held` (the tree size of a checkpoint the
  // verifier holds, at most the latest's), `held` adds the consistency
  // proof from it to the latest checkpoint.
  nlohmann::json Verification(const std::string& permit_number,
                              std::optional<uint64_t> held = std::nullopt);
  // GET /v1/public/verify/{permit_number}/qr: image/svg+xml, a link that a
  // phone's camera opens: `<public_url>/?verify=<code>` (the dashboard
  // shows the answer), or with no public_url the request's own host
  // (http://<Host>/?verify=<code>).
  void GetQr(const HttpRequest& req, const std::string& permit_number,
             const std::string& public_url, const Respond& respond);

 private:
  Ledger& ledger_;
};

}  // namespace pl
