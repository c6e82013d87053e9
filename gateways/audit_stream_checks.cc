// The domain checks of `permitledger audit verify`: every event of the
// governance stream and of each permit stream is checked by the domain's own
// decider (RedecidePermitEvent / RedecideGovernanceEvent: the command the
// event records, decided again against the state and the governance the
// event followed, must be accepted and give the very event), so the audit
// applies every rule a live command meets. Around it, what the decider does
// not see: the seq of each stream, the actor ids the gateways set, permit
// numbers unique across streams.
#include <algorithm>
#include <optional>

#include "domain/decider_util.h"
#include "events/json.h"
#include "events/personal_vault.h"
#include "gateways/audit_internal.h"

namespace pl {
namespace {

std::string Redecided(const Envelope& e, const Redecision& r) {
  const std::string type = EventTypeName(e.type());
  if (r.no_change)
    return type + " records a command that changes nothing (the decider writes no event for it)";
  return type + " is not the event the decider writes for its command: " + r.difference;
}

}  // namespace

void Auditor::PermitProblem(const PermitState& state, std::string kind, const std::string& where,
                            std::string message) {
  KelurahanProblem(state.kelurahan, state.permit_id, std::move(kind), where, std::move(message));
}

void Auditor::KelurahanProblem(const std::string& kelurahan, const std::string& stream,
                               std::string kind, const std::string& where, std::string message) {
  const Charter* charter = gov_.charter.get();
  if (auto d = dropped_.find(kelurahan);
      d != dropped_.end() && charter && !charter->FindKelurahan(kelurahan)) {
    FollowOns& f = follow_ons_[d->second];
    ++f.events;
    f.permits.insert(stream);
    if (f.first.empty()) f.first = kind + " at " + where + ": " + message;
    return;
  }
  Problem(std::move(kind), where, std::move(message));
}

void Auditor::SummariseFollowOns() {
  for (const auto& [root, f] : follow_ons_) {
    std::string kelurahan;
    for (const auto& [code, where] : dropped_)
      if (where == root) kelurahan += (kelurahan.empty() ? "" : ", ") + code;
    Problem("follow_on", root,
            std::to_string(f.events) + " later event(s) of " + std::to_string(f.permits.size()) +
                " stream(s) of kelurahan " + kelurahan +
                " break the rules only because this charter dropped their kelurahan (they are "
                "not listed one by one; the first: " +
                f.first + ")");
  }
}

void Auditor::CheckGovernance(const Envelope& e, const std::string& where) {
  if (e.seq != gov_.version + 1)
    Problem(e.seq <= gov_.version ? "seq_repeated" : "seq_gap", where,
            "governance event seq " + std::to_string(e.seq) + " follows " +
                std::to_string(gov_.version));
  const Redecision r = RedecideGovernanceEvent(e, gov_);
  const auto* enrolled = std::get_if<OfficerEnrolled>(&e.payload);
  if (r.refusal && r.refusal->code == "personal_data_in_text")
    TextNote(where, std::string(EventTypeName(e.type())) + ": " + r.refusal->message);
  else if (r.refusal)
    // An enrolment in a kelurahan a flagged charter dropped is its follow-on.
    KelurahanProblem(enrolled ? enrolled->jurisdiction : std::string(), e.stream.str(),
                     r.refusal->code, where,
                     std::string(EventTypeName(e.type())) +
                         " breaks a rule of the governance stream: " + r.refusal->message);
  else if (!r.ok())
    Problem("event_differs", where, Redecided(e, r));
  if (e.actor_role == "admin" && e.actor_id != "admin")
    Problem("unknown_officer", where,
            "actor \"" + e.actor_id +
                "\" claims the administrator's role (the administrator "
                "acts as \"admin\")");
  // The kelurahan a flagged charter drops: the root cause of its permits'
  // later problems, which are summarised under it.
  std::vector<std::string> before;
  if (gov_.charter && std::holds_alternative<CharterAdopted>(e.payload) && !r.ok())
    for (const auto& k : gov_.charter->kelurahan) before.push_back(k.code);
  if (const auto* o = std::get_if<OfficerRetired>(&e.payload)) {
    if (auto it = gov_.officers.find(o->officer_id); it != gov_.officers.end())
      retired_[o->officer_id] = {it->second.jurisdiction,
                                 IsoTime(e.time_ms) + " by governance event seq " +
                                     std::to_string(e.seq) + " (" +
                                     where.substr(0, where.find(" stream ")) + ")"};
  } else if (enrolled) {
    retired_.erase(enrolled->officer_id);
  }
  EvolveGovernance(gov_, e);
  if (gov_.charter)
    for (const auto& code : before)
      if (!gov_.charter->FindKelurahan(code)) dropped_.emplace(code, where);
}

void Auditor::CheckPermit(const Envelope& e, PermitState& st, const std::string& where,
                          uint64_t leaf) {
  // Named in a problem's message only: no string built for a good event.
  auto type = [&e] { return std::string(EventTypeName(e.type())); };
  if (e.seq != st.version + 1)
    Problem(e.seq <= st.version ? "seq_repeated" : "seq_gap", where,
            type() + " has seq " + std::to_string(e.seq) + " but the stream is at " +
                std::to_string(st.version) +
                (e.seq <= st.version ? " (repeated or reordered event)" : " (missing events)"));
  if (st.kelurahan.empty())  // a first event: the permit's kelurahan is the submission's
    if (const auto* s = std::get_if<ApplicationSubmitted>(&e.payload)) {
      st.kelurahan = s->kelurahan;
      st.permit_id = e.stream.str();
    }

  // The actor, as the gateway resolved it for the live command: an officer
  // from their enrolment (by token), an applicant by the permit's tracking
  // code, the administrator by the admin token.
  Command cmd = CommandOfEvent(e, gov_);
  bool enrolment_reported = false;
  if (e.actor_role == "applicant") {
    if (e.actor_id != "applicant")
      PermitProblem(st, "outside_jurisdiction", where,
                    "actor \"" + e.actor_id + "\" claims the applicant role");
  } else if (e.actor_role == "admin") {
    if (e.actor_id != "admin")
      PermitProblem(st, "unknown_officer", where,
                    "actor \"" + e.actor_id +
                        "\" claims the administrator's role (the administrator acts as "
                        "\"admin\")");
  } else if (!gov_.officers.count(e.actor_id)) {
    enrolment_reported = true;
    if (auto r = retired_.find(e.actor_id); r != retired_.end()) {
      cmd.actor.jurisdiction = r->second.jurisdiction;  // a command in flight carried it
      PermitProblem(st, "officer_retired", where,
                    type() + " by officer \"" + e.actor_id + "\" (" + e.actor_role + " of " +
                        r->second.jurisdiction + "), who was retired at " + r->second.when +
                        ": an officer acts only while enrolled");
    } else {
      cmd.actor.jurisdiction = st.kelurahan;  // unknown: the other rules are checked as if local
      PermitProblem(st, "unknown_officer", where,
                    type() + " by \"" + e.actor_id + "\" as " + e.actor_role +
                        ", who was never enrolled as an officer");
    }
  }

  // Decided as the command processor decides it: an application of a
  // person an order erased (through any application of theirs, after this
  // one was submitted) is never issued nor shared.
  std::optional<PermitState> erased;
  if (!st.personal_erased && ReadsPersonalErasure(cmd.action))
    if (auto it = person_erased_ms_.find(st.applicant.person_id);
        it != person_erased_ms_.end() && st.submitted_ms <= it->second) {
      erased = st;
      erased->personal_erased = true;
    }
  const Redecision r = RedecidePermitEvent(e, cmd, erased ? *erased : st, gov_);
  if (r.refusal && r.refusal->code == "personal_data_in_text") {
    TextNote(where,
             type() + " by " + e.actor_id + " (" + e.actor_role + "): " + r.refusal->message);
  } else if (r.refusal) {
    if (!(enrolment_reported && r.refusal->code == "officer_not_enrolled"))
      PermitProblem(
          st, r.refusal->code, where,
          type() + " by " + e.actor_id + " (" + e.actor_role +
              ") breaks a rule the ledger applies to every command: " + r.refusal->message);
  } else if (!r.ok()) {
    PermitProblem(st, "event_differs", where, Redecided(e, r));
  }
  // Permit numbers are unique across permits (the decider sees one stream).
  if (const auto* p = std::get_if<PermitIssued>(&e.payload)) {
    auto [it, fresh] = permit_numbers_.emplace(p->permit_number, where);
    if (!fresh)
      PermitProblem(st, "duplicate_permit_number", where,
                    "permit number " + p->permit_number + " was issued already, at " + it->second);
  }

  // Fold with the domain's own Evolve (a repeated seq does not move the
  // stream back); drop what no decision reads (millions of permits).
  if (const auto* p = std::get_if<PersonalDataErased>(&e.payload); p && p->person_wide()) {
    int64_t& at = person_erased_ms_[p->person_id];
    at = std::max(at, e.time_ms);
    if (options_.kafka.bootstrap.empty()) person_erased_leaf_[p->person_id] = leaf;
  }
  if (const auto* s = std::get_if<ApplicationSubmitted>(&e.payload);
      s && st.version == 0 && options_.kafka.bootstrap.empty())
    application_keys_.push_back({e.stream.str(), PersonalVault::KeyOf(s->applicant).key_id, leaf});
  const uint64_t top = std::max(st.version, e.seq);
  EvolvePermit(st, e);
  st.version = top;
  DropWhatNoDecisionReads(st);
}

}  // namespace pl
