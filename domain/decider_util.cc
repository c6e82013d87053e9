#include "domain/decider_util.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <vector>

namespace pl {

Decision Refuse(std::string code, std::string message) {
  Decision d;
  d.refusal = Refusal{std::move(code), std::move(message)};
  return d;
}

Decision Missing(const std::string& field, const std::string& why) {
  return Refuse("missing_field", field + " is empty: " + why);
}

namespace {

// Calls `f` with each code point of `s` (well-formed UTF-8), in order.
template <typename F>
void ForEachCodePoint(std::string_view s, F&& f) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      f(static_cast<uint32_t>(c));
      ++i;
      continue;
    }
    const size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    f(cp);
    i += len;
  }
}

// The code points of `s` (well-formed UTF-8).
std::vector<uint32_t> CodePoints(std::string_view s) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  ForEachCodePoint(s, [&](uint32_t cp) { out.push_back(cp); });
  return out;
}

// Characters that show nothing on their own: white space (ASCII and
// Unicode), the default-ignorable code points (zero-width and joining
// marks, directional marks, variation selectors, the byte order mark, tag
// characters, the soft hyphen, Hangul fillers), the blank Braille
// pattern, and combining marks (with nothing to combine with).
bool Invisible(uint32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;  // most text: ASCII
  static constexpr std::pair<uint32_t, uint32_t> kRanges[] = {
      {0x0009, 0x000D}, {0x0020, 0x0020},   {0x0085, 0x0085},   {0x00A0, 0x00A0},
      {0x00AD, 0x00AD}, {0x0300, 0x036F},   {0x061C, 0x061C},   {0x115F, 0x1160},
      {0x1680, 0x1680}, {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x1AB0, 0x1AFF},
      {0x1DC0, 0x1DFF}, {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x206F},
      {0x20D0, 0x20FF}, {0x2800, 0x2800},   {0x3000, 0x3000},   {0x3164, 0x3164},
      {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},   {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},
      {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
  };
  for (const auto& [lo, hi] : kRanges)
    if (cp >= lo && cp <= hi) return true;
  return false;
}

// White space, of any width (Unicode's White_Space property).
bool WhiteSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

// A mark that shows on the character before it: combining marks,
// variation selectors, the joiners that shape some scripts and emoji.
bool Attaching(uint32_t cp) {
  if (cp < 0x0300) return false;
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200C ||
         cp == 0x200D || (cp >= 0x180B && cp <= 0x180D);
}

// Shows as a blank though not white space: the Hangul fillers, the blank
// Braille pattern.
bool Filler(uint32_t cp) {
  return cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800;
}

// Shows nothing, takes no room and attaches to nothing: a zero-width space,
// a directional or tag character, the soft hyphen.
bool Unseen(uint32_t cp) {
  if (cp < 0x80) return false;  // ASCII's invisible characters are white space
  return Invisible(cp) && !WhiteSpace(cp) && !Filler(cp) && !Attaching(cp);
}

void AppendCodePoint(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string TidyText(std::string_view s, bool collapse) {
  const std::vector<uint32_t> cps = CodePoints(s);
  size_t begin = 0, end = cps.size();
  // The ends lose what shows nothing, and a mark with nothing before it.
  while (begin < end && Invisible(cps[begin])) ++begin;
  while (end > begin && (WhiteSpace(cps[end - 1]) || Filler(cps[end - 1]) || Unseen(cps[end - 1])))
    --end;
  std::string out;
  if (!collapse) {
    for (size_t i = begin; i < end; ++i) AppendCodePoint(out, cps[i]);
    return out;
  }
  bool space = false;    // white space since the last character kept
  bool visible = false;  // the last character kept shows, or is a mark on one
  for (size_t i = begin; i < end; ++i) {
    const uint32_t cp = cps[i];
    const bool joiner = cp == 0x200C || cp == 0x200D;
    if (WhiteSpace(cp) || Filler(cp)) {
      space = true;
      visible = false;
    } else if (Unseen(cp) || (Attaching(cp) && !visible) ||
               (joiner && (i + 1 == end || Invisible(cps[i + 1])))) {
      continue;  // a joiner joins two characters that show
    } else {
      if (space) out += ' ';
      space = false;
      AppendCodePoint(out, cp);
      visible = !joiner;
    }
  }
  return out;
}

bool Blank(std::string_view s) {
  // `s` is well-formed UTF-8 (the JSON parser's, or the log's).
  const std::vector<uint32_t> cps = CodePoints(s);
  return std::all_of(cps.begin(), cps.end(), Invisible);
}

std::string Echo(std::string_view typed) {
  const bool code_shaped =
      !typed.empty() && typed.size() <= 40 && std::all_of(typed.begin(), typed.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' ||
               ch == '-' || ch == '@' || ch == '/';
      });
  if (!code_shaped || HoldsIdentityNumber(typed) || HoldsEmailAddress(typed))
    return "(the value sent, not repeated here: it may hold personal data)";
  return "\"" + std::string(typed) + "\"";
}

std::string StaleVersionAdvice(uint64_t version, uint64_t expected) {
  if (expected > version) return ": it has not reached that version; check the number sent";
  return "; someone acted on it meanwhile: reload it, and send the action again with a new "
         "command_id";
}

namespace {

// The value of a decimal digit of any script (ASCII, fullwidth, Arabic,
// Devanagari, ..., the mathematical ones, super- and subscripts), or -1.
int DigitValue(uint32_t cp) {
  if (cp < 0xB2) return cp >= '0' && cp <= '9' ? static_cast<int>(cp - '0') : -1;
  static constexpr uint32_t kZeros[] = {
      0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6,  0x0A66,  0x0AE6,  0x0B66,  0x0BE6, 0x0C66,
      0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20,  0x1040,  0x1090,  0x17E0,  0x1810, 0x1946,
      0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,  0x1C50,  0x2080,  0xA620,  0xA8D0, 0xA900,
      0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6};
  for (uint32_t zero : kZeros)
    if (cp >= zero && cp < zero + 10) return static_cast<int>(cp - zero);
  // Circled, parenthesized and dotted digits: one to nine, then zero.
  static constexpr uint32_t kOnes[] = {0x2460, 0x2474, 0x2488, 0x24F5, 0x2776, 0x2780, 0x278A};
  for (uint32_t one : kOnes)
    if (cp >= one && cp < one + 9) return static_cast<int>(cp - one + 1);
  if (cp >= 0x1F101 && cp <= 0x1F10A) return static_cast<int>(cp - 0x1F101);  // "0," to "9,"
  if (cp == 0x24EA || cp == 0x24FF || cp == 0x1F100 || cp == 0x1F10B || cp == 0x1F10C) return 0;
  if (cp == 0x2070) return 0;
  if (cp == 0x00B9) return 1;
  if (cp == 0x00B2 || cp == 0x00B3) return static_cast<int>(cp - 0x00B0);
  if (cp >= 0x2074 && cp <= 0x2079) return static_cast<int>(cp - 0x2070);
  return -1;
}

// Characters that hide nothing inside a word or number ("Bu\u200Bdi",
// "0812\u061C3456"): the unseen ones and the marks that attach.
bool Skipped(uint32_t cp) { return Unseen(cp) || Attaching(cp); }

// The ASCII character a fullwidth form stands for ("\uFF21" is "A", "\uFF20"
// is "@", the ideographic space a space); any other code point as it is.
uint32_t FoldWidth(uint32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
  return cp == 0x3000 ? ' ' : cp;
}

// The other dashes, minus signs and dots of Unicode (a PDF's minus sign, a
// small hyphen, a one-dot leader, a katakana middle dot or long mark): as
// good as '-' or '.' between the groups of a number. (Tildes are not: "Rp
// 2.000.000 ~ 3.000.000" is a range of amounts.)
bool LooksLikeDashOrDot(uint32_t cp) {
  static constexpr uint32_t kLike[] = {0x02CD, 0x02D7, 0x058A, 0x0F0B, 0x1400, 0x1806, 0x2024,
                                       0x2027, 0x2043, 0x2212, 0x2219, 0x22C5, 0x2E17, 0x2E1A,
                                       0x2E31, 0x2E3A, 0x2E3B, 0x2E40, 0x30A0, 0x30FC, 0xFE31,
                                       0xFE32, 0xFE52, 0xFE58, 0xFE63, 0xFF65};
  return std::find(std::begin(kLike), std::end(kLike), cp) != std::end(kLike);
}

// What may stand between the digits of one number as people write them:
// spaces (of any width), dots, middle dots, commas, colons, semicolons,
// slashes, backslashes, bars, stars, hashes, equals and ampersands,
// apostrophes, tildes, underscores, dashes, brackets and the plus of a
// country code (fullwidth forms folded first).
bool NumberSeparator(uint32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '-':
    case '.':
    case '(':
    case ')':
    case '+':
    case '/':
    case '_':
    case ',':
    case ':':
    case '|':
    case '*':
    case '\\':
    case ';':
    case '#':
    case '=':
    case '&':
    case '\'':
    case '~':
    case 0x00A0:
    case 0x00B7:  // middle dot
    case 0x202F:
    case 0x2022:  // bullet
    case 0x30FB:  // katakana middle dot
      return true;
    default:
      return (cp >= 0x2000 && cp <= 0x200A) ||  // spaces of every width
             (cp >= 0x2010 && cp <= 0x2017) ||  // hyphens, dashes, double low line
             Filler(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0x0B || cp == 0x0C ||
             cp == 0x85 ||  // line and paragraph separators
             LooksLikeDashOrDot(cp);
  }
}

}  // namespace

bool NikShaped(std::string_view d) {
  if (d.size() != 16 ||
      !std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  auto num = [&](size_t at) { return (d[at] - '0') * 10 + (d[at + 1] - '0'); };
  const int province = num(0), day = num(6) % 40, month = num(8);
  return province >= 11 && province <= 96 && day >= 1 && day <= 31 && num(6) <= 71 && month >= 1 &&
         month <= 12;
}

namespace {

// The value of a group of at most four digits.
int Value(std::string_view g) {
  int v = 0;
  for (char c : g) v = v * 10 + (c - '0');
  return v;
}

bool Year(std::string_view g) {
  return g.size() == 4 && (g.starts_with("19") || g.starts_with("20"));
}

// Whether the groups of a run (their digits, and the separators between
// group k - 1 and k: '.' a single dot or comma, ':' a single colon, ' '
// anything else) read as
// numbers that are no one's: amounts grouped in thousands ("2.000.000"),
// decimals ("106.7574512"), dates ("04-12-2026", "2026-12-04"), times
// ("10.30", "10:30:15"), years ("2023/2024"), region codes
// ("31.74.10.1003"), compact timestamps ("20261204103015", "20261204
// 031501234" as cameras name photos) and numbered items padded to one
// width ("RT 001/002/003", three at least), one after another ("Rp
// 2.000.000 - 3.000.000", "04-12-2026 10.30"). A lone number of one to
// three digits may stand between them, not alone ("812 345 678 901" is a
// phone number).
bool OnlyOthersNumbers(std::span<const std::string> g, std::span<const char> joint) {
  const size_t n = g.size();
  auto dotted = [&](size_t k) { return joint[k] == '.'; };
  auto small = [&](size_t k) { return g[k].size() <= 3 && (g[k][0] != '0' || g[k] == "0"); };
  auto two = [&](size_t k, int max) { return g[k].size() <= 2 && Value(g[k]) <= max; };
  auto day_month = [&](size_t d, size_t m) {
    return two(d, 31) && Value(g[d]) >= 1 && two(m, 12) && Value(g[m]) >= 1;
  };
  auto stamp = [&](std::string_view t) {
    if (!(t.size() == 8 || t.size() == 12 || t.size() == 14) || !Year(t.substr(0, 4))) return false;
    const int month = Value(t.substr(4, 2)), day = Value(t.substr(6, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
           (t.size() == 8 || (Value(t.substr(8, 2)) <= 24 && Value(t.substr(10, 2)) < 60));
  };
  // A time of day written without separators, to the second or the
  // millisecond ("031501", "031501234").
  auto compact_time = [&](std::string_view t) {
    return (t.size() == 6 || t.size() == 9) && Value(t.substr(0, 2)) <= 23 &&
           Value(t.substr(2, 2)) < 60 && Value(t.substr(4, 2)) < 60;
  };
  auto padded = [&](size_t k) { return (g[k].size() == 2 || g[k].size() == 3) && g[k][0] == '0'; };
  auto minutes = [&](size_t m) {
    return m < n && joint[m] != ' ' && g[m].size() == 2 && Value(g[m]) < 60;
  };
  // reach[k][w]: the first k groups read so, w: whether anything but lone
  // small numbers was among them.
  std::vector<std::array<bool, 2>> reach(n + 1, {false, false});
  reach[0][0] = true;
  for (size_t k = 0; k < n; ++k) {
    for (int w = 0; w < 2; ++w) {
      if (!reach[k][w]) continue;
      auto to = [&](size_t end, bool other) { reach[end][w || other] = true; };
      if (small(k)) {
        to(k + 1, false);
        for (size_t e = k + 1; e < n && dotted(e) && g[e].size() == 3; ++e) to(e + 1, true);
      }
      if (small(k) && k + 1 < n && dotted(k + 1) && g[k + 1].size() <= 8) to(k + 2, true);
      if (Year(g[k]) || stamp(g[k])) to(k + 1, true);
      if (g[k].size() == 8 && stamp(g[k]) && k + 1 < n && compact_time(g[k + 1])) to(k + 2, true);
      if (padded(k)) {
        size_t e = k + 1;
        while (e < n && padded(e) && g[e].size() == g[k].size()) ++e;
        for (size_t end = k + 3; end <= e; ++end) to(end, true);
      }
      if (k + 2 < n && day_month(k, k + 1) && Year(g[k + 2])) to(k + 3, true);
      if (k + 2 < n && Year(g[k]) && day_month(k + 2, k + 1)) to(k + 3, true);
      if (two(k, 24) && minutes(k + 1)) {  // "10.30", "10:30:15"
        to(k + 2, true);
        if (minutes(k + 2)) to(k + 3, true);
      }
      if (k + 3 < n && g[k].size() == 2 && g[k + 1].size() == 2 && g[k + 2].size() == 2 &&
          g[k + 3].size() == 4 && dotted(k + 1) && dotted(k + 2) && dotted(k + 3))
        to(k + 4, true);
    }
  }
  return reach[n][1];
}

}  // namespace

bool HoldsIdentityNumber(std::string_view s) {
  // Most texts are ASCII with fewer than ten digits: no number of ten or more
  // (letters that pass for digits count only beside eight of them).
  if (std::all_of(s.begin(), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; }) &&
      std::count_if(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) < 8)
    return false;
  // The text as it reads: what shows nothing left out ("0812\u00AD3456" is
  // "08123456"), fullwidth forms as ASCII.
  std::vector<uint32_t> cps;
  cps.reserve(s.size());
  ForEachCodePoint(s, [&](uint32_t cp) {
    if (!Skipped(cp)) cps.push_back(FoldWidth(cp));
  });
  // O and l (or I) beside a digit pass for 0 and 1 ("O8l2-9999-888O").
  std::vector<bool> posing(cps.size());
  for (size_t i = 0; i < cps.size(); ++i) {
    const uint32_t c = cps[i];
    if (c != 'O' && c != 'o' && c != 'l' && c != 'I') continue;
    if ((i > 0 && DigitValue(cps[i - 1]) >= 0) ||
        (i + 1 < cps.size() && DigitValue(cps[i + 1]) >= 0))
      posing[i] = true;
  }
  for (size_t i = 0; i < cps.size(); ++i)
    if (posing[i]) cps[i] = cps[i] == 'O' || cps[i] == 'o' ? '0' : '1';
  // A run: groups of digits, one to three separators between groups
  // ("0812 - 7777"). A weak separator (a slash, comma, underscore, ...)
  // joins two groups only standing alone between them
  // ("3174/0112/3456/7890"), and a run it joins is a number only from 15
  // digits (a NIK, KK or NPWP): letter numbers ("503/1.824.3/2026") and
  // lists of dates ("2026-12-01, 2026-12-08") are not.
  auto weak = [](uint32_t cp) {
    return cp == '/' || cp == ',' || cp == '_' || cp == ';' || cp == '#' || cp == '=' ||
           cp == '&' || cp == '\'' || cp == '~';
  };
  // The groups of digits in a row up to three separators apart (a chain),
  // and where in them the run starts.
  std::vector<std::string> chain;
  std::vector<char> joints;  // before each group: '.' a single dot or comma, ':' a colon, ' ' else
  size_t run_from = 0;       // the run's first group in `chain`
  size_t posers = 0;         // letters of the run read as digits
  bool weak_run = false;     // a weak separator joined two of its groups
  size_t gap = 0;            // separators since the last digit
  uint32_t gap_first = 0;    // the first separator of the gap
  bool gap_weak = false;
  auto run_is_number = [&] {
    const std::span<const std::string> groups(chain.begin() + run_from, chain.end());
    std::string digits;
    for (const auto& g : groups) digits += g;
    if (digits.size() < (weak_run ? 15u : 10u) || digits.size() - posers < 8) return false;
    // (Not a NIK dotted as an amount: "3.174.010.190.000.001".)
    if (OnlyOthersNumbers(groups, std::span(joints).subspan(run_from)) && !NikShaped(digits))
      return false;
    // A letter number ends with its year ("503/0123/1.824.3/2026").
    return !(weak_run && Year(groups.back()) && !NikShaped(digits));
  };
  auto end_run = [&] {
    bool number = run_is_number();
    run_from = chain.size();
    posers = 0;
    weak_run = false;
    return number;
  };
  // And, however its groups are joined, in a chain: a NIK or KK (16 digits
  // shaped as one, in groups of three digits or more: "3174 / 0101 / 9000 /
  // 0001", not "-6.234567, 106.789012"), or a mobile number ("0812;3456;
  // 7890": groups of three digits or more, the first starting with 08, or
  // 62 and then 8, 10 to 13 digits in the national form, the last not a
  // year, and not a list of numbered items, every group padded with a 0 to
  // the same width of three, as kiosks "081, 082, 083, 084" are). Called
  // with the run ended.
  auto chain_has_number = [&] {
    for (size_t i = 0; i < chain.size(); ++i) {
      std::string window;
      for (size_t j = i; j < chain.size() && chain[j].size() >= 3 && window.size() < 16; ++j)
        if ((window += chain[j]).size() == 16 && NikShaped(window)) return true;
      const bool country = chain[i] == "62" && i + 1 < chain.size() && chain[i + 1][0] == '8';
      if (!country && !(chain[i].size() >= 3 && chain[i].starts_with("08"))) continue;
      size_t national = country ? 1 : 0;
      bool items = !country && chain[i].size() == 3;
      for (size_t j = i + (country ? 1 : 0); j < chain.size() && chain[j].size() >= 3; ++j) {
        national += chain[j].size();
        if (national > 13) break;
        items = items && chain[j].size() == 3 && chain[j][0] == '0';
        if (national >= 10 && !items && !Year(chain[j])) return true;
      }
    }
    chain.clear();
    joints.clear();
    run_from = 0;
    return false;
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    const uint32_t cp = cps[i];
    const bool in_run = chain.size() > run_from;
    if (const int value = DigitValue(cp); value >= 0) {
      if (in_run && gap > 0 && gap_weak) {
        if (gap > 1) {  // "01, 2026": the comma ends the number
          if (end_run()) return true;
        } else {
          weak_run = true;
        }
      }
      if (chain.size() == run_from || gap > 0) {
        const char single = gap_first == ',' ? '.' : static_cast<char>(gap_first);
        joints.push_back(gap == 1 && (single == '.' || single == ':') ? single : ' ');
        chain.emplace_back();
      }
      chain.back().push_back(static_cast<char>('0' + value));
      posers += posing[i];
      gap = 0;
      gap_weak = false;
    } else if (NumberSeparator(cp) && in_run && gap < 3) {
      if (gap == 0) gap_first = cp;
      gap_weak = gap_weak || weak(cp);
      ++gap;
    } else {
      if (end_run() || chain_has_number()) return true;
      gap = 0;
      gap_weak = false;
    }
  }
  return end_run() || chain_has_number();
}

namespace {

// Part of a word: an ASCII letter, or a character past ASCII that is
// neither blank nor punctuation (so words of any script stay whole).
bool WordCharacter(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;  // Latin-1 signs and punctuation
  if (Invisible(cp)) return false;
  return !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F) &&
         !(cp >= 0xFF00 && cp <= 0xFF20);
}

// ASCII letters lower-cased.
void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80)
    out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp);
  else
    AppendCodePoint(out, cp);
}

// Latin letters U+00C0 to U+017F without their marks, lower-case ('.':
// none, or not a letter): "Nurhalizá" is written "Nurhaliza" as often.
constexpr std::string_view kLatinBase =
    "aaaaaa.ceeeeiiiidnooooo.ouuuuy..aaaaaa.ceeeeiiiidnooooo.ouuuuy.yaaaaaaccccccccdddd"
    "eeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.llllllllllnnnnnn...oooooo..rrrrrrsssssssstttt"
    "ttuuuuuuuuuuuuwwyyyzzzzzz.";

// An apostrophe, as names are written with one or without ("Ma'ruf", "Maruf").
bool Apostrophe(uint32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0xB4 || cp == 0x2BC || cp == 0x2018 || cp == 0x2019;
}

// The words of `s`, letters lower-cased and Latin ones without their marks;
// apostrophes split words or, with `join_apostrophes`, are left out.
std::vector<std::string> Words(std::string_view s, bool join_apostrophes) {
  std::vector<std::string> words(1);
  ForEachCodePoint(s, [&](uint32_t cp) {
    cp = FoldWidth(cp);  // "\uFF33\uFF21\uFF32\uFF29" is "sari"
    // Combining marks (U+0300 to U+036F) are left out too: "e" then U+0301 is "e".
    if (Skipped(cp) || (join_apostrophes && Apostrophe(cp))) return;
    if (cp >= 0xC0 && cp < 0xC0 + kLatinBase.size() && kLatinBase[cp - 0xC0] != '.') {
      words.back() += kLatinBase[cp - 0xC0];
    } else if (WordCharacter(cp)) {
      AppendUtf8(words.back(), cp);
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  });
  if (words.back().empty()) words.pop_back();
  return words;
}

}  // namespace

namespace {

// The words run together ("sriwahyuni").
std::string Joined(const std::vector<std::string>& words) {
  std::string joined;
  for (const auto& w : words) joined += w;
  return joined;
}

// Whether words of `have` in a row spell `joined` (the `words` words of a
// name or street run together) in three pieces or more, and more than
// `words`: a name written letter by letter or split ("S r i  W a h y u n
// i", "Sri Wahyu ni" spell "sriwahyuni"; "Kurnia Wangi" does not spell
// "kurniawan").
bool SpelledAcrossWords(const std::vector<std::string>& have, const std::string& joined,
                        size_t words) {
  if (joined.size() < 6) return false;
  for (size_t i = 0; i < have.size(); ++i) {
    // Words i, i+1, ... read on in `joined` from its start (in place: this
    // runs for every word of every text checked).
    size_t at = 0;
    for (size_t j = i; j < have.size(); ++j) {
      const std::string& w = have[j];
      if (joined.compare(at, w.size(), w) != 0) break;
      at += w.size();
      // In more pieces than the name has words, and a one-word name in
      // three at least: "Mulya di" is no "Mulyadi", "Les Tari" no "Lestari".
      if (at == joined.size()) {
        if (j - i + 1 > words && j - i + 1 >= 3) return true;
        break;
      }
    }
  }
  return false;
}

// A title written with a name or a street's name ("Hj. Siti Aminah",
// "Drs. Ahmad Fauzi, S.E.", "Jl. Prof. Dr. Satrio"), often left out.
bool Title(const std::string& w) {
  static const std::set<std::string> kTitles = {
      "hj",  "hjh", "haji", "hajjah", "drs", "dra", "dr",  "drg",  "ir",  "prof", "se",
      "sh",  "mh",  "mm",   "msi",    "ssi", "spd", "mpd", "skom", "sag", "amd",  "ssos",
      "sip", "st",  "mt",   "skm",    "ssn", "apt", "bsc", "msc",  "phd", "ni"};
  return kTitles.count(w) > 0;
}

bool MentionsName(std::string_view text, std::string_view name, bool join_apostrophes) {
  std::vector<std::string> wanted = Words(name, join_apostrophes);
  std::erase_if(wanted, [](const std::string& w) { return w.size() < 2 || Title(w); });
  // A person's own name is the part before "bin" or "binti" (son or
  // daughter of), when it has two words or more: "Siti Nurhaliza" of "Siti
  // Nurhaliza binti Ahmad".
  if (auto of = std::find_if(wanted.begin(), wanted.end(),
                             [](const std::string& w) {
                               return w == "bin" || w == "binti" || w == "binte" || w == "bt";
                             });
      of - wanted.begin() >= 2)
    wanted.erase(of, wanted.end());
  if (wanted.empty() || (wanted.size() == 1 && wanted[0].size() < 3)) return false;
  const std::vector<std::string> have = Words(text, join_apostrophes);
  // Most of the name in a row, some of it by initials: more than half its
  // words, two at least, each written out or as its initial, one written
  // out ("Rizki Pratama" and "M. Rizki Pratama" of "Muhammad Rizki
  // Pratama", "A. Fauzi" of "Ahmad Fauzi", "Sri W."). With apostrophes
  // left out only: split at one, "Ma'ruf Amin" would have "Ruf Amin" for
  // most of it.
  for (size_t len = std::max<size_t>(2, wanted.size() / 2 + 1);
       join_apostrophes && len <= wanted.size(); ++len)
    for (size_t k = 0; k + len <= wanted.size(); ++k) {
      // Those words spelled out or run together too ("S i t i Nurhaliza",
      // "SitiNurhaliza" of "Siti Nurhaliza Wibowo"); the whole name is
      // looked for so below. Run together, eight letters at least: short
      // names joined are words of their own ("Tanjung" of "Tan Jung Hwa").
      if (len < wanted.size()) {
        const std::string run = Joined({wanted.begin() + k, wanted.begin() + k + len});
        if (SpelledAcrossWords(have, run, len) ||
            (run.size() >= 8 && std::any_of(have.begin(), have.end(), [&](const std::string& w) {
               return w.find(run) != std::string::npos;
             })))
          return true;
      }
      for (size_t i = 0; i + len <= have.size(); ++i) {
        bool all = true, written_out = false;
        for (size_t m = 0; m < len && all; ++m) {
          const std::string& h = have[i + m];
          const std::string& w = wanted[k + m];
          written_out = written_out || (h == w && w.size() >= 3);
          all = h == w || (h.size() == 1 && w.starts_with(h));
        }
        if (all && written_out) return true;
      }
    }
  if (std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
        return std::find(have.begin(), have.end(), w) != have.end();
      }))
    return true;
  const std::string joined = Joined(wanted);
  if (SpelledAcrossWords(have, joined, wanted.size())) return true;
  if (wanted.size() < 2) return false;
  // Written as one word ("BudiSantoso", "budi_santoso" is two words).
  return std::any_of(have.begin(), have.end(),
                     [&](const std::string& w) { return w.find(joined) != std::string::npos; });
}

}  // namespace

bool MentionsName(std::string_view text, std::string_view name) {
  return MentionsName(text, name, false) || MentionsName(text, name, true);
}

namespace {

// The digits of `s` (of any script), in order, as ASCII.
std::string DigitsOf(std::string_view s) {
  std::string out;
  ForEachCodePoint(s, [&](uint32_t cp) {
    if (int v = DigitValue(cp); v >= 0) out.push_back(static_cast<char>('0' + v));
  });
  return out;
}

}  // namespace

bool MentionsNumber(std::string_view text, std::string_view number) {
  const std::string wanted = DigitsOf(number);
  return wanted.size() >= 10 && DigitsOf(text).find(wanted) != std::string::npos;
}

bool MentionsPhone(std::string_view text, std::string_view phone) {
  std::string wanted = DigitsOf(phone);
  if (wanted.starts_with("62"))
    wanted.erase(0, 2);
  else if (wanted.starts_with("0"))
    wanted.erase(0, 1);
  return wanted.size() >= 8 && DigitsOf(text).find(wanted) != std::string::npos;
}

bool OneWordName(std::string_view name) { return Words(name, true).size() == 1; }

std::string NameKey(std::string_view name) {
  std::string key;
  for (uint32_t cp : CodePoints(name)) {
    cp = FoldWidth(cp);
    if (cp >= 0xC0 && cp < 0xC0 + kLatinBase.size() && kLatinBase[cp - 0xC0] != '.')
      key += kLatinBase[cp - 0xC0];
    else if (cp < 0x80 ? std::isalnum(static_cast<int>(cp)) != 0 : WordCharacter(cp))
      AppendUtf8(key, cp);  // digits too: "Kelurahan 2" is not "Kelurahan 3"
  }
  return key;
}

bool MentionsAddress(std::string_view text, std::string_view address) {
  // The street: the address up to its first number ("Jl. Delman Utama" of
  // "Jl. Delman Utama No. 9 RT 005/RW 008").
  const size_t digit = address.find_first_of("0123456789");
  std::vector<std::string> street = Words(address.substr(0, digit), true);
  auto marker = [](const std::string& w) {
    return w == "jl" || w == "jln" || w == "jalan" || w == "gg" || w == "gang";
  };
  const auto number_word = std::find_if(street.begin(), street.end(), [](const std::string& w) {
    return w == "no" || w == "nomor" || w == "rt" || w == "rw" || w == "blok" || w == "kav";
  });
  street.erase(number_word, street.end());
  auto left_out = [&](const std::string& w) { return marker(w) || w.size() < 3 || Title(w); };
  // The street's own short words and titles ("al" of "Masjid Al-Ikhlas").
  std::vector<std::string> dropped;
  for (const std::string& w : street)
    if (!marker(w) && left_out(w)) dropped.push_back(w);
  std::erase_if(street, left_out);
  if (street.empty()) return false;
  const std::vector<std::string> have = Words(text, true);
  if (street.size() > 1) {
    // Run together or split otherwise ("DelmanUtama", "Del man Utama").
    const std::string joined = Joined(street);
    if (SpelledAcrossWords(have, joined, street.size()) ||
        std::find(have.begin(), have.end(), joined) != have.end())
      return true;
    // In a row once the street's own short words and titles are left out
    // of the text too ("Masjid Al Ikhlas" is "masjid ikhlas"), and those
    // only: "ke" or "di" between two street words joins nothing ("Raya ke
    // Bogor" is no "Jl. Raya Bogor").
    std::vector<std::string> long_words = have;
    std::erase_if(long_words, [&](const std::string& w) {
      return std::find(dropped.begin(), dropped.end(), w) != dropped.end();
    });
    if (std::search(long_words.begin(), long_words.end(), street.begin(), street.end()) !=
        long_words.end())
      return true;
  }
  for (size_t i = 0; i + street.size() <= have.size(); ++i) {
    if (!std::equal(street.begin(), street.end(), have.begin() + i)) continue;
    // One word may be a word of the text by chance ("Mawar"): with "Jl."
    // or "Gang" before it (and maybe a title or an initial: "Jl. H. Muhi",
    // "Jl. Dr. Saharjo"), it is the street.
    size_t before = i;
    while (before > 0 && !marker(have[before - 1]) &&
           (have[before - 1].size() <= 2 || Title(have[before - 1])))
      --before;
    if (street.size() > 1 || (before > 0 && marker(have[before - 1]))) return true;
  }
  return false;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const std::string* EnrolledIdIgnoringCase(const GovernanceState& gov, std::string_view id) {
  for (const auto& [enrolled, officer] : gov.officers)
    if (EqualsIgnoringCase(enrolled, id)) return &enrolled;
  return nullptr;
}

std::optional<std::string> PersonalDataInId(std::string_view id, bool long_numbers) {
  if (const auto at = id.find('@'); at != std::string_view::npos) {
    const std::string_view domain = id.substr(at + 1);
    const auto dot = domain.rfind('.');
    if (dot != std::string_view::npos && domain.size() - dot > 2 &&
        std::all_of(domain.begin() + dot + 1, domain.end(),
                    [](unsigned char c) { return std::isalpha(c); }))
      return "an e-mail address";
  }
  size_t run = 0;
  for (unsigned char c : id)
    if ((run = std::isdigit(c) ? run + 1 : 0) >= 10 && long_numbers)
      return "a number of ten digits or more";
  // Digits joined by '-', '.' or '_': a NIK or KK (13 digits or more; a
  // kelurahan code has 10), or a mobile number (08... or 628..., ten or
  // more).
  auto digit = [&](size_t k) { return std::isdigit(static_cast<unsigned char>(id[k])) != 0; };
  auto joint = [&](size_t k) { return id[k] == '-' || id[k] == '.' || id[k] == '_'; };
  for (size_t i = 0; i < id.size(); ++i) {
    // Only where a run starts (not after a digit, nor after a joint after
    // one), and not inside a hexadecimal string (a random id).
    if (!digit(i) || (i > 0 && digit(i - 1)) || (i > 1 && joint(i - 1) && digit(i - 2)) ||
        (i > 0 && std::isxdigit(static_cast<unsigned char>(id[i - 1]))))
      continue;
    std::string digits;
    std::vector<size_t> groups{0};
    for (size_t k = i; k < id.size() && (digit(k) || joint(k)); ++k) {
      if (!digit(k)) {
        if (groups.back()) groups.push_back(0);
        continue;
      }
      digits += id[k];
      ++groups.back();
    }
    if (digits.size() >= 13 && long_numbers) return "a number of ten digits or more";
    // A mobile number: in one piece, or in groups as phone numbers are
    // written (3 to 5 digits each: "0813-1234-5678", not the date of
    // "08-12-2026-001").
    if (!groups.back()) groups.pop_back();
    const size_t country = digits.starts_with("62") && groups[0] == 2;  // "62.812..."
    const bool grouped = std::all_of(groups.begin() + country, groups.end(),
                                     [](size_t g) { return g >= 3 && g <= 5; });
    if (digits.size() >= 10 && (digits.starts_with("08") || digits.starts_with("628")) &&
        (groups.size() == 1 || grouped))
      return "a phone number";
  }
  return std::nullopt;
}

std::string WithoutUuids(std::string_view id) {
  auto hex = [&](size_t k) { return std::isxdigit(static_cast<unsigned char>(id[k])) != 0; };
  static constexpr size_t kParts[] = {8, 4, 4, 4, 12};
  std::string out;
  for (size_t i = 0; i < id.size();) {
    size_t k = i;
    bool uuid = i == 0 || !hex(i - 1);
    for (size_t p = 0; p < 5 && uuid; ++p) {
      for (size_t n = 0; n < kParts[p] && uuid; ++n, ++k) uuid = k < id.size() && hex(k);
      if (uuid && p < 4) uuid = k < id.size() && id[k++] == '-';
    }
    if (uuid && (k == id.size() || !hex(k))) {
      out += '-';
      i = k;
    } else {
      out += id[i++];
    }
  }
  return out;
}

bool HoldsEmailAddress(std::string_view text) {
  // Read as seen: zero-width characters left out, fullwidth forms folded
  // ("sari\u00AD@example.com", "sari\uFF20example.com"); any other
  // character past ASCII stands apart.
  std::string s;
  for (uint32_t cp : CodePoints(text)) {
    if (Skipped(cp)) continue;
    cp = FoldWidth(cp);
    s += cp < 0x80 ? static_cast<char>(cp) : ' ';
  }
  auto local = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
           c == '+' || c == '-';
  };
  auto label = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at == 0 || !local(s[at - 1])) continue;
    // name@host.tld: a label, then at least one dot and another label.
    size_t i = at + 1, labels = 0;
    while (i < s.size() && label(s[i])) {
      while (i < s.size() && label(s[i])) ++i;
      ++labels;
      if (i + 1 < s.size() && s[i] == '.' && label(s[i + 1]))
        ++i;
      else
        break;
    }
    if (labels >= 2) return true;
  }
  return false;
}

std::string ReasonReaders(const Charter& c, std::string_view event, bool on_public_page) {
  std::vector<std::string> feeds;
  for (const auto& s : c.data_sharing)
    if (s.Receives(event) && s.Shares("reason")) feeds.push_back(s.id);
  const std::string to =
      feeds.empty() ? ""
                    : (feeds.size() == 1 ? "the feed of " : "the feeds of ") + JoinOrNobody(feeds);
  if (on_public_page)
    return "is published (on the public verification page, for good" +
           (to.empty() ? "" : ", and to " + to) + ")";
  return "is kept in the permit's history, which monitors and auditors read" +
         (to.empty() ? std::string(",") : ", and sent to " + to + ",");
}

std::string WhoMay(const Charter& c, std::string_view action) {
  std::string names;
  if (auto it = c.permissions.find(std::string(action)); it != c.permissions.end())
    for (const auto& role : it->second) {
      auto r = c.roles.find(role);
      names += (names.empty() ? "" : " or ") +
               (r != c.roles.end() ? r->second.name : std::string("the ") + role);
    }
  return names.empty() ? "nobody" : names;
}

std::optional<Decision> PersonalDataIn(const std::string& text, const std::string& field,
                                       const std::string& where) {
  if (HoldsIdentityNumber(text))
    return Refuse("personal_data_in_text",
                  "the " + field + " " + where +
                      " and may not hold an identity or phone number (10 or more digits, "
                      "however spaced or separated); write it without the number");
  if (HoldsEmailAddress(text))
    return Refuse("personal_data_in_text", "the " + field + " " + where +
                                               " and may not hold an e-mail address; write "
                                               "it without the address");
  return std::nullopt;
}

void Emit(Decision& d, const Command& cmd, uint64_t version, Payload payload) {
  Envelope e;
  e.seq = version + d.events.size() + 1;
  e.stream = cmd.stream;
  e.event_id = cmd.stream.str() + "/" + std::to_string(e.seq);
  e.time_ms = cmd.time_ms;
  e.actor_id = cmd.actor.id;
  e.actor_role = cmd.actor.role;
  e.command_id = cmd.id;
  e.payload = std::move(payload);
  d.events.push_back(std::move(e));
}

bool ActionAllowedFrom(PermitStatus s, std::string_view a) {
  using S = PermitStatus;
  if (a == "submit_application") return s == S::kNone;
  if (a == "verify_documents" || a == "request_completion") return s == S::kSubmitted;
  if (a == "complete_documents") return s == S::kIncomplete;
  // Again while scheduled: a new date or team (rain, a team member away).
  if (a == "schedule_survey") return s == S::kDocumentsVerified || s == S::kSurveyScheduled;
  if (a == "record_survey") return s == S::kSurveyScheduled;
  if (a == "recommend" || a == "decline_recommendation") return s == S::kSurveyed;
  if (a == "issue_permit") return s == S::kRecommended;
  if (a == "reject" || a == "withdraw") return IsOpen(s);
  if (a == "revoke") return s == S::kIssued;
  if (a == "grant_consent" || a == "withdraw_consent" || a == "erase_personal_data") {
    return s != S::kNone;
  }
  return false;
}

std::string Rupiah(int64_t amount) {
  // The magnitude in unsigned arithmetic: -amount overflows for INT64_MIN.
  const uint64_t magnitude =
      amount < 0 ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return std::string(amount < 0 ? "-Rp " : "Rp ") + out;
}

std::string NoApplication(std::string_view id) {
  std::string m = "there is no application with id " + std::string(id);
  if (const size_t slash = id.rfind('/'); slash != std::string_view::npos && slash + 1 < id.size())
    m += " (that is written as a permit number: an application's id is the number's last part, " +
         std::string(id.substr(slash + 1)) + ")";
  return m;
}

std::string JoinOrNobody(const std::vector<std::string>& items) {
  if (items.empty()) return "nobody";
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::optional<Refusal> CheckOnceEach(const std::vector<std::string>& list,
                                     const std::string& field) {
  for (auto it = list.begin(); it != list.end(); ++it)
    if (std::find(list.begin(), it, *it) != it)
      return Refusal{"duplicate_entry",
                     field + " names \"" + *it + "\" more than once; name each only once"};
  return std::nullopt;
}

}  // namespace pl
