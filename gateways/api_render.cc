#include "gateways/api_render.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "domain/decider.h"
#include "events/json.h"
#include "events/json_writer.h"

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

}  // namespace

void DropPersonIds(nlohmann::json& events) {
  for (auto& e : events) {
    auto payload = e.find("payload");
    if (payload == e.end() || !payload->is_object()) continue;
    payload->erase("person_id");
    if (auto a = payload->find("applicant"); a != payload->end() && a->is_object())
      a->erase("person_id");
  }
}

std::string RenderPermit(const PermitState& s, const GovernanceState& gov, int64_t now_ms,
                         const PersonalVault* vault, bool person_erased, bool person_id) {
  const bool erased = s.personal_erased || person_erased;
  // Written directly, keys in sorted order: the same text as building the
  // document with nlohmann and dumping it (tests/gateways/render_test.cc),
  // at a fraction of the cost on the API's most read answer.
  const Charter& c = *gov.charter;
  const Kelurahan* kel = c.FindKelurahan(s.kelurahan);
  const StageInfo st = StageOf(s, gov, erased);
  JsonWriter w;
  w.BeginObject().Key("applicant").BeginObject();
  std::optional<Result<PersonalData>> personal;
  if (!erased && vault) personal.emplace(vault->Unseal(s.applicant));
  if (personal && personal->ok()) {
    const PersonalData& p = **personal;
    w.Key("address").String(p.address);
    w.Key("kk_number").String(p.kk_number);
    w.Key("name").String(p.name);
    w.Key("nik").String(p.nik);
    w.Key("npwp").String(p.npwp);
    if (person_id) w.Key("person_id").String(s.applicant.person_id);
    w.Key("phone").String(p.phone);
  } else {
    if (erased || personal) w.Key("erased").Bool(erased || personal->status().code() == "erased");
    if (person_id) w.Key("person_id").String(s.applicant.person_id);
    // On Kafka: the key has not reached this instance yet (events/vault_share.h).
    if (!erased && personal && personal->status().code() == "key_unavailable")
      w.Key("unavailable").Bool(true);
  }
  w.EndObject();
  w.Key("business").BeginObject();
  w.Key("capital").Int(s.business.capital);
  w.Key("description").String(s.business.description);
  w.Key("kbli").String(s.business.kbli);
  w.Key("name").String(s.business.name);
  w.Key("premises").String(s.business.premises);
  w.Key("turnover").Int(s.business.turnover);
  w.Key("workers").Int(s.business.workers);
  w.EndObject();
  w.Key("consents").StringArray(s.consents);
  w.Key("documents").StringArray(s.documents);
  w.Key("due_date");
  st.due_date.empty() ? w.Null() : w.String(st.due_date);
  w.Key("kelurahan").String(s.kelurahan);
  w.Key("kelurahan_name").String(kel ? kel->name : s.kelurahan);
  w.Key("missing").StringArray(st.missing);
  w.Key("next_actions").StringArray(st.next_actions);
  w.Key("next_roles").BeginArray();
  for (const auto& r : st.next_roles) {
    auto it = c.roles.find(r);
    w.BeginObject().Key("name").String(it == c.roles.end() ? r : it->second.name);
    w.Key("role").String(r).EndObject();
  }
  w.EndArray();
  if (!s.outcome_code.empty()) {
    w.Key("outcome").BeginObject().Key("code").String(s.outcome_code);
    w.Key("reason").String(s.outcome_reason).EndObject();
  }
  w.Key("overdue").Bool(Overdue(st, c, now_ms));
  w.Key("permit_id").String(s.permit_id);
  if (!s.permit_number.empty()) w.Key("permit_number").String(s.permit_number);
  w.Key("personal_data_erased").Bool(erased);
  if (!s.letter_number.empty()) w.Key("recommendation_letter").String(s.letter_number);
  w.Key("service_days").Int(st.service_days);
  w.Key("stage").String(st.stage);
  w.Key("stage_entered_at").String(IsoTime(s.stage_entered_ms));
  w.Key("status").String(StatusName(s.status));
  w.Key("submitted_at").String(IsoTime(s.submitted_ms));
  if (!s.survey_date.empty()) {
    w.Key("survey").BeginObject().Key("date").String(s.survey_date);
    w.Key("team").StringArray(s.survey_team);
    w.Key("zoning_compliant");
    s.zoning_compliant ? w.Bool(*s.zoning_compliant) : w.Null();
    w.EndObject();
  }
  if (st.survey_team_unavailable) w.Key("survey_team_unavailable").Bool(true);
  if (!s.permit_number.empty()) {
    w.Key("valid_from").String(s.valid_from);
    w.Key("valid_until").String(s.valid_until);
  }
  w.Key("version").Int(static_cast<int64_t>(s.version));
  return w.EndObject().Take();
}

StageInfo StageOf(const PermitState& s, const GovernanceState& gov, bool person_erased) {
  if (!person_erased || s.personal_erased) return Stage(s, gov);
  PermitState erased = s;
  erased.personal_erased = true;
  return Stage(erased, gov);
}

nlohmann::json RenderStage(const StageInfo& st, const Charter& c, int64_t now_ms) {
  nlohmann::json j = {{"stage", st.stage},
                      {"missing", st.missing},
                      {"next_actions", st.next_actions},
                      {"next_roles", RoleNames(st.next_roles, c)},
                      {"service_days", st.service_days}};
  if (st.survey_team_unavailable) j["survey_team_unavailable"] = true;
  j["due_date"] = st.due_date.empty() ? nlohmann::json() : nlohmann::json(st.due_date);
  j["overdue"] = Overdue(st, c, now_ms);
  return j;
}

bool Overdue(const StageInfo& st, const Charter& c, int64_t now_ms) {
  return !st.due_date.empty() && LocalDate(now_ms, c) > st.due_date;
}

nlohmann::json RenderTracking(const PermitState& s, const GovernanceState& gov, int64_t now_ms,
                              const std::vector<nlohmann::json>& history, bool person_erased) {
  const Charter& c = *gov.charter;
  const Kelurahan* kel = c.FindKelurahan(s.kelurahan);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& e : history) {
    steps.push_back({{"type", e["type"]},
                     {"time", e["time"]},
                     {"actor_role", e["actor_role"]},
                     {"seq", e["seq"]},
                     {"details", e["payload"]}});
    // The applicant's own sealed data is not echoed back, nor its pseudonym.
    steps.back()["details"].erase("applicant");
    steps.back()["details"].erase("person_id");
  }
  nlohmann::json j = {{"permit_id", s.permit_id},
                      {"status", StatusName(s.status)},
                      {"version", s.version},
                      {"business_name", s.business.name},
                      {"kelurahan", s.kelurahan},
                      {"kelurahan_name", kel ? kel->name : s.kelurahan},
                      {"submitted_at", IsoTime(s.submitted_ms)},
                      {"stage_entered_at", IsoTime(s.stage_entered_ms)},
                      {"history", steps},
                      {"consents", s.consents},
                      {"personal_data_erased", s.personal_erased || person_erased}};
  j.update(RenderStage(StageOf(s, gov, person_erased), c, now_ms));
  if (!s.survey_date.empty()) j["survey_date"] = s.survey_date;
  if (!s.permit_number.empty()) {
    j["permit_number"] = s.permit_number;
    j["valid_until"] = s.valid_until;
  }
  if (!s.outcome_code.empty())
    j["outcome"] = {{"code", s.outcome_code}, {"reason", s.outcome_reason}};
  return j;
}

namespace {

std::string PointerPart(const std::string& key) {
  std::string out;
  for (char ch : key) out += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch);
  return out;
}

void AddChanges(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
                nlohmann::json& ops) {
  if (a == b) return;
  if (a.type() != b.type() || (!a.is_object() && !a.is_array())) {
    ops.push_back({{"op", "replace"}, {"path", path}, {"value", b}});
    return;
  }
  if (a.is_object()) {
    for (const auto& [k, v] : a.items())
      if (!b.contains(k)) ops.push_back({{"op", "remove"}, {"path", path + "/" + PointerPart(k)}});
    for (const auto& [k, v] : b.items()) {
      if (!a.contains(k))
        ops.push_back({{"op", "add"}, {"path", path + "/" + PointerPart(k)}, {"value", v}});
      else
        AddChanges(a[k], v, path + "/" + PointerPart(k), ops);
    }
    return;
  }
  if (a.size() == b.size()) {
    for (size_t i = 0; i < a.size(); ++i)
      AddChanges(a[i], b[i], path + "/" + std::to_string(i), ops);
    return;
  }
  // What both start and end with stays; of the rest, the longest common
  // subsequence stays and the others are removed (last first, so the
  // indices hold), then added at their places in `b`. Beyond kCells pairs
  // to compare (a charter of thousands of dates, asked by anyone), item by
  // item, the longer's tail removed or added.
  constexpr size_t kCells = size_t{1} << 18;
  size_t head = 0, tail = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  const size_t n = a.size() - head - tail, m = b.size() - head - tail;
  std::vector<bool> keep_a(n, false), keep_b(m, false);
  if (n * m > kCells) {
    for (size_t i = 0; i < std::min(n, m); ++i)
      AddChanges(a[head + i], b[head + i], path + "/" + std::to_string(head + i), ops);
    for (size_t i = n; i-- > m;)
      ops.push_back({{"op", "remove"}, {"path", path + "/" + std::to_string(head + i)}});
    for (size_t j = n; j < m; ++j)
      ops.push_back(
          {{"op", "add"}, {"path", path + "/" + std::to_string(head + j)}, {"value", b[head + j]}});
    return;
  }
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1
                                             : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  for (size_t i = 0, j = 0; i < n && j < m;) {
    if (a[head + i] == b[head + j]) {
      keep_a[i++] = keep_b[j++] = true;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  for (size_t i = n; i-- > 0;)
    if (!keep_a[i])
      ops.push_back({{"op", "remove"}, {"path", path + "/" + std::to_string(head + i)}});
  for (size_t j = 0; j < m; ++j)
    if (!keep_b[j])
      ops.push_back(
          {{"op", "add"}, {"path", path + "/" + std::to_string(head + j)}, {"value", b[head + j]}});
}

}  // namespace

nlohmann::json ChangesPatch(const nlohmann::json& from, const nlohmann::json& to) {
  nlohmann::json ops = nlohmann::json::array();
  AddChanges(from, to, "", ops);
  return ops;
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
