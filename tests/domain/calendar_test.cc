// Working-day arithmetic on Jakarta dates.
#include "domain/calendar.h"
#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

const Charter& Default() {
  static const Charter c = *Charter::FromJson(DefaultCharterText());
  return c;
}

TEST(Calendar, LocalDateIsJakartaDate) {
  const Charter& c = Default();
  EXPECT_EQ(LocalDate(Jakarta(2026, 3, 2, 0, 0), c), "2026-03-02");
  EXPECT_EQ(LocalDate(Jakarta(2026, 3, 2, 23, 59), c), "2026-03-02");
  // 2025-12-31 17:00 UTC is already New Year's Day in Jakarta.
  EXPECT_EQ(LocalDate(Jakarta(2026, 1, 1, 0, 0), c), "2026-01-01");
  EXPECT_EQ(LocalDate(Jakarta(2026, 1, 1, 0, 0) - 1, c), "2025-12-31");
  EXPECT_EQ(LocalDate(0, c), "1970-01-01");
}

TEST(Calendar, DatesAreWrittenWithFourDigitYearsAndRoundTrip) {
  for (const char* d : {"0001-01-01", "0999-09-09", "1970-01-01", "2026-12-31", "9999-12-31"})
    EXPECT_EQ(FormatDate(*ParseDate(d)), d);
}

TEST(Calendar, SkipsWeekends) {
  const Charter& c = Default();
  const int64_t fri = Jakarta(2026, 3, 6);
  EXPECT_EQ(AddWorkingDays(fri, 0, c), "2026-03-06");
  EXPECT_EQ(AddWorkingDays(fri, 1, c), "2026-03-09");
  EXPECT_EQ(AddWorkingDays(fri, 5, c), "2026-03-13");
  const int64_t sat = Jakarta(2026, 3, 7);
  EXPECT_EQ(AddWorkingDays(sat, 1, c), "2026-03-09");
  EXPECT_EQ(WorkingDaysBetween(fri, Jakarta(2026, 3, 9), c), 1);
  EXPECT_EQ(WorkingDaysBetween(fri, Jakarta(2026, 3, 8), c), 0);
  EXPECT_EQ(WorkingDaysBetween(fri, fri + 3600000, c), 0);
}

TEST(Calendar, SkipsHolidays) {
  const Charter& c = Default();
  // Idul Fitri 2026: Nyepi Thu 19, Fri 20, Sat 21 March.
  const int64_t wed = Jakarta(2026, 3, 18);
  EXPECT_EQ(AddWorkingDays(wed, 1, c), "2026-03-23");
  EXPECT_EQ(AddWorkingDays(wed, 2, c), "2026-03-24");
  EXPECT_EQ(WorkingDaysBetween(wed, Jakarta(2026, 3, 23), c), 1);
  // Independence Day 2026 is a Monday.
  EXPECT_EQ(AddWorkingDays(Jakarta(2026, 8, 14), 1, c), "2026-08-18");
}

TEST(Calendar, CrossesTheYearBoundary) {
  const Charter& c = Default();
  // Wed 24 Dec 2025; 25 Dec and 1 Jan are holidays.
  const int64_t eve = Jakarta(2025, 12, 24);
  EXPECT_EQ(AddWorkingDays(eve, 1, c), "2025-12-26");
  EXPECT_EQ(AddWorkingDays(eve, 3, c), "2025-12-30");
  EXPECT_EQ(AddWorkingDays(eve, 5, c), "2026-01-02");
  EXPECT_EQ(WorkingDaysBetween(eve, Jakarta(2026, 1, 2), c), 5);
  EXPECT_EQ(WorkingDaysBetween(Jakarta(2026, 1, 2), eve, c), -5);
}

TEST(Calendar, AddAndBetweenAgree) {
  const Charter& c = Default();
  for (int start = 0; start < 800; start += 7) {
    int64_t t = Jakarta(2025, 1, 1) + int64_t(start) * 86400000;
    for (int n : {1, 2, 3, 5, 14}) {
      std::string due = AddWorkingDays(t, n, c);
      auto day = std::stoi(due.substr(8, 2));
      auto month = static_cast<unsigned>(std::stoi(due.substr(5, 2)));
      int64_t due_ms = Jakarta(std::stoi(due.substr(0, 4)), month, static_cast<unsigned>(day));
      EXPECT_EQ(WorkingDaysBetween(t, due_ms, c), n) << due;
    }
  }
}

TEST(Calendar, UsesTheCharterOffset) {
  Charter utc = Default();
  utc.utc_offset_minutes = 0;
  EXPECT_EQ(LocalDate(Jakarta(2026, 3, 2, 6, 0), utc), "2026-03-01");
  EXPECT_EQ(LocalDate(Jakarta(2026, 3, 2, 6, 0), Default()), "2026-03-02");
}

}  // namespace
}  // namespace pl::testing
