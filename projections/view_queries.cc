#include "projections/view_queries.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "domain/state_codec.h"
#include "projections/audit_projection.h"
#include "projections/view_keys.h"

namespace pl {
namespace {

template <class F>
void Scan(rocksdb::DB* db, const std::string& prefix, F&& f) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
    if (!f(it->key().ToStringView(), it->value().ToStringView())) break;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// `s` as a search compares it: ASCII letters in lower case, each run of
// white space one space, none at the ends ("KEDAI  kopi " is "kedai kopi").
std::string Folded(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Median of a histogram of whole working days.
double Median(const std::map<int, int64_t>& hist) {
  int64_t n = 0;
  for (auto& [d, c] : hist) n += c;
  if (n == 0) return 0;
  auto nth = [&](int64_t k) {  // k-th smallest, 0-based
    for (auto& [d, c] : hist) {
      if (k < c) return d;
      k -= c;
    }
    return hist.rbegin()->first;
  };
  if (n % 2) return nth(n / 2);
  return (nth(n / 2 - 1) + nth(n / 2)) / 2.0;
}

struct MonthStats {
  std::map<std::string, int64_t> entered, outcomes, reasons, sla_ok, sla_all;
  std::map<std::string, std::map<int, int64_t>> days;
  int64_t applications = 0;
};
struct AreaStats {
  std::map<std::string, int64_t> current;
  std::map<std::string, MonthStats> months;
};

nlohmann::json Render(const AreaStats& a, const Charter& charter) {
  nlohmann::json months = nlohmann::json::array();
  for (const auto& [month, m] : a.months) {
    nlohmann::json median = nlohmann::json::object(), sla = nlohmann::json::object();
    for (const auto& [stage, hist] : m.days) median[stage] = Median(hist);
    for (const auto& [stage, total] : m.sla_all) {
      int64_t ok = m.sla_ok.count(stage) ? m.sla_ok.at(stage) : 0;
      sla[stage] = {
          {"on_time", ok},
          {"total", total},
          {"share", total ? static_cast<double>(ok) / total : 0.0},
          {"service_days", charter.service_days.count(stage) ? charter.service_days.at(stage) : 0}};
    }
    months.push_back({{"month", month},
                      {"applications", m.applications},
                      {"entered", m.entered},
                      {"median_days", median},
                      {"service_level", sla},
                      {"outcomes", m.outcomes},
                      {"rejection_reasons", m.reasons}});
  }
  return {{"by_stage", a.current}, {"months", months}};
}

}  // namespace

std::optional<std::string> ViewQueries::Get(const std::string& key) const {
  std::string v;
  if (db_->Get(rocksdb::ReadOptions(), key, &v).ok()) return v;
  return std::nullopt;
}

std::shared_ptr<const Charter> ViewQueries::charter() const {
  auto text = Get(keys::Charter());
  if (!text) return nullptr;
  std::lock_guard lock(mu_);
  if (!charter_ || *text != charter_text_) {
    auto c = Charter::FromJson(*text);
    if (!c.ok()) return nullptr;
    charter_ = std::make_shared<Charter>(std::move(*c));
    charter_text_ = std::move(*text);
  }
  return charter_;
}

std::optional<PermitState> ViewQueries::Permit(const std::string& permit_id) const {
  auto v = Get(keys::Permit(permit_id));
  if (!v) return std::nullopt;
  auto s = DecodePermitState(*v);
  if (!s.ok()) return std::nullopt;
  return std::move(*s);
}

std::optional<std::string> ViewQueries::PermitByTracking(const std::string& hash) const {
  return Get(keys::Track(hash));
}

std::vector<nlohmann::json> ViewQueries::History(const std::string& stream) const {
  std::vector<nlohmann::json> out;
  Scan(db_, keys::AuditPermitPrefix(stream), [&](auto, std::string_view v) {
    if (auto j = AuditProjection::Render(v); j.ok()) out.push_back(std::move(*j));
    return true;
  });
  return out;
}

ViewQueries::ActorTrailPage ViewQueries::ActorTrail(const std::string& actor,
                                                    const std::string& after, size_t limit) const {
  ActorTrailPage page;
  const std::string prefix = keys::AuditOfficerPrefix(actor);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  it->Seek(prefix + after);
  if (!after.empty()) {
    // A cursor names the last event of a page; anything else would read
    // as the end of the trail.
    if (!it->Valid() || it->key().ToStringView() != prefix + after) {
      page.unknown_cursor = true;
      return page;
    }
    it->Next();
  }
  for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (page.events.size() == limit) return page;  // more to come: `next` is set
    // The value is the event id "<stream>/<seq>"; the event is in the
    // permit's trail.
    std::string_view id = it->value().ToStringView();
    size_t slash = id.rfind('/');
    if (slash == std::string_view::npos) continue;
    auto seq = std::strtoull(std::string(id.substr(slash + 1)).c_str(), nullptr, 10);
    auto event = Get(keys::AuditPermit(id.substr(0, slash), seq));
    if (!event) continue;
    auto j = AuditProjection::Render(*event);
    if (!j.ok()) continue;
    page.events.push_back(std::move(*j));
    page.next = std::string(it->key().ToStringView().substr(prefix.size()));
  }
  page.next.clear();  // the end
  return page;
}

std::vector<std::string> ViewQueries::Queue(const std::string& kel,
                                            const std::string& status) const {
  std::vector<std::string> out;
  const std::string prefix = keys::QueuePrefix(kel, status);
  Scan(db_, prefix, [&](std::string_view k, auto) {
    out.emplace_back(k.substr(prefix.size()));
    return true;
  });
  return out;
}

nlohmann::json ViewQueries::Stats() const {
  auto c = charter();
  if (!c) return {{"kelurahan", nlohmann::json::array()}};
  std::map<std::string, AreaStats> areas;  // kelurahan code -> stats; "" = kecamatan
  auto add = [&](const std::string& kel, auto&& fn) {
    fn(areas[kel]);
    fn(areas[""]);
  };
  Scan(db_, "stats/", [&](std::string_view key, std::string_view value) {
    auto p = Split(key, '/');
    int64_t n = std::stoll(std::string(value));
    if (p.size() == 4 && p[1] == "current") {
      add(std::string(p[2]), [&](AreaStats& a) { a.current[std::string(p[3])] += n; });
      return true;
    }
    if (p.size() < 5) return true;
    const std::string what(p[1]), kel(p[2]), month(p[3]), detail(p[4]);
    add(kel, [&](AreaStats& a) {
      MonthStats& m = a.months[month];
      if (what == "entered")
        m.entered[detail] += n;
      else if (what == "applied")
        m.applications += n;
      else if (what == "outcome")
        m.outcomes[detail] += n;
      else if (what == "reason")
        m.reasons[detail] += n;
      else if (what == "sla_ok")
        m.sla_ok[detail] += n;
      else if (what == "sla_all")
        m.sla_all[detail] += n;
      else if (what == "days" && p.size() == 6)
        if (int days = 0; std::from_chars(p[5].data(), p[5].data() + p[5].size(), days).ptr ==
                          p[5].data() + p[5].size())  // a key no version writes is not counted
          m.days[detail][days] += n;
    });
    return true;
  });
  nlohmann::json kelurahan = nlohmann::json::array();
  for (const auto& k : c->kelurahan) {
    nlohmann::json j = Render(areas[k.code], *c);
    j["code"] = k.code;
    j["name"] = k.name;
    kelurahan.push_back(std::move(j));
  }
  nlohmann::json total = Render(areas[""], *c);
  total["code"] = c->kecamatan_code;
  total["name"] = c->kecamatan_name;
  return {{"kecamatan", total},
          {"kelurahan", kelurahan},
          {"service_days", c->service_days},
          {"charter_version", c->version}};
}

namespace {

// A register entry names its kelurahan as the charter did at issuance; it
// is shown under the name of the charter in force, as the other views are.
nlohmann::json Entry(const std::string& stored, const Charter* charter) {
  auto j = nlohmann::json::parse(stored);
  if (const Kelurahan* k = charter ? charter->FindKelurahan(j.value("kelurahan", "")) : nullptr)
    j["kelurahan_name"] = k->name;
  return j;
}

}  // namespace

std::vector<nlohmann::json> ViewQueries::Register(const std::string& kel, const std::string& q,
                                                  size_t limit, const std::string& after) const {
  std::vector<nlohmann::json> out;
  const std::string needle = Folded(q);
  const auto c = charter();
  auto consider = [&](const std::string& number) {
    auto v = Get(keys::RegisterEntry(number));
    if (!v) return true;
    auto j = Entry(*v, c.get());
    if (!needle.empty() && Folded(j.value("business_name", "")).find(needle) == std::string::npos &&
        Folded(number).find(needle) == std::string::npos)
      return true;
    out.push_back(std::move(j));
    return out.size() < limit;
  };
  // Both indexes are in permit number order.
  const std::string prefix = kel.empty() ? "register/permit/" : "register/kel/" + kel + "/";
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix + after); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string number(it->key().ToStringView().substr(prefix.size()));
    if (number == after) continue;
    if (!consider(number)) break;
  }
  return out;
}

std::optional<nlohmann::json> ViewQueries::RegisterEntry(const std::string& number) const {
  auto v = Get(keys::RegisterEntry(number));
  if (!v) return std::nullopt;
  return Entry(*v, charter().get());
}

}  // namespace pl
