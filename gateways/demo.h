// The demo: a realistic, seeded history of IUMK applications across the five
// kelurahan of Kecamatan Pesanggrahan, with fictional people and businesses,
// covering every path (incomplete documents, non-compliant zoning,
// withdrawals, rejections, revocations, overdue stages).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gateways/ledger.h"

namespace pl {

struct DemoOptions {
  int permits = 250;
  uint32_t seed = 20261127;
  int days_back = 180;  // the history starts this many days before now
};

// When a demo ledger adopts its charter: before the history RunDemo
// generates (officers are enrolled two days before its first application).
int64_t DemoCharterTime(int64_t now_ms, const DemoOptions& options);

struct DemoResult {
  std::map<std::string, std::string> officer_tokens;          // officer id -> token
  std::vector<std::pair<std::string, std::string>> tracking;  // permit id, tracking code
  int commands = 0;
  int refused = 0;
};

// Writes the history through the command processor (every command decided
// by the domain like any other) and waits until the views include it.
Result<DemoResult> RunDemo(Ledger& ledger, const DemoOptions& options);

}  // namespace pl
