// Validation of a new application: the fields a clerk checks at the counter,
// and the charter's eligibility limits.
#include "domain/decider_util.h"
#include "events/utf8.h"

namespace pl {
namespace {

bool AllDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Refusal R(std::string code, std::string message) { return {std::move(code), std::move(message)}; }

}  // namespace

std::optional<Refusal> ValidateSubmission(const SubmitApplication& s, const Charter& c,
                                          bool personal_known) {
  const Business& b = s.business;
  if (!c.FindKelurahan(s.kelurahan)) {
    return R("unknown_kelurahan", "kelurahan " + Echo(s.kelurahan) + " is not one of the " +
                                      std::to_string(c.kelurahan.size()) +
                                      " kelurahan of kecamatan " + c.kecamatan_name + " (" +
                                      c.kecamatan_code +
                                      "); give one of their codes: " + c.KelurahanCodes());
  }
  if (personal_known && !AllDigits(s.personal.nik, 16)) {
    // The NIK itself is not echoed: an answer may be logged or shown.
    const size_t n = Utf8Length(s.personal.nik);
    return R("invalid_nik",
             "the NIK must be exactly 16 digits as printed on the KTP; got " +
                 (n == 16 ? std::string("16 characters, not all of them the digits 0 to 9")
                          : std::to_string(n) + (n == 1 ? " character" : " characters")));
  }
  if (personal_known && !NikShaped(s.personal.nik)) {
    // A NIK has no check digit; its parts catch many a mistyped digit.
    const std::string_view nik = s.personal.nik;
    const int province = (nik[0] - '0') * 10 + (nik[1] - '0');
    return R("invalid_nik",
             province < 11 || province > 96
                 ? "the NIK's first two digits are its province code (11 to 96), and these are "
                   "not; check the NIK on the KTP, a digit may be mistyped"
                 : "the NIK's 7th to 12th digits are the holder's date of birth (DDMMYY, the "
                   "day plus 40 for a woman), and these are not a date; check the NIK on the "
                   "KTP, a digit may be mistyped");
  }
  if (const std::string& phone = s.personal.phone; personal_known && !phone.empty()) {
    // Digits only (the gateway drops the separators it was typed with), 8
    // to 15 of them, after the + of a country code. Not echoed either.
    const std::string_view digits = std::string_view(phone).substr(phone.starts_with('+') ? 1 : 0);
    if (digits.size() < 8 || digits.size() > 15 || !AllDigits(digits, digits.size()))
      return R("invalid_phone",
               "the phone number must be 8 to 15 digits (a national number such as 0812..., or "
               "+ and a country code); leave the field out if the applicant has none");
  }
  if (!AllDigits(b.kbli, 5)) {
    return R("invalid_kbli",
             "the KBLI business code must be exactly 5 digits; got " + Echo(b.kbli));
  }
  if (Blank(b.name)) return R("missing_field", "the business name (business.name) is empty");
  // Both are public: the register, the verification page and the feeds. No
  // identity number, e-mail address or the applicant's name (or most of it) in them (a
  // blank name is refused below, and names nobody).
  for (const auto& [text, field] :
       {std::pair{&b.name, "business name (business.name)"},
        std::pair{&b.description, "business description (business.description)"}}) {
    if (auto r =
            PersonalDataIn(*text, field, "is published (in the public register and the feeds)"))
      return r->refusal;
    if (personal_known &&
        (MentionsNumber(*text, s.personal.nik) || MentionsNumber(*text, s.personal.kk_number) ||
         MentionsPhone(*text, s.personal.phone)))
      return R("personal_data_in_text",
               std::string("the ") + field +
                   " is published (in the public register and the feeds) and may not hold the "
                   "applicant's phone, NIK or KK number, however written; write it without the "
                   "number");
    // A micro business is mostly run from home: its street is the
    // applicant's, which travels sealed.
    if (personal_known && MentionsAddress(*text, s.personal.address))
      return R("personal_data_in_text",
               std::string("the ") + field +
                   " is published (in the public register and the feeds) and may not name the "
                   "street of the applicant's home, which travels sealed; describe the business "
                   "without it (\"warung makan\")");
    if (personal_known && MentionsName(*text, s.personal.name))
      return R(
          "personal_data_in_text",
          std::string("the ") + field +
              " is published (in the public register and the feeds) and may not hold the "
              "applicant's name, nor most of it (its words in a row, some as initials: \"M. Rizki "
              "Pratama\"), which no public view shows; " +
              (OneWordName(s.personal.name)
                   ? "the applicant's name is one word, so it may not appear at all: "
                     "choose a trade name without it (\"Warung Sederhana\")"
                   : "a first name or a trade name will do (\"Warung Bu Sari\")"));
  }
  if (personal_known && Blank(s.personal.name)) {
    return R("missing_field", "the applicant's name (applicant.name) is empty");
  }
  if (personal_known && Blank(s.personal.address)) {
    return R("missing_field", "the applicant's address (applicant.address) is empty");
  }
  if (b.capital < 0) {
    return R("invalid_amount", "business.capital must not be negative; got " + Rupiah(b.capital));
  }
  if (b.turnover < 0) {
    return R("invalid_amount", "business.turnover must not be negative; got " + Rupiah(b.turnover));
  }
  if (b.workers < 1) {
    return R("invalid_workers", "business.workers must be at least 1 (the owner counts); got " +
                                    std::to_string(b.workers));
  }
  if (b.premises != "owned" && b.premises != "leased") {
    return R("invalid_premises",
             "business.premises must be \"owned\" or \"leased\"; got " + Echo(b.premises));
  }
  const Eligibility& e = c.eligibility;
  if (b.capital > e.max_capital) {
    return R("ineligible_capital", "business capital " + Rupiah(b.capital) + " exceeds the " +
                                       c.permit_type + " limit of " + Rupiah(e.max_capital) +
                                       " (excluding land and buildings)");
  }
  if (b.turnover > e.max_turnover) {
    return R("ineligible_turnover", "annual turnover " + Rupiah(b.turnover) + " exceeds the " +
                                        c.permit_type + " limit of " + Rupiah(e.max_turnover));
  }
  if (b.workers > e.max_workers) {
    return R("ineligible_workers", "the business has " + std::to_string(b.workers) +
                                       " workers; the " + c.permit_type + " limit is " +
                                       std::to_string(e.max_workers));
  }
  if (s.tracking_hash.empty()) {
    return R("missing_field", "tracking_hash is empty: the application has no tracking code");
  }
  if (s.sealed.person_id.empty()) {
    return R("missing_field",
             "sealed.person_id is empty: the applicant's personal data was not sealed");
  }
  if (auto r = CheckOnceEach(s.documents, "documents")) return r;
  for (const auto& d : s.documents) {
    if (!c.KnowsDocument(d)) {
      return R("unknown_document",
               "document " + Echo(d) + " is not one the charter knows; use " +
                   JoinOrNobody(c.required_documents) +
                   (c.optional_documents.empty()
                        ? std::string()
                        : " or (optional) " + JoinOrNobody(c.optional_documents)));
    }
  }
  return std::nullopt;
}

}  // namespace pl
