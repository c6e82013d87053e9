#include "domain/decider_util.h"

#include <algorithm>
#include <cstdint>
#include <utility>

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

// Characters that show nothing on their own: white space (ASCII and
// Unicode), the default-ignorable code points (zero-width and joining
// marks, directional marks, variation selectors, the byte order mark, tag
// characters, the soft hyphen, Hangul fillers), the blank Braille
// pattern, and combining marks (with nothing to combine with).
bool Invisible(uint32_t cp) {
  static constexpr std::pair<uint32_t, uint32_t> kRanges[] = {
      {0x0009, 0x000D}, {0x0020, 0x0020},   {0x0085, 0x0085},   {0x00A0, 0x00A0},
      {0x00AD, 0x00AD}, {0x0300, 0x036F},   {0x061C, 0x061C},   {0x115F, 0x1160},
      {0x1680, 0x1680}, {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x1AB0, 0x1AFF},
      {0x1DC0, 0x1DFF}, {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x206F},
      {0x20D0, 0x20FF}, {0x2800, 0x2800},   {0x3000, 0x3000},   {0x3164, 0x3164},
      {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},   {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},
      {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
  };
  for (const auto& [lo, hi] : kRanges)
    if (cp >= lo && cp <= hi) return true;
  return false;
}

}  // namespace

bool Blank(std::string_view s) {
  // `s` is well-formed UTF-8 (the JSON parser's, or the log's).
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (!Invisible(cp)) return false;
    i += len;
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
