#include "domain/charter.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "domain/calendar.h"
#include "domain/decider_util.h"
#include "domain/state.h"
#include "events/event_types.h"
#include "events/strict_json.h"
#include "events/utf8.h"

namespace pl {
namespace {

using nlohmann::json;

// A parse failure carrying the path of the offending key. Thrown and caught
// only inside this file; FromJson returns it as a Status.
struct CharterError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw CharterError{"charter key \"" + path + "\": " + what};
}

// Refuses keys of `obj` that are not in `allowed`, and missing keys of
// `required`.
void CheckKeys(const json& obj, const std::string& path,
               std::initializer_list<const char*> required,
               std::initializer_list<const char*> optional = {}) {
  if (!obj.is_object()) Fail(path.empty() ? "(document)" : path, "must be a JSON object");
  auto prefix = path.empty() ? std::string() : path + ".";
  for (const char* k : required) {
    if (!obj.contains(k)) Fail(prefix + k, "is missing");
  }
  for (const auto& [k, v] : obj.items()) {
    bool known = std::any_of(required.begin(), required.end(), [&](auto r) { return k == r; }) ||
                 std::any_of(optional.begin(), optional.end(), [&](auto r) { return k == r; });
    if (!known) Fail(prefix + k, "is not a charter key (unknown keys are refused)");
  }
}

std::string Str(const json& v, const std::string& path) {
  if (!v.is_string()) Fail(path, "must be a string");
  auto s = v.get<std::string>();
  if (std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isspace(ch); }))
    Fail(path, "must not be empty");
  return s;
}

// A code made of `allowed` characters only (e.g. digits and '.').
void CheckCode(const std::string& s, const std::string& path, std::string_view what,
               const std::function<bool(unsigned char)>& allowed) {
  if (!std::all_of(s.begin(), s.end(), allowed))
    Fail(path, "\"" + s + "\" is not " + std::string(what));
}

int64_t Int(const json& v, const std::string& path, int64_t min, int64_t max) {
  const std::string range =
      "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got ";
  // A whole number past 64 bits reaches here as a floating-point one.
  if (v.is_number_float() && std::abs(v.get<double>()) >= 9.2e18)
    Fail(path, range + (v.get<double>() < 0 ? "a number below that" : "a number beyond that"));
  if (v.is_number_float())
    Fail(path, "must be a whole number, written without a decimal point or exponent");
  if (!v.is_number_integer()) Fail(path, "must be an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(max))
    Fail(path, range + std::to_string(v.get<uint64_t>()));
  int64_t n = v.get<int64_t>();
  if (n < min || n > max) Fail(path, range + std::to_string(n));
  return n;
}

const json& Object(const json& v, const std::string& path) {
  if (!v.is_object()) Fail(path, "must be a JSON object");
  return v;
}

const json& Array(const json& v, const std::string& path) {
  if (!v.is_array()) Fail(path, "must be a JSON array");
  return v;
}

// A list of distinct non-empty strings.
std::vector<std::string> StrList(const json& v, const std::string& path) {
  std::vector<std::string> out;
  for (size_t i = 0; i < Array(v, path).size(); ++i) {
    auto item = path + "[" + std::to_string(i) + "]";
    auto s = Str(v[i], item);
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      Fail(item, "repeats \"" + s + "\"");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Scope ParseScope(const json& v, const std::string& path) {
  auto s = Str(v, path);
  if (s == "kelurahan") return Scope::kKelurahan;
  if (s == "kecamatan") return Scope::kKecamatan;
  if (s == "all") return Scope::kAll;
  Fail(path, "must be \"kelurahan\", \"kecamatan\" or \"all\", got \"" + s + "\"");
}

// Lower-case letters, digits and '_', starting with a letter, at most 64.
bool IsCode(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::islower(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), [](unsigned char ch) {
           return std::islower(ch) || std::isdigit(ch) || ch == '_';
         });
}

bool IsStatusName(const std::string& s) { return ParseStatusName(s).has_value(); }

bool IsOpenStatusName(const std::string& s) {
  const auto status = ParseStatusName(s);
  return status && IsOpen(*status);
}

bool IsPermitEventName(const std::string& s) {
  for (int t = static_cast<int>(EventType::kApplicationSubmitted);
       t <= static_cast<int>(EventType::kPersonalDataErased); ++t) {
    if (s == EventTypeName(static_cast<EventType>(t))) return true;
  }
  return false;
}

// "data_sharing": {"<subscriber id>": {"stakeholder", "consent_required",
// "events": [...], "fields": [...]}, ...}
void ParseDataSharing(const json& v, Charter& c) {
  for (const auto& [id, def] : Object(v, "data_sharing").items()) {
    auto path = "data_sharing." + id;
    bool id_ok = !id.empty() && id.size() <= 64 && id.front() != '-' &&
                 std::all_of(id.begin(), id.end(), [](char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                 });
    if (!id_ok) {
      Fail(path,
           "a subscriber id is 1 to 64 lower-case letters, digits and '-' (it names a "
           "Kafka topic and a URL)");
    }
    CheckKeys(def, path, {"stakeholder", "consent_required", "events", "fields"},
              {"token_generation"});
    SubscriberPolicy s;
    s.id = id;
    s.stakeholder = Str(def["stakeholder"], path + ".stakeholder");
    if (std::none_of(c.stakeholders.begin(), c.stakeholders.end(),
                     [&](const Stakeholder& h) { return h.id == s.stakeholder; })) {
      Fail(path + ".stakeholder", "\"" + s.stakeholder + "\" is not a stakeholder of the charter");
    }
    if (!def["consent_required"].is_boolean())
      Fail(path + ".consent_required", "must be true or false");
    s.consent_required = def["consent_required"].get<bool>();
    for (auto& e : StrList(def["events"], path + ".events")) {
      if (!IsPermitEventName(e)) Fail(path + ".events", "\"" + e + "\" is not a permit event type");
      s.events.insert(std::move(e));
    }
    const auto& known = FeedFields();
    for (auto& f : StrList(def["fields"], path + ".fields")) {
      if (std::find(known.begin(), known.end(), f) == known.end()) {
        Fail(path + ".fields", "\"" + f + "\" is not a feed field (docs/feeds.md lists them)");
      }
      s.fields.insert(std::move(f));
    }
    if (def.contains("token_generation"))
      s.token_generation = static_cast<uint32_t>(
          Int(def["token_generation"], path + ".token_generation", 0, 1'000'000));
    c.data_sharing.push_back(std::move(s));
  }
}

void ParseInto(const json& doc, Charter& c) {
  CheckKeys(doc, "",
            {"charter_version", "name", "permit_type", "kecamatan", "kelurahan", "stakeholders",
             "roles", "permissions", "service_days", "holidays", "eligibility", "validity_years",
             "required_documents", "utc_offset_minutes"},
            {"optional_documents", "data_sharing", "rejection_reasons"});
  c.version = static_cast<uint32_t>(Int(doc["charter_version"], "charter_version", 1, UINT32_MAX));
  c.name = Str(doc["name"], "name");
  c.permit_type = Str(doc["permit_type"], "permit_type");
  // It opens every permit number ("IUMK/<kelurahan>/<year>/<id>").
  CheckCode(c.permit_type, "permit_type", "a code of letters, digits, '_' and '-'",
            [](unsigned char ch) { return std::isalnum(ch) || ch == '_' || ch == '-'; });

  const auto& kec = doc["kecamatan"];
  CheckKeys(kec, "kecamatan", {"code", "name"});
  c.kecamatan_code = Str(kec["code"], "kecamatan.code");
  c.kecamatan_name = Str(kec["name"], "kecamatan.name");
  auto digits_and_dots = [](unsigned char ch) { return std::isdigit(ch) || ch == '.'; };
  CheckCode(c.kecamatan_code, "kecamatan.code", "a region code of digits and dots",
            digits_and_dots);

  const auto& kels = Array(doc["kelurahan"], "kelurahan");
  if (kels.empty()) Fail("kelurahan", "must list at least one kelurahan");
  for (size_t i = 0; i < kels.size(); ++i) {
    auto path = "kelurahan[" + std::to_string(i) + "]";
    CheckKeys(kels[i], path, {"code", "name"});
    Kelurahan k{Str(kels[i]["code"], path + ".code"), Str(kels[i]["name"], path + ".name")};
    if (k.code.rfind(c.kecamatan_code + ".", 0) != 0 ||
        k.code.size() == c.kecamatan_code.size() + 1) {
      Fail(path + ".code", "\"" + k.code + "\" is not inside kecamatan " + c.kecamatan_code);
    }
    if (const std::string_view own = std::string_view(k.code).substr(c.kecamatan_code.size() + 1);
        !std::all_of(own.begin(), own.end(), [](unsigned char ch) { return std::isdigit(ch); }))
      Fail(path + ".code", "\"" + k.code.substr(0, 40) +
                               "\" is not a kelurahan code: the kecamatan code (" +
                               c.kecamatan_code + "), '.', then digits");
    if (c.FindKelurahan(k.code)) Fail(path + ".code", "repeats \"" + k.code + "\"");
    c.kelurahan.push_back(std::move(k));
  }

  const auto& roles = Object(doc["roles"], "roles");
  bool declared_personal_data = false;
  if (roles.empty()) Fail("roles", "must define at least one role");
  for (const auto& [id, def] : roles.items()) {
    auto path = "roles." + id;
    CheckKeys(def, path, {"name", "scope"}, {"personal_data"});
    if (id.empty()) Fail(path, "a role needs an id");
    c.roles[id] =
        RoleDef{Str(def["name"], path + ".name"), ParseScope(def["scope"], path + ".scope")};
    if (def.contains("personal_data")) {
      if (!def["personal_data"].is_boolean())
        Fail(path + ".personal_data", "must be true or false");
      c.roles[id].personal_data = def["personal_data"].get<bool>();
      declared_personal_data = true;
    }
  }
  if (!declared_personal_data) {
    for (const auto& r : Charter::kLegacyPersonalDataRoles)
      if (auto it = c.roles.find(r); it != c.roles.end()) it->second.personal_data = true;
  }
  // The administrator adopts charters, enrols officers and erases on a legal
  // order anywhere: the ledger's own role.
  if (auto admin = c.roles.find("admin");
      admin == c.roles.end() || admin->second.scope != Scope::kAll)
    Fail("roles.admin", "must be defined, with scope \"all\"");

  const auto& holders = Array(doc["stakeholders"], "stakeholders");
  for (size_t i = 0; i < holders.size(); ++i) {
    auto path = "stakeholders[" + std::to_string(i) + "]";
    CheckKeys(holders[i], path, {"id", "name", "roles"});
    Stakeholder h{Str(holders[i]["id"], path + ".id"), Str(holders[i]["name"], path + ".name"),
                  StrList(holders[i]["roles"], path + ".roles")};
    for (const auto& s : c.stakeholders) {
      if (s.id == h.id) Fail(path + ".id", "repeats \"" + h.id + "\"");
    }
    for (const auto& r : h.roles) {
      if (!c.roles.count(r))
        Fail(path + ".roles", "names role \"" + r + "\", which is not defined in roles");
    }
    c.stakeholders.push_back(std::move(h));
  }

  const auto& perms = Object(doc["permissions"], "permissions");
  const auto& actions = AllActions();
  for (const auto& [action, list] : perms.items()) {
    auto path = "permissions." + action;
    if (std::find(actions.begin(), actions.end(), action) == actions.end()) {
      Fail(path, "\"" + action + "\" is not an action of the ledger");
    }
    auto granted = StrList(list, path);
    for (const auto& r : granted) {
      if (!c.roles.count(r)) Fail(path, "names role \"" + r + "\", which is not defined in roles");
    }
    c.permissions[action] = std::move(granted);
  }
  for (const auto& action : actions) {
    if (!c.permissions.count(action)) {
      Fail("permissions." + action,
           "is missing: list every action with the roles that may take it (only "
           "grant_consent and withdraw_consent may be [], granted to nobody)");
    }
    // A step nobody may take would leave permits waiting in it for ever;
    // only consent may be given to nobody (when no subscriber asks for it).
    const bool consent = action == "grant_consent" || action == "withdraw_consent";
    if (!consent && c.permissions[action].empty())
      Fail("permissions." + action, "grants it to nobody: permits would wait for it for ever");
  }
  if (c.permissions["grant_consent"].empty() != c.permissions["withdraw_consent"].empty())
    Fail("permissions.withdraw_consent",
         "a consent that may be given must be one that may be withdrawn (and the other way)");

  const auto& days = Object(doc["service_days"], "service_days");
  for (const auto& [status, n] : days.items()) {
    auto path = "service_days." + status;
    if (!IsStatusName(status) || status == "none")
      Fail(path, "\"" + status + "\" is not a permit status");
    if (!IsOpenStatusName(status))
      Fail(path, "\"" + status +
                     "\" has no service level: nothing is due once a permit is issued, "
                     "rejected, withdrawn or revoked");
    c.service_days[status] = static_cast<int>(Int(n, path, 0, 365));
  }

  auto holidays = StrList(doc["holidays"], "holidays");
  for (size_t i = 0; i < holidays.size(); ++i) {
    const auto day = ParseDate(holidays[i]);
    if (!day || holidays[i] < "1900" || holidays[i] >= "2201") {
      Fail("holidays[" + std::to_string(i) + "]",
           "\"" + holidays[i] + "\" is not a YYYY-MM-DD date between 1900 and 2200");
    }
    c.holidays.insert(*day);
  }

  const auto& el = doc["eligibility"];
  CheckKeys(el, "eligibility", {"max_capital", "max_turnover", "max_workers"});
  c.eligibility.max_capital = Int(el["max_capital"], "eligibility.max_capital", 0, INT64_MAX);
  c.eligibility.max_turnover = Int(el["max_turnover"], "eligibility.max_turnover", 0, INT64_MAX);
  c.eligibility.max_workers =
      static_cast<int32_t>(Int(el["max_workers"], "eligibility.max_workers", 1, INT32_MAX));

  c.validity_years = static_cast<int>(Int(doc["validity_years"], "validity_years", 1, 100));
  c.required_documents = StrList(doc["required_documents"], "required_documents");
  if (c.required_documents.empty()) Fail("required_documents", "must list at least one document");
  if (doc.contains("optional_documents")) {
    c.optional_documents = StrList(doc["optional_documents"], "optional_documents");
    for (const auto& d : c.optional_documents) {
      if (std::find(c.required_documents.begin(), c.required_documents.end(), d) !=
          c.required_documents.end()) {
        Fail("optional_documents", "\"" + d + "\" is already a required document");
      }
    }
  }
  c.rejection_reasons = Charter::kDefaultRejectionReasons;
  if (doc.contains("rejection_reasons")) {
    c.rejection_reasons = StrList(doc["rejection_reasons"], "rejection_reasons");
    if (c.rejection_reasons.empty()) Fail("rejection_reasons", "must list at least one code");
    for (const auto& r : c.rejection_reasons) {
      if (!IsCode(r))
        Fail("rejection_reasons",
             "\"" + r + "\" is not a code: lower-case letters, digits and '_', at most 64");
    }
  }
  c.utc_offset_minutes =
      static_cast<int>(Int(doc["utc_offset_minutes"], "utc_offset_minutes", -720, 840));
  if (doc.contains("data_sharing")) ParseDataSharing(doc["data_sharing"], c);
}

}  // namespace

const std::vector<std::string> Charter::kLegacyPersonalDataRoles = {
    "ptsp_officer", "ptsp_head", "kelurahan_economy", "lurah", "kecamatan_umkm"};

const std::vector<std::string> Charter::kDefaultRejectionReasons = {
    "incomplete_documents", "zoning", "ineligible", "duplicate_application", "false_information"};

namespace {

// Every name and text of a charter is shown on pages, in feeds and on the
// public log: no control characters (bidirectional overrides included), not
// blank, and no longer than a name needs.
constexpr size_t kMaxCharterText = 200;

void CheckTexts(const json& j, const std::string& path) {
  auto check = [](const std::string& s, const std::string& where) {
    if (auto code = FirstControl(s, /*line_breaks_too=*/true))
      Fail(where, "holds the control character " + *code +
                      " (a line break, a tab, NUL, a direction override, ...); write it on one "
                      "line without them");
    if (!s.empty() && Blank(s))
      Fail(where, "holds only spaces or invisible characters; write the text, or leave it out");
    if (Utf8Length(s) > kMaxCharterText)
      Fail(where, "is " + std::to_string(Utf8Length(s)) + " characters long; at most " +
                      std::to_string(kMaxCharterText));
  };
  if (j.is_string()) return check(j.get_ref<const std::string&>(), path);
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) CheckTexts(j[i], path + "[" + std::to_string(i) + "]");
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      const std::string at = path.empty() ? k : path + "." + k;
      check(k, at + " (the key)");
      CheckTexts(v, at);
    }
  }
}

// Role ids name who acted in every audit trail: codes, like the reasons'.
// (Checked on adoption: a charter adopted before this rule still reads.)
void CheckRoleIds(const json& doc) {
  if (!doc.is_object() || !doc.contains("roles") || !doc["roles"].is_object()) return;
  for (const auto& [id, def] : doc["roles"].items())
    if (!IsCode(id))
      Fail("roles." + id,
           "\"" + id +
               "\" is not a role id: lower-case letters, digits and '_', starting with "
               "a letter, at most 64");
}

// What a charter proposed for adoption must allow besides being well
// formed: permit numbers that verify as typed, a survey that some team can
// run, and a consent that its applicant can always withdraw.
void CheckWorkable(const Charter& c) {
  // Names a clerk tells apart, and codes shaped as codes: a kelurahan is
  // never removed once adopted, and a document named twice in two letter
  // cases would be asked for as two.
  for (size_t i = 0; i < c.kelurahan.size(); ++i) {
    const Kelurahan& k = c.kelurahan[i];
    const std::string path = "kelurahan[" + std::to_string(i) + "]";
    if (k.code.size() != c.kecamatan_code.size() + 5 || k.code.ends_with(".0000"))
      Fail(path + ".code", "\"" + k.code.substr(0, 40) +
                               "\" is not a kelurahan code: the kecamatan code, '.', then the "
                               "kelurahan's four digits (as " +
                               c.kecamatan_code + ".1001)");
    for (size_t j = 0; j < i; ++j)
      if (NameKey(c.kelurahan[j].name) == NameKey(k.name))
        Fail(path + ".name", "\"" + k.name + "\" is the name of kelurahan " + c.kelurahan[j].code +
                                 " too: pages and registers show names");
  }
  for (const auto* list : {&c.required_documents, &c.optional_documents})
    for (const auto& d : *list)
      if (!IsCode(d))
        Fail(list == &c.required_documents ? "required_documents" : "optional_documents",
             "\"" + d.substr(0, 40) +
                 "\" is not a document code: lower-case letters, digits and '_', at most 64");
  for (size_t i = 0; i < c.stakeholders.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (NameKey(c.stakeholders[j].name) == NameKey(c.stakeholders[i].name))
        Fail("stakeholders", "\"" + c.stakeholders[i].name + "\" is the name of stakeholder " +
                                 c.stakeholders[j].id + " too: feeds and pages show names");
  for (const auto& h : c.stakeholders)
    if (h.id.empty() || h.id.size() > 64 || !std::islower(static_cast<unsigned char>(h.id[0])) ||
        !std::all_of(h.id.begin(), h.id.end(), [](unsigned char ch) {
          return std::islower(ch) || std::isdigit(ch) || ch == '_' || ch == '-';
        }))
      Fail("stakeholders", "\"" + h.id.substr(0, 40) +
                               "\" is not a stakeholder id: lower-case letters, digits, '_' and "
                               "'-', starting with a letter, at most 64");
  if (std::any_of(c.permit_type.begin(), c.permit_type.end(),
                  [](unsigned char ch) { return std::islower(ch); }))
    Fail("permit_type", "\"" + c.permit_type +
                            "\" opens every permit number, which is issued and verified in "
                            "capitals: write it in capitals (\"IUMK\")");
  // A survey meets the applicant at the premises: its team is of roles
  // that may see personal data, and one of them records it.
  const auto& recorders = c.permissions.at("record_survey");
  if (std::none_of(recorders.begin(), recorders.end(),
                   [&](const std::string& r) { return c.SeesPersonalData(r); }))
    Fail("permissions.record_survey",
         "grants it only to roles that may not see personal data, which a site survey meets: "
         "no survey team could be named, and permits would wait in documents_verified for "
         "ever; grant it to a role with personal_data, or mark one of its roles so");
  for (const auto& sub : c.data_sharing) {
    const auto& withdrawers = c.permissions.at("withdraw_consent");
    if (sub.consent_required &&
        std::find(withdrawers.begin(), withdrawers.end(), "applicant") == withdrawers.end())
      Fail("permissions.withdraw_consent",
           "\"" + sub.id +
               "\" receives what it receives with the applicant's consent, which the applicant "
               "may always withdraw: grant withdraw_consent to applicant");
  }
}

}  // namespace

// Who sees personal data is said, not guessed from role ids that may mean
// other offices in another charter (a signboard charter's "lurah" may be a
// city office): only a charter on the log from before the key is read the
// old way (kLegacyPersonalDataRoles), and re-deciding it (an audit) must
// not refuse it, so the rule is not FromJson's.
Status Charter::CheckProposal(std::string_view text) {
  auto parsed = ParseStrictJson(text);
  if (!parsed.ok() || !parsed->is_object() || !parsed->contains("roles") ||
      !(*parsed)["roles"].is_object())
    return Status::Ok();  // FromJson says what is wrong
  for (const auto& [id, def] : (*parsed)["roles"].items())
    if (def.is_object() && def.contains("personal_data")) return Status::Ok();
  return Status("invalid_charter",
                "charter key \"roles\": no role says whether its officers see the applicant's "
                "personal data (NIK, name, address, phone): give \"personal_data\": true to each "
                "role that meets applicants or decides on them (the survey team, who issues), and "
                "false to the others");
}

Result<Charter> Charter::FromJson(std::string_view text, bool check_texts) {
  auto parsed = ParseStrictJson(text);
  if (!parsed.ok()) return Status("invalid_charter", "the charter " + parsed.status().message());
  json doc = std::move(*parsed);
  Charter c;
  try {
    if (check_texts) {
      CheckTexts(doc, "");
      CheckRoleIds(doc);
    }
    ParseInto(doc, c);
    if (check_texts) CheckWorkable(c);
  } catch (const CharterError& e) {
    return Status("invalid_charter", e.message);
  }
  c.canonical_json = doc.dump();
  return c;
}

std::string Charter::KelurahanCodes() const {
  std::string known;
  for (const auto& k : kelurahan)
    known += (known.empty() ? "" : ", ") + k.code + " (" + k.name + ")";
  return known;
}

const Kelurahan* Charter::FindKelurahan(std::string_view code) const {
  for (const auto& k : kelurahan) {
    if (k.code == code) return &k;
  }
  return nullptr;
}

const SubscriberPolicy* Charter::FindSubscriber(std::string_view id) const {
  for (const auto& s : data_sharing) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

bool Charter::RoleMay(std::string_view role, std::string_view action) const {
  auto it = permissions.find(std::string(action));
  if (it == permissions.end()) return false;
  return std::find(it->second.begin(), it->second.end(), role) != it->second.end();
}

bool Charter::KnowsDocument(std::string_view name) const {
  return std::find(required_documents.begin(), required_documents.end(), name) !=
             required_documents.end() ||
         std::find(optional_documents.begin(), optional_documents.end(), name) !=
             optional_documents.end();
}

bool Charter::SeesPersonalData(const std::string& role) const {
  auto it = roles.find(role);
  return it != roles.end() && it->second.personal_data;
}

bool Charter::Covers(std::string_view role, std::string_view jurisdiction,
                     std::string_view kel) const {
  auto it = roles.find(std::string(role));
  if (it == roles.end()) return false;
  switch (it->second.scope) {
    case Scope::kKelurahan:
      return !jurisdiction.empty() && jurisdiction == kel;
    case Scope::kKecamatan:
      return jurisdiction == kecamatan_code && FindKelurahan(kel) != nullptr;
    case Scope::kAll:
      return true;
  }
  return false;
}

const std::vector<std::string>& FeedFields() {
  static const std::vector<std::string> kFields = {"kelurahan",
                                                   "status",
                                                   "business_name",
                                                   "business_description",
                                                   "kbli",
                                                   "capital",
                                                   "turnover",
                                                   "permit_number",
                                                   "valid_from",
                                                   "valid_until",
                                                   "reason",
                                                   "applicant.nik",
                                                   "applicant.name",
                                                   "applicant.address",
                                                   "applicant.phone",
                                                   "applicant.kk_number",
                                                   "applicant.npwp"};
  return kFields;
}

const std::vector<std::string>& AllActions() {
  static const std::vector<std::string> kActions = {
      "submit_application", "verify_documents", "request_completion", "complete_documents",
      "schedule_survey",    "record_survey",    "recommend",          "decline_recommendation",
      "issue_permit",       "reject",           "withdraw",           "revoke",
      "grant_consent",      "withdraw_consent", "erase_personal_data"};
  return kActions;
}

}  // namespace pl
