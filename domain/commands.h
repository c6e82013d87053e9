// Commands: what an actor asks the ledger to do. A command is decided against
// the current state of its stream (domain/decider.h); the same command id
// never takes effect twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/event_types.h"
#include "events/ids.h"
#include "events/personal.h"

namespace pl {

// Who acts. Officers are resolved from their bearer token by the gateway;
// an applicant holds the tracking code of one permit, so its jurisdiction is
// that permit's id. role is "applicant", "admin", or a charter role.
struct Actor {
  std::string id;
  std::string role;
  std::string jurisdiction;
};

struct SubmitApplication {
  std::string kelurahan;
  PersonalData personal;  // plain, for validation only; never stored
  SealedPersonal sealed;  // the same data sealed by the processor's vault
  Business business;
  std::vector<std::string> documents;
  std::string tracking_hash;
};
struct VerifyDocuments {};
struct RequestCompletion {
  std::vector<std::string> missing;
};
struct CompleteDocuments {
  std::vector<std::string> provided;
};
struct ScheduleSurvey {
  std::string date;
  std::vector<std::string> team;
};
struct RecordSurvey {
  bool zoning_compliant = false;
  std::string notes;
};
struct Recommend {
  std::string letter_number;
};
struct DeclineRecommendation {
  std::string reason;
};
struct IssuePermit {};
struct Reject {
  std::string reason_code;
  std::string reason;
};
struct Withdraw {
  std::string reason;
};
struct Revoke {
  std::string reason;
};
struct GrantConsent {
  std::string subscriber;
};
struct WithdrawConsent {
  std::string subscriber;
};
struct ErasePersonalData {
  std::string legal_basis;
};
// Governance stream.
struct AdoptCharter {
  std::string charter_json;
};
struct EnrollOfficer {
  std::string officer_id, name, role, jurisdiction, token_hash;
};
struct RetireOfficer {
  std::string officer_id, reason;
};

using Action =
    std::variant<SubmitApplication, VerifyDocuments, RequestCompletion, CompleteDocuments,
                 ScheduleSurvey, RecordSurvey, Recommend, DeclineRecommendation, IssuePermit,
                 Reject, Withdraw, Revoke, GrantConsent, WithdrawConsent, ErasePersonalData,
                 AdoptCharter, EnrollOfficer, RetireOfficer>;

// The action's name in the API and the charter, e.g. "verify_documents",
// "submit_application", "adopt_charter", "enroll_officer".
const char* ActionName(const Action& a);
// The action an event records, as the charter names it.
const char* ActionOfEvent(EventType t);

struct Command {
  CommandId id;
  StreamId stream;
  Actor actor;
  std::optional<uint64_t> expected_version;  // refused with version_conflict if it differs
  int64_t time_ms = 0;                       // assigned by the ledger when it receives it
  Action action;
};

}  // namespace pl
