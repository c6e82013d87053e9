// The pure decider of the permit workflow (the Decider pattern):
//   Decide(command, state) -> events, or a refusal;
//   Evolve(state, event)   -> state.
// No I/O, no clocks, no randomness: everything comes in the command.
// A refusal is a value with a stable reason code (docs/api.md lists them)
// and a message a clerk can act on. A decided command that changes nothing
// yields no events.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/commands.h"
#include "domain/state.h"
#include "events/envelope.h"

namespace pl {

struct Refusal {
  std::string code;
  std::string message;
};

struct Decision {
  std::vector<Envelope> events;  // fully formed envelopes: seq follows the state's version
  std::optional<Refusal> refusal;
  bool accepted() const { return !refusal.has_value(); }
};

// Decides a command on a permit stream, under the charter in `gov`.
Decision DecidePermit(const Command& cmd, const PermitState& state, const GovernanceState& gov);
// Decides a command on the governance stream (adopt_charter, enroll_officer:
// role "admin" only).
Decision DecideGovernance(const Command& cmd, const GovernanceState& gov);

// Whether deciding `action` reads PermitState::personal_erased (issue_permit
// and grant_consent: a permit names its holder, a consent shares their
// data). An order that erased the person through another of their
// applications is not in this permit's history: the command processor, and
// audit verify, decide these two on the state marked erased when it was.
bool ReadsPersonalErasure(const Action& action);

void EvolvePermit(PermitState& state, const Envelope& event);
void EvolveGovernance(GovernanceState& state, const Envelope& event);

// Checking a logged event with the decider itself (audit verify), not with a
// second copy of its rules: the command the event records is rebuilt (its
// action and fields as logged, its actor and time; an officer's jurisdiction
// is their enrolment in `gov`, an applicant's the permit) and decided again
// against the state and the governance the event followed. A submission's
// personal data is in the log sealed only: its plain name, address and NIK
// are not checked again. No expected version: the seq is the caller's check.
struct Redecision {
  std::optional<Refusal> refusal;  // the rule the event breaks
  bool no_change = false;          // the command would change nothing: no event
  // The decider writes another event: the fields that differ, in words
  // ("valid_until is \"2099-01-01\" in the log; the decider gives ...").
  std::string difference;
  bool ok() const { return !refusal && !no_change && difference.empty(); }
};
// The command an event records (the inverse of Decide for one event).
Command CommandOfEvent(const Envelope& event, const GovernanceState& gov);
Redecision RedecidePermitEvent(const Envelope& event, const PermitState& before,
                               const GovernanceState& gov);
// The same with the command given (CommandOfEvent's, its actor completed by
// the caller: a retired officer's jurisdiction, which `gov` no longer holds).
Redecision RedecidePermitEvent(const Envelope& event, const Command& command,
                               const PermitState& before, const GovernanceState& gov);
Redecision RedecideGovernanceEvent(const Envelope& event, const GovernanceState& gov);
// What a checker of the log keeps of a permit between its events: the state
// with what no decision reads (with the personal data unknown) dropped: the
// sealed personal data, the business, the published texts, the permit
// number and validity. The property test holds every decision on it to be
// the same as on the whole state.
void DropWhatNoDecisionReads(PermitState& state);

// Whether `text` names the person called `name`: every word of the name (of
// two letters or more) is a word of the text, in any order and however
// spaced or punctuated ("Santoso, Budi", "budi  santoso", a no-break or
// zero-width space between them), or the name's words run together in one
// word ("BudiSantoso"). Letters compare without their marks ("Nurhaliza" is
// "Nurhalizá"), and an apostrophe may be written or left out ("Maruf" is
// "Ma'ruf"). A one-word name of fewer than three letters is not looked for.
bool MentionsName(std::string_view text, std::string_view name);
// Whether `name` is a single word ("Sari"), which a text may then not hold
// at all.
bool OneWordName(std::string_view name);
// A name as a reader tells it from another: its letters and digits run
// together, letters in small letters, Latin ones without their marks,
// fullwidth forms as ASCII, punctuation, blanks and what shows nothing left
// out ("Petukangan-Utara", "BÍNTARO." and "Bintaro" are "petukanganutara",
// "bintaro" and "bintaro").
std::string NameKey(std::string_view name);
// Whether `text` names the street of the home `address` ("Jl. Delman Utama"
// of "Jl. Delman Utama No. 9 RT 005/RW 008"): its words in a row, however
// written; a street of one word only after "Jl.", "Jalan" or "Gang".
bool MentionsAddress(std::string_view text, std::string_view address);
// Whether the digits of `text` (of any script), read in order whatever stands
// between them, hold those of `number` ("nik-3174-0155-0890-0001" holds NIK
// 3174015508900001). False when `number` has fewer than 10 digits.
bool MentionsNumber(std::string_view text, std::string_view number);
// Whether the digits of `text`, read so, hold the phone number `phone` in
// its national form or the international ("0812 7777 6666" and
// "+62 812-7777-6666" both hold 081277776666). False when the number after
// its 0 or 62 has fewer than 8 digits.
bool MentionsPhone(std::string_view text, std::string_view phone);

// Where a permit stands for the people waiting on it.
struct StageInfo {
  std::string stage;  // StatusName of the status
  std::vector<std::string>
      next_actions;  // actions the charter allows from here (not withdraw/reject)
  std::vector<std::string> next_roles;  // roles that take them
  std::string due_date;                 // YYYY-MM-DD, empty when the status has no service level
  int service_days = 0;
  // The documents the applicant still has to bring: those the charter
  // requires and the application lacks while it is submitted (the officer
  // asks for them with request_completion, the next step then), the ones
  // asked for while it is incomplete.
  std::vector<std::string> missing;
  // A scheduled survey whose team has no enrolled officer left who may
  // record it (retired, moved, or a role that no longer records): its next
  // step is to reschedule it (next_actions: schedule_survey).
  bool survey_team_unavailable = false;
};
// The documents `charter` requires that `state` was not handed, in the
// charter's order.
std::vector<std::string> LackingDocuments(const PermitState& state, const Charter& charter);
// Next actions and roles from `charter`; the service level and the calendar
// the due date is counted on from `levels`.
StageInfo Stage(const PermitState& state, const Charter& charter, const Charter& levels);
StageInfo Stage(const PermitState& state, const Charter& charter);  // levels: charter
// The stage as its people see it: the charter in force now, and the service
// level of the charter in force when the stage was entered (an amendment
// does not move a due date already promised). `gov.charter` must be set.
StageInfo Stage(const PermitState& state, const GovernanceState& gov);
// The charter whose service levels applied when `state` entered its stage.
const Charter& ServiceLevelsFor(const PermitState& state, const GovernanceState& gov);

// Working-day arithmetic on Jakarta dates (UTC offset from the charter):
// the date `days` working days after the date of `time_ms`, skipping
// Saturdays, Sundays and the charter's holidays.
std::string AddWorkingDays(int64_t time_ms, int days, const Charter& charter);
// Working days from the date of `from_ms` to the date of `to_ms`.
int WorkingDaysBetween(int64_t from_ms, int64_t to_ms, const Charter& charter);
// The Jakarta date (YYYY-MM-DD) of a time.
std::string LocalDate(int64_t time_ms, const Charter& charter);

}  // namespace pl
