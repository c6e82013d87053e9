#include "domain/staffing.h"

#include <algorithm>

namespace pl {

std::vector<UnstaffedStep> UnstaffedSteps(const GovernanceState& gov) {
  std::vector<UnstaffedStep> out;
  if (!gov.charter) return out;
  const Charter& c = *gov.charter;
  for (const auto& action : AllActions()) {
    const auto& roles = c.permissions.at(action);
    if (roles.empty() || std::any_of(roles.begin(), roles.end(), [](const std::string& r) {
          return r == "applicant" || r == "admin";
        }))
      continue;
    UnstaffedStep step{action, roles, {}};
    for (const auto& k : c.kelurahan)
      if (std::none_of(gov.officers.begin(), gov.officers.end(), [&](const auto& entry) {
            const Officer& o = entry.second;
            return std::find(roles.begin(), roles.end(), o.role) != roles.end() &&
                   c.Covers(o.role, o.jurisdiction, k.code);
          }))
        step.kelurahan.push_back(k.code);
    if (!step.kelurahan.empty()) out.push_back(std::move(step));
  }
  return out;
}

}  // namespace pl
