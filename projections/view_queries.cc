#include "projections/view_queries.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "domain/state_codec.h"
#include "projections/audit_projection.h"
#include "projections/rocksdb_key_reader.h"
#include "projections/transparency_projection.h"
#include "projections/view_keys.h"

namespace pl {
namespace {

template <class F>
void Scan(rocksdb::DB* db, const std::string& prefix, F&& f) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
    if (!f(it->key().ToStringView(), it->value().ToStringView())) break;
}

// An event of an audit trail, from its entry in the transparency log's
// index of events; nullopt if the views are damaged there.
std::optional<nlohmann::json> TrailEvent(const KeyReader& reader, std::string_view entry) {
  auto e = TransparencyProjection::ParseEventEntry(entry);
  if (!e) return std::nullopt;
  auto data = TransparencyProjection::LeafData(reader, e->leaf);
  if (!data.ok()) return std::nullopt;
  auto j = AuditProjection::Render(*data, e->partition, e->offset);
  if (!j.ok()) return std::nullopt;
  return std::move(*j);
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

}  // namespace

// The base letters of U+00C0..U+017F (Latin-1 letters and Latin
// Extended-A), lower case, "" for a sign kept as it is (× and ÷).
static const char* LatinBase(char32_t c) {
  struct Run {
    char32_t from, to;
    const char* base;
  };
  static constexpr Run kRuns[] = {
      {0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},   {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},
      {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},    {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},
      {0xD7, 0xD7, ""},    {0xD8, 0xD8, "o"},    {0xD9, 0xDC, "u"},   {0xDD, 0xDD, "y"},
      {0xDE, 0xDE, "th"},  {0xDF, 0xDF, "ss"},   {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
      {0xE7, 0xE7, "c"},   {0xE8, 0xEB, "e"},    {0xEC, 0xEF, "i"},   {0xF0, 0xF0, "d"},
      {0xF1, 0xF1, "n"},   {0xF2, 0xF6, "o"},    {0xF7, 0xF7, ""},    {0xF8, 0xF8, "o"},
      {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},    {0xFE, 0xFE, "th"},  {0xFF, 0xFF, "y"},
      {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
      {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
      {0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
      {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
      {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
      {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}};
  for (const Run& r : kRuns)
    if (c >= r.from && c <= r.to) return r.base;
  return nullptr;
}

std::string SearchFolded(std::string_view s) {
  std::string out;
  auto space = [&] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = s[i];
    const size_t len = b < 0x80         ? 1
                       : (b >> 5) == 6  ? 2
                       : (b >> 4) == 14 ? 3
                       : (b >> 3) == 30 ? 4
                                        : 1;
    if (len == 1 || i + len > s.size()) {  // ASCII (or a stray byte, kept)
      if (std::isspace(b))
        space();
      else
        out.push_back(static_cast<char>(std::tolower(b)));
      ++i;
      continue;
    }
    char32_t c = b & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x3000) {
      space();  // no-break and other wide spaces, as pasted from a page
    } else if (c >= 0x300 && c <= 0x36F) {
      // A combining accent (a name typed decomposed, "C" + U+0327): dropped.
    } else if (const char* base = LatinBase(c); base && *base) {
      out += base;
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

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
      sla[stage] = {{"on_time", ok},
                    {"total", total},
                    {"share", total ? static_cast<double>(ok) / total : 0.0},
                    {"service_days", charter.service_days.count(stage)
                                         ? nlohmann::json(charter.service_days.at(stage))
                                         : nlohmann::json()}};
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
  // The transparency log's index of the stream's events, in order, each
  // read from its leaf: all through one snapshot.
  std::vector<nlohmann::json> out;
  RocksSnapshotReader reader(db_);
  rocksdb::ReadOptions ro;
  ro.snapshot = reader.snapshot();
  const std::string prefix = TransparencyProjection::EventPrefix(StreamId(stream));
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    // Another stream's, whose id goes on past a '/' of this one's.
    if (it->key().size() != prefix.size() + 16) continue;
    if (auto j = TrailEvent(reader, it->value().ToStringView())) out.push_back(std::move(*j));
  }
  return out;
}

ViewQueries::ActorTrailPage ViewQueries::ActorTrail(const std::string& actor,
                                                    const std::string& after, size_t limit) const {
  ActorTrailPage page;
  const std::string prefix = keys::AuditOfficerPrefix(actor);
  RocksSnapshotReader reader(db_);
  rocksdb::ReadOptions ro;
  ro.snapshot = reader.snapshot();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
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
    auto entry = reader.Get(
        TransparencyProjection::EventKey(StreamId(std::string(id.substr(0, slash))), seq));
    auto j = entry ? TrailEvent(reader, *entry) : std::nullopt;
    if (!j) continue;
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

std::vector<std::string> ViewQueries::Listed(const std::string& kel, const std::string& status,
                                             const std::string& after, size_t limit) const {
  const std::string kel_prefix = keys::QueuePrefix(kel);
  const std::string prefix = status.empty() ? kel_prefix : keys::QueuePrefix(kel, status);
  const std::string from = kel_prefix + after;
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  it->Seek(std::max(prefix, from));
  if (it->Valid() && !after.empty() && it->key().ToStringView() == from) it->Next();
  for (; it->Valid() && it->key().starts_with(prefix) && out.size() < limit; it->Next())
    out.emplace_back(it->key().ToStringView().substr(kel_prefix.size()));
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
  const std::string needle = SearchFolded(q);
  const auto c = charter();
  auto consider = [&](const std::string& number) {
    auto v = Get(keys::RegisterEntry(number));
    if (!v) return true;
    auto j = Entry(*v, c.get());
    if (!needle.empty() &&
        SearchFolded(j.value("business_name", "")).find(needle) == std::string::npos &&
        SearchFolded(number).find(needle) == std::string::npos)
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
