// A valid application body (POST /v1/applications) for kelurahan `kel`,
// shared by the tests that drive the API in process and over HTTP.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace pl::test {

inline nlohmann::json Application(const std::string& command_id, const std::string& kel,
                                  const std::string& nik = "3174012345678901") {
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

}  // namespace pl::test
