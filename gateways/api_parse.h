// Parsing of command bodies into domain commands (docs/api.md lists every
// action and its fields).
#pragma once

#include <optional>
#include <string>

#include "domain/commands.h"
#include "gateways/json_input.h"

namespace pl {

struct ParsedAction {
  CommandId command_id;
  std::optional<uint64_t> expected_version;
  Action action;
};

// What is wrong with a command_id, if anything: it must be 1 to 128
// printable ASCII characters without spaces, and hold no NIK or KK number
// (16 digits in a row shaped like one), for it is kept in the permit's
// history and, with an issuance or a revocation, on the public log.
std::optional<InputError> CommandIdError(const std::string& id);

// Body of POST /v1/permits/{id}/actions. Applicants may send only their
// own actions; the domain checks the role.
std::optional<ParsedAction> ParseAction(const std::string& body, InputError& error);

struct ParsedApplication {
  std::optional<std::string> command_id;
  SubmitApplication submit;
};
// Body of POST /v1/applications.
std::optional<ParsedApplication> ParseApplication(const std::string& body, InputError& error);

}  // namespace pl
