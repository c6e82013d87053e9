// A valid application body (POST /v1/applications) for kelurahan `kel`,
// and a date a survey may be scheduled on, shared by the tests that drive
// the API in process, over HTTP and on Kafka.
#pragma once

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "domain/charter.h"
#include "domain/decider.h"

namespace pl::test {

inline nlohmann::json Application(const std::string& command_id, const std::string& kel,
                                  const std::string& nik = "3174016512900001") {
  return {{"command_id", command_id},
          {"kelurahan", kel},
          {"applicant",
           {{"nik", nik},
            {"name", "Sari Rahayu"},
            {"address", "Jl. Mawar 1, Ulujami"},
            {"phone", "081234567890"},
            {"kk_number", "3174010101010001"}}},
          {"business",
           {{"name", "Warung Bu Sari"},
            {"kbli", "56103"},
            {"description", "warung makan"},
            {"capital", 25000000},
            {"turnover", 180000000},
            {"workers", 2},
            {"premises", "owned"}}},
          {"documents", {"form", "undertaking", "ktp", "kk", "premises_photo", "premises_proof"}}};
}

// A working day a week from now in Jakarta under the shipped charter: a
// survey date schedule_survey accepts today (not past, not a weekend or
// holiday, within the year ahead it allows).
inline std::string SurveyDate() {
  std::ifstream in(std::string(PL_SOURCE_DIR) + "/charters/pesanggrahan.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto charter = Charter::FromJson(text.str());
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return AddWorkingDays(now.count(), 5, *charter);
}

}  // namespace pl::test
