// `permitledger verify-permit` (VerifyPermitOffline): a bank's check of a
// saved /v1/public/verify answer against the log's verifier key and a
// checkpoint, without the ledger; and the names of its verdicts.
#include "domain/calendar.h"
#include "events/json.h"
#include "gateways/audit_cli.h"
#include "gateways/transparency_gateway.h"
#include "projections/checkpoint.h"
#include "projections/encoding.h"
#include "projections/merkle_verify.h"
#include "projections/signed_note.h"

namespace pl {

const char* VerdictName(PermitVerdict v) {
  switch (v) {
    case PermitVerdict::kValid:
      return "valid";
    case PermitVerdict::kRevoked:
      return "revoked";
    case PermitVerdict::kExpired:
      return "expired";
    case PermitVerdict::kNotYetValid:
      return "not yet valid";
    case PermitVerdict::kNotGenuine:
      return "not genuine";
    case PermitVerdict::kCannotCheck:
      return "cannot check";
  }
  return "?";
}

namespace {

std::optional<std::vector<Hash>> Hashes(const nlohmann::json& a) {
  if (!a.is_array()) return std::nullopt;
  std::vector<Hash> out;
  for (const auto& h : a) {
    if (!h.is_string()) return std::nullopt;
    auto raw = Base64Decode(h.get<std::string>());
    auto hash = raw ? HashFromBytes(*raw) : std::nullopt;
    if (!hash) return std::nullopt;
    out.push_back(*hash);
  }
  return out;
}

// The leaf data of a proven leaf: its bytes, checked into the tree of `cp`.
Result<Envelope> ProvenEvent(const nlohmann::json& leaf, const Checkpoint& cp) {
  if (!leaf.is_object() || !leaf.contains("leaf_data") || !leaf.contains("leaf_index") ||
      !leaf["leaf_data"].is_string() || !leaf["leaf_index"].is_number_unsigned())
    return Status("malformed", "a leaf has no leaf_data or leaf_index");
  auto data = Base64Decode(leaf["leaf_data"].get<std::string>());
  auto proof = Hashes(leaf.value("inclusion_proof", nlohmann::json()));
  if (!data || !proof) return Status("malformed", "malformed leaf_data or inclusion_proof");
  const uint64_t index = leaf["leaf_index"].get<uint64_t>();
  if (Status s = VerifyInclusion(HashLeaf(*data), index, cp.size, *proof, cp.root); !s.ok())
    return Status("bad_proof", "leaf " + std::to_string(index) + " is not in the tree of size " +
                                   std::to_string(cp.size) + ": " + s.message());
  return Decode(*data);
}

}  // namespace

Result<PermitCheck> VerifyPermitOffline(std::string_view verifier_key,
                                        std::string_view checkpoint_note,
                                        const nlohmann::json& answer, std::string_view today) {
  if (!answer.is_object() || !answer.contains("permit_number") ||
      !answer["permit_number"].is_string() || !answer.contains("result") ||
      !answer["result"].is_string())
    return Status("invalid_argument",
                  "this is not a saved answer of GET /v1/public/verify/{permit number} (it has no "
                  "permit_number and result): save that answer and check it");
  PermitCheck c;
  auto fail = [&](std::string why) {
    c.verdict = PermitVerdict::kNotGenuine;
    c.reason = std::move(why);
    return c;
  };
  auto cannot = [&](std::string why) {
    c.verdict = PermitVerdict::kCannotCheck;
    c.reason = std::move(why);
    return c;
  };
  try {
    c.permit_number = answer.value("permit_number", "");
    if (auto key = ParseVerifierKey(verifier_key); !key.ok())
      return cannot(
          "your key is not the log's verifier key (one line <name>+<key id>+<key>, as "
          "the ledger's transparency.pub and GET /v1/transparency/key give it): " +
          key.status().message());
    auto given = VerifyCheckpoint(checkpoint_note, verifier_key);
    if (!given.ok())
      return cannot("your checkpoint does not verify with your key (check both files): " +
                    given.status().message());
    c.origin = given->origin;
    if (answer["result"] == "unknown") return fail("the log has not issued " + c.permit_number);
    if (!answer.contains("verification") || !answer["verification"].is_object())
      return cannot(
          "the answer holds no proof: no signed checkpoint covered the permit yet when "
          "it was saved; save the answer again in a minute");
    const auto& v = answer["verification"];
    auto code = ParseVerificationCode(v.value("code", ""));
    if (!code) return fail("malformed verification code \"" + v.value("code", "") + "\"");
    if (code->permit_number != c.permit_number || v.value("permit_number", "") != c.permit_number)
      return fail("the verification code is for " + code->permit_number + ", not " +
                  c.permit_number);
    if (v.value("leaf_index", uint64_t{0}) != code->leaf ||
        v.value("tree_size", uint64_t{0}) != code->size)
      return fail("the proof is not for the code's leaf and tree size");
    c.leaf = code->leaf;
    c.tree_size = code->size;
    auto at_issue = VerifyCheckpoint(v.value("checkpoint", ""), verifier_key);
    if (!at_issue.ok())
      return fail("the code's checkpoint does not verify: " + at_issue.status().message());
    if (at_issue->size != code->size) return fail("the code's checkpoint has another tree size");
    const auto& l = v.value("latest", nlohmann::json::object());
    if (!l.is_object() || !l.contains("checkpoint"))
      return fail(
          "the answer has no latest checkpoint (verification.latest.checkpoint): it "
          "was cut, or is not the ledger's");
    auto latest = VerifyCheckpoint(l.value("checkpoint", ""), verifier_key);
    if (!latest.ok())
      return fail("the latest checkpoint does not verify: " + latest.status().message());
    auto consistency = Hashes(l.value("consistency_proof", nlohmann::json()));
    if (!consistency) return fail("malformed consistency proof");
    if (Status s = VerifyConsistency(at_issue->size, latest->size, *consistency, at_issue->root,
                                     latest->root);
        !s.ok())
      return fail("the latest checkpoint does not extend the code's: " + s.message());
    // The checkpoint the verifier holds is one of the two, or is tied to
    // the latest by the consistency proof the answer was asked for (?held=).
    const Checkpoint* same = given->size == at_issue->size ? &*at_issue
                             : given->size == latest->size ? &*latest
                                                           : nullptr;
    const auto& held = v.value("held", nlohmann::json::object());
    if (same) {
      if (same->root != given->root)
        return fail("the given checkpoint and the answer's sign different trees of size " +
                    std::to_string(given->size) + ": the log shows different histories");
    } else if (given->size > latest->size) {
      // Asked with ?held= or not, no proof ties a larger checkpoint to a
      // smaller one (the answer flags it: held.beyond_latest).
      return cannot(BeyondLatest(given->size, latest->size));
    } else if (held.is_object() && held.value("tree_size", uint64_t{0}) == given->size) {
      auto tie = Hashes(held.value("consistency_proof", nlohmann::json()));
      if (!tie) return fail("malformed consistency proof for your checkpoint");
      if (Status s = VerifyConsistency(given->size, latest->size, *tie, given->root, latest->root);
          !s.ok())
        return fail("your checkpoint and the answer's latest are not of one history: " +
                    s.message());
    } else {
      return cannot("your checkpoint (size " + std::to_string(given->size) +
                    ") is neither the code's (" + std::to_string(at_issue->size) +
                    ") nor the answer's latest (" + std::to_string(latest->size) +
                    "): save the answer again with ?held=" + std::to_string(given->size) +
                    " (it then ties your checkpoint to its latest)");
    }
    auto issued = ProvenEvent(v, *at_issue);
    if (!issued.ok()) return fail(issued.status().message());
    const auto* p = std::get_if<PermitIssued>(&issued->payload);
    if (!p || p->permit_number != c.permit_number)
      return fail("leaf " + std::to_string(c.leaf) + " is not the issue of " + c.permit_number);
    c.valid_from = p->valid_from;
    c.valid_until = p->valid_until;
    if (v.contains("revocation")) {
      auto revoked = ProvenEvent(v["revocation"], *latest);
      if (!revoked.ok()) return fail("revocation: " + revoked.status().message());
      if (!std::holds_alternative<PermitRevoked>(revoked->payload) ||
          revoked->stream != issued->stream)
        return fail("the revocation leaf is not a revocation of this permit");
      c.verdict = PermitVerdict::kRevoked;
      // Dated in Jakarta (UTC+7), as the API's revoked_on and `today` are.
      const auto jakarta =
          std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>(
                                                    std::chrono::milliseconds(revoked->time_ms)) +
                                                std::chrono::hours(7));
      c.reason = "revoked on " + FormatDate(jakarta) + " (Jakarta; " + IsoTime(revoked->time_ms) +
                 "): " + std::get<PermitRevoked>(revoked->payload).reason;
      return c;
    }
    // An answer that says revoked without the revocation's proof was cut
    // short: the permit may not be taken as valid from it.
    if (answer["result"] == "revoked")
      return cannot(
          "the answer says the permit is revoked but holds no proof of the revocation (its "
          "verification has no \"revocation\"): it was altered or cut short; save it again from "
          "the ledger");
    if (c.valid_until < today) {
      c.verdict = PermitVerdict::kExpired;
      c.reason = "valid until " + c.valid_until;
      return c;
    }
    if (today < c.valid_from) {
      c.verdict = PermitVerdict::kNotYetValid;
      c.reason = "valid from " + c.valid_from + " (asked for " + std::string(today) + ")";
      return c;
    }
    c.verdict = PermitVerdict::kValid;
    c.reason = "issued " + c.valid_from + ", valid until " + c.valid_until + ", leaf " +
               std::to_string(c.leaf) + " of " + c.origin + " at tree size " +
               std::to_string(c.tree_size) +
               " (the number and these dates are signed; the answer's business name is not)"
               "; this answer names no revocation (trust that only for an answer you fetched "
               "from the ledger yourself)";
    return c;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("malformed answer: ") + e.what());
  }
}

}  // namespace pl
