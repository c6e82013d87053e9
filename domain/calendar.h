// Date helpers shared by the charter parser and the decider (internal to
// domain/): strict YYYY-MM-DD parsing and formatting on the civil calendar.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pl {

// The day of a strict "YYYY-MM-DD" string, or nullopt if it is malformed or
// not a calendar date (e.g. "2025-02-29").
std::optional<std::chrono::sys_days> ParseDate(std::string_view s);
std::string FormatDate(std::chrono::sys_days d);

struct Charter;
// Neither a Saturday, a Sunday nor one of the charter's holidays.
bool IsWorkingDay(std::chrono::sys_days d, const Charter& charter);

}  // namespace pl
