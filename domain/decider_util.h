// Helpers shared by the decider's source files (internal to domain/).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/decider.h"

namespace pl {

// A refused decision.
Decision Refuse(std::string code, std::string message);
// A refusal for a required field left empty (code missing_field).
Decision Missing(const std::string& field, const std::string& why);
// Empty, or only spaces: nothing a clerk could read (a required text).
bool Blank(std::string_view s);

// Appends an event caused by `cmd` to `d`, numbered after `version` and the
// events already in `d`.
void Emit(Decision& d, const Command& cmd, uint64_t version, Payload payload);

// The transition table: whether `action` may be taken on a permit in
// `status`, and the status it leads to (unchanged for consent and erasure).
bool ActionAllowedFrom(PermitStatus status, std::string_view action);

// Field validation of an application against the charter (unknown_kelurahan,
// invalid_nik, ..., ineligible_*). nullopt when valid.
std::optional<Refusal> ValidateSubmission(const SubmitApplication& s, const Charter& charter);

// "Rp 2,500,000,000"
std::string Rupiah(int64_t amount);
// "a, b, c" or "nobody" when empty.
std::string JoinOrNobody(const std::vector<std::string>& items);

}  // namespace pl
