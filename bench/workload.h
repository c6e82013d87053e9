// The workload the benchmarks drive through a Ledger (embedded or Kafka):
// the officers of every kelurahan, and permits along the happy path (an
// application and the five actions to issuance, six commands a permit).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "domain/decider.h"
#include "gateways/ledger.h"

namespace pl::bench {

// A distinct NIK for each i (up to about 3 * 10^10) of the shape the
// submission checks: Jakarta Selatan's province and city, a kecamatan, a
// date of birth, a serial.
inline std::string BenchNik(int64_t i) {
  const int64_t serial = i % 9999 + 1;
  i /= 9999;
  const int64_t day = i % 28 + 1;
  i /= 28;
  const int64_t month = i % 12 + 1;
  i /= 12;
  const int64_t year = i % 100, kecamatan = i / 100 % 100;
  char nik[32];
  std::snprintf(nik, sizeof nik, "3174%02lld%02lld%02lld%02lld%04lld",
                static_cast<long long>(kecamatan), static_cast<long long>(day),
                static_cast<long long>(month), static_cast<long long>(year),
                static_cast<long long>(serial));
  return nik;
}

// The commands of permit `prefix` + i along the happy path, by the officers
// of kelurahan i mod 5 (EnrolOfficers).
inline std::vector<Command> HappyPath(int i, const Charter& c, const std::string& prefix = "PB") {
  const Kelurahan& k = c.kelurahan[i % c.kelurahan.size()];
  const std::string id = prefix + std::to_string(i);
  const std::string code = k.code;
  std::vector<Command> out;
  auto add = [&](const std::string& actor, const std::string& role, Action a) {
    Command cmd;
    cmd.id = CommandId(id + "-" + std::to_string(out.size()));
    cmd.stream = StreamId(id);
    cmd.actor = {actor, role, role == "applicant" ? id : code};
    cmd.action = std::move(a);
    out.push_back(std::move(cmd));
  };
  SubmitApplication s;
  s.kelurahan = code;
  s.personal = {BenchNik(i),
                "Pemohon " + std::to_string(i),
                "Jl. Bench " + std::to_string(i),
                "081200000000",
                "",
                ""};
  s.business = {
      "Usaha " + std::to_string(i), "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  s.documents = c.required_documents;
  s.tracking_hash = HashToken(id);
  add("applicant", "applicant", s);
  add("ptsp-" + code, "ptsp_officer", VerifyDocuments{});
  // A working day a week ahead: the ledger decides on its own clock.
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  add("ptsp-" + code, "ptsp_officer",
      ScheduleSurvey{AddWorkingDays(now.count(), 5, c), {"ekbang-" + code}});
  add("ekbang-" + code, "kelurahan_economy", RecordSurvey{true, "sesuai"});
  add("lurah-" + code, "lurah", Recommend{"REK/" + std::to_string(i)});
  add("head-" + code, "ptsp_head", IssuePermit{});
  return out;
}

// Enrols the four officers HappyPath needs in every kelurahan of the charter.
inline void EnrolOfficers(Ledger& l) {
  const Charter& c = *l.governance()->charter;
  for (const auto& k : c.kelurahan) {
    for (auto [prefix, role] : {std::pair{"ptsp-", "ptsp_officer"},
                                {"ekbang-", "kelurahan_economy"},
                                {"lurah-", "lurah"},
                                {"head-", "ptsp_head"}}) {
      Command cmd;
      cmd.id = CommandId(std::string("enrol-") + prefix + k.code);
      cmd.stream = kGovernanceStream;
      cmd.actor = {"admin", "admin", ""};
      cmd.action = EnrollOfficer{prefix + k.code, role, role, k.code, HashToken(prefix + k.code)};
      l.ExecuteSync(cmd);
    }
  }
}

struct Drive {
  uint64_t commands = 0, refused = 0, errors = 0;
  double seconds = 0;
};

// Submits the happy paths of permits [first, first+n) keeping at most
// `window` commands in flight, and waits for all of them.
inline Drive DriveCommands(Ledger& l, int first, int n, int window,
                           const std::string& prefix = "PB") {
  using Clock = std::chrono::steady_clock;
  const Charter& c = *l.governance()->charter;
  std::counting_semaphore<> window_slots(window);
  std::atomic<uint64_t> refused{0}, errors{0}, done{0};
  uint64_t sent = 0;
  auto start = Clock::now();
  for (int i = first; i < first + n; ++i) {
    for (auto& cmd : HappyPath(i, c, prefix)) {
      window_slots.acquire();  // at most `window` commands in flight
      ++sent;
      l.Submit(std::move(cmd), [&](Outcome o) {
        if (!o.error.ok())
          ++errors;
        else if (o.refusal)
          ++refused;
        ++done;
        window_slots.release();
      });
    }
  }
  while (done.load() < sent) std::this_thread::sleep_for(std::chrono::microseconds(200));
  return {sent, refused, errors, std::chrono::duration<double>(Clock::now() - start).count()};
}

}  // namespace pl::bench
