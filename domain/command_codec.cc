#include "domain/command_codec.h"

#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "events/binary_archive.h"

namespace pl {

template <class A>
void serialize(A& ar, Actor& a) {
  ar(a.id, a.role, a.jurisdiction);
}
template <class A>
void serialize(A& ar, SubmitApplication& s) {
  ar(s.kelurahan, s.personal, s.sealed, s.business, s.documents, s.tracking_hash);
}
template <class A>
void serialize(A&, VerifyDocuments&) {}
template <class A>
void serialize(A& ar, RequestCompletion& s) {
  ar(s.missing);
}
template <class A>
void serialize(A& ar, CompleteDocuments& s) {
  ar(s.provided);
}
template <class A>
void serialize(A& ar, ScheduleSurvey& s) {
  ar(s.date, s.team);
}
template <class A>
void serialize(A& ar, RecordSurvey& s) {
  ar(s.zoning_compliant, s.notes);
}
template <class A>
void serialize(A& ar, Recommend& s) {
  ar(s.letter_number);
}
template <class A>
void serialize(A& ar, DeclineRecommendation& s) {
  ar(s.reason);
}
template <class A>
void serialize(A&, IssuePermit&) {}
template <class A>
void serialize(A& ar, Reject& s) {
  ar(s.reason_code, s.reason);
}
template <class A>
void serialize(A& ar, Withdraw& s) {
  ar(s.reason);
}
template <class A>
void serialize(A& ar, Revoke& s) {
  ar(s.reason);
}
template <class A>
void serialize(A& ar, GrantConsent& s) {
  ar(s.subscriber);
}
template <class A>
void serialize(A& ar, WithdrawConsent& s) {
  ar(s.subscriber);
}
template <class A>
void serialize(A& ar, ErasePersonalData& s) {
  ar(s.legal_basis);
}
template <class A>
void serialize(A& ar, AdoptCharter& s) {
  ar(s.charter_json);
}
template <class A>
void serialize(A& ar, EnrollOfficer& s) {
  ar(s.officer_id, s.name, s.role, s.jurisdiction, s.token_hash);
}
template <class A>
void serialize(A& ar, RetireOfficer& s) {
  ar(s.officer_id, s.reason);
}

namespace {

template <size_t I = 0>
bool DecodeAction(uint32_t index, Action& out, ReadArchive& ar) {
  if constexpr (I == std::variant_size_v<Action>) {
    return false;
  } else {
    if (index != I) return DecodeAction<I + 1>(index, out, ar);
    std::variant_alternative_t<I, Action> v;
    ar(v);
    out = std::move(v);
    return true;
  }
}

}  // namespace

std::string EncodeCommand(const Command& c) {
  std::string out;
  {
    WriteArchive ar(out);
    Command& cmd = const_cast<Command&>(c);
    uint8_t format = kCommandFormat;
    uint32_t index = static_cast<uint32_t>(cmd.action.index());
    ar(format, cmd.id, cmd.stream, cmd.actor, cmd.expected_version, cmd.time_ms, index);
    std::visit([&](auto& a) { ar(a); }, cmd.action);
  }
  return out;
}

Result<Command> DecodeCommand(std::string_view bytes) {
  try {
    ReadArchive ar(bytes);
    uint8_t format = 0;
    ar(format);
    if (format != kCommandFormat)
      return Status("corrupt_command", "unknown command format " + std::to_string(format));
    Command cmd;
    uint32_t index = 0;
    ar(cmd.id, cmd.stream, cmd.actor, cmd.expected_version, cmd.time_ms, index);
    if (!DecodeAction(index, cmd.action, ar))
      return Status("corrupt_command", "unknown action index " + std::to_string(index));
    return cmd;
  } catch (const std::exception& e) {
    return Status("corrupt_command", std::string("malformed command: ") + e.what());
  }
}

}  // namespace pl
