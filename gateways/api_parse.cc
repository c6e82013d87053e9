#include "gateways/api_parse.h"

#include <algorithm>

#include "domain/decider_util.h"

namespace pl {

std::optional<InputError> CommandIdError(const std::string& id) {
  // Empty is a text the rule refuses, not a field left out (docs/api.md).
  if (id.empty())
    return InputError{"invalid_text",
                      "the field 'command_id' is empty: it must be 1 to 128 printable ASCII "
                      "characters without spaces (a UUID will do)"};
  if (!std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 0x7F; }))
    return InputError{"invalid_text",
                      "the field 'command_id' must be printable ASCII characters without spaces "
                      "(a UUID will do)"};
  // What in it reads as personal data (a UUID in it reads as nothing): a
  // NIK (or a KK number, or a new NPWP, which is the NIK; millisecond
  // timestamps, 13 digits, are never one), an e-mail address, a mobile
  // number.
  const std::string seen = WithoutUuids(id);
  std::optional<std::string> why;
  for (size_t i = 0; i < seen.size() && !why;) {
    size_t j = i;
    while (j < seen.size() && seen[j] >= '0' && seen[j] <= '9') ++j;
    if (j - i == 16 && NikShaped(std::string_view(seen).substr(i, 16))) why = "a NIK or KK number";
    i = j > i ? j : i + 1;
  }
  if (!why && HoldsEmailAddress(seen)) why = "an e-mail address";
  if (!why) why = PersonalDataInId(seen, /*long_numbers=*/false);
  if (why)
    return InputError{"invalid_text",
                      "the field 'command_id' is kept in the permit's history (and, for an "
                      "issuance or a revocation, on the public log) and may not hold " +
                          *why + "; use a random id such as a UUID"};
  return std::nullopt;
}

std::optional<ParsedAction> ParseAction(const std::string& body, InputError& error) {
  JsonInput in = JsonInput::Parse(body);
  std::string name = in.String("action", true, 64);
  ParsedAction out;
  out.command_id = CommandId(in.String("command_id", true, 128));
  out.expected_version = in.OptionalUnsigned("expected_version");
  if (!in.ok()) {
    error = in.error();
    return std::nullopt;
  }
  if (auto bad = CommandIdError(out.command_id.str())) {
    error = *bad;
    return std::nullopt;
  }
  if (name == "verify_documents") {
    out.action = VerifyDocuments{};
  } else if (name == "request_completion") {
    out.action = RequestCompletion{in.Strings("missing")};
  } else if (name == "complete_documents") {
    out.action = CompleteDocuments{in.Strings("provided")};
  } else if (name == "schedule_survey") {
    ScheduleSurvey a;
    // Blanks around it (pasted) are dropped; anything else not YYYY-MM-DD
    // is refused by the decider, as a date.
    a.date = in.String("date", true, 40);
    a.date.erase(0, a.date.find_first_not_of(" \t"));
    a.date.erase(a.date.find_last_not_of(" \t") + 1);
    a.team = in.Strings("team");
    out.action = a;
  } else if (name == "record_survey") {
    RecordSurvey a;
    a.zoning_compliant = in.Bool("zoning_compliant");
    a.notes = in.OptionalString("notes").value_or("");
    out.action = a;
  } else if (name == "recommend") {
    out.action = Recommend{in.Line("letter_number", true, 100)};
  } else if (name == "decline_recommendation") {
    out.action = DeclineRecommendation{in.String("reason")};
  } else if (name == "issue_permit") {
    out.action = IssuePermit{};
  } else if (name == "reject") {
    Reject a;
    a.reason_code = in.String("reason_code", true, 64);
    a.reason = in.String("reason");
    out.action = a;
  } else if (name == "withdraw") {
    out.action = Withdraw{in.String("reason")};
  } else if (name == "revoke") {
    out.action = Revoke{in.String("reason")};
  } else if (name == "grant_consent") {
    out.action = GrantConsent{in.String("subscriber", true, 64)};
  } else if (name == "withdraw_consent") {
    out.action = WithdrawConsent{in.String("subscriber", true, 64)};
  } else if (name == "erase_personal_data") {
    out.action = ErasePersonalData{in.OptionalString("legal_basis", 200).value_or("")};
  } else {
    error = {"unknown_action",
             "'" + name +
                 "' is not an action; the actions on a permit are verify_documents, "
                 "request_completion, complete_documents, schedule_survey, record_survey, "
                 "recommend, decline_recommendation, issue_permit, reject, withdraw, revoke, "
                 "grant_consent, withdraw_consent and erase_personal_data (docs/api.md)"};
    return std::nullopt;
  }
  in.RejectUnknown();
  if (!in.ok()) {
    error = in.error();
    return std::nullopt;
  }
  return out;
}

namespace {

// A phone number as subscribers match it: its digits, in the national form
// ("+62 813-5566-7788" and "0813 5566 7788" are "081355667788"; another
// country's keeps its "+"), without the spaces, dashes, dots, slashes and
// brackets it was typed with, fullwidth digits as digits. Anything else is
// kept as typed, for the domain to refuse (invalid_phone).
std::string PhoneDigits(const std::string& typed) {
  std::string digits;
  for (size_t i = 0; i < typed.size(); ++i) {
    const auto c = static_cast<unsigned char>(typed[i]);
    // U+FF10 to U+FF19, "\xEF\xBC\x90" to "\xEF\xBC\x99".
    if (c == 0xEF && i + 2 < typed.size() && static_cast<unsigned char>(typed[i + 1]) == 0xBC &&
        static_cast<unsigned char>(typed[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(typed[i + 2]) <= 0x99) {
      digits += static_cast<char>('0' + (static_cast<unsigned char>(typed[i + 2]) - 0x90));
      i += 2;
    } else if (std::isdigit(c) || (c == '+' && digits.empty())) {
      digits += static_cast<char>(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')') {
      return typed;
    }
  }
  if (digits.starts_with("+62")) digits = "0" + digits.substr(3);
  return digits;
}

}  // namespace

std::optional<ParsedApplication> ParseApplication(const std::string& body, InputError& error) {
  JsonInput in = JsonInput::Parse(body);
  ParsedApplication out;
  out.command_id = in.OptionalString("command_id", 128);
  SubmitApplication& s = out.submit;
  s.kelurahan = in.Line("kelurahan", true, 64);
  JsonInput applicant = in.Object("applicant");
  s.personal.nik = applicant.String("nik", true, 32);
  s.personal.name = TidyText(applicant.Line("name", true, 200), true);
  s.personal.address = applicant.String("address", true, 500);
  s.personal.phone = PhoneDigits(applicant.OptionalString("phone", 32).value_or(""));
  s.personal.kk_number = applicant.OptionalString("kk_number", 32).value_or("");
  s.personal.npwp = applicant.OptionalString("npwp", 32).value_or("");
  applicant.RejectUnknown();
  JsonInput business = in.Object("business");
  s.business.name = TidyText(business.Line("name", true, 200), true);
  s.business.kbli = business.String("kbli", true, 16);
  s.business.description =
      TidyText(business.OptionalString("description", 500).value_or(""), false);
  s.business.capital = business.Integer("capital");
  s.business.turnover = business.Integer("turnover");
  s.business.workers =
      static_cast<int32_t>(business.Integer("workers", true, INT32_MIN, INT32_MAX));
  s.business.premises = business.String("premises", true, 16);
  business.RejectUnknown();
  s.documents = in.Strings("documents", false);
  in.RejectUnknown();
  if (!in.ok()) {
    error = in.error();
    return std::nullopt;
  }
  if (auto bad = out.command_id ? CommandIdError(*out.command_id) : std::nullopt) {
    error = *bad;
    return std::nullopt;
  }
  return out;
}

}  // namespace pl
