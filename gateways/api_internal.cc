// Helpers shared by the HTTP API's source files (api_internal.h): who the
// caller is and what it may read, a request body's last checks, and how a
// repeated command id is told from another request.
#include "gateways/api_internal.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "gateways/api_parse.h"

namespace pl {
namespace {

using json = nlohmann::json;

}  // namespace

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), header.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    return std::nullopt;
  // One space or more after the scheme (RFC 9110, section 11.4).
  header.remove_prefix(kScheme.size());
  header.remove_prefix(std::min(header.size(), header.find_first_not_of(' ')));
  if (header.empty()) return std::nullopt;
  return std::string(header);
}

bool MayRead(const Principal& who, const PermitState& state, const Charter& charter) {
  switch (who.kind) {
    case Principal::Kind::kAdmin:
      return true;
    case Principal::Kind::kApplicant:
      return who.permit_id == state.permit_id;
    case Principal::Kind::kOfficer:
      return charter.Covers(who.actor.role, who.actor.jurisdiction, state.kelurahan);
    default:
      return false;
  }
}

bool SeesApplicant(const Principal& who, const PermitState& state, const Charter& charter) {
  return MayRead(who, state, charter) &&
         (who.kind == Principal::Kind::kApplicant ||
          (who.kind == Principal::Kind::kOfficer && charter.SeesPersonalData(who.actor.role)));
}

std::string OutsideJurisdiction(const Principal& who, const std::string& permit_id,
                                const PermitState& state) {
  if (who.kind == Principal::Kind::kApplicant)
    return "permit " + permit_id + " is not the application this tracking code opens";
  return "permit " + permit_id + " is of kelurahan " + state.kelurahan + "; your role " +
         who.actor.role + " covers " + who.actor.jurisdiction;
}

bool RefuseUnlessAdmin(const HttpRequest& req, const Principal& who, const char* what,
                       const Respond& respond) {
  if (who.kind == Principal::Kind::kAdmin) return false;
  if (who.kind == Principal::Kind::kAnonymous) {
    respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                          std::string(what) + " needs the administrator's token"));
  } else {
    respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                          std::string("only the administrator may do this: ") + what));
  }
  return true;
}

bool RefuseBadBody(JsonInput& in, const std::optional<std::string>& command_id,
                   const HttpRequest& req, const Respond& respond) {
  in.RejectUnknown();
  if (!in.ok()) {
    respond(ErrorResponse(req, http::status::bad_request, in.error().code, in.error().message));
    return true;
  }
  if (auto bad = command_id ? CommandIdError(*command_id) : std::nullopt) {
    respond(ErrorResponse(req, http::status::bad_request, bad->code, bad->message));
    return true;
  }
  return false;
}

bool RefuseReusedId(const HttpRequest& req, const Outcome& o, const std::string& digest,
                    const Respond& respond) {
  if (!o.duplicate || !o.error.ok() || o.digest.empty() || o.digest == digest) return false;
  respond(ErrorResponse(req, http::status::conflict, "command_id_reused",
                        "command_id " + o.command_id.str() + " was already used for " + o.action +
                            " with other fields" + (o.refusal ? ", and refused" : "") +
                            "; this is another request: send it with a new command_id"));
  return true;
}

std::string RequestFingerprint(const HttpRequest& req, const Principal& who) {
  json request = json::parse(req.body());
  request.erase("command_id");
  return who.actor.id + '\0' + request.dump();
}

}  // namespace pl
