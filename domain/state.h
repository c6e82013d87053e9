// The state of a stream, folded from its events by Evolve (domain/decider.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/charter.h"
#include "events/event_types.h"

namespace pl {

enum class PermitStatus : uint8_t {
  kNone = 0,  // no application yet
  kSubmitted,
  kIncomplete,
  kDocumentsVerified,
  kSurveyScheduled,
  kSurveyed,
  kRecommended,
  kIssued,
  kRejected,
  kWithdrawn,
  kRevoked,
};

// "submitted", "documents_verified", ...; "none" for kNone.
const char* StatusName(PermitStatus s);
// The status a name names ("none" too), or nullopt.
std::optional<PermitStatus> ParseStatusName(std::string_view name);
// Open: an application still in progress (submitted .. recommended).
bool IsOpen(PermitStatus s);
// Final: rejected, withdrawn, revoked.
bool IsFinal(PermitStatus s);

struct PermitState {
  uint64_t version = 0;  // number of events folded: the stream's last seq
  PermitStatus status = PermitStatus::kNone;
  std::string permit_id;
  std::string kelurahan;
  SealedPersonal applicant;
  Business business;
  std::vector<std::string> documents;
  std::string tracking_hash;
  std::vector<std::string> missing;  // what the applicant must still bring
  std::optional<bool> zoning_compliant;
  std::string survey_date;
  std::vector<std::string> survey_team;
  std::string letter_number;
  std::string permit_number;
  std::string valid_from, valid_until;
  int64_t submitted_ms = 0;
  int64_t stage_entered_ms = 0;  // when the current status began
  std::string outcome_code;      // reason code of a rejection, withdrawal or revocation
  std::string outcome_reason;
  std::set<std::string> consents;  // subscribers the applicant consented to
  bool personal_erased = false;
  bool operator==(const PermitState&) const = default;
};

struct Officer {
  std::string id, name, role, jurisdiction, token_hash;
};

struct GovernanceState {
  uint64_t version = 0;
  std::shared_ptr<const Charter> charter;  // null until a charter is adopted
  // Every charter adopted, by the time of its adoption (ms): a stage is due
  // by the service level in force when it was entered.
  std::map<int64_t, std::shared_ptr<const Charter>> adopted;
  std::map<std::string, Officer> officers;              // id -> officer
  std::map<std::string, std::string> officer_by_token;  // token hash -> id
  // Ids retired and not enrolled again since: their trails stay readable.
  std::set<std::string> retired;
};

}  // namespace pl
