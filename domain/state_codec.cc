#include "domain/state_codec.h"

#include <cereal/types/optional.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "events/binary_archive.h"

namespace pl {

template <class A>
void serialize(A& ar, PermitState& s) {
  uint8_t status = static_cast<uint8_t>(s.status);
  ar(s.version, status, s.permit_id, s.kelurahan, s.applicant, s.business, s.documents,
     s.tracking_hash, s.missing, s.zoning_compliant, s.survey_date, s.survey_team, s.letter_number,
     s.permit_number, s.valid_from, s.valid_until, s.submitted_ms, s.stage_entered_ms,
     s.outcome_code, s.outcome_reason, s.consents, s.personal_erased);
  s.status = static_cast<PermitStatus>(status);
}

std::string EncodePermitState(const PermitState& s) { return WriteBinary(s); }

void EncodePermitState(const PermitState& s, std::string& out) { WriteBinaryInto(out, s); }

Result<PermitState> DecodePermitState(std::string_view bytes) {
  try {
    ReadArchive ar(bytes);
    PermitState s;
    ar(s);
    return s;
  } catch (const std::exception& e) {
    return Status("corrupt_state", e.what());
  }
}

}  // namespace pl
