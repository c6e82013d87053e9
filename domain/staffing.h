// Which steps of the workflow no enrolled officer may take, kelurahan by
// kelurahan: a charter may grant an action to a role before anyone holds
// it (a role is defined before officers are enrolled in it), and retiring
// an officer may leave a kelurahan without one. Permits waiting for such a
// step wait until someone is enrolled; the administrator is told.
#pragma once

#include <string>
#include <vector>

#include "domain/state.h"

namespace pl {

struct UnstaffedStep {
  std::string action;                  // e.g. "recommend"
  std::vector<std::string> roles;      // the roles the charter grants it to
  std::vector<std::string> kelurahan;  // codes where no enrolled officer of them works
};

// The actions granted to officers only (neither to the applicant nor to the
// administrator) that some kelurahan of the charter in force has no
// enrolled officer to take, in workflow order; empty before any charter.
std::vector<UnstaffedStep> UnstaffedSteps(const GovernanceState& gov);

}  // namespace pl
