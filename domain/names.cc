#include <type_traits>

#include "domain/commands.h"
#include "domain/state.h"

namespace pl {

const char* ActionName(const Action& a) {
  return std::visit(
      [](const auto& x) -> const char* {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, SubmitApplication>) return "submit_application";
        if constexpr (std::is_same_v<T, VerifyDocuments>) return "verify_documents";
        if constexpr (std::is_same_v<T, RequestCompletion>) return "request_completion";
        if constexpr (std::is_same_v<T, CompleteDocuments>) return "complete_documents";
        if constexpr (std::is_same_v<T, ScheduleSurvey>) return "schedule_survey";
        if constexpr (std::is_same_v<T, RecordSurvey>) return "record_survey";
        if constexpr (std::is_same_v<T, Recommend>) return "recommend";
        if constexpr (std::is_same_v<T, DeclineRecommendation>) return "decline_recommendation";
        if constexpr (std::is_same_v<T, IssuePermit>) return "issue_permit";
        if constexpr (std::is_same_v<T, Reject>) return "reject";
        if constexpr (std::is_same_v<T, Withdraw>) return "withdraw";
        if constexpr (std::is_same_v<T, Revoke>) return "revoke";
        if constexpr (std::is_same_v<T, GrantConsent>) return "grant_consent";
        if constexpr (std::is_same_v<T, WithdrawConsent>) return "withdraw_consent";
        if constexpr (std::is_same_v<T, ErasePersonalData>) return "erase_personal_data";
        if constexpr (std::is_same_v<T, AdoptCharter>) return "adopt_charter";
        if constexpr (std::is_same_v<T, EnrollOfficer>) return "enroll_officer";
        if constexpr (std::is_same_v<T, RetireOfficer>) return "retire_officer";
      },
      a);
}

const char* StatusName(PermitStatus s) {
  switch (s) {
    case PermitStatus::kNone:
      return "none";
    case PermitStatus::kSubmitted:
      return "submitted";
    case PermitStatus::kIncomplete:
      return "incomplete";
    case PermitStatus::kDocumentsVerified:
      return "documents_verified";
    case PermitStatus::kSurveyScheduled:
      return "survey_scheduled";
    case PermitStatus::kSurveyed:
      return "surveyed";
    case PermitStatus::kRecommended:
      return "recommended";
    case PermitStatus::kIssued:
      return "issued";
    case PermitStatus::kRejected:
      return "rejected";
    case PermitStatus::kWithdrawn:
      return "withdrawn";
    case PermitStatus::kRevoked:
      return "revoked";
  }
  return "unknown";
}

std::optional<PermitStatus> ParseStatusName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(PermitStatus::kRevoked); ++i)
    if (name == StatusName(static_cast<PermitStatus>(i))) return static_cast<PermitStatus>(i);
  return std::nullopt;
}

bool IsOpen(PermitStatus s) {
  return s >= PermitStatus::kSubmitted && s <= PermitStatus::kRecommended;
}

bool IsFinal(PermitStatus s) {
  return s == PermitStatus::kRejected || s == PermitStatus::kWithdrawn ||
         s == PermitStatus::kRevoked;
}

const char* ActionOfEvent(EventType t) {
  switch (t) {
    case EventType::kApplicationSubmitted:
      return "submit_application";
    case EventType::kCompletionRequested:
      return "request_completion";
    case EventType::kDocumentsCompleted:
      return "complete_documents";
    case EventType::kDocumentsVerified:
      return "verify_documents";
    case EventType::kSurveyScheduled:
      return "schedule_survey";
    case EventType::kSurveyRecorded:
      return "record_survey";
    case EventType::kRecommended:
      return "recommend";
    case EventType::kRecommendationDeclined:
      return "decline_recommendation";
    case EventType::kPermitIssued:
      return "issue_permit";
    case EventType::kApplicationRejected:
      return "reject";
    case EventType::kApplicationWithdrawn:
      return "withdraw";
    case EventType::kPermitRevoked:
      return "revoke";
    case EventType::kConsentGranted:
      return "grant_consent";
    case EventType::kConsentWithdrawn:
      return "withdraw_consent";
    case EventType::kPersonalDataErased:
      return "erase_personal_data";
    case EventType::kCharterAdopted:
      return "adopt_charter";
    case EventType::kOfficerEnrolled:
      return "enroll_officer";
    case EventType::kOfficerRetired:
      return "retire_officer";
  }
  return "";
}

}  // namespace pl
