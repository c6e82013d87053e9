// The collaboration charter: who is a stakeholder, which role may take which
// action, in which jurisdiction, within which service level. It is data (a
// JSON document, charters/pesanggrahan.json is the default) adopted on the
// log by a CharterAdopted event, so who may do what is part of the history.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/result.h"

namespace pl {

// Where a role may act: one kelurahan, every kelurahan of its kecamatan, or
// everywhere (auditors, admin).
enum class Scope { kKelurahan, kKecamatan, kAll };

struct RoleDef {
  std::string name;  // human name, e.g. "Petugas UP PTSP Kelurahan"
  Scope scope = Scope::kKelurahan;
  // Whether officers of this role see the applicant's personal data (NIK,
  // name, address, phone, KK, NPWP) of permits in their jurisdiction. The
  // JSON key "personal_data" may be omitted; when no role of a charter has
  // it (charters written before it), kLegacyPersonalDataRoles have it.
  bool personal_data = false;
};

struct Kelurahan {
  std::string code;  // e.g. "31.74.10.1002"
  std::string name;  // e.g. "Pesanggrahan"
};

// A party to the collaboration and the charter roles its people act in. A
// subscriber (a bank, a ministry) may hold no role: it only receives feeds.
struct Stakeholder {
  std::string id;  // e.g. "bank_dki"
  std::string name;
  std::vector<std::string> roles;  // role ids defined in Charter::roles
};

struct Eligibility {
  int64_t max_capital = 0;   // rupiah, excluding land and buildings
  int64_t max_turnover = 0;  // rupiah per year
  int32_t max_workers = 0;
};

// What one subscriber of the feeds (docs/feeds.md) receives: which event
// types, which fields, and whether the applicant must consent first.
struct SubscriberPolicy {
  std::string id;           // e.g. "bank-dki": lower case, digits and '-'
  std::string stakeholder;  // the stakeholder it belongs to
  bool consent_required = true;
  std::set<std::string> events;  // event type names, e.g. "permit_issued"
  std::set<std::string> fields;  // feed fields (FeedFields()), e.g. "applicant.name"
  // Which of the subscriber's tokens opens its feed: raised by an amendment
  // to revoke the one handed out (a leaked token), never lowered.
  uint32_t token_generation = 0;
  bool Receives(std::string_view event) const { return events.count(std::string(event)) > 0; }
  bool Shares(std::string_view field) const { return fields.count(std::string(field)) > 0; }
};

struct Charter {
  uint32_t version = 0;
  std::string name;
  std::string permit_type;  // "IUMK"
  std::string kecamatan_code;
  std::string kecamatan_name;
  std::vector<Kelurahan> kelurahan;
  std::vector<Stakeholder> stakeholders;
  std::map<std::string, RoleDef> roles;                         // role id -> definition
  std::map<std::string, std::vector<std::string>> permissions;  // action -> roles allowed
  std::map<std::string, int> service_days;   // status name -> working days allowed in it
  std::set<std::chrono::sys_days> holidays;  // Jakarta dates (a set of days: the clock
                                             // looks each working day up)
  Eligibility eligibility;
  int validity_years = 5;
  std::vector<std::string> required_documents;
  // Documents an applicant may hand in but need not (e.g. "npwp", held only by
  // tax payers). The JSON key "optional_documents" may be omitted (empty).
  std::vector<std::string> optional_documents;
  // The codes a rejection may give (they are counted on the public
  // statistics, so no free text). The JSON key "rejection_reasons" may be
  // omitted: kDefaultRejectionReasons.
  std::vector<std::string> rejection_reasons;
  static const std::vector<std::string> kDefaultRejectionReasons;
  // The roles that handle applications in the first charters, which did not
  // say who sees personal data (RoleDef::personal_data).
  static const std::vector<std::string> kLegacyPersonalDataRoles;
  // The data-sharing policy, in the order of the document. The JSON key
  // "data_sharing" may be omitted (no subscribers).
  std::vector<SubscriberPolicy> data_sharing;
  int utc_offset_minutes = 420;  // Jakarta, WIB
  std::string canonical_json;    // the adopted text, keys sorted

  // Parses and validates a charter document. Refuses (code "invalid_charter")
  // unknown keys, missing keys, roles in permissions that are not defined,
  // and unknown actions; with `check_texts` (a charter proposed for
  // adoption, not one on the log already) also any key or text holding a
  // control character or longer than 200 characters.
  static Result<Charter> FromJson(std::string_view json, bool check_texts = false);
  // What only a charter proposed now must meet, beyond FromJson's checks (a
  // logged one, re-decided by an audit, is read as it was adopted): that
  // some role says whether it sees personal data. Code "invalid_charter".
  static Status CheckProposal(std::string_view json);

  // "31.74.10.1001 (Bintaro), ...": every kelurahan's code and name, for a
  // refusal to say what may be given.
  std::string KelurahanCodes() const;
  const Kelurahan* FindKelurahan(std::string_view code) const;
  const SubscriberPolicy* FindSubscriber(std::string_view id) const;
  bool RoleMay(std::string_view role, std::string_view action) const;
  // Whether `name` is a required or optional document of this charter.
  bool KnowsDocument(std::string_view name) const;
  // Whether an actor of `role` with `jurisdiction` may act in `kelurahan`.
  // Whether officers of `role` see the applicant's personal data
  // (RoleDef::personal_data); false for a role the charter does not define.
  bool SeesPersonalData(const std::string& role) const;
  bool Covers(std::string_view role, std::string_view jurisdiction,
              std::string_view kelurahan) const;
};

// Every field a data-sharing policy may name: the permit's public fields,
// then the applicant's personal fields ("applicant.<name>").
const std::vector<std::string>& FeedFields();

// Every action name the charter can grant, in workflow order.
const std::vector<std::string>& AllActions();

}  // namespace pl
