#include "gateways/api_parse.h"

namespace pl {

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
  if (out.command_id.empty()) {
    error = {"missing_field", "the field 'command_id' must not be empty"};
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
    a.date = in.String("date", true, 10);
    a.team = in.Strings("team");
    out.action = a;
  } else if (name == "record_survey") {
    RecordSurvey a;
    a.zoning_compliant = in.Bool("zoning_compliant");
    a.notes = in.OptionalString("notes").value_or("");
    out.action = a;
  } else if (name == "recommend") {
    out.action = Recommend{in.String("letter_number", true, 100)};
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
    out.action =
        ErasePersonalData{in.OptionalString("legal_basis", 200).value_or("")};
  } else {
    error = {"unknown_action",
             "'" + name + "' is not an action; see docs/api.md for the list of actions"};
    return std::nullopt;
  }
  in.RejectUnknown();
  if (!in.ok()) {
    error = in.error();
    return std::nullopt;
  }
  return out;
}

std::optional<ParsedApplication> ParseApplication(const std::string& body, InputError& error) {
  JsonInput in = JsonInput::Parse(body);
  ParsedApplication out;
  out.command_id = in.OptionalString("command_id", 128);
  SubmitApplication& s = out.submit;
  s.kelurahan = in.String("kelurahan", true, 64);
  JsonInput applicant = in.Object("applicant");
  s.personal.nik = applicant.String("nik", true, 32);
  s.personal.name = applicant.String("name", true, 200);
  s.personal.address = applicant.String("address", true, 500);
  s.personal.phone = applicant.OptionalString("phone", 32).value_or("");
  s.personal.kk_number = applicant.OptionalString("kk_number", 32).value_or("");
  s.personal.npwp = applicant.OptionalString("npwp", 32).value_or("");
  applicant.RejectUnknown();
  JsonInput business = in.Object("business");
  s.business.name = business.String("name", true, 200);
  s.business.kbli = business.String("kbli", true, 16);
  s.business.description = business.OptionalString("description", 500).value_or("");
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
  if (out.command_id && out.command_id->empty()) {
    error = {"missing_field", "the field 'command_id' must not be empty when given"};
    return std::nullopt;
  }
  return out;
}

}  // namespace pl
