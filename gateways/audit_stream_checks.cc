// The domain checks of `permitledger audit verify`: every event of the
// governance stream and of each permit stream against the domain rules (seq
// contiguous, each event a legal transition by a role the charter in force
// grants the action, in its jurisdiction), folding only what the checks need.
#include <algorithm>

#include "domain/decider_util.h"
#include "gateways/audit_internal.h"

namespace pl {

void Auditor::CheckGovernance(const Envelope& e, const std::string& where) {
  if (e.seq != gov_.version + 1)
    Problem(e.seq <= gov_.version ? "seq_repeated" : "seq_gap", where,
            "governance event seq " + std::to_string(e.seq) + " follows " +
                std::to_string(gov_.version));
  if (e.actor_role != "admin")
    Problem("role_not_permitted", where,
            std::string(EventTypeName(e.type())) + " by role \"" + e.actor_role +
                "\": only the administrator acts on the governance stream");
  if (const auto* a = std::get_if<CharterAdopted>(&e.payload)) {
    auto c = Charter::FromJson(a->charter_json);
    if (!c.ok()) Problem("invalid_charter", where, c.status().message());
  } else if (const auto* r = std::get_if<OfficerRetired>(&e.payload)) {
    if (!gov_.officers.count(r->officer_id))
      Problem("unknown_officer", where, "officer " + r->officer_id + " retired while not enrolled");
  } else if (const auto* o = std::get_if<OfficerEnrolled>(&e.payload)) {
    if (!gov_.charter)
      Problem("no_charter", where, "officer enrolled before any charter");
    else if (!gov_.charter->roles.count(o->role))
      Problem("unknown_role", where,
              "officer " + o->officer_id + " enrolled in role \"" + o->role +
                  "\", which the charter does not define");
    if (gov_.officers.count(o->officer_id))
      Problem("officer_exists", where, "officer " + o->officer_id + " enrolled twice");
  } else {
    Problem("wrong_stream", where,
            std::string(EventTypeName(e.type())) + " is a permit event on the governance stream");
  }
  EvolveGovernance(gov_, e);
}

void Auditor::CheckPermit(const Envelope& e, const std::string& where) {
  StreamCheck& st = streams_[e.stream.str()];
  const char* type = EventTypeName(e.type());
  if (e.seq != st.seq + 1)
    Problem(e.seq <= st.seq ? "seq_repeated" : "seq_gap", where,
            std::string(type) + " has seq " + std::to_string(e.seq) + " but the stream is at " +
                std::to_string(st.seq) +
                (e.seq <= st.seq ? " (repeated or reordered event)" : " (missing events)"));
  const std::string action = ActionOfEvent(e.type());
  const Charter* charter = gov_.charter.get();
  if (!charter) {
    Problem("no_charter", where, std::string(type) + " before any charter was adopted");
  } else if (action == "adopt_charter" || action == "enroll_officer") {
    Problem("wrong_stream", where, std::string(type) + " is a governance event on a permit stream");
  } else {
    if (!ActionAllowedFrom(st.status, action))
      Problem("transition_not_allowed", where,
              std::string(type) + " (" + action + ") is not allowed from status " +
                  StatusName(st.status));
    // A legal order reaches every application of the person, so it may
    // follow an erasure of this one (and a later application's data).
    if (const auto* x = std::get_if<PersonalDataErased>(&e.payload);
        x && st.erased && !x->person_wide())
      Problem("transition_not_allowed", where, "personal data of this application erased twice");
    if (!charter->RoleMay(e.actor_role, action))
      Problem("role_not_permitted", where,
              "role \"" + e.actor_role + "\" may not " + action + " under charter version " +
                  std::to_string(charter->version));
    std::string kelurahan = st.kelurahan;
    if (const auto* s = std::get_if<ApplicationSubmitted>(&e.payload)) {
      kelurahan = s->kelurahan;
      if (!charter->FindKelurahan(kelurahan))
        Problem("unknown_kelurahan", where,
                "kelurahan \"" + kelurahan + "\" is not in the charter");
    }
    if (e.actor_role == "applicant") {
      if (e.actor_id != "applicant")
        Problem("outside_jurisdiction", where,
                "actor \"" + e.actor_id + "\" claims the applicant role");
    } else {
      std::string jurisdiction;
      bool known = true;
      if (e.actor_role == "admin" && e.actor_id == "admin") {
        jurisdiction = "";
      } else if (auto o = gov_.officers.find(e.actor_id); o != gov_.officers.end()) {
        jurisdiction = o->second.jurisdiction;
        if (o->second.role != e.actor_role) {
          Problem("role_not_permitted", where,
                  "officer " + e.actor_id + " is enrolled as " + o->second.role + ", not " +
                      e.actor_role);
        }
      } else {
        known = false;
        Problem("unknown_officer", where,
                "actor \"" + e.actor_id + "\" is not an enrolled officer");
      }
      if (known && !charter->Covers(e.actor_role, jurisdiction, kelurahan))
        Problem("outside_jurisdiction", where,
                "role \"" + e.actor_role + "\" of jurisdiction \"" + jurisdiction +
                    "\" may not act on a permit of kelurahan \"" + kelurahan + "\"");
    }
  }
  // Fold with the domain's own Evolve, keeping only what the checks need.
  PermitState s;
  s.version = st.seq;
  s.status = st.status;
  s.personal_erased = st.erased;
  s.kelurahan = std::move(st.kelurahan);
  EvolvePermit(s, e);
  st.seq = std::max(st.seq, e.seq);
  st.status = s.status;
  st.erased = s.personal_erased;
  st.kelurahan = std::move(s.kelurahan);
}

}  // namespace pl
