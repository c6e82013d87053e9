// Helpers shared by the HTTP API's source files (api_gateway.cc and the
// api_*.cc files of its endpoints). Internal to gateways/: not part of any
// public interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateways/api_gateway.h"
#include "gateways/json_input.h"

namespace pl {

inline std::string_view SV(boost::beast::string_view v) { return {v.data(), v.size()}; }

bool ConstantTimeEqual(const std::string& a, const std::string& b);

// The token of an Authorization header "Bearer <token>" (the scheme in any
// case, RFC 9110 11.1), or nullopt.
std::optional<std::string> BearerToken(std::string_view header);

// Whether `who` may read the permit in `state` (and its history).
bool MayRead(const Principal& who, const PermitState& state, const Charter& charter);

// Whether `who` sees the applicant's personal data on that permit: the
// applicant, and officers of the roles the charter shows it to.
bool SeesApplicant(const Principal& who, const PermitState& state, const Charter& charter);

// Why `who` may not read the permit: whose it is, and where `who` works
// (an applicant's tracking code opens its own application only).
std::string OutsideJurisdiction(const Principal& who, const std::string& permit_id,
                                const PermitState& state);

// 401 for the anonymous, 403 for everyone but the administrator.
bool RefuseUnlessAdmin(const HttpRequest& req, const Principal& who, const char* what,
                       const Respond& respond);

// Finishes reading an administrator's request body: answers 400 (and says
// true) for an unknown field, a bad value, or a `command_id` that is not a
// printable token (CommandIdError).
bool RefuseBadBody(JsonInput& in, const std::optional<std::string>& command_id,
                   const HttpRequest& req, const Respond& respond);

// Answers 409 command_id_reused (and says true) when `o` repeats a command
// id whose first request was the same action with other fields than this
// request's (`digest`, ActionDigest): that is another request, not a retry.
bool RefuseReusedId(const HttpRequest& req, const Outcome& o, const std::string& digest,
                    const Respond& respond);

// Who sent what, in canonical form and without its command_id: a secret
// derived from it (a tracking code, an officer's token) is given again to the
// same request sent again, and to no other. The body was parsed before.
std::string RequestFingerprint(const HttpRequest& req, const Principal& who);

}  // namespace pl
