#include "gateways/api_render.h"

#include "domain/decider.h"
#include "events/json.h"

namespace pl {
namespace {

nlohmann::json RoleNames(const std::vector<std::string>& roles, const Charter& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : roles) {
    auto it = c.roles.find(r);
    out.push_back({{"role", r}, {"name", it == c.roles.end() ? r : it->second.name}});
  }
  return out;
}

nlohmann::json StageJson(const PermitState& s, const Charter& c, int64_t now_ms) {
  StageInfo st = Stage(s, c);
  nlohmann::json j = {{"stage", st.stage},
                      {"next_actions", st.next_actions},
                      {"next_roles", RoleNames(st.next_roles, c)},
                      {"service_days", st.service_days}};
  if (!st.due_date.empty()) {
    j["due_date"] = st.due_date;
    j["overdue"] = LocalDate(now_ms, c) > st.due_date;
  } else {
    j["due_date"] = nullptr;
    j["overdue"] = false;
  }
  return j;
}

}  // namespace

nlohmann::json RenderPermit(const PermitState& s, const Charter& c, int64_t now_ms,
                            const PersonalVault* vault) {
  const Kelurahan* kel = c.FindKelurahan(s.kelurahan);
  nlohmann::json j = {
      {"permit_id", s.permit_id},
      {"status", StatusName(s.status)},
      {"version", s.version},
      {"kelurahan", s.kelurahan},
      {"kelurahan_name", kel ? kel->name : s.kelurahan},
      {"business",
       {{"name", s.business.name},
        {"kbli", s.business.kbli},
        {"description", s.business.description},
        {"capital", s.business.capital},
        {"turnover", s.business.turnover},
        {"workers", s.business.workers},
        {"premises", s.business.premises}}},
      {"documents", s.documents},
      {"missing", s.missing},
      {"submitted_at", IsoTime(s.submitted_ms)},
      {"stage_entered_at", IsoTime(s.stage_entered_ms)},
      {"consents", s.consents},
      {"personal_data_erased", s.personal_erased},
  };
  j.update(StageJson(s, c, now_ms));
  if (!s.survey_date.empty())
    j["survey"] = {{"date", s.survey_date},
                   {"team", s.survey_team},
                   {"zoning_compliant", s.zoning_compliant ? nlohmann::json(*s.zoning_compliant)
                                                           : nlohmann::json(nullptr)}};
  if (!s.letter_number.empty()) j["recommendation_letter"] = s.letter_number;
  if (!s.permit_number.empty()) {
    j["permit_number"] = s.permit_number;
    j["valid_from"] = s.valid_from;
    j["valid_until"] = s.valid_until;
  }
  if (!s.outcome_code.empty())
    j["outcome"] = {{"code", s.outcome_code}, {"reason", s.outcome_reason}};
  nlohmann::json applicant = {{"person_id", s.applicant.person_id}};
  if (s.personal_erased) {
    applicant["erased"] = true;
  } else if (vault) {
    auto p = vault->Unseal(s.applicant);
    if (p.ok()) {
      applicant.update({{"nik", p->nik},
                        {"name", p->name},
                        {"address", p->address},
                        {"phone", p->phone},
                        {"kk_number", p->kk_number},
                        {"npwp", p->npwp}});
    } else {
      applicant["erased"] = p.status().code() == "erased";
    }
  }
  j["applicant"] = applicant;
  return j;
}

nlohmann::json RenderTracking(const PermitState& s, const Charter& c, int64_t now_ms,
                              const std::vector<nlohmann::json>& history) {
  const Kelurahan* kel = c.FindKelurahan(s.kelurahan);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& e : history) {
    steps.push_back({{"type", e["type"]},
                     {"time", e["time"]},
                     {"actor_role", e["actor_role"]},
                     {"seq", e["seq"]},
                     {"details", e["payload"]}});
    // The applicant's own sealed data is not echoed back.
    steps.back()["details"].erase("applicant");
  }
  nlohmann::json j = {{"permit_id", s.permit_id},
                      {"status", StatusName(s.status)},
                      {"version", s.version},
                      {"business_name", s.business.name},
                      {"kelurahan", s.kelurahan},
                      {"kelurahan_name", kel ? kel->name : s.kelurahan},
                      {"submitted_at", IsoTime(s.submitted_ms)},
                      {"stage_entered_at", IsoTime(s.stage_entered_ms)},
                      {"missing", s.missing},
                      {"history", steps},
                      {"consents", s.consents}};
  j.update(StageJson(s, c, now_ms));
  if (!s.survey_date.empty()) j["survey_date"] = s.survey_date;
  if (!s.permit_number.empty()) {
    j["permit_number"] = s.permit_number;
    j["valid_until"] = s.valid_until;
  }
  if (!s.outcome_code.empty())
    j["outcome"] = {{"code", s.outcome_code}, {"reason", s.outcome_reason}};
  return j;
}

nlohmann::json RenderVerification(const std::string& number, const nlohmann::json* entry,
                                  const std::string& today) {
  if (!entry) return {{"permit_number", number}, {"result", "unknown"}};
  nlohmann::json j = *entry;
  std::string result = "valid";
  if (j.value("status", "") == "revoked")
    result = "revoked";
  else if (j.value("valid_until", "") < today)
    result = "expired";
  j["result"] = result;
  return j;
}

}  // namespace pl
