#include "gateways/demo.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <random>

#include "domain/calendar.h"
#include "domain/decider.h"

namespace pl {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;

const char* kFirst[] = {"Sari",    "Budi",   "Dewi", "Agus", "Rina", "Joko",    "Wati",  "Eko",
                        "Lestari", "Hendra", "Yuni", "Rudi", "Ani",  "Bambang", "Fitri", "Dedi"};
const char* kLast[] = {"Rahayu",  "Santoso", "Wijaya",  "Pratama", "Kusuma",  "Hidayat",
                       "Saputra", "Lestari", "Nugroho", "Permata", "Siregar", "Harahap"};
struct Trade {
  const char* kbli;
  const char* kind;
  const char* name;
};
const Trade kTrades[] = {
    {"56103", "warung makan", "Warung"},
    {"47111", "toko kelontong", "Toko"},
    {"96011", "laundry kiloan", "Laundry"},
    {"10792", "kue basah", "Dapur Kue"},
    {"14111", "konveksi rumahan", "Konveksi"},
    {"95230", "servis sepatu", "Servis"},
    {"47721", "toko jamu", "Jamu"},
    {"56301", "kedai kopi", "Kedai Kopi"},
};
const char* kStreets[] = {"Jl. Bintaro Permai", "Jl. Ciledug Raya", "Jl. Swadarma Raya",
                          "Jl. Haji Saaba",     "Jl. Menjangan",    "Jl. Pesanggrahan Raya"};

struct Step {
  int64_t time;
  Command cmd;
};

class Generator {
 public:
  Generator(const Charter& charter, const DemoOptions& o, int64_t now)
      : c_(charter), rng_(o.seed), now_(now), start_(now - o.days_back * kDay) {}

  std::vector<Step> steps;
  DemoResult result;

  void EnrolOfficers() {
    int64_t t = start_ - 2 * kDay;
    auto enrol = [&](const std::string& id, const std::string& name, const std::string& role,
                     const std::string& juris) {
      std::string token = RandomToken(24);
      result.officer_tokens[id] = token;
      Command cmd;
      cmd.id = CommandId("demo-enrol-" + id);
      cmd.stream = kGovernanceStream;
      cmd.actor = {"admin", "admin", ""};
      cmd.time_ms = t;
      cmd.action = EnrollOfficer{id, name, role, juris, HashToken(token)};
      steps.push_back({t, std::move(cmd)});
    };
    int n = 0;
    for (const auto& k : c_.kelurahan) {
      std::string slug = Slug(k.name);
      enrol("ptsp-" + slug, "Petugas PTSP " + k.name, "ptsp_officer", k.code);
      enrol("kepala-ptsp-" + slug, "Kepala UP PTSP " + k.name, "ptsp_head", k.code);
      enrol("ekbang-" + slug, "Seksi Ekbang " + k.name, "kelurahan_economy", k.code);
      enrol("lurah-" + slug, "Lurah " + k.name, "lurah", k.code);
      ++n;
    }
    enrol("umkm-kecamatan", "Satpel UMKM Kecamatan", "kecamatan_umkm", c_.kecamatan_code);
    enrol("monitor-kecamatan", "UP PTSP Kecamatan", "kecamatan_monitor", c_.kecamatan_code);
    enrol("auditor-inspektorat", "Inspektorat", "auditor", "*");
  }

  void Application(int i) {
    const Kelurahan& k = c_.kelurahan[Pick(c_.kelurahan.size())];
    const std::string slug = Slug(k.name);
    const Trade& trade = kTrades[Pick(std::size(kTrades))];
    std::string person =
        std::string(kFirst[Pick(std::size(kFirst))]) + " " + kLast[Pick(std::size(kLast))];
    std::string permit_id = "PDEMO" + std::to_string(100000 + i);
    const std::string code = tracking_code_(permit_id);
    result.tracking.emplace_back(permit_id, code);

    // Applications arrive spread over the period; the later ones are still open.
    int64_t t = start_ + static_cast<int64_t>(Uniform() * (now_ - start_ - 2 * kDay)) +
                (9 + Pick(7)) * 3600 * 1000LL - 7 * 3600 * 1000LL;
    auto cmd = [&](const std::string& actor, const std::string& role, Action a) {
      Command c;
      c.id = CommandId("demo-" + permit_id + "-" + std::to_string(seq_++));
      c.stream = StreamId(permit_id);
      c.actor = {actor, role, role == "applicant" ? permit_id : k.code};
      if (role == "kecamatan_umkm") c.actor.jurisdiction = c_.kecamatan_code;
      c.time_ms = t;
      c.action = std::move(a);
      steps.push_back({t, std::move(c)});
    };
    // An officer's next step: in office hours, and before now (false: the
    // application waits for it now).
    auto office = [&] {
      t = OfficeHours(t);
      return t < now_ - 3600 * 1000LL;
    };
    // Waits within (or, now and then, beyond) the service level of a stage.
    auto wait = [&](const std::string& stage) {
      int sl = c_.service_days.count(stage) ? c_.service_days.at(stage) : 2;
      int days = Uniform() < 0.8 ? Pick(sl + 1) : sl + 1 + Pick(6);
      t += (days + days / 5 * 2) * kDay + Pick(5) * 3600 * 1000LL;
      return office();
    };

    SubmitApplication s;
    s.kelurahan = k.code;
    s.personal.nik = Nik();
    s.personal.name = person;
    s.personal.address = std::string(kStreets[Pick(std::size(kStreets))]) + " No. " +
                         std::to_string(1 + Pick(120)) + ", " + k.name;
    s.personal.phone = "08" + Digits(10);
    s.personal.kk_number = "3174" + Digits(12);
    s.business.name = std::string(trade.name) + " " + kFirst[Pick(std::size(kFirst))];
    s.business.kbli = trade.kbli;
    s.business.description = trade.kind;
    s.business.capital = (5 + Pick(200)) * 1000000LL;
    s.business.turnover = (20 + Pick(900)) * 1000000LL;
    s.business.workers = 1 + Pick(8);
    s.business.premises = Uniform() < 0.6 ? "owned" : "leased";
    s.documents = c_.required_documents;
    const bool incomplete = Uniform() < 0.2;
    if (incomplete) s.documents.pop_back();
    s.tracking_hash = HashToken(code);
    // At the counter in office hours; online at any time.
    const bool counter = Uniform() < 0.5;
    const int64_t opens = counter ? OfficeHours(t) : t;  // draws a time: once
    const bool at_counter = counter && opens < now_ - 3600 * 1000LL;
    if (at_counter) t = opens;
    cmd(at_counter ? "ptsp-" + slug : "applicant", at_counter ? "ptsp_officer" : "applicant", s);

    const double fate = Uniform();
    if (!wait("submitted")) return;
    if (incomplete) {
      cmd("ptsp-" + slug, "ptsp_officer", RequestCompletion{{c_.required_documents.back()}});
      if (!wait("incomplete")) return;
      if (fate < 0.05) return cmd("applicant", "applicant", Withdraw{"tidak jadi membuka usaha"});
      cmd("applicant", "applicant", CompleteDocuments{{c_.required_documents.back()}});
      if (!wait("submitted")) return;
    }
    if (fate < 0.08) {
      return cmd("kepala-ptsp-" + slug, "ptsp_head",
                 Reject{"duplicate_application", "usaha ini sudah memiliki IUMK"});
    }
    cmd("ptsp-" + slug, "ptsp_officer", VerifyDocuments{});
    if (!wait("documents_verified")) return;
    if (fate < 0.14) return cmd("applicant", "applicant", Withdraw{"pindah lokasi usaha"});
    const std::string survey_date = AddWorkingDays(t, 2, c_);
    cmd("ptsp-" + slug, "ptsp_officer",
        ScheduleSurvey{survey_date, {"ptsp-" + slug, "ekbang-" + slug, "umkm-kecamatan"}});
    if (!wait("survey_scheduled")) return;
    // The team surveys on the day it was scheduled for, or later.
    t = std::max<int64_t>(t, ParseDate(survey_date)->time_since_epoch().count() * kDay -
                                 c_.utc_offset_minutes * 60000LL + (9 + Pick(5)) * 3600 * 1000LL);
    if (!office()) return;
    const bool compliant = fate >= 0.24;
    cmd("ekbang-" + slug, "kelurahan_economy",
        RecordSurvey{compliant, compliant ? "lokasi sesuai zonasi" : "lokasi di zona hijau"});
    if (!wait("surveyed")) return;
    if (!compliant) {
      return cmd("lurah-" + slug, "lurah",
                 DeclineRecommendation{"lokasi tidak sesuai peruntukan zonasi (RDTR)"});
    }
    cmd("lurah-" + slug, "lurah",
        Recommend{"503/" + std::to_string(100 + i) + "/REK/" + LocalDate(t, c_).substr(0, 4)});
    if (!wait("recommended")) return;
    cmd("kepala-ptsp-" + slug, "ptsp_head", IssuePermit{});
    // Half the owners let the bank see their permit (a loan); a few change
    // their minds later.
    if (c_.FindSubscriber("bank-dki") && fate > 0.5) {
      t += Pick(3) * kDay + 3600 * 1000LL;
      if (t < now_) cmd("applicant", "applicant", GrantConsent{"bank-dki"});
      t += (5 + Pick(20)) * kDay;
      if (fate > 0.9 && t < now_) cmd("applicant", "applicant", WithdrawConsent{"bank-dki"});
    }
    if (fate > 0.95) {
      t += (20 + Pick(30)) * kDay;
      t = OfficeHours(t);
      const char* grounds[] = {"usaha tidak lagi beroperasi di lokasi",
                               "lokasi usaha pindah tanpa pemberitahuan",
                               "izin dipakai untuk usaha lain"};
      if (t < now_) cmd("kepala-ptsp-" + slug, "ptsp_head", Revoke{grounds[Pick(3)]});
    }
  }

  std::function<std::string(const std::string&)> tracking_code_;

 private:
  static std::string Slug(std::string s) {
    for (auto& ch : s) ch = ch == ' ' ? '-' : static_cast<char>(std::tolower(ch));
    return s;
  }
  // `t`, or the next moment in office hours (08:00 to 16:00 in the
  // charter's time zone, on a working day of its calendar): when officers
  // act.
  int64_t OfficeHours(int64_t t) {
    const int64_t off = c_.utc_offset_minutes * 60000LL, hour = 3600 * 1000LL;
    for (;;) {
      const int64_t local = t + off, midnight = local - local % kDay;
      const bool working =
          IsWorkingDay(std::chrono::sys_days(std::chrono::days(midnight / kDay)), c_);
      if (working && local - midnight >= 8 * hour && local - midnight < 16 * hour) return t;
      const int64_t next = working && local - midnight < 8 * hour ? midnight : midnight + kDay;
      t = next + 8 * hour + Pick(120) * 60000LL - off;
    }
  }
  int Pick(size_t n) {
    return static_cast<int>(std::uniform_int_distribution<size_t>(0, n - 1)(rng_));
  }
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + Pick(10)));
    return s;
  }
  // A NIK as the submission checks it: Jakarta Selatan's province and city,
  // a kecamatan, a date of birth (the day plus 40 for a woman), a serial.
  std::string Nik() {
    char nik[20];
    std::snprintf(nik, sizeof nik, "3174%02d%02d%02d%02d%04d", 1 + Pick(10),
                  1 + Pick(28) + (Pick(2) ? 40 : 0), 1 + Pick(12), (60 + Pick(46)) % 100,
                  1 + Pick(999));
    return nik;
  }

  const Charter& c_;
  std::mt19937 rng_;
  int64_t now_, start_;
  int seq_ = 0;
};

}  // namespace

int64_t DemoCharterTime(int64_t now_ms, const DemoOptions& options) {
  return now_ms - (options.days_back + 3) * kDay;
}

Result<DemoResult> RunDemo(Ledger& ledger, const DemoOptions& options) {
  auto gov = ledger.governance();
  if (!gov->charter) return Status("no_charter", "the ledger has no charter");
  Generator g(*gov->charter, options, ledger.now());
  g.tracking_code_ = [&](const std::string& id) { return ledger.TrackingCode(id, "demo"); };
  g.EnrolOfficers();
  for (int i = 0; i < options.permits; ++i) g.Application(i);
  std::stable_sort(g.steps.begin(), g.steps.end(),
                   [](const Step& a, const Step& b) { return a.time < b.time; });

  std::mutex m;
  std::condition_variable cv;
  size_t pending = g.steps.size();
  std::atomic<int> refused{0};
  std::map<int32_t, uint64_t> last;  // partition -> last offset written
  Status error;
  for (auto& step : g.steps) {
    ledger.Submit(std::move(step.cmd), [&](Outcome o) {
      std::lock_guard lock(m);
      if (!o.error.ok()) error = o.error;
      if (o.refusal) ++refused;
      if (o.last) {
        uint64_t& l = last[o.last->partition.value];
        l = std::max(l, o.last->offset.value);
      }
      if (--pending == 0) cv.notify_one();
    });
  }
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return pending == 0; });
  }
  if (!error.ok()) return error;
  for (auto [partition, offset] : last) {
    std::promise<void> applied;
    ledger.engine().WhenApplied({PartitionId{partition}, Offset{offset}},
                                [&] { applied.set_value(); });
    applied.get_future().wait();
  }
  g.result.commands = static_cast<int>(g.steps.size());
  g.result.refused = refused;
  return g.result;
}

}  // namespace pl
