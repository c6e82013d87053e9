// Helpers shared by the decider's source files (internal to domain/).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/decider.h"

namespace pl {

// A refused decision.
Decision Refuse(std::string code, std::string message);
// A refusal for a required field left empty (code missing_field).
Decision Missing(const std::string& field, const std::string& why);
// Empty, or only characters that show nothing on their own (spaces of any
// kind, zero-width and other invisible marks, fillers, combining marks):
// nothing a clerk could read (a required text).
bool Blank(std::string_view s);
// A name as it is shown (`collapse`): white space of any kind and width
// taken as one space between words and none around them, and the
// characters that show nothing dropped (zero-width spaces, directional
// and tag characters, fillers), so that two names that look alike are
// alike; the marks that attach to a character (accents, variation
// selectors, joiners) kept after one. A description (`collapse` false)
// keeps its lines and spaces: only its ends lose what shows nothing.
std::string TidyText(std::string_view s, bool collapse);

// A value the sender typed, quoted for a refusal's message when it has the
// shape of a code, an id or a date (at most 40 letters, digits, '.', '_',
// '-', '@' or '/') and holds no identity or phone number; otherwise words
// saying it is not repeated. A refusal is kept (the state store, Kafka's
// outcome topic) where no erasure reaches: a NIK typed into the KBLI box
// must not be copied there.
std::string Echo(std::string_view typed);

// What a clerk does about a version_conflict: a version the stream has not
// reached is a wrong number; an older one means someone acted meanwhile.
// The refusal is remembered under the command id, so a retry needs a new one.
std::string StaleVersionAdvice(uint64_t version, uint64_t expected);

// Whether `s` holds a number of 10 or more digits of any script, however
// written: spaced (with spaces of any width, zero-width ones, line breaks),
// dotted, dashed, bracketed, or with colons, bars, stars or backslashes
// between groups ("3174 0101 9000 0001", "3174.0101.9000.0001",
// "(021) 5555-1234", "+62 812 7777 6666"; zero-width characters unseen,
// fullwidth forms as their ASCII): a NIK, a KK or NPWP number, a phone
// number; or of 15 or more digits in groups joined by single slashes,
// commas or underscores ("3174/0101/9000/0001"). Amounts grouped in
// thousands ("Rp 2.500.000.000") are not; a letter ends a number.
bool HoldsIdentityNumber(std::string_view s);
// Whether `digits` are 16 shaped as a NIK or KK number: the province first
// (11..96: Papua's four provinces of 2022 are 93 to 96), then at 7..12 a date (the day plus 40 for
// a woman).
bool NikShaped(std::string_view digits);
// Whether `s` holds an e-mail address (name@host.tld; zero-width
// characters unseen, fullwidth forms as their ASCII).
bool HoldsEmailAddress(std::string_view s);
// What in an id (an officer's, a command_id) reads as personal data, said
// for a message ("an e-mail address"); nullopt when nothing: an e-mail
// address (an '@' before a domain whose last label is letters) or a mobile
// number (08... or 628..., ten digits or more, maybe joined by '-', '.' or
// '_'); with `long_numbers`, also a run of ten digits or more, or thirteen
// or more so joined (a NIK or KK in groups). Not HoldsEmailAddress and
// HoldsIdentityNumber, the texts' checks: ids name their kelurahan by its
// code (ptsp@31.74.10.1002, ten dotted digits after an '@'), which those
// read as an address and a number, and command ids are often UUIDs or
// timestamps (twelve or thirteen digits in a row).
std::optional<std::string> PersonalDataInId(std::string_view id, bool long_numbers);
// `id` with each UUID in it (8-4-4-4-12 hex digits) replaced by "-": what
// the checks of a command_id read, as a random id's hex digits may spell a
// short name or hold digits in a row by chance.
std::string WithoutUuids(std::string_view id);
// The refusal (code personal_data_in_text) of a text that others read
// (`where`: "is published (...)") holding either, naming `field`; nullopt
// when it holds neither.
std::optional<Decision> PersonalDataIn(const std::string& text, const std::string& field,
                                       const std::string& where);
// Who reads the reason of an `event` (a type name, "application_rejected")
// besides the applicant and the officers (the feeds that receive the event
// with its "reason" field), as `where` above says it: "is
// published (on the public verification page, and to the feed of
// ministry-umkm)" when `on_public_page`, or "is kept in the permit's
// history, which monitors and auditors read, and sent to the feed of ...".
std::string ReasonReaders(const Charter& c, std::string_view event, bool on_public_page = false);
// The names of the roles the charter grants `action`, as a message says
// who may act ("Lurah", "Petugas A or Petugas B"; "nobody").
std::string WhoMay(const Charter& c, std::string_view action);

// Appends an event caused by `cmd` to `d`, numbered after `version` and the
// events already in `d`.
void Emit(Decision& d, const Command& cmd, uint64_t version, Payload payload);

// The transition table: whether `action` may be taken on a permit in
// `status`, and the status it leads to (unchanged for consent and erasure).
bool ActionAllowedFrom(PermitStatus status, std::string_view action);

// Field validation of an application against the charter (unknown_kelurahan,
// invalid_nik, ..., ineligible_*). nullopt when valid.
// Whether `a` and `b` are the same but for ASCII letter case.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);
// The id of an enrolled officer that reads as `id` but for letter case
// (ids that differ so would read as one officer), or nullptr.
const std::string* EnrolledIdIgnoringCase(const GovernanceState& gov, std::string_view id);

// A refusal (duplicate_entry) when the list `field` names an entry twice:
// a clerk's slip (a document ticked twice, an officer picked twice) that
// would otherwise be written into the history.
std::optional<Refusal> CheckOnceEach(const std::vector<std::string>& list,
                                     const std::string& field);
// `personal_known`: false when only the sealed data is at hand (an event
// checked again by audit verify): the checks of the plain name, address and
// NIK are left out.
std::optional<Refusal> ValidateSubmission(const SubmitApplication& s, const Charter& charter,
                                          bool personal_known = true);
// DecidePermit; `personal_known` as for ValidateSubmission (audit verify
// re-decides a submission whose personal data the log holds sealed only).
Decision DecidePermit(const Command& cmd, const PermitState& state, const GovernanceState& gov,
                      bool personal_known);

// "Rp 2,500,000,000"
std::string Rupiah(int64_t amount);
// "a, b, c" or "nobody" when empty.
std::string JoinOrNobody(const std::vector<std::string>& items);

// "there is no application with id <id>", and, for a permit number given
// in its place (it holds slashes), which part of it is the id.
std::string NoApplication(std::string_view id);

}  // namespace pl
