// The events of the permit ledger. These structs ARE the storage schema: each
// has a stable type number and a schema version (docs/events.md). Never
// renumber, never reorder fields; add a new version and an upcaster instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pl {

enum class EventType : uint16_t {
  // Governance stream.
  kCharterAdopted = 1,
  kOfficerEnrolled = 2,
  kOfficerRetired = 3,
  // Permit streams.
  kApplicationSubmitted = 10,
  kCompletionRequested = 11,
  kDocumentsCompleted = 12,
  kDocumentsVerified = 13,
  kSurveyScheduled = 14,
  kSurveyRecorded = 15,
  kRecommended = 16,
  kRecommendationDeclined = 17,
  kPermitIssued = 18,
  kApplicationRejected = 19,
  kApplicationWithdrawn = 20,
  kPermitRevoked = 21,
  kConsentGranted = 22,
  kConsentWithdrawn = 23,
  kPersonalDataErased = 24,
};

// Personal data sealed with the person's own key (crypto-shredding): the log
// holds only this ciphertext; destroying the key erases the person.
struct SealedPersonal {
  std::string person_id;   // pseudonym: HMAC of the NIK under the vault secret
  std::string ciphertext;  // nonce ‖ secretbox(PersonalData encoded)
  bool operator==(const SealedPersonal&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(person_id, ciphertext);
  }
};

struct CharterAdopted {
  static constexpr EventType kType = EventType::kCharterAdopted;
  static constexpr uint16_t kVersion = 1;
  uint32_t charter_version = 0;
  std::string charter_json;  // canonical JSON (sorted keys) of the charter
  bool operator==(const CharterAdopted&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(charter_version, charter_json);
  }
};

struct OfficerEnrolled {
  static constexpr EventType kType = EventType::kOfficerEnrolled;
  static constexpr uint16_t kVersion = 1;
  std::string officer_id;
  std::string name;
  std::string role;
  std::string jurisdiction;  // kelurahan code, or kecamatan code for kecamatan roles
  std::string token_hash;    // hex SHA-256 of the bearer token; the token is never stored
  bool operator==(const OfficerEnrolled&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(officer_id, name, role, jurisdiction, token_hash);
  }
};

// The business. Public fields only: the premises of a micro business is
// usually the owner's home, so its address travels sealed with the person.
struct Business {
  std::string name;
  std::string kbli;         // 5-digit KBLI business classification
  std::string description;  // business type in words, public
  int64_t capital = 0;      // rupiah, excluding land and buildings
  int64_t turnover = 0;     // rupiah per year
  int32_t workers = 0;
  std::string premises;  // "owned" or "leased"
  bool operator==(const Business&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(name, kbli, description, capital, turnover, workers, premises);
  }
};

struct ApplicationSubmitted {
  static constexpr EventType kType = EventType::kApplicationSubmitted;
  static constexpr uint16_t kVersion = 1;
  std::string kelurahan;
  SealedPersonal applicant;
  Business business;
  std::vector<std::string> documents;  // documents handed in
  std::string tracking_hash;           // hex SHA-256 of the tracking code
  bool operator==(const ApplicationSubmitted&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(kelurahan, applicant, business, documents, tracking_hash);
  }
};

struct CompletionRequested {
  static constexpr EventType kType = EventType::kCompletionRequested;
  static constexpr uint16_t kVersion = 1;
  std::vector<std::string> missing;
  bool operator==(const CompletionRequested&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(missing);
  }
};

struct DocumentsCompleted {
  static constexpr EventType kType = EventType::kDocumentsCompleted;
  static constexpr uint16_t kVersion = 1;
  std::vector<std::string> provided;
  bool operator==(const DocumentsCompleted&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(provided);
  }
};

struct DocumentsVerified {
  static constexpr EventType kType = EventType::kDocumentsVerified;
  static constexpr uint16_t kVersion = 1;
  bool operator==(const DocumentsVerified&) const = default;
  template <class A>
  void serialize(A&) {}
};

struct SurveyScheduled {
  static constexpr EventType kType = EventType::kSurveyScheduled;
  static constexpr uint16_t kVersion = 1;
  std::string date;               // YYYY-MM-DD
  std::vector<std::string> team;  // officer ids
  bool operator==(const SurveyScheduled&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(date, team);
  }
};

struct SurveyRecorded {
  static constexpr EventType kType = EventType::kSurveyRecorded;
  static constexpr uint16_t kVersion = 1;
  bool zoning_compliant = false;
  std::string notes;
  bool operator==(const SurveyRecorded&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(zoning_compliant, notes);
  }
};

struct Recommended {
  static constexpr EventType kType = EventType::kRecommended;
  static constexpr uint16_t kVersion = 1;
  std::string letter_number;
  bool operator==(const Recommended&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(letter_number);
  }
};

struct RecommendationDeclined {
  static constexpr EventType kType = EventType::kRecommendationDeclined;
  static constexpr uint16_t kVersion = 1;
  std::string reason;
  bool operator==(const RecommendationDeclined&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(reason);
  }
};

struct PermitIssued {
  static constexpr EventType kType = EventType::kPermitIssued;
  static constexpr uint16_t kVersion = 1;
  std::string permit_number;
  std::string valid_from;   // YYYY-MM-DD (Jakarta date)
  std::string valid_until;  // YYYY-MM-DD
  bool operator==(const PermitIssued&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(permit_number, valid_from, valid_until);
  }
};

struct ApplicationRejected {
  static constexpr EventType kType = EventType::kApplicationRejected;
  static constexpr uint16_t kVersion = 1;
  std::string reason_code;
  std::string reason;
  bool operator==(const ApplicationRejected&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(reason_code, reason);
  }
};

struct ApplicationWithdrawn {
  static constexpr EventType kType = EventType::kApplicationWithdrawn;
  static constexpr uint16_t kVersion = 1;
  std::string reason;
  bool operator==(const ApplicationWithdrawn&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(reason);
  }
};

struct PermitRevoked {
  static constexpr EventType kType = EventType::kPermitRevoked;
  static constexpr uint16_t kVersion = 1;
  std::string reason;
  bool operator==(const PermitRevoked&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(reason);
  }
};

struct ConsentGranted {
  static constexpr EventType kType = EventType::kConsentGranted;
  static constexpr uint16_t kVersion = 1;
  std::string subscriber;
  bool operator==(const ConsentGranted&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(subscriber);
  }
};

struct ConsentWithdrawn {
  static constexpr EventType kType = EventType::kConsentWithdrawn;
  static constexpr uint16_t kVersion = 1;
  std::string subscriber;
  bool operator==(const ConsentWithdrawn&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(subscriber);
  }
};

// What an erasure reaches. An applicant, who proves only the one
// application its tracking code opens, erases that application's personal
// data; the administrator, on a legal order after checking the person's
// identity, erases every application of the person (its every key).
// Version 1 had no scope: every erasure then reached the person.
struct PersonalDataErased {
  static constexpr EventType kType = EventType::kPersonalDataErased;
  static constexpr uint16_t kVersion = 2;
  static constexpr const char* kApplication = "application";
  static constexpr const char* kPerson = "person";
  std::string person_id;
  std::string legal_basis;      // "applicant_request" or the legal order reference
  std::string scope = kPerson;  // kApplication or kPerson
  bool person_wide() const { return scope != kApplication; }
  bool operator==(const PersonalDataErased&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(person_id, legal_basis, scope);
  }
};

// An officer leaves the service (or changes post, or lost the token): the
// token no longer authenticates and the officer acts no more. The same id
// may be enrolled again, with a new token.
struct OfficerRetired {
  static constexpr EventType kType = EventType::kOfficerRetired;
  static constexpr uint16_t kVersion = 1;
  std::string officer_id;
  std::string reason;
  bool operator==(const OfficerRetired&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(officer_id, reason);
  }
};

using Payload = std::variant<CharterAdopted, OfficerEnrolled, ApplicationSubmitted,
                             CompletionRequested, DocumentsCompleted, DocumentsVerified,
                             SurveyScheduled, SurveyRecorded, Recommended, RecommendationDeclined,
                             PermitIssued, ApplicationRejected, ApplicationWithdrawn, PermitRevoked,
                             ConsentGranted, ConsentWithdrawn, PersonalDataErased, OfficerRetired>;

inline EventType TypeOf(const Payload& p) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kType; }, p);
}
inline uint16_t VersionOf(const Payload& p) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kVersion; }, p);
}
// snake_case name used in JSON and docs, e.g. "application_submitted".
const char* EventTypeName(EventType t);

}  // namespace pl
