#include "domain/decider_util.h"

#include <algorithm>

namespace pl {

Decision Refuse(std::string code, std::string message) {
  Decision d;
  d.refusal = Refusal{std::move(code), std::move(message)};
  return d;
}

Decision Missing(const std::string& field, const std::string& why) {
  return Refuse("missing_field", field + " is empty: " + why);
}

namespace {

// The length of the blank character at `s[i]` (ASCII white space, or a
// Unicode space or invisible mark: U+00A0, U+00AD, U+1680, U+180E,
// U+2000-U+200F, U+2028-U+202F, U+205F-U+2064, U+3000, U+FEFF); 0 if
// none. `s` is UTF-8.
size_t BlankAt(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  const unsigned char c = at(0);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (c == 0xC2) return at(1) == 0xA0 || at(1) == 0xAD ? 2 : 0;
  const unsigned char b = at(1), d = at(2);
  const bool blank =
      (c == 0xE1 && ((b == 0x9A && d == 0x80) || (b == 0xA0 && d == 0x8E))) ||
      (c == 0xE2 && b == 0x80 && ((d >= 0x80 && d <= 0x8F) || (d >= 0xA8 && d <= 0xAF))) ||
      (c == 0xE2 && b == 0x81 && d >= 0x9F && d <= 0xA4) || (c == 0xE3 && b == 0x80 && d == 0x80) ||
      (c == 0xEF && b == 0xBB && d == 0xBF);
  return blank ? 3 : 0;
}

}  // namespace

bool Blank(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = BlankAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string StaleVersionAdvice(uint64_t version, uint64_t expected) {
  if (expected > version) return ": it has not reached that version; check the number sent";
  return "; someone acted on it meanwhile: reload it, and send the action again with a new "
         "command_id";
}

bool HoldsIdentityNumber(std::string_view s) {
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  int run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (digit(i)) {
      if (++run >= 10) return true;
    } else if (!((s[i] == ' ' || s[i] == '-') && run > 0 && digit(i + 1))) {
      run = 0;
    }
  }
  return false;
}

Decision IdentityNumberIn(const std::string& field, const std::string& where) {
  return Refuse("personal_data_in_text",
                "the " + field + " is published (" + where +
                    ") and may not hold an identity or phone number (10 or more digits in a "
                    "row); write it without the number");
}

void Emit(Decision& d, const Command& cmd, uint64_t version, Payload payload) {
  Envelope e;
  e.seq = version + d.events.size() + 1;
  e.stream = cmd.stream;
  e.event_id = cmd.stream.str() + "/" + std::to_string(e.seq);
  e.time_ms = cmd.time_ms;
  e.actor_id = cmd.actor.id;
  e.actor_role = cmd.actor.role;
  e.command_id = cmd.id;
  e.payload = std::move(payload);
  d.events.push_back(std::move(e));
}

bool ActionAllowedFrom(PermitStatus s, std::string_view a) {
  using S = PermitStatus;
  if (a == "submit_application") return s == S::kNone;
  if (a == "verify_documents" || a == "request_completion") return s == S::kSubmitted;
  if (a == "complete_documents") return s == S::kIncomplete;
  if (a == "schedule_survey") return s == S::kDocumentsVerified;
  if (a == "record_survey") return s == S::kSurveyScheduled;
  if (a == "recommend" || a == "decline_recommendation") return s == S::kSurveyed;
  if (a == "issue_permit") return s == S::kRecommended;
  if (a == "reject" || a == "withdraw") return IsOpen(s);
  if (a == "revoke") return s == S::kIssued;
  if (a == "grant_consent" || a == "withdraw_consent" || a == "erase_personal_data") {
    return s != S::kNone;
  }
  return false;
}

std::string Rupiah(int64_t amount) {
  // The magnitude in unsigned arithmetic: -amount overflows for INT64_MIN.
  const uint64_t magnitude =
      amount < 0 ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return std::string(amount < 0 ? "-Rp " : "Rp ") + out;
}

std::string JoinOrNobody(const std::vector<std::string>& items) {
  if (items.empty()) return "nobody";
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::optional<Refusal> CheckOnceEach(const std::vector<std::string>& list,
                                     const std::string& field) {
  for (auto it = list.begin(); it != list.end(); ++it)
    if (std::find(list.begin(), it, *it) != it)
      return Refusal{"duplicate_entry",
                     field + " names \"" + *it + "\" more than once; name each only once"};
  return std::nullopt;
}

}  // namespace pl
