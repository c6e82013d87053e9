// Decide for the governance stream: adopting a charter, enrolling and
// retiring officers.
// Only the admin role acts here.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <set>
#include <string_view>

#include "domain/calendar.h"
#include "domain/decider_util.h"

namespace pl {
namespace {

Decision Adopt(const Command& cmd, const GovernanceState& gov, const AdoptCharter& a) {
  auto parsed = Charter::FromJson(a.charter_json, /*check_texts=*/true);
  if (!parsed.ok()) return Refuse("invalid_charter", parsed.status().message());
  uint32_t current = gov.charter ? gov.charter->version : 0;
  if (parsed->version <= current) {
    return Refuse("stale_charter_version",
                  "charter_version " + std::to_string(parsed->version) +
                      " is not newer than the adopted version " + std::to_string(current) +
                      " (adopted meanwhile, if this was written on an older one): load the "
                      "charter in force (GET /v1/charter), make the change on it, and send it "
                      "as charter_version " +
                      std::to_string(current + 1));
  }
  if (current && parsed->version != current + 1) {
    return Refuse("invalid_charter", "charter_version " + std::to_string(parsed->version) +
                                         " skips versions: the next charter is version " +
                                         std::to_string(current + 1));
  }
  // Due dates already promised were counted in the kecamatan's time zone.
  if (gov.charter && parsed->utc_offset_minutes != gov.charter->utc_offset_minutes)
    return Refuse("invalid_charter",
                  "utc_offset_minutes " + std::to_string(parsed->utc_offset_minutes) +
                      " differs from the adopted " +
                      std::to_string(gov.charter->utc_offset_minutes) +
                      ": the kecamatan's time zone is fixed once adopted (the due dates and "
                      "survey dates already given were counted in it)");
  // A day already lived keeps the calendar it had: a holiday before the
  // day of adoption declared or dropped afterwards would change the working
  // days counted for stays already over (the statistics' medians), not a
  // due date. Today may still be declared (an office closed at short
  // notice).
  if (gov.charter) {
    using namespace std::chrono;
    const sys_days today = floor<days>(sys_time<milliseconds>(
        milliseconds(cmd.time_ms + int64_t{gov.charter->utc_offset_minutes} * 60'000)));
    std::string changed;
    auto past = [&](const std::set<sys_days>& in, const std::set<sys_days>& not_in,
                    const char* what) {
      for (sys_days d : in)
        if (d < today && !not_in.count(d))
          changed += std::string(changed.empty() ? "" : ", ") + what + " " + FormatDate(d);
    };
    past(parsed->holidays, gov.charter->holidays, "declares");
    past(gov.charter->holidays, parsed->holidays, "drops");
    if (!changed.empty())
      return Refuse(
          "invalid_charter",
          "holidays: charter_version " + std::to_string(parsed->version) + " " + changed +
              ", before today (" + FormatDate(today) +
              ", the kecamatan's date): a day already passed keeps the calendar it had, or the "
              "working days counted for the stays it was part of would change; "
              "declare or drop holidays from today on");
  }
  // Permits, officers and statistics name their kelurahan: one with a
  // history stays in the charter (its name may change, its code may not).
  // Checked before the officers' roles below: dropping a kelurahan also
  // strands its officers, and retiring them would not make it allowed.
  if (gov.charter) {
    for (const auto& k : gov.charter->kelurahan) {
      if (!parsed->FindKelurahan(k.code))
        return Refuse("kelurahan_removed",
                      "charter_version " + std::to_string(parsed->version) + " drops kelurahan " +
                          k.name + " (" + k.code +
                          "): a kelurahan stays in the charter once adopted, with the same code "
                          "(its name may change)");
    }
  }
  // Every charter adopted so far, against which a subscriber's policy is
  // checked: a rule it once had is not escaped by amending in steps (its
  // consent switched off before its personal fields come back, or the
  // subscriber dropped and listed again).
  auto personal = [](const std::string& f) { return f.starts_with("applicant."); };
  for (const auto& after : parsed->data_sharing) {
    bool consented = false;
    uint32_t highest = 0;
    std::set<std::string> stakeholders;  // it belonged to, under consent
    // The first charter under which consents covered none of an applicant
    // field the new policy lists: a consent given then was not for it.
    std::string wider;
    for (const auto& [at, adopted] : gov.adopted)
      if (const SubscriberPolicy* before = adopted->FindSubscriber(after.id)) {
        consented = consented || before->consent_required;
        highest = std::max(highest, before->token_generation);
        if (!before->consent_required) continue;
        stakeholders.insert(before->stakeholder);
        if (!wider.empty()) continue;
        for (const auto& f : after.fields)
          if (personal(f) && !before->Shares(f)) wider += (wider.empty() ? "" : ", ") + f;
        if (!wider.empty())
          wider += ", which the applicants who consented under charter version " +
                   std::to_string(adopted->version) + " were not asked for";
      }
    // A consent was given to one party for the fields it named: it neither
    // passes to another stakeholder nor widens to more of the applicant's
    // data (those applicants would be asked anew, under a new id).
    if (consented && after.consent_required) {
      if (!stakeholders.count(after.stakeholder))
        return Refuse("invalid_charter",
                      "data_sharing." + after.id + ": the applicants' consents were given to " +
                          *stakeholders.begin() + ", not to " + after.stakeholder +
                          "; keep its stakeholder, or give " + after.stakeholder +
                          " a subscriber id of its own for applicants to consent to");
      if (!wider.empty())
        return Refuse("invalid_charter",
                      "data_sharing." + after.id + " adds " + wider +
                          " (a consent covers the fields listed when it was given); give the "
                          "wider policy a subscriber id of its own, for applicants to consent "
                          "to anew");
    }
    // A subscriber that was to receive applicants' personal data under
    // their consents keeps asking for them: without, it would receive the
    // data of every applicant, those who withdrew their consent (or never
    // gave it) included.
    if (consented && !after.consent_required &&
        std::any_of(after.fields.begin(), after.fields.end(), personal))
      return Refuse("invalid_charter",
                    "data_sharing." + after.id +
                        ": an earlier charter shared applicants' personal data with it only "
                        "with their consent, which some withheld or withdrew; receiving "
                        "applicant fields without consent_required it would receive their "
                        "data too. Keep consent_required true, or give the new legal basis a "
                        "subscriber id of its own");
    // A subscriber's token revoked stays revoked: its generation never goes
    // back to one of an earlier charter.
    if (after.token_generation < highest)
      return Refuse("invalid_charter",
                    "data_sharing." + after.id + ".token_generation " +
                        std::to_string(after.token_generation) + " is lower than the " +
                        std::to_string(highest) +
                        " of an earlier charter: it would open the feed again to a token "
                        "revoked before; give " +
                        std::to_string(highest) + " (or more, to revoke the token in use)");
  }
  // A consent once asked for may be withdrawn for as long as it is held,
  // by the applicant, whether or not its subscriber is still in the policy
  // (the charter alone checks the subscribers in force).
  if (const auto& withdrawers = parsed->permissions.at("withdraw_consent");
      std::find(withdrawers.begin(), withdrawers.end(), "applicant") == withdrawers.end())
    for (const auto& [at, adopted] : gov.adopted)
      for (const auto& sub : adopted->data_sharing)
        if (sub.consent_required)
          return Refuse("invalid_charter",
                        "permissions.withdraw_consent: charter version " +
                            std::to_string(adopted->version) + " shared applicants' data with \"" +
                            sub.id +
                            "\" under their consent, which an applicant may always withdraw, "
                            "even once the subscriber has left the policy: grant "
                            "withdraw_consent to applicant");
  // An enrolled officer's role stays defined, and its scope still fits the
  // officer's jurisdiction: otherwise the officer could neither act nor
  // read, and every refusal would name the wrong cause.
  std::string stranded, rescoped;
  for (const auto& [id, officer] : gov.officers) {
    auto role = parsed->roles.find(officer.role);
    if (role == parsed->roles.end()) {
      stranded += (stranded.empty() ? "" : ", ") + id + " (" + officer.role + ")";
      continue;
    }
    const Scope scope = role->second.scope;
    const bool fits =
        scope == Scope::kAll ||
        (scope == Scope::kKelurahan && parsed->FindKelurahan(officer.jurisdiction)) ||
        (scope == Scope::kKecamatan && officer.jurisdiction == parsed->kecamatan_code);
    if (!fits)
      rescoped += (rescoped.empty() ? "" : ", ") + id + " (" + officer.role + " of " +
                  (officer.jurisdiction.empty() ? "everywhere" : officer.jurisdiction) + ")";
  }
  if (!stranded.empty())
    return Refuse("invalid_charter", "charter_version " + std::to_string(parsed->version) +
                                         " drops the role of enrolled officers: " + stranded +
                                         "; retire them first, or keep their role");
  if (!rescoped.empty())
    return Refuse("invalid_charter",
                  "charter_version " + std::to_string(parsed->version) +
                      " changes the scope of a role that enrolled officers hold, so that their "
                      "jurisdiction no longer fits it: " +
                      rescoped +
                      "; retire them first (and enrol them again under the new scope), or keep "
                      "the role's scope");
  Decision d;
  Emit(d, cmd, gov.version, CharterAdopted{parsed->version, parsed->canonical_json});
  return d;
}

Decision Enroll(const Command& cmd, const GovernanceState& gov, const EnrollOfficer& a) {
  if (!gov.charter) {
    return Refuse("no_charter", "adopt a collaboration charter before enrolling officers");
  }
  const Charter& charter = *gov.charter;
  auto role = charter.roles.find(a.role);
  if (role == charter.roles.end() || a.role == "applicant" || a.role == "admin") {
    return Refuse("unknown_role", "role \"" + a.role +
                                      "\" is not an officer role of charter version " +
                                      std::to_string(charter.version));
  }
  if (a.jurisdiction.empty() && role->second.scope != Scope::kAll)
    return Missing("kelurahan",
                   "role \"" + a.role + "\" works " +
                       (role->second.scope == Scope::kKelurahan
                            ? std::string("in one kelurahan: give its code")
                            : "for the kecamatan: give its code, " + charter.kecamatan_code));
  switch (role->second.scope) {
    case Scope::kKelurahan:
      if (!charter.FindKelurahan(a.jurisdiction)) {
        return Refuse("unknown_kelurahan",
                      "role \"" + a.role + "\" works in one kelurahan; jurisdiction \"" +
                          a.jurisdiction + "\" is not a kelurahan code of kecamatan " +
                          charter.kecamatan_code + "; give one of: " + charter.KelurahanCodes());
      }
      break;
    case Scope::kKecamatan:
      if (a.jurisdiction != charter.kecamatan_code) {
        return Refuse("invalid_jurisdiction", "role \"" + a.role +
                                                  "\" works for the kecamatan; its jurisdiction "
                                                  "must be \"" +
                                                  charter.kecamatan_code + "\", not \"" +
                                                  a.jurisdiction + "\"");
      }
      break;
    case Scope::kAll:
      // A free label ("Inspektorat"), published with the enrolment.
      if (auto r = PersonalDataIn(a.jurisdiction, "jurisdiction (kelurahan)",
                                  "is published for good (enrolments are public on the "
                                  "transparency log)"))
        return *r;
      break;
  }
  if (a.officer_id.empty())
    return Refuse("missing_field",
                  "the officer's id (\"id\") is empty: give one by post, such as ptsp-ulujami-2");
  // The id goes into paths (/v1/officers/{id}/retire, the audit trail's)
  // and into tokens' lists as it is: only characters that need no escaping.
  if (a.officer_id.size() > 64 ||
      !std::all_of(a.officer_id.begin(), a.officer_id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
      }))
    return Refuse("invalid_officer_id",
                  "an officer id is 1 to 64 letters (a-z, A-Z), digits, '.', '_', '-' or '@' "
                  "(it appears in web addresses such as /v1/officers/{id}/retire); choose "
                  "another id");
  // The id is as public as the name (on the transparency log for good, in
  // histories, on the applicant's tracking page as a survey team member):
  // no e-mail address, NIK or phone number of the person in it.
  if (auto why = PersonalDataInId(a.officer_id, /*long_numbers=*/true))
    return Refuse("personal_data_in_text",
                  "the officer id (not repeated here) holds " + *why +
                      ", personal data that the id would publish for good (it is on the public "
                      "transparency log and in every history the officer acts in); choose an id "
                      "by post, such as ptsp-ulujami-2");
  // The ids that actors other than officers act under: an officer enrolled
  // as one would share their audit trail and their commands' repeats.
  const std::string& id = a.officer_id;
  if (EqualsIgnoringCase(id, "admin") || EqualsIgnoringCase(id, "applicant") ||
      id.find_first_not_of('.') == std::string::npos)
    return Refuse("invalid_officer_id",
                  "\"" + a.officer_id +
                      "\" cannot be an officer id (the administrator and applicants act under "
                      "\"admin\" and \"applicant\"; an id of dots only reads as a path); "
                      "choose another id");
  if (gov.officers.count(a.officer_id)) {
    return Refuse("officer_exists", "officer \"" + a.officer_id + "\" is already enrolled");
  }
  // Ids that differ in letter case only would read as one officer in the
  // audit trails and the public log.
  if (const std::string* other = EnrolledIdIgnoringCase(gov, id))
    return Refuse("officer_exists", "officer \"" + *other + "\" is already enrolled, and \"" +
                                        a.officer_id +
                                        "\" differs from it in letter case only; choose "
                                        "another id");
  if (a.token_hash.empty()) return Refuse("missing_field", "token_hash is empty");
  if (gov.officer_by_token.count(a.token_hash)) {
    return Refuse("token_in_use", "that token already belongs to officer \"" +
                                      gov.officer_by_token.at(a.token_hash) +
                                      "\"; issue a fresh token");
  }
  if (Blank(a.name)) return Refuse("missing_field", "the officer's name is empty");
  if (auto r = PersonalDataIn(a.name, "officer's name",
                              "is published for good (enrolments are public on the "
                              "transparency log)"))
    return *r;
  Decision d;
  Emit(d, cmd, gov.version,
       OfficerEnrolled{a.officer_id, a.name, a.role, a.jurisdiction, a.token_hash});
  return d;
}

Decision Retire(const Command& cmd, const GovernanceState& gov, const RetireOfficer& a) {
  if (a.officer_id.empty()) return Missing("officer_id", "name the officer to retire");
  if (gov.retired.count(a.officer_id))
    return Refuse("unknown_officer", "officer \"" + a.officer_id +
                                         "\" is retired already; their token no longer works");
  if (!gov.officers.count(a.officer_id)) {
    return Refuse("unknown_officer", "no officer with the id \"" + a.officer_id +
                                         "\" was ever enrolled; check the id");
  }
  if (Blank(a.reason))
    return Missing("reason", "say why the officer is retired (moved post, left, token lost)");
  if (auto r = PersonalDataIn(a.reason, "reason",
                              "is published (in the public transparency log, for good)"))
    return *r;
  Decision d;
  Emit(d, cmd, gov.version, OfficerRetired{a.officer_id, a.reason});
  return d;
}

}  // namespace

Decision DecideGovernance(const Command& cmd, const GovernanceState& gov) {
  const std::string action = ActionName(cmd.action);
  const auto* adopt = std::get_if<AdoptCharter>(&cmd.action);
  const auto* enroll = std::get_if<EnrollOfficer>(&cmd.action);
  const auto* retire = std::get_if<RetireOfficer>(&cmd.action);
  if (!adopt && !enroll && !retire) {
    return Refuse("wrong_stream", action + " is a permit command, not a governance command");
  }
  if (cmd.stream != kGovernanceStream) {
    return Refuse("wrong_stream", action + " belongs on the \"" + kGovernanceStream.str() +
                                      "\" stream, not \"" + cmd.stream.str() + "\"");
  }
  if (cmd.expected_version && *cmd.expected_version != gov.version) {
    return Refuse("version_conflict", "the governance stream is at version " +
                                          std::to_string(gov.version) + ", not the expected " +
                                          std::to_string(*cmd.expected_version) +
                                          StaleVersionAdvice(gov.version, *cmd.expected_version));
  }
  if (cmd.actor.role != "admin") {
    return Refuse("role_not_permitted",
                  "role \"" + cmd.actor.role + "\" may not " + action + "; only admin may");
  }
  if (adopt) return Adopt(cmd, gov, *adopt);
  return enroll ? Enroll(cmd, gov, *enroll) : Retire(cmd, gov, *retire);
}

}  // namespace pl
