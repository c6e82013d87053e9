#include "domain/calendar.h"

#include <cstdio>

#include "domain/decider.h"

namespace pl {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

sys_days LocalDay(int64_t time_ms, const Charter& charter) {
  using namespace std::chrono;
  sys_time<milliseconds> local{milliseconds(time_ms) + minutes(charter.utc_offset_minutes)};
  return floor<days>(local);
}

}  // namespace

bool IsWorkingDay(sys_days d, const Charter& charter) {
  std::chrono::weekday wd{d};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  return !charter.holidays.count(d);
}

std::optional<sys_days> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lens[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year(parts[0]),
                                  std::chrono::month(static_cast<unsigned>(parts[1])),
                                  std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd);
}

std::string FormatDate(sys_days d) {
  // By hand, not snprintf: the views format a date for every day a stage
  // lasted (IsWorkingDay).
  std::chrono::year_month_day ymd{d};
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
  }
  const unsigned m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  return out;
}

std::string LocalDate(int64_t time_ms, const Charter& charter) {
  return FormatDate(LocalDay(time_ms, charter));
}

std::string AddWorkingDays(int64_t time_ms, int n, const Charter& charter) {
  sys_days d = LocalDay(time_ms, charter);
  int step = n < 0 ? -1 : 1;
  for (int left = n < 0 ? -n : n; left > 0;) {
    d += days(step);
    if (IsWorkingDay(d, charter)) --left;
  }
  return FormatDate(d);
}

int WorkingDaysBetween(int64_t from_ms, int64_t to_ms, const Charter& charter) {
  sys_days from = LocalDay(from_ms, charter), to = LocalDay(to_ms, charter);
  if (to < from) return -WorkingDaysBetween(to_ms, from_ms, charter);
  int count = 0;
  for (sys_days d = from + days(1); d <= to; d += days(1)) {
    if (IsWorkingDay(d, charter)) ++count;
  }
  return count;
}

}  // namespace pl
