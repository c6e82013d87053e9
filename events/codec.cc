#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "events/binary_archive.h"
#include "events/envelope.h"

namespace pl {
namespace {

constexpr uint8_t kEnvelopeFormat = 1;

template <class T>
Result<Payload> DecodeAs(ReadArchive& ar) {
  T value;
  ar(value);
  return Payload{std::move(value)};
}

// Upcasters: a payload written with an older schema version is read into
// the current struct here (docs/events.md, "Schema versions").
template <class T>
Status UnknownVersion(uint16_t version) {
  return Status("corrupt_event", "unknown schema version " + std::to_string(version) +
                                     " for event type " + EventTypeName(T::kType));
}

template <class T>
Result<Payload> DecodeVersioned(uint16_t version, ReadArchive& is) {
  if (version == T::kVersion) return DecodeAs<T>(is);
  return UnknownVersion<T>(version);
}

// Version 1 had no scope: every erasure reached the person.
template <>
Result<Payload> DecodeVersioned<PersonalDataErased>(uint16_t version, ReadArchive& is) {
  if (version == PersonalDataErased::kVersion) return DecodeAs<PersonalDataErased>(is);
  if (version != 1) return UnknownVersion<PersonalDataErased>(version);
  PersonalDataErased e;
  is(e.person_id, e.legal_basis);
  e.scope = PersonalDataErased::kPerson;
  return Payload{std::move(e)};
}

template <size_t I = 0>
Result<Payload> DecodePayload(uint16_t type, uint16_t version, ReadArchive& is) {
  if constexpr (I == std::variant_size_v<Payload>) {
    return Status("corrupt_event", "unknown event type " + std::to_string(type));
  } else {
    using T = std::variant_alternative_t<I, Payload>;
    if (static_cast<uint16_t>(T::kType) == type) return DecodeVersioned<T>(version, is);
    return DecodePayload<I + 1>(type, version, is);
  }
}

}  // namespace

std::string Encode(const Envelope& e) {
  uint8_t format = kEnvelopeFormat;
  uint16_t type = static_cast<uint16_t>(e.type());
  uint16_t version = VersionOf(e.payload);
  std::string payload = std::visit([](const auto& p) { return WriteBinary(p); }, e.payload);
  return WriteBinary(format, e.event_id, e.stream.str(), e.seq, e.time_ms, e.actor_id, e.actor_role,
                     e.command_id.str(), type, version, payload);
}

Result<Envelope> Decode(std::string_view bytes) {
  try {
    ReadArchive ar(bytes);
    uint8_t format = 0;
    ar(format);
    if (format != kEnvelopeFormat)
      return Status("corrupt_event", "unknown envelope format " + std::to_string(format));
    Envelope e;
    std::string stream, command;
    uint16_t type = 0, version = 0;
    ar(e.event_id, stream, e.seq, e.time_ms, e.actor_id, e.actor_role, command, type, version);
    const std::string_view payload = LoadSized(ar);  // not copied
    if (ar.remaining() != 0) return Status("corrupt_event", "trailing bytes after the envelope");
    e.stream = StreamId(std::move(stream));
    e.command_id = CommandId(std::move(command));
    ReadArchive ps(payload);
    auto decoded = DecodePayload(type, version, ps);
    if (!decoded.ok()) return decoded.status();
    if (ps.remaining() != 0) return Status("corrupt_event", "trailing bytes after the payload");
    e.payload = std::move(decoded.value());
    return e;
  } catch (const std::exception& ex) {
    return Status("corrupt_event", std::string("cannot decode event: ") + ex.what());
  }
}

const char* EventTypeName(EventType t) {
  switch (t) {
    case EventType::kCharterAdopted:
      return "charter_adopted";
    case EventType::kOfficerEnrolled:
      return "officer_enrolled";
    case EventType::kOfficerRetired:
      return "officer_retired";
    case EventType::kApplicationSubmitted:
      return "application_submitted";
    case EventType::kCompletionRequested:
      return "completion_requested";
    case EventType::kDocumentsCompleted:
      return "documents_completed";
    case EventType::kDocumentsVerified:
      return "documents_verified";
    case EventType::kSurveyScheduled:
      return "survey_scheduled";
    case EventType::kSurveyRecorded:
      return "survey_recorded";
    case EventType::kRecommended:
      return "recommended";
    case EventType::kRecommendationDeclined:
      return "recommendation_declined";
    case EventType::kPermitIssued:
      return "permit_issued";
    case EventType::kApplicationRejected:
      return "application_rejected";
    case EventType::kApplicationWithdrawn:
      return "application_withdrawn";
    case EventType::kPermitRevoked:
      return "permit_revoked";
    case EventType::kConsentGranted:
      return "consent_granted";
    case EventType::kConsentWithdrawn:
      return "consent_withdrawn";
    case EventType::kPersonalDataErased:
      return "personal_data_erased";
  }
  return "unknown";
}

}  // namespace pl
