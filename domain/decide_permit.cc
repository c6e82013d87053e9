// Decide for permit streams: the guard checks common to every action, in a
// fixed order, then the action's own validation and its events.
#include <algorithm>
#include <cctype>
#include <type_traits>

#include "domain/calendar.h"
#include "domain/decider_util.h"
#include "events/json.h"

namespace pl {
namespace {

// How far ahead a survey may be scheduled: a date past it is a mistyped year.
constexpr int kSurveyHorizonDays = 366;
// How far a command's time may lie before the time its permit entered its
// status: the clocks that stamp commands (the processor's; on Kafka, each
// gateway's) may differ by this much. More is a clock gone wrong, or a
// history written backwards.
constexpr int64_t kClockToleranceMs = 5 * 60 * 1000;

// What every action handler sees.
struct Ctx {
  const Command& cmd;
  const PermitState& state;
  const GovernanceState& gov;
  const Charter& charter;
  bool personal_known;  // the plain personal data of a submission is at hand
};

Decision One(const Ctx& c, Payload p) {
  Decision d;
  Emit(d, c.cmd, c.state.version, std::move(p));
  return d;
}

Decision NoOp() { return Decision{}; }

std::optional<Refusal> CheckDocuments(const std::vector<std::string>& docs,
                                      const std::string& field, const Charter& charter) {
  for (const auto& d : docs) {
    if (!charter.KnowsDocument(d)) {
      return Refusal{"unknown_document",
                     field + " names " + Echo(d) +
                         ", which is not a document of the charter; use " +
                         JoinOrNobody(charter.required_documents) +
                         (charter.optional_documents.empty()
                              ? std::string()
                              : ", " + JoinOrNobody(charter.optional_documents))};
    }
  }
  return std::nullopt;
}

Decision Handle(const Ctx& c, const SubmitApplication& a) {
  if (auto r = ValidateSubmission(a, c.charter, c.personal_known))
    return Refuse(r->code, r->message);
  if (c.personal_known && (MentionsName(WithoutUuids(c.cmd.id.str()), a.personal.name) ||
                           MentionsNumber(WithoutUuids(c.cmd.id.str()), a.personal.nik)))
    return Refuse("personal_data_in_text",
                  "the command_id is kept in the permit's history and may not hold the "
                  "applicant's name or NIK, however written; use a random id such as a UUID");
  return One(c,
             ApplicationSubmitted{a.kelurahan, a.sealed, a.business, a.documents, a.tracking_hash});
}

// Documents are verified when every one the charter requires was handed in
// (with the application, or since, through complete_documents).
Decision Handle(const Ctx& c, const VerifyDocuments&) {
  const std::vector<std::string> lacking = LackingDocuments(c.state, c.charter);
  if (!lacking.empty())
    return Refuse("documents_missing",
                  "the application lacks required documents (" + JoinOrNobody(lacking) +
                      "): ask the applicant for them with request_completion, then verify");
  return One(c, DocumentsVerified{});
}

Decision Handle(const Ctx& c, const RequestCompletion& a) {
  if (a.missing.empty()) return Missing("missing", "name the documents the applicant must bring");
  if (auto r = CheckOnceEach(a.missing, "missing")) return Refuse(r->code, r->message);
  if (auto r = CheckDocuments(a.missing, "missing", c.charter)) return Refuse(r->code, r->message);
  // Every required document the application lacks is asked for at once,
  // named or not: the applicant comes back once, not once for each
  // (bolak-balik).
  std::vector<std::string> missing = a.missing;
  for (const auto& d : LackingDocuments(c.state, c.charter))
    if (std::find(missing.begin(), missing.end(), d) == missing.end()) missing.push_back(d);
  return One(c, CompletionRequested{std::move(missing)});
}

Decision Handle(const Ctx& c, const CompleteDocuments& a) {
  if (a.provided.empty()) return Missing("provided", "name the documents handed in");
  if (auto r = CheckOnceEach(a.provided, "provided")) return Refuse(r->code, r->message);
  // A document asked for stays acceptable even if a later charter dropped it.
  std::vector<std::string> others;
  for (const auto& d : a.provided)
    if (std::find(c.state.missing.begin(), c.state.missing.end(), d) == c.state.missing.end())
      others.push_back(d);
  if (auto r = CheckDocuments(others, "provided", c.charter)) return Refuse(r->code, r->message);
  // An optional document asked for (an NPWP, held only by tax payers) is
  // brought if the applicant has one: it never holds the application back.
  const auto& optional = c.charter.optional_documents;
  std::string still;
  for (const auto& m : c.state.missing)
    if (std::find(a.provided.begin(), a.provided.end(), m) == a.provided.end() &&
        std::find(optional.begin(), optional.end(), m) == optional.end())
      still += (still.empty() ? "" : ", ") + m;
  if (!still.empty())
    return Refuse("documents_still_missing",
                  "still missing: " + still +
                      "; the documents asked for are recorded together, once every one is "
                      "handed in (keep those brought so far until then); the application then "
                      "goes on to the check of documents (verify_documents, by " +
                      WhoMay(c.charter, "verify_documents") + ")");
  return One(c, DocumentsCompleted{a.provided});
}

Decision Handle(const Ctx& c, const ScheduleSurvey& a) {
  auto day = ParseDate(a.date);
  if (!day) {
    return Refuse("invalid_date",
                  "survey date " + Echo(a.date) + " is not a calendar date in the form YYYY-MM-DD");
  }
  std::string today = LocalDate(c.cmd.time_ms, c.charter);
  if (a.date < today) {
    return Refuse("invalid_date",
                  "survey date " + a.date + " is in the past; today is " + today + " (Jakarta)");
  }
  if (*day > *ParseDate(today) + std::chrono::days(kSurveyHorizonDays)) {
    return Refuse("invalid_date", "survey date " + a.date + " is more than a year after today (" +
                                      today + ", Jakarta); check the year");
  }
  if (!IsWorkingDay(*day, c.charter)) {
    return Refuse("invalid_date", "survey date " + a.date +
                                      " is not a working day (a weekend or a holiday of the "
                                      "charter); choose a working day");
  }
  if (a.team.empty()) return Missing("team", "name at least one enrolled officer for the survey");
  if (auto r = CheckOnceEach(a.team, "team")) return Refuse(r->code, r->message);
  for (const auto& id : a.team) {
    auto officer = c.gov.officers.find(id);
    if (officer == c.gov.officers.end()) {
      if (Blank(id))
        return Refuse("unknown_officer",
                      "the survey team has an empty entry; remove it, or give the officer's id");
      if (c.gov.retired.count(id))
        return Refuse("unknown_officer", "survey team member \"" + id +
                                             "\" is retired; name an enrolled officer instead");
      if (const std::string* enrolled = EnrolledIdIgnoringCase(c.gov, id))
        return Refuse("unknown_officer", "survey team member \"" + id +
                                             "\" is not an enrolled officer id; did you mean \"" +
                                             *enrolled +
                                             "\"? (ids are written in their letter case)");
      return Refuse("unknown_officer", "survey team member " + Echo(id) +
                                           " is not an enrolled officer; check the id, or have "
                                           "the administrator enrol them first");
    }
    if (!c.charter.Covers(officer->second.role, officer->second.jurisdiction, c.state.kelurahan)) {
      return Refuse("team_outside_jurisdiction",
                    "survey team member \"" + id + "\" (" + officer->second.role + " of " +
                        officer->second.jurisdiction + ") does not work in kelurahan " +
                        c.state.kelurahan +
                        "; name officers of that kelurahan (or of its "
                        "kecamatan, in a role that covers it)");
    }
    // A survey visits the applicant's premises and meets the applicant:
    // only roles that may see personal data go (not the monitors and
    // auditors, who read the history without it).
    if (!c.charter.SeesPersonalData(officer->second.role)) {
      std::string roles;
      for (const auto& [role, def] : c.charter.roles)
        if (def.personal_data && role != "applicant") roles += (roles.empty() ? "" : ", ") + role;
      return Refuse("team_member_not_permitted",
                    "survey team member \"" + id + "\" is a " + officer->second.role +
                        ", a role that may not see the applicant's personal data, which a site "
                        "survey meets; name officers of the roles that handle applications (" +
                        roles + ")");
    }
  }
  // Someone on the team records the result (record_survey's roles).
  const auto recorders = c.charter.permissions.find("record_survey");
  const bool can_record = recorders != c.charter.permissions.end() &&
                          std::any_of(a.team.begin(), a.team.end(), [&](const std::string& id) {
                            const std::string& role = c.gov.officers.at(id).role;
                            return std::find(recorders->second.begin(), recorders->second.end(),
                                             role) != recorders->second.end();
                          });
  if (!can_record) {
    std::string roles;
    if (recorders != c.charter.permissions.end())
      for (const auto& r : recorders->second) roles += (roles.empty() ? "" : ", ") + r;
    return Refuse("team_cannot_record",
                  "no one on the survey team may record its result (record_survey is for " +
                      (roles.empty() ? std::string("no role of the charter") : roles) +
                      "); add an officer of one of those roles to the team");
  }
  auto sorted = [](std::vector<std::string> team) {
    std::sort(team.begin(), team.end());
    return team;
  };
  if (c.state.status == PermitStatus::kSurveyScheduled && a.date == c.state.survey_date &&
      sorted(a.team) == sorted(c.state.survey_team))
    return NoOp();  // rescheduled to what it is (the team in any order)
  return One(c, SurveyScheduled{a.date, a.team});
}

Decision Handle(const Ctx& c, const RecordSurvey& a) {
  // The team the survey was scheduled with runs it and records what it
  // found; another officer reschedules it with themselves on the team.
  const std::vector<std::string>& team = c.state.survey_team;
  if (std::find(team.begin(), team.end(), c.cmd.actor.id) == team.end()) {
    std::string names;
    for (const auto& id : team) names += (names.empty() ? "" : ", ") + id;
    // Who may put the officer on the team: themselves, when their role may
    // schedule surveys.
    const auto schedulers = c.charter.permissions.find("schedule_survey");
    const bool schedules = schedulers != c.charter.permissions.end() &&
                           std::find(schedulers->second.begin(), schedulers->second.end(),
                                     c.cmd.actor.role) != schedulers->second.end();
    return Refuse("not_on_survey_team",
                  "officer \"" + c.cmd.actor.id + "\" is not on the survey team (" + names +
                      "): a member of the team records the survey's result; to record it "
                      "yourself, " +
                      (schedules ? std::string("reschedule the survey with yourself on the team")
                                 : "have " + WhoMay(c.charter, "schedule_survey") +
                                       " reschedule the survey with you on the team") +
                      " (schedule_survey)");
  }
  if (auto r = PersonalDataIn(a.notes, "survey note",
                              "is kept in the permit's history, which monitors and auditors read,"))
    return *r;
  return One(c, SurveyRecorded{a.zoning_compliant, a.notes});
}

Decision Handle(const Ctx& c, const Recommend& a) {
  if (c.state.zoning_compliant == false) {
    return Refuse("zoning_non_compliant",
                  "the site survey found the premises do not fit the zoning plan; the "
                  "recommendation may only be declined (decline_recommendation, by " +
                      WhoMay(c.charter, "decline_recommendation") + ")");
  }
  if (Blank(a.letter_number)) {
    return Missing("letter_number", "give the number of the recommendation letter");
  }
  if (auto r = PersonalDataIn(a.letter_number, "letter_number",
                              "is shown on the permit to monitors and auditors, who may not see "
                              "personal data, and kept in its history,"))
    return *r;
  return One(c, Recommended{a.letter_number});
}

Decision Handle(const Ctx& c, const DeclineRecommendation& a) {
  if (Blank(a.reason)) return Missing("reason", "say why the recommendation is declined");
  if (auto r =
          PersonalDataIn(a.reason, "reason", ReasonReaders(c.charter, "recommendation_declined")))
    return *r;
  return One(c, RecommendationDeclined{a.reason});
}

Decision Handle(const Ctx& c, const IssuePermit&) {
  // A legal order erased the applicant's data while the application was
  // open: a permit names its holder, and nobody could prove to hold it.
  if (c.state.personal_erased)
    return Refuse("personal_data_erased",
                  "the applicant's personal data was erased (a legal order) while the "
                  "application was open, so the permit would name no holder; reject the "
                  "application instead (reject, with the reason code that fits)");
  using namespace std::chrono;
  std::string from = LocalDate(c.cmd.time_ms, c.charter);
  year_month_day ymd{*ParseDate(from)};
  year_month_day until = ymd + years(c.charter.validity_years);
  sys_days until_day = until.ok() ? sys_days(until)  // Feb 29 -> Feb 28:
                                  : sys_days(until.year() / until.month() / last);
  std::string kel = c.state.kelurahan;
  kel.erase(std::remove(kel.begin(), kel.end(), '.'), kel.end());
  std::string id = c.cmd.stream.str();
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  std::string number = c.charter.permit_type + "/" + kel + "/" + from.substr(0, 4) + "/" + id;
  return One(c, PermitIssued{number, from, FormatDate(until_day)});
}

Decision Handle(const Ctx& c, const Reject& a) {
  const auto& codes = c.charter.rejection_reasons;
  if (Blank(a.reason_code)) {
    return Missing(
        "reason_code",
        "give the code of the rejection's ground, one of the charter's: " + JoinOrNobody(codes));
  }
  if (std::find(codes.begin(), codes.end(), a.reason_code) == codes.end()) {
    return Refuse("unknown_reason_code", "reason_code " + Echo(a.reason_code) +
                                             " is not one of the charter's: " +
                                             JoinOrNobody(codes) + "; explain the case in reason");
  }
  if (Blank(a.reason)) return Missing("reason", "explain the rejection to the applicant");
  if (auto r = PersonalDataIn(a.reason, "reason", ReasonReaders(c.charter, "application_rejected")))
    return *r;
  return One(c, ApplicationRejected{a.reason_code, a.reason});
}

Decision Handle(const Ctx& c, const Withdraw& a) {
  if (Blank(a.reason)) return Missing("reason", "say why the application is withdrawn");
  if (auto r =
          PersonalDataIn(a.reason, "reason", ReasonReaders(c.charter, "application_withdrawn")))
    return *r;
  return One(c, ApplicationWithdrawn{a.reason});
}

Decision Handle(const Ctx& c, const Revoke& a) {
  if (Blank(a.reason)) return Missing("reason", "say why the permit is revoked");
  if (auto r = PersonalDataIn(a.reason, "reason",
                              ReasonReaders(c.charter, "permit_revoked", /*on_public_page=*/true)))
    return *r;
  return One(c, PermitRevoked{a.reason});
}

Decision UnknownSubscriber(const Ctx& c, const std::string& id, std::string_view more = "") {
  std::string known;
  for (const auto& s : c.charter.data_sharing) known += (known.empty() ? "" : ", ") + s.id;
  return Refuse("unknown_subscriber", Echo(id) + " is not a subscriber of charter version " +
                                          std::to_string(c.charter.version) +
                                          " (subscribers: " + (known.empty() ? "none" : known) +
                                          ")" + std::string(more));
}

// A subscriber that receives what its policy lists without asking the
// applicant: a consent to it would change nothing.
Decision ConsentNotRequired(const std::string& id) {
  return Refuse("consent_not_required",
                "\"" + id +
                    "\" receives what the data-sharing policy lists without the "
                    "applicant's consent: consenting to it, or withdrawing, changes nothing");
}

Decision Handle(const Ctx& c, const GrantConsent& a) {
  if (a.subscriber.empty()) return Missing("subscriber", "name who receives the permit");
  const SubscriberPolicy* sub = c.charter.FindSubscriber(a.subscriber);
  if (!sub) return UnknownSubscriber(c, a.subscriber);  // even if consented before it was dropped
  const bool held = c.state.consents.count(a.subscriber) > 0;
  if (!held && !sub->consent_required) return ConsentNotRequired(a.subscriber);
  if (c.state.personal_erased)
    return Refuse("personal_data_erased",
                  "this application's personal data was erased: there is nothing of the "
                  "applicant's left to share with \"" +
                      a.subscriber + "\"");
  // A subscriber's policy is about permits: a closed application has none
  // (or, revoked, none valid) to share it under.
  if (IsFinal(c.state.status))
    return Refuse("transition_not_allowed",
                  "grant_consent is not allowed on a " + std::string(StatusName(c.state.status)) +
                      " application: it holds no valid permit to share with \"" + a.subscriber +
                      "\"; consent is given on an open application or an issued permit");
  if (held) return NoOp();  // given already
  return One(c, ConsentGranted{a.subscriber});
}

// A consent the permit holds can always be withdrawn, even from a subscriber
// that a later charter dropped or no longer asks consent for.
Decision Handle(const Ctx& c, const WithdrawConsent& a) {
  if (a.subscriber.empty()) return Missing("subscriber", "name whose consent is withdrawn");
  if (!c.state.consents.count(a.subscriber)) {
    const SubscriberPolicy* sub = c.charter.FindSubscriber(a.subscriber);
    if (!sub)
      return UnknownSubscriber(c, a.subscriber,
                               ", and this application holds no consent to it (withdrawn "
                               "already, or never given): there is nothing to withdraw");
    return sub->consent_required ? NoOp() : ConsentNotRequired(a.subscriber);
  }
  return One(c, ConsentWithdrawn{a.subscriber});
}

Decision Handle(const Ctx& c, const ErasePersonalData& a) {
  // The applicant's tracking code proves this one application, not the
  // person: anyone may apply under another's NIK. So an applicant erases
  // the application; every application of the person is erased by the
  // administrator, who checks the identity and cites the legal order. An
  // order is carried out even through an application erased already: it
  // reaches the person's other applications, later ones included.
  const bool applicant = c.cmd.actor.role == "applicant";
  if (c.state.personal_erased && applicant) return NoOp();
  if (applicant && !Blank(a.legal_basis))
    return Refuse("role_not_permitted",
                  "an applicant's erasure takes no legal_basis (that is the administrator's, "
                  "for a legal order): it is recorded as the applicant's own request; send it "
                  "without legal_basis");
  // Processing an application needs the applicant's name and address, and
  // every text of its history after the erasure could no longer be checked
  // for them: the applicant ends the application first.
  if (applicant && IsOpen(c.state.status))
    return Refuse("application_open",
                  "the application is still being processed, which needs your name and "
                  "address; withdraw it first (action withdraw), then ask for the erasure");
  std::string basis = a.legal_basis;
  if (Blank(basis)) {
    if (!applicant) {
      return Missing("legal_basis",
                     "an erasure not asked by the applicant needs the reference "
                     "of its legal order");
    }
    basis = "applicant_request";
  }
  if (auto r = PersonalDataIn(basis, "legal_basis", "stays in the permit's history for good,"))
    return *r;
  return One(c, PersonalDataErased{
                    c.state.applicant.person_id, basis,
                    applicant ? PersonalDataErased::kApplication : PersonalDataErased::kPerson});
}

Decision Handle(const Ctx&, const AdoptCharter&) {
  return Refuse("wrong_stream", "adopt_charter is a governance command");
}
Decision Handle(const Ctx&, const EnrollOfficer&) {
  return Refuse("wrong_stream", "enroll_officer is a governance command");
}
Decision Handle(const Ctx&, const RetireOfficer&) {
  return Refuse("wrong_stream", "retire_officer is a governance command");
}

}  // namespace

bool ReadsPersonalErasure(const Action& action) {
  return std::holds_alternative<IssuePermit>(action) ||
         std::holds_alternative<GrantConsent>(action);
}

Decision DecidePermit(const Command& cmd, const PermitState& state, const GovernanceState& gov) {
  return DecidePermit(cmd, state, gov, /*personal_known=*/true);
}

Decision DecidePermit(const Command& cmd, const PermitState& state, const GovernanceState& gov,
                      bool personal_known) {
  const std::string action = ActionName(cmd.action);
  if (std::holds_alternative<AdoptCharter>(cmd.action) ||
      std::holds_alternative<EnrollOfficer>(cmd.action) ||
      std::holds_alternative<RetireOfficer>(cmd.action)) {
    return Refuse("wrong_stream", action + " is a governance command; send it to the \"" +
                                      kGovernanceStream.str() + "\" stream");
  }
  if (cmd.stream.empty() || cmd.stream == kGovernanceStream) {
    return Refuse("wrong_stream",
                  action + " needs a permit id as its stream, got \"" + cmd.stream.str() + "\"");
  }
  if (!gov.charter) {
    return Refuse("no_charter",
                  "no collaboration charter has been adopted yet; an admin must "
                  "adopt one before permits can be processed");
  }
  const Charter& charter = *gov.charter;
  const auto* submit = std::get_if<SubmitApplication>(&cmd.action);
  if (submit && state.version > 0) {
    return Refuse("already_exists", "permit " + cmd.stream.str() + " already exists (status " +
                                        StatusName(state.status) + ")");
  }
  if (!submit && state.version == 0) {
    return Refuse("unknown_permit", NoApplication(cmd.stream.str()));
  }
  const Actor& actor = cmd.actor;
  // Another application's applicant learns nothing of this one (and, its
  // refusal not remembered, takes no command id of it).
  if (actor.role == "applicant" && actor.jurisdiction != cmd.stream.str()) {
    return Refuse("outside_jurisdiction", "an applicant may act only on their own application (" +
                                              actor.jurisdiction + "), not on " + cmd.stream.str());
  }
  // Where before what: an officer of another kelurahan is told only that
  // (and, the refusal not remembered, takes no command id of this permit,
  // whatever the action). A role the charter does not know is refused
  // below, as one granted nothing.
  const std::string& kelurahan = submit ? submit->kelurahan : state.kelurahan;
  if (actor.role != "applicant" && charter.roles.contains(actor.role) &&
      !charter.Covers(actor.role, actor.jurisdiction, kelurahan)) {
    return Refuse("outside_jurisdiction",
                  "role \"" + actor.role + "\" of jurisdiction \"" + actor.jurisdiction +
                      "\" may not act on a permit of kelurahan \"" + kelurahan + "\"");
  }
  if (!charter.RoleMay(actor.role, action)) {
    auto it = charter.permissions.find(action);
    return Refuse("role_not_permitted",
                  "role \"" + actor.role + "\" may not " + action + " under charter version " +
                      std::to_string(charter.version) + "; it is granted to " +
                      JoinOrNobody(it == charter.permissions.end() ? std::vector<std::string>{}
                                                                   : it->second));
  }
  // An officer acts only while enrolled, in the role and place enrolled in
  // (a command sent before a retirement may be decided after it).
  if (actor.role != "applicant" && actor.role != "admin") {
    auto officer = gov.officers.find(actor.id);
    if (officer == gov.officers.end() || officer->second.role != actor.role ||
        officer->second.jurisdiction != actor.jurisdiction) {
      return Refuse("officer_not_enrolled", "officer \"" + actor.id + "\" is not enrolled as " +
                                                actor.role + " of " + actor.jurisdiction +
                                                " (retired, or enrolled otherwise)");
    }
  }
  // After who may act: the answer tells the permit's version.
  if (cmd.expected_version && *cmd.expected_version != state.version) {
    return Refuse("version_conflict",
                  "permit " + cmd.stream.str() + " is at version " + std::to_string(state.version) +
                      ", not the expected " + std::to_string(*cmd.expected_version) +
                      (*cmd.expected_version == 0
                           // 0 is a new application's: no one acted.
                           ? ": an application's versions start at 1; check "
                             "the number sent"
                           : StaleVersionAdvice(state.version, *cmd.expected_version)));
  }
  if (!ActionAllowedFrom(state.status, action)) {
    // What to do instead, where the status says it.
    std::string instead;
    if (state.status == PermitStatus::kIssued && (action == "withdraw" || action == "reject"))
      instead =
          ": an issued permit is revoked (revoke, by " + WhoMay(charter, "revoke") + ") instead";
    else if (!IsOpen(state.status) && state.status != PermitStatus::kIssued)
      instead = ": the application is closed; a new one is a new application";
    return Refuse("transition_not_allowed", "permit " + cmd.stream.str() + " is " +
                                                StatusName(state.status) + "; " + action +
                                                " is not allowed from that status" + instead);
  }
  // A permit's history never goes back in time (beyond the clocks'
  // tolerance): its dates, due dates and statistics count on that.
  const int64_t entered = std::max(state.submitted_ms, state.stage_entered_ms);
  if (state.version > 0 && cmd.time_ms + kClockToleranceMs < entered) {
    return Refuse("time_before_history",
                  "the command's time " + IsoTime(cmd.time_ms) + " is before permit " +
                      cmd.stream.str() + " became " + StatusName(state.status) + " (" +
                      IsoTime(entered) + "), by more than the " +
                      std::to_string(kClockToleranceMs / 60000) +
                      " minutes clocks may differ: the ledger's clock is wrong");
  }
  Ctx ctx{cmd, state, gov, charter, personal_known};
  return std::visit([&](const auto& a) { return Handle(ctx, a); }, cmd.action);
}

}  // namespace pl
