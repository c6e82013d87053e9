// Every refusal code of the decider, with the value that triggers it and the
// nearest value that does not.
#include <nlohmann/json.hpp>

#include "domain/decider_util.h"
#include "domain/staffing.h"
#include "tests/domain/fixture.h"

namespace pl::testing {
namespace {

using S = PermitStatus;

Decision SubmitWith(const std::function<void(SubmitApplication&)>& edit) {
  PermitWorld w;
  SubmitApplication s = GoodSubmission();
  edit(s);
  return w.Try(Applicant(), s);
}

// Names are written with and without their marks and apostrophes.
TEST(Refusal, ANameIsFoundHoweverItIsSpelled) {
  for (const char* text :
       {"Maruf Amin tidak jadi", "MA'RUF amin", "Ma\u2019ruf Amin", "Ma ruf Amin"})
    EXPECT_TRUE(MentionsName(text, "Ma'ruf Amin")) << text;
  EXPECT_TRUE(MentionsName("siti nurhaliza salihah", "Siti Nurhalizá Sâlihah"));
  EXPECT_TRUE(MentionsName("Siti Nurhalize\u0301 Salihah", "Siti Nurhalizé Salihah"));
  EXPECT_TRUE(MentionsName("Budi's warung, Santoso", "Budi Santoso"));
  EXPECT_FALSE(MentionsName("Maruf tidak jadi", "Ma'ruf Amin"));
  EXPECT_FALSE(MentionsName("Ruf Amin", "Ma'ruf Amin"));
  EXPECT_TRUE(MentionsName("Warung \uff33\uff21\uff32\uff29 Rahayu", "Sari Rahayu"));  // fullwidth
  // Letter by letter, or split elsewhere than between its words.
  for (const char* text :
       {"pemilik S r i W a h y u n i pindah", "S.r.i W.a.h.y.u.n.i", "Sri Wahyu ni", "sriwahyuni"})
    EXPECT_TRUE(MentionsName(text, "Sri Wahyuni")) << text;
  EXPECT_TRUE(MentionsName("K u r n i a w a n", "Kurniawan"));
  EXPECT_FALSE(MentionsName("Toko Kurnia Wangi", "Kurniawan"));
  EXPECT_FALSE(MentionsName("sri wahyu", "Sri Wahyuni"));
  EXPECT_FALSE(MentionsName("Toko Mulya di Pasar Bintaro", "Mulyadi"));
  EXPECT_FALSE(MentionsName("Sanggar Les Tari Bali", "Lestari"));
  // A title of the name left out ("Hj.", "Drs.", "S.E.").
  EXPECT_TRUE(MentionsName("Pemegang izin Siti Aminah meninggal", "Hj. Siti Aminah"));
  EXPECT_TRUE(MentionsName("Usaha Bpk. Ahmad Fauzi", "Drs. Ahmad Fauzi, S.E."));
  // Most of the name in a row, some of it by initials; a name's own part
  // before "binti"; the Balinese Ni as a title.
  for (const auto& [text, name] : std::vector<std::pair<const char*, const char*>>{
           {"usaha dipindahtangankan oleh M. Rizki Pratama", "Muhammad Rizki Pratama"},
           {"pemilik Rizki Pratama tidak hadir", "Muhammad Rizki Pratama"},
           {"a.n. A. Fauzi ganda", "Ahmad Fauzi"},
           {"pemilik Sri W. pindah", "Sri Wahyuni"},
           {"pemohon Siti Nurhaliza tidak hadir", "Siti Nurhaliza Binti Ahmad"},
           {"pemohon Made Ayu Lestari ganda", "Ni Made Ayu Lestari"},
           // ... and that part spelled out or run together.
           {"S i t i Nurhaliza pindah", "Siti Nurhaliza Wibowo"},
           {"pemilik SitiNurhaliza pindah", "Siti Nurhaliza Wibowo"},
           {"pemilik Siti Nur haliza pindah", "Siti Nurhaliza Wibowo"}})
    EXPECT_TRUE(MentionsName(text, name)) << text;
  // A first name, a word of the name alone, the father's name: not the
  // applicant's name.
  for (const auto& [text, name] : std::vector<std::pair<const char*, const char*>>{
           {"Warung Rizki", "Muhammad Rizki Pratama"},
           {"Bengkel Pratama Motor", "Muhammad Rizki Pratama"},
           {"Toko Fauzi", "Ahmad Fauzi"},
           {"Warung Bu Siti", "Siti Nurhaliza Binti Ahmad"},
           {"Salon Ayu", "Ni Made Ayu Lestari"},
           {"Warung Bu Sari", "Sari Wulandari"},
           {"Blok A No. 5", "Ahmad Fauzi"},
           // Short parts of a name run together are words of their own.
           {"Toko Tanjung Jaya", "Tan Jung Hwa"},
           {"Warung Kalimantan", "Ali Ma Santoso"}})
    EXPECT_FALSE(MentionsName(text, name)) << text;
}

TEST(Refusal, AHomeStreetIsFoundByItsWordsInARow) {
  const char* home = "Jl. Delman Utama No. 9 RT 005/RW 008";
  for (const char* text :
       {"pindah dari Jl. Delman Utama No. 9", "rumah di delman utama", "JALAN DELMAN-UTAMA"})
    EXPECT_TRUE(MentionsAddress(text, home)) << text;
  for (const char* text : {"DelmanUtama", "di Del man Utama", "D e l m a n U t a m a"})
    EXPECT_TRUE(MentionsAddress(text, home)) << text;
  for (const char* text : {"utama delman", "usaha utama tutup", "RT 005/RW 008", "delmanutamax"})
    EXPECT_FALSE(MentionsAddress(text, home)) << text;
  // A street of one word only with "Jl." or "Gang" before it.
  EXPECT_TRUE(MentionsAddress("pindah ke jl mawar", "Jl. Mawar 1 RT 03 RW 05"));
  EXPECT_TRUE(MentionsAddress("di Gang Mawar", "Gg. Mawar 1"));
  EXPECT_TRUE(MentionsAddress("rumah pemohon, Jl. H. Muhi", "Jl. H. Muhi No. 5"));
  EXPECT_TRUE(MentionsAddress("di Jl. Dr. Saharjo", "Jl. Dr. Saharjo No 10"));
  EXPECT_TRUE(MentionsAddress("di Jl. Prof. Dr. Satrio", "Jl. Prof. Dr. Satrio No. 7"));
  // The short words a street is read without (an Arabic "Al-", an
  // initial, a title) count for nothing in the text either; other short
  // words still keep the street's words apart.
  for (const char* text : {"alamat Gang Masjid Al-Ikhlas", "jl masjid al ikhlas",
                           "warung di Masjid Al-Ikhlas"})
    EXPECT_TRUE(MentionsAddress(text, "Gang Masjid Al-Ikhlas No. 7 RT 002/RW 004")) << text;
  EXPECT_TRUE(MentionsAddress("di Jl. Raya Al-Ikhlas", "Jl. Raya Al-Ikhlas 3"));
  EXPECT_TRUE(MentionsAddress("rumah di Muhi H Raya", "Jl. Muhi H. Raya 5"));
  EXPECT_FALSE(MentionsAddress("masjid besar ikhlas", "Gang Masjid Al-Ikhlas No. 7"));
  EXPECT_FALSE(MentionsAddress("MASJID H. IKHLAS", "Gang Masjid Al-Ikhlas No. 7"));
  EXPECT_FALSE(MentionsAddress("Mudik Hari Raya ke Bogor, usaha tutup", "Jl. Raya Bogor No. 12"));
  EXPECT_FALSE(MentionsAddress("pindah ke pasar di minggu depan", "Jl. Pasar Minggu No. 5"));
  EXPECT_FALSE(MentionsAddress("dekat masjid di raya", "Jl. Masjid Raya 3"));
  EXPECT_FALSE(MentionsAddress("toko bunga mawar", "Jl. Mawar 1 RT 03 RW 05"));
  EXPECT_FALSE(MentionsAddress("anything", "RT 03 RW 05"));
}

// Names are kept as they show: blanks of any kind taken as one space, what
// shows nothing dropped (two names alike to the eye are alike), accents,
// variation selectors and joiners between letters kept.
TEST(Refusal, NamesAreTidiedToWhatTheyShow) {
  EXPECT_EQ(TidyText("  Warung \u00A0Enak\u3000 ", true), "Warung Enak");
  EXPECT_EQ(TidyText("\u200FWarung\u2003Enak\u200B", true), "Warung Enak");
  EXPECT_EQ(TidyText("Rina\u200BKusuma", true), "RinaKusuma");
  EXPECT_EQ(TidyText("Rina\u061C\U000E0041Kusuma\u3164Dewi", true), "RinaKusuma Dewi");
  EXPECT_EQ(TidyText("\u0301Jose\u0301 Sa\u0301nchez", true), "Jose\u0301 Sa\u0301nchez");
  EXPECT_EQ(TidyText("Kopi \u2615\uFE0F \u200D", true), "Kopi \u2615\uFE0F");
  EXPECT_EQ(TidyText("\u0915\u094D\u200D\u0937", true), "\u0915\u094D\u200D\u0937");
  EXPECT_EQ(TidyText("\u200B\u00A0", true), "");
  // A description keeps its lines and inner spaces; its ends lose blanks.
  EXPECT_EQ(TidyText("\u200B kue basah,\n  24 jam \u00A0\n", false), "kue basah,\n  24 jam");
}

TEST(Refusal, NoCharter) {
  PermitWorld w;
  w.gov = GovernanceState{};
  EXPECT_REFUSED(w.Try(Applicant(), GoodSubmission()), "no_charter");
}

TEST(Refusal, VersionConflict) {
  PermitWorld w;
  EXPECT_REFUSED(w.Try(Applicant(), GoodSubmission(), 1), "version_conflict");
  EXPECT_ACCEPTED(w.Run(Applicant(), GoodSubmission(), 0));
  const Decision zero = w.Try(Officer("ptsp_officer"), VerifyDocuments{}, 0);
  EXPECT_REFUSED(zero, "version_conflict");
  // No one acted: the number sent is wrong, and the answer says so.
  EXPECT_NE(zero.refusal->message.find("versions start at 1"), std::string::npos);
  EXPECT_EQ(zero.refusal->message.find("meanwhile"), std::string::npos);
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), VerifyDocuments{}, 2), "version_conflict");
  EXPECT_ACCEPTED(w.Try(Officer("ptsp_officer"), VerifyDocuments{}, 1));
  EXPECT_ACCEPTED(w.Try(Officer("ptsp_officer"), VerifyDocuments{}));
}

TEST(Refusal, AlreadyExistsAndUnknownPermit) {
  PermitWorld w;
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), VerifyDocuments{}), "unknown_permit");
  // Whatever version the command expected: there is nothing to be at one.
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), VerifyDocuments{}, 1), "unknown_permit");
  w.AdvanceTo(S::kSubmitted);
  EXPECT_REFUSED(w.Try(Applicant(), GoodSubmission()), "already_exists");
}

TEST(Refusal, WrongStream) {
  PermitWorld w;
  EXPECT_REFUSED(w.Try(Admin(), AdoptCharter{DefaultCharterText()}), "wrong_stream");
  EXPECT_REFUSED(DecidePermit(Cmd("governance", Applicant("governance"), GoodSubmission(), w.now),
                              w.state, w.gov),
                 "wrong_stream");
  EXPECT_REFUSED(DecideGovernance(Cmd("governance", Admin(), VerifyDocuments{}, w.now), w.gov),
                 "wrong_stream");
  EXPECT_REFUSED(
      DecideGovernance(Cmd("p-1", Admin(), AdoptCharter{DefaultCharterText()}, w.now), w.gov),
      "wrong_stream");
}

TEST(Refusal, SubmissionFields) {
  EXPECT_ACCEPTED(SubmitWith([](auto&) {}));
  {
    // The refusal says which codes there are.
    Decision d = SubmitWith([](auto& s) { s.kelurahan = "Ulujami"; });
    EXPECT_REFUSED(d, "unknown_kelurahan");
    ASSERT_TRUE(d.refusal);
    EXPECT_NE(d.refusal->message.find("31.74.10.1003 (Ulujami)"), std::string::npos)
        << d.refusal->message;
  }
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.kelurahan = "31.74.10.1099"; }), "unknown_kelurahan");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.personal.nik = "317405123456789"; }), "invalid_nik");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.personal.nik = "31740512345678901"; }), "invalid_nik");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.personal.nik = "317405123456789X"; }), "invalid_nik");
  // The message counts characters, not bytes, and does not echo the NIK.
  EXPECT_EQ(SubmitWith([](auto& s) { s.personal.nik = "3174012345678\u00e9"; }).refusal->message,
            "the NIK must be exactly 16 digits as printed on the KTP; got 14 characters");
  EXPECT_EQ(SubmitWith([](auto& s) { s.personal.nik = "317405123456789X"; }).refusal->message,
            "the NIK must be exactly 16 digits as printed on the KTP; got 16 characters, not all "
            "of them the digits 0 to 9");
  // Sixteen digits that are no NIK: the part that is wrong is named.
  for (const char* nik : {"0074051204880003", "9774051204880003"}) {
    Decision d = SubmitWith([&](auto& s) { s.personal.nik = nik; });
    EXPECT_REFUSED(d, "invalid_nik");
    EXPECT_NE(d.refusal->message.find("province code"), std::string::npos) << nik;
  }
  for (const char* nik : {"3174050004880003", "3174053204880003", "3174054004880003",
                          "3174057204880003", "3174051200880003", "3174051213880003"}) {
    Decision d = SubmitWith([&](auto& s) { s.personal.nik = nik; });
    EXPECT_REFUSED(d, "invalid_nik");
    EXPECT_NE(d.refusal->message.find("date of birth (DDMMYY"), std::string::npos) << nik;
    EXPECT_EQ(d.refusal->message.find(nik), std::string::npos);
  }
  // A woman's day of birth is written plus 40; the provinces run 11 to 96 (Papua Barat Daya, of
  // 2022).
  for (const char* nik :
       {"3174057112880003", "3174054101000003", "1174053112880003", "9674050101990003"}) {
    SCOPED_TRACE(nik);
    EXPECT_ACCEPTED(SubmitWith([&](auto& s) { s.personal.nik = nik; }));
  }
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.kbli = "5610"; }), "invalid_kbli");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.kbli = "5610a"; }), "invalid_kbli");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.name = ""; }), "missing_field");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.personal.name = ""; }), "missing_field");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.personal.name = "   "; }), "missing_field");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.name = " \t"; }), "missing_field");
  // Invisible to a clerk as well: no-break, zero-width and ideographic
  // spaces, a byte order mark, a soft hyphen, the blank Braille pattern,
  // Hangul fillers, a tag space, a combining mark with nothing to combine.
  for (const char* invisible :
       {"\u00a0", "\u200b\u200c\u200d", " \u2060\ufeff ", "\u3000", "\u00ad", "\u202f\u205f",
        "\u2800", "\u3164", "\uffa0", "\u034f", "\U000E0020", "\u0301", "\u115f\u1160"}) {
    SCOPED_TRACE(invisible);
    EXPECT_REFUSED(SubmitWith([&](auto& s) { s.personal.name = invisible; }), "missing_field");
  }
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.name = "\u200bWarung \u00a0Sari"; }));
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.personal.name = "E\u0301di \u4e2d"; }));
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.personal.address = ""; }), "missing_field");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.capital = -1; }), "invalid_amount");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.turnover = -1; }), "invalid_amount");
  // The most negative amount too (its magnitude does not fit an int64_t).
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.capital = INT64_MIN; }), "invalid_amount");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.turnover = INT64_MIN; }), "invalid_amount");
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.capital = s.business.turnover = 0; }));
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.workers = 0; }), "invalid_workers");
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.workers = 1; }));
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.premises = "rented"; }), "invalid_premises");
  // A refusal is kept where no erasure reaches: what was typed is quoted
  // only when it has the shape of a code and holds no number of a person.
  for (const auto& [edit, code] :
       std::vector<std::pair<std::function<void(SubmitApplication&)>, std::string>>{
           {[](auto& s) { s.business.kbli = "081234567890"; }, "invalid_kbli"},
           {[](auto& s) { s.kelurahan = "3174012345678901"; }, "unknown_kelurahan"},
           {[](auto& s) { s.documents.push_back("Sari Wulandari 3174012345678901"); },
            "unknown_document"}}) {
    auto d = SubmitWith(edit);
    ASSERT_TRUE(d.refusal);
    EXPECT_EQ(d.refusal->code, code);
    EXPECT_EQ(d.refusal->message.find("3174012345678901"), std::string::npos) << d.refusal->message;
    EXPECT_EQ(d.refusal->message.find("081234567890"), std::string::npos) << d.refusal->message;
    EXPECT_NE(d.refusal->message.find("not repeated"), std::string::npos) << d.refusal->message;
  }
  EXPECT_NE(SubmitWith([](auto& s) { s.business.kbli = "5610"; }).refusal->message.find("\"5610\""),
            std::string::npos);
  for (const char* phone : {"12", "hubungi saya", "0812-abc", "+", "0812345678901234"})
    EXPECT_REFUSED(SubmitWith([&](auto& s) { s.personal.phone = phone; }), "invalid_phone");
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.personal.phone = "+6581234567"; }));
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.personal.phone = ""; }));
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.premises = "leased"; }));
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.tracking_hash = ""; }), "missing_field");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.sealed.person_id = ""; }), "missing_field");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.documents.push_back("passport"); }),
                 "unknown_document");
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.documents.push_back("npwp"); }));
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.documents.clear(); }));
  // The business name and description are public (the register, the feeds).
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.description = "warung, hub 0812-7777-6666"; }),
                 "personal_data_in_text");
  EXPECT_REFUSED(SubmitWith([](auto& s) { s.business.name = "Toko Ani (ani.w@gmail.com)"; }),
                 "personal_data_in_text");
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.description = "kue basah, 24 jam"; }));
  // Nor a number split by characters that show nothing or look blank
  // (format, tag and joining characters, fillers), or written in circled
  // digits.
  for (const char* text :
       {"hp 0812\u061C3456\u061C7890", "hp 0812\u180E3456\u180E7890",
        "hp 0812\U000E00203456\U000E00207890", "hp 0812\u034F3456\u034F7890",
        "hp 0812\u28003456\u28007890", "hp 0812\u31643456\u31647890", "hp 0812\u115F3456\u115F7890",
        "hp 0812\u200E3456\u202C7890",
        "hp \u24EA\u2467\u2460\u2461 \u2462\u2463\u2464\u2465 \u2466\u2467\u2468\u24EA",
        "hp 0812\u22123456\u22127890", "hp 0812\uFE633456\uFE637890", "hp 0812\u20243456\u20247890",
        "hp 0812\u30FC3456\u30FC7890", "hp 0812\u20283456\u20297890"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(HoldsIdentityNumber(text));
    EXPECT_REFUSED(SubmitWith([&](auto& s) { s.business.description = text; }),
                   "personal_data_in_text");
  }
  EXPECT_FALSE(HoldsIdentityNumber("buka \u2460\u2461 jam, \u061C08.00-16.00"));
  // Nor the applicant's own phone, NIK or KK number, however written.
  for (const char* text : {"Warung 0812/3456/7890", "pesan: +62 812_3456_7890", "hub 812.3456.7890",
                           "kode 3174/0512/3456/7890", "KK 31,74,05,01,01,01,00,01"}) {
    SCOPED_TRACE(text);
    EXPECT_REFUSED(SubmitWith([&](auto& s) {
                     s.personal.phone = "081234567890";
                     s.business.description = text;
                   }),
                   "personal_data_in_text");
  }
  EXPECT_ACCEPTED(SubmitWith([](auto& s) {
    s.personal.phone = "081234567890";
    s.business.description = "buka 08.00-16.00, surat 045/1.824.3/2026";
  }));
  EXPECT_TRUE(MentionsPhone("wa +62 812-3456-7890", "081234567890"));
  EXPECT_TRUE(MentionsPhone("wa 0812 3456 7890", "+6281234567890"));
  EXPECT_FALSE(MentionsPhone("kode 8123", "0812-3"));  // too short to tell
  // Nor the applicant's full name, however written; a first name will do.
  SubmitApplication who = GoodSubmission();
  for (const std::string& name :
       {who.personal.name, "Warung " + who.personal.name,
        "Toko " + std::string(who.personal.name).replace(who.personal.name.find(' '), 1, "\u00a0"),
        "Toko " + std::string(who.personal.name).erase(who.personal.name.find(' '), 1)}) {
    SCOPED_TRACE(name);
    EXPECT_REFUSED(SubmitWith([&](auto& s) { s.business.name = name; }), "personal_data_in_text");
  }
  EXPECT_ACCEPTED(SubmitWith([&](auto& s) {
    s.business.name = "Warung Bu " + who.personal.name.substr(0, who.personal.name.find(' '));
  }));
  // Nor the street of the applicant's home (the business is mostly there).
  for (const char* description :
       {"warung makan di Jl. Delman Utama No. 9", "warung, jalan delman utama, samping masjid"}) {
    SCOPED_TRACE(description);
    EXPECT_REFUSED(SubmitWith([&](auto& s) {
                     s.personal.address = "Jl. Delman Utama No. 9 RT 005/RW 008";
                     s.business.description = description;
                   }),
                   "personal_data_in_text");
  }
  EXPECT_REFUSED(SubmitWith([](auto& s) {
                   s.personal.address = "Jl. Delman Utama No. 9 RT 005/RW 008";
                   s.business.name = "Toko Delman Utama";
                 }),
                 "personal_data_in_text");
  EXPECT_ACCEPTED(SubmitWith([](auto& s) {
    s.personal.address = "Jl. Delman Utama No. 9 RT 005/RW 008";
    s.business.name = "Toko Delman";
    s.business.description = "warung makan dekat pasar";
  }));
  // A one-word name may not appear at all, and the advice says so.
  auto sari = SubmitWith([](auto& s) {
    s.personal.name = "Sari";
    s.business.name = "Warung Bu Sari";
  });
  ASSERT_TRUE(sari.refusal);
  EXPECT_NE(sari.refusal->message.find("one word"), std::string::npos) << sari.refusal->message;
  EXPECT_REFUSED(SubmitWith([](auto& s) {
                   s.documents = {"npwp", "ktp", "npwp"};
                 }),
                 "duplicate_entry");
}

TEST(Refusal, EligibilityLimitsAcceptedAtTheLimitRefusedOneOver) {
  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.capital = 500000000; }));
  Decision d = SubmitWith([](auto& s) { s.business.capital = 500000001; });
  EXPECT_REFUSED(d, "ineligible_capital");
  EXPECT_NE(d.refusal->message.find("Rp 500,000,000"), std::string::npos) << d.refusal->message;
  EXPECT_NE(d.refusal->message.find("Rp 500,000,001"), std::string::npos) << d.refusal->message;

  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.turnover = 2500000000; }));
  d = SubmitWith([](auto& s) { s.business.turnover = 2500000001; });
  EXPECT_REFUSED(d, "ineligible_turnover");
  EXPECT_NE(d.refusal->message.find("Rp 2,500,000,000"), std::string::npos);

  EXPECT_ACCEPTED(SubmitWith([](auto& s) { s.business.workers = 19; }));
  d = SubmitWith([](auto& s) { s.business.workers = 20; });
  EXPECT_REFUSED(d, "ineligible_workers");
  EXPECT_NE(d.refusal->message.find("19"), std::string::npos);
}

TEST(Refusal, DocumentsAreVerifiedOnlyOnceEveryRequiredOneIsHandedIn) {
  PermitWorld w;
  SubmitApplication s = GoodSubmission();
  std::erase(s.documents, "kk");
  std::erase(s.documents, "ktp");
  ASSERT_TRUE(w.Run(Applicant(), s).accepted());
  Decision d = w.Try(Officer("ptsp_officer"), VerifyDocuments{});
  EXPECT_REFUSED(d, "documents_missing");
  EXPECT_NE(d.refusal->message.find("(ktp, kk)"), std::string::npos) << d.refusal->message;
  // Asked for one of them (and the optional NPWP), the applicant is asked
  // for every required one it lacks, in one request.
  d = w.Run(Officer("ptsp_officer"), RequestCompletion{{"npwp", "kk"}});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(std::get<CompletionRequested>(d.events[0].payload).missing,
            (std::vector<std::string>{"npwp", "kk", "ktp"}));
  EXPECT_REFUSED(w.Try(Applicant(), CompleteDocuments{{"kk"}}), "documents_still_missing");
  EXPECT_ACCEPTED(w.Run(Applicant(), CompleteDocuments{{"kk", "ktp"}}));
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), VerifyDocuments{}));
}

TEST(Refusal, RequestAndCompleteDocuments) {
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), RequestCompletion{}), "missing_field");
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), RequestCompletion{{"kk", "selfie"}}),
                 "unknown_document");
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), RequestCompletion{{"kk", "kk"}}),
                 "duplicate_entry");
  EXPECT_REFUSED(w.Try(Officer("ptsp_officer"), RequestCompletion{{"selfie", "selfie"}}),
                 "duplicate_entry");
  EXPECT_ACCEPTED(w.Run(Officer("ptsp_officer"), RequestCompletion{{"kk"}}));
  EXPECT_REFUSED(w.Try(Applicant(), CompleteDocuments{{"kk", "npwp", "kk"}}), "duplicate_entry");
  EXPECT_REFUSED(w.Try(Applicant(), CompleteDocuments{}), "missing_field");
  EXPECT_REFUSED(w.Try(Applicant(), CompleteDocuments{{"selfie"}}), "unknown_document");
  EXPECT_REFUSED(w.Try(Applicant(), CompleteDocuments{{"npwp"}}), "documents_still_missing");
  // What was asked for is accepted even after a charter that no longer names it.
  auto doc = nlohmann::json::parse(DefaultCharterText());
  auto& required = doc["required_documents"];
  required.erase(std::find(required.begin(), required.end(), "kk"));
  doc["charter_version"] = 2;
  w.gov.charter = std::make_shared<const Charter>(*Charter::FromJson(doc.dump()));
  EXPECT_ACCEPTED(w.Try(Applicant(), CompleteDocuments{{"kk"}}));
}

TEST(Refusal, ScheduleSurvey) {
  PermitWorld w;
  w.now = Jakarta(2026, 3, 10, 6, 0);  // 2026-03-09 23:00 UTC: already the 10th in Jakarta
  w.AdvanceTo(S::kDocumentsVerified);
  Actor officer = Officer("ptsp_officer");
  std::vector<std::string> team = {"ptsp_officer@31.74.10.1002"};
  for (const char* bad : {"2026-3-12", "2026-02-30", "12-03-2026", "", "2026-03-1x"}) {
    EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{bad, team}), "invalid_date");
  }
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{"2026-03-09", team}), "invalid_date");
  EXPECT_ACCEPTED(w.Try(officer, ScheduleSurvey{"2026-03-10", team}));
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{"2026-03-11", {}}), "missing_field");
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{"2026-03-11", {"ptsp_officer@31.74.10.1002", "x"}}),
                 "unknown_officer");
  // An unknown member is told apart: an empty entry, a retired officer, an
  // id in the wrong letter case (with the enrolled one).
  {
    PermitWorld retired = w;
    retired.gov.officers.erase("kelurahan_economy@31.74.10.1002");
    retired.gov.retired.insert("kelurahan_economy@31.74.10.1002");
    for (const auto& [member, says] : std::vector<std::pair<std::string, std::string>>{
             {"", "empty entry"},
             {"kelurahan_economy@31.74.10.1002", "is retired"},
             {"PTSP_officer@31.74.10.1002", "did you mean \"ptsp_officer@31.74.10.1002\""}}) {
      SCOPED_TRACE(member);
      const Decision d = retired.Try(officer, ScheduleSurvey{"2026-03-11", {team[0], member}});
      EXPECT_REFUSED(d, "unknown_officer");
      if (d.refusal) {
        EXPECT_NE(d.refusal->message.find(says), std::string::npos) << d.refusal->message;
      }
    }
  }
  const Decision refused = w.Try(officer, ScheduleSurvey{"2026-03-11", {team[0], team[0]}});
  EXPECT_REFUSED(refused, "duplicate_entry");
  EXPECT_EQ(refused.refusal->message,
            "team names \"ptsp_officer@31.74.10.1002\" more than once; name each only once");
  // A year ahead at most (2027-03-09 is a Tuesday): a later date is a mistyped year.
  EXPECT_ACCEPTED(w.Try(officer, ScheduleSurvey{"2027-03-09", team}));
  const Decision far = w.Try(officer, ScheduleSurvey{"2062-03-10", team});
  EXPECT_REFUSED(far, "invalid_date");
  EXPECT_EQ(far.refusal->message,
            "survey date 2062-03-10 is more than a year after today (2026-03-10, Jakarta); check "
            "the year");
  // A weekend (2026-03-14 is a Saturday) is no working day.
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{"2026-03-14", team}), "invalid_date");
  // Every member works in the permit's kelurahan.
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{"2026-03-11", {"ptsp_officer@31.74.10.1005"}}),
                 "team_outside_jurisdiction");
  EXPECT_ACCEPTED(w.Try(
      officer, ScheduleSurvey{"2026-03-11",
                              {"kecamatan_umkm@31.74.10", "kelurahan_economy@31.74.10.1002"}}));
  // Monitors and auditors, who may not see personal data, do not go.
  for (const char* reader : {"kecamatan_monitor@31.74.10", "auditor@"}) {
    const Decision refused =
        w.Try(officer, ScheduleSurvey{"2026-03-11", {"kelurahan_economy@31.74.10.1002", reader}});
    EXPECT_REFUSED(refused, "team_member_not_permitted");
    if (refused.refusal) {
      EXPECT_NE(refused.refusal->message.find("kecamatan_umkm, kelurahan_economy"),
                std::string::npos)
          << refused.refusal->message;
    }
  }
  // Someone on the team may record its result (the kecamatan's UMKM unit
  // joins the survey, but record_survey is not its action).
  const Decision observers =
      w.Try(officer, ScheduleSurvey{"2026-03-11", {"kecamatan_umkm@31.74.10"}});
  EXPECT_REFUSED(observers, "team_cannot_record");
  if (observers.refusal) {
    EXPECT_NE(observers.refusal->message.find("kelurahan_economy"), std::string::npos)
        << observers.refusal->message;
  }
}

// The team the survey was scheduled with records its result; anyone else
// has it rescheduled with them on the team first.
TEST(Refusal, OnlyTheSurveyTeamRecordsTheSurvey) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyScheduled);
  const std::string later = AddWorkingDays(w.now, 5, *w.gov.charter);
  ASSERT_EQ(
      w.Run(Officer("ptsp_officer"), ScheduleSurvey{later, {"ptsp_officer@" + std::string(kKel)}})
          .events.size(),
      1u);
  const Decision outsider = w.Try(Officer("kelurahan_economy"), RecordSurvey{true, ""});
  EXPECT_REFUSED(outsider, "not_on_survey_team");
  if (outsider.refusal) {
    EXPECT_NE(outsider.refusal->message.find("have Petugas UP PTSP Kelurahan reschedule"),
              std::string::npos)
        << outsider.refusal->message;
  }
  // A PTSP officer off the team may reschedule it themselves, and is told so.
  ASSERT_EQ(w.Run(Officer("ptsp_officer"),
                  ScheduleSurvey{later, {"kelurahan_economy@" + std::string(kKel)}})
                .events.size(),
            1u);
  const Decision scheduler = w.Try(Officer("ptsp_officer"), RecordSurvey{true, ""});
  EXPECT_REFUSED(scheduler, "not_on_survey_team");
  if (scheduler.refusal) {
    EXPECT_NE(scheduler.refusal->message.find("reschedule the survey with yourself"),
              std::string::npos)
        << scheduler.refusal->message;
  }
  // Checked after the role and the jurisdiction: a lurah is told the action
  // is not theirs.
  EXPECT_REFUSED(w.Try(Officer("lurah"), RecordSurvey{true, ""}), "role_not_permitted");
  ASSERT_EQ(
      w.Run(Officer("ptsp_officer"), ScheduleSurvey{later,
                                                    {"ptsp_officer@" + std::string(kKel),
                                                     "kelurahan_economy@" + std::string(kKel)}})
          .events.size(),
      1u);
  EXPECT_ACCEPTED(w.Run(Officer("kelurahan_economy"), RecordSurvey{true, ""}));
}

// A scheduled survey is moved to another day or team by scheduling it
// again, under the same rules; it stays in its stage, whose service level
// still counts from the first scheduling; the same date and team again
// change nothing.
TEST(Refusal, ASurveyIsRescheduledWithoutRestartingItsStage) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyScheduled);
  const int64_t entered = w.state.stage_entered_ms;
  const uint64_t version = w.state.version;
  const StageInfo before = Stage(w.state, *w.gov.charter);
  EXPECT_EQ(std::count(before.next_actions.begin(), before.next_actions.end(), "schedule_survey"),
            0)
      << "the next step is the survey";
  Actor officer = Officer("ptsp_officer");
  const std::vector<std::string> team = w.state.survey_team;
  EXPECT_TRUE(w.Run(officer, ScheduleSurvey{w.state.survey_date, team}).events.empty());
  w.now += 3600 * 1000;
  const std::string later = AddWorkingDays(w.now, 5, *w.gov.charter);
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{"2026-03-01", team}), "invalid_date");
  EXPECT_REFUSED(w.Try(Officer("lurah"), ScheduleSurvey{later, team}), "role_not_permitted");
  ASSERT_EQ(w.Run(officer, ScheduleSurvey{later, team}).events.size(), 1u);
  EXPECT_EQ(w.state.status, S::kSurveyScheduled);
  EXPECT_EQ(w.state.survey_date, later);
  EXPECT_EQ(w.state.version, version + 1);
  EXPECT_EQ(w.state.stage_entered_ms, entered);
  EXPECT_EQ(Stage(w.state, *w.gov.charter).due_date, before.due_date);
  // The same team in another order is the same team.
  ASSERT_GE(team.size(), 2u);
  const std::vector<std::string> reversed(team.rbegin(), team.rend());
  EXPECT_TRUE(w.Run(officer, ScheduleSurvey{later, reversed}).events.empty());
  EXPECT_ACCEPTED(w.Run(Officer("kelurahan_economy"), RecordSurvey{true, ""}));
  EXPECT_REFUSED(w.Try(officer, ScheduleSurvey{later, team}), "transition_not_allowed");
}

TEST(Refusal, RecommendNeedsZoningComplianceAndALetter) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyScheduled);
  EXPECT_ACCEPTED(w.Run(Officer("kelurahan_economy"), RecordSurvey{false, "green zone"}));
  EXPECT_EQ(w.state.zoning_compliant, false);
  EXPECT_REFUSED(w.Try(Officer("lurah"), Recommend{"R-1"}), "zoning_non_compliant");
  EXPECT_ACCEPTED(w.Try(Officer("lurah"), DeclineRecommendation{"green zone"}));

  PermitWorld ok;
  ok.AdvanceTo(S::kSurveyed);
  EXPECT_REFUSED(ok.Try(Officer("lurah"), Recommend{""}), "missing_field");
  EXPECT_REFUSED(ok.Try(Officer("lurah"), Recommend{"  "}), "missing_field");
}

// A refusal says who acts and who reads by the charter in force, not by the
// IUMK's offices (another permit's charter names other roles and feeds).
TEST(Refusal, MessagesNameTheCharterRolesAndFeeds) {
  auto c = Charter::FromJson(DefaultCharterText());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(WhoMay(*c, "decline_recommendation"), c->roles.at("lurah").name);
  c->roles.at("lurah").name = "Kepala Seksi Tata Ruang";
  EXPECT_EQ(WhoMay(*c, "decline_recommendation"), "Kepala Seksi Tata Ruang");
  c->permissions["decline_recommendation"].push_back("ptsp_head");
  EXPECT_EQ(WhoMay(*c, "decline_recommendation"),
            "Kepala Seksi Tata Ruang or " + c->roles.at("ptsp_head").name);
  EXPECT_NE(ReasonReaders(*c, "application_rejected").find("and sent to the feed of ministry-umkm"),
            std::string::npos)
      << ReasonReaders(*c, "application_rejected");
  // A feed that receives the event without its reason is no reader of it.
  for (auto& s : c->data_sharing) s.fields.erase("reason");
  EXPECT_EQ(ReasonReaders(*c, "application_rejected"),
            "is kept in the permit's history, which monitors and auditors read,");
  c->data_sharing.clear();
  EXPECT_EQ(ReasonReaders(*c, "application_rejected"),
            "is kept in the permit's history, which monitors and auditors read,");
  EXPECT_EQ(ReasonReaders(*c, "permit_revoked", true),
            "is published (on the public verification page, for good)");

  PermitWorld w;
  w.AdvanceTo(S::kSurveyScheduled);
  EXPECT_ACCEPTED(w.Run(Officer("kelurahan_economy"), RecordSurvey{false, "green zone"}));
  Decision d = w.Try(Officer("lurah"), Recommend{"R-1"});
  EXPECT_REFUSED(d, "zoning_non_compliant");
  EXPECT_NE(d.refusal->message.find("(decline_recommendation, by " +
                                    w.gov.charter->roles.at("lurah").name + ")"),
            std::string::npos)
      << d.refusal->message;
}

TEST(Refusal, ReasonsAreRequired) {
  PermitWorld w;
  w.AdvanceTo(S::kSurveyed);
  EXPECT_REFUSED(w.Try(Officer("lurah"), DeclineRecommendation{""}), "missing_field");
  EXPECT_REFUSED(w.Try(Officer("ptsp_head"), Reject{"", "why"}), "missing_field");
  EXPECT_REFUSED(w.Try(Officer("ptsp_head"), Reject{"zoning", ""}), "missing_field");
  EXPECT_REFUSED(w.Try(Officer("ptsp_head"), Reject{"zoning", " \n"}), "missing_field");
  EXPECT_REFUSED(w.Try(Officer("lurah"), DeclineRecommendation{"\t"}), "missing_field");
  // The code is one of the charter's (it is counted on the public page).
  EXPECT_REFUSED(w.Try(Officer("ptsp_head"), Reject{"budi_santoso_lied", "why"}),
                 "unknown_reason_code");
  EXPECT_REFUSED(w.Try(Applicant(), Withdraw{""}), "missing_field");
  EXPECT_REFUSED(w.Try(Applicant(), GrantConsent{""}), "missing_field");
  EXPECT_REFUSED(w.Try(Applicant(), WithdrawConsent{""}), "missing_field");
  PermitWorld issued;
  issued.AdvanceTo(S::kIssued);
  EXPECT_REFUSED(issued.Try(Officer("ptsp_head"), Revoke{""}), "missing_field");
  EXPECT_REFUSED(issued.Try(Officer("ptsp_head"), Revoke{"   "}), "missing_field");
}

// Published reasons hold no identity or phone number and no e-mail address;
// dates, letter numbers and amounts are fine.
TEST(Refusal, PublishedReasonsHoldNoIdentityNumber) {
  PermitWorld issued;
  issued.AdvanceTo(S::kIssued);
  for (const char* text : {"dicabut: NIK 3174015708900001", "pemilik 0812-3456-7890",
                           "KK 3174 0101 0101 0001", "npwp 012345678901000"})
    EXPECT_REFUSED(issued.Try(Officer("ptsp_head"), Revoke{text}), "personal_data_in_text");
  PermitWorld open;
  open.AdvanceTo(S::kSurveyed);
  EXPECT_REFUSED(open.Try(Officer("ptsp_head"), Reject{"zoning", "hubungi 081234567890"}),
                 "personal_data_in_text");
  EXPECT_REFUSED(open.Try(Applicant(), Withdraw{"tel 0812 3456 7890"}), "personal_data_in_text");
  EXPECT_REFUSED(open.Try(Officer("lurah"), DeclineRecommendation{"NIK 3174015708900001"}),
                 "personal_data_in_text");
  // The recommendation's letter number is shown to monitors and auditors;
  // a real one, however many its digits, is not a personal number.
  EXPECT_REFUSED(open.Try(Officer("lurah"), Recommend{"Siti 3174056208900888 081298765432"}),
                 "personal_data_in_text");
  EXPECT_REFUSED(open.Try(Officer("lurah"), Recommend{"REK/siti@mail.co.id"}),
                 "personal_data_in_text");
  EXPECT_ACCEPTED(open.Try(Officer("lurah"), Recommend{"503/1.824.3/PM.02.00/2026"}));
  // A survey's notes are read by monitors and auditors, who may not see
  // personal data.
  PermitWorld scheduled;
  scheduled.AdvanceTo(S::kSurveyScheduled);
  EXPECT_REFUSED(scheduled.Try(Officer("kelurahan_economy"),
                               RecordSurvey{true, "hubungi pemilik di 0812 3456 7890"}),
                 "personal_data_in_text");
  EXPECT_ACCEPTED(
      scheduled.Try(Officer("kelurahan_economy"), RecordSurvey{true, "lokasi sesuai, 2 lantai"}));
  // However the number is written: dotted, bracketed, with a country code,
  // in fullwidth or Arabic-Indic digits, or mixed; and e-mail addresses.
  for (const char* text :
       {"NIK 3174.0123.4567.8955", "telp (021) 5555-1234", "hub +62 812 7777 6666",
        "NIK \uff13\uff11\uff17\uff14\uff10\uff11\uff15\uff17\uff10\uff18\uff19\uff10",
        "\u0663\u0661\u0667\u0664\u0660\u0661\u0665\u0667\u0660\u0668", "3174.0123 4567-8955",
        "3174 \u2013 0123 \u2013 4567", "surel ani.w@gmail.com", "kirim ke a@b.co.id",
        "NIK 3174\u200b0123\u200b4567\u200b8901", "NIK 3174/0112/3456/7890",
        "KK 3174,0155,6677,8899", "NIK 3174_0112_3456_7890", "hp 0812\n3456\n7890",
        "NIK 3174\u00a00112\u00a03456\u00a07890", "hp 0812|3456|7890", "hp 0812*3456*7890",
        "hp 0812:3456:7890", "hp 0812\\3456\\7890", "hp 0812\u00ad3456\u00ad7890",
        "hp 0812\u30fb3456\u30fb7890", "surel sari\u00ad@example.com",
        "surel sari\u200b@example.com", "surel sari\uff20example.com", "WA 0812;3456;7890",
        "pesan via 0857#1111#2222", "pesan via O8l2-9999-888O", "hp 0812 / 3456 / 7890",
        "hp 0812~3456~7890", "hp 0812'3456'7890", "hp 0812=3456=7890", "hp 0812&3456&7890",
        "hp +62;812;3456;7890", "hp 0812, 3456, 7890", "hp 812 345 678 901", "hp 08 12 34 56 78 90",
        "NIK 3174 / 0115 / 0890 / 0001", "NIK 3.174.011.508.900.001", "hp +62 812 345 678 90",
        "hub 0812 345 678 901", "NIK 3174/0115/0890/2026",
        // Padded like numbered items, but not all the groups are.
        "hp 081/234/567/890", "hp 0812/0345/0678", "NIK 317/401/150/890/001",
        "\uff53\uff41\uff52\uff49\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e"
        "\uff43\uff4f\uff4d"}) {
    SCOPED_TRACE(text);
    EXPECT_REFUSED(issued.Try(Officer("ptsp_head"), Revoke{text}), "personal_data_in_text");
  }
  for (const char* text :
       {"usaha tutup sejak 2026-11-30, surat 12/REK/2026", "modal Rp 25.000.000.000 melebihi batas",
        "Rp 2,500,000,000", "123456789 pelanggaran", "surat 503/1.824.3/2026 tanggal 2026-11-30",
        "survei 2026-12-01, 2026-12-08", "omzet Rp 2.500.000.000,00 per tahun",
        "surat 503/017/ULJ/2026", "tanggal 01/12/2026", "RT 003/RW 005", "lihat @kelurahan_ulujami",
        "buka 08:00-16:00 setiap hari", "Rp 2.000.000 ~ 3.000.000", "Rp 2.000.000~3.000.000",
        "surat 045/824/2026", "buka 08.00-16.00; libur 01/01", "Blok O 12, lantai 1",
        "Toko88 cabang 2 sejak 2019", "Rp 1.000.000, 2.000.000 dan 3.000.000",
        // Others' numbers one after another: amounts, dates and times,
        // coordinates, region codes, years, timestamps, numbered lists.
        "Omzet Rp 2.000.000 - 3.000.000 per hari", "Harga Rp 500.000 \u2013 1.500.000 per paket",
        "Token listrik 5.000 10.000 20.000 50.000 100.000", "Disurvei 04-12-2026 10.30 WIB",
        "Waktu survei: 2026-12-04 10:30:15 WIB", "Tgl/jam: 04.12.2026 10.30",
        "Periode sewa 01/02/2026 - 28/02/2026 terlalu singkat",
        "Nilai omzet 2023/2024/2025/2026 tidak konsisten",
        "SP-1 No. 045/-1.824.3 (01-10-2026), SP-2 No. 078/-1.824.3 (01-11-2026)",
        "Koordinat -6.2603839, 106.7574512", "Titik lokasi -6.2345 106.7890",
        "Titik koordinat (-6.234567, 106.789012)", "kode wilayah 31.74.10.1003",
        "surat 503/0123/1.824.3/2026", "500.16.7.4/1234/2026", "Foto IMG20261204103015.jpg",
        "Jam buka 07.00-11.00 16.00-21.00", "Warga RT 011, 012, 013, 014 keberatan",
        "Kav. 012/013/014/015, satu hamparan", "Kios No. 081, 082, 083, 084",
        "Jadwal produksi 0700, 0900, 1100, 1300", "Warga RT 001/002/003/004/005 keberatan",
        "Kios 001 002 003 004 tutup", "Foto PXL_20261204_031501234.jpg",
        "Foto IMG_20261204_103015.jpg"}) {
    SCOPED_TRACE(text);
    EXPECT_ACCEPTED(issued.Try(Officer("ptsp_head"), Revoke{text}));
  }
}

// Governance stream.

Decision Gov(const GovernanceState& gov, Actor actor, Action a,
             std::optional<uint64_t> expected = std::nullopt) {
  return DecideGovernance(Cmd("governance", std::move(actor), std::move(a), 0, expected), gov);
}

std::string CharterV(int version) {
  auto doc = nlohmann::json::parse(DefaultCharterText());
  doc["charter_version"] = version;
  return doc.dump(2);
}

// Adopts `doc` as the next charter at `day` of January 2026 (a charter is
// kept by its adoption time), or says why it was refused.
std::optional<Refusal> AdoptAt(GovernanceState& gov, const nlohmann::json& doc, int day) {
  const Decision d = DecideGovernance(
      Cmd("governance", Admin(), AdoptCharter{doc.dump()}, Jakarta(2026, 1, day)), gov);
  for (const auto& e : d.events) EvolveGovernance(gov, e);
  return d.refusal;
}

// A subscriber's policy is checked against every charter adopted before, not
// only the one in force: amending in two steps, or dropping the subscriber
// and listing it again, does not escape a rule it once had.
TEST(Governance, ASubscribersPolicyIsCheckedAgainstEveryEarlierCharter) {
  auto doc = nlohmann::json::parse(CharterV(1));
  GovernanceState gov;
  ASSERT_FALSE(AdoptAt(gov, doc, 2));
  {
    // A consent given to the bank for its fields neither passes to another
    // stakeholder nor widens to more of the applicant's data.
    auto moved = doc;
    moved["charter_version"] = 2;
    moved["data_sharing"]["bank-dki"]["stakeholder"] = "kemenkop_ukm";
    auto r = AdoptAt(gov, moved, 3);
    ASSERT_TRUE(r);
    EXPECT_NE(r->message.find("consents were given to bank_dki"), std::string::npos) << r->message;
    auto wider = doc;
    wider["charter_version"] = 2;
    wider["data_sharing"]["bank-dki"]["fields"].push_back("applicant.address");
    r = AdoptAt(gov, wider, 3);
    ASSERT_TRUE(r);
    EXPECT_NE(r->message.find("adds applicant.address"), std::string::npos) << r->message;
  }
  auto& bank = doc["data_sharing"]["bank-dki"];
  const auto fields = bank["fields"];
  // Consent off with the applicant's fields gone: nothing personal shared.
  bank["consent_required"] = false;
  bank["fields"] = nlohmann::json::array({"permit_number"});
  doc["charter_version"] = 2;
  ASSERT_FALSE(AdoptAt(gov, doc, 3));
  // The fields back without consent: the data of applicants who withheld
  // or withdrew it would reach the bank.
  bank["fields"] = fields;
  doc["charter_version"] = 3;
  auto refused = AdoptAt(gov, doc, 4);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, "invalid_charter");
  EXPECT_NE(refused->message.find("data_sharing.bank-dki"), std::string::npos) << refused->message;
  // Nor by dropping the bank and listing it again.
  auto listed = bank;
  doc["data_sharing"].erase("bank-dki");
  ASSERT_FALSE(AdoptAt(gov, doc, 5));
  doc["data_sharing"]["bank-dki"] = listed;
  doc["charter_version"] = 4;
  EXPECT_TRUE(AdoptAt(gov, doc, 6));
  // With consent required, it is listed again.
  doc["data_sharing"]["bank-dki"]["consent_required"] = true;
  ASSERT_FALSE(AdoptAt(gov, doc, 7));
  EXPECT_TRUE(gov.charter->FindSubscriber("bank-dki")->consent_required);

  // A token generation is raised to revoke a token, and never lowered (the
  // revoked token would open the feed again), dropped and listed or not.
  doc["charter_version"] = 5;
  doc["data_sharing"]["bank-dki"]["token_generation"] = 2;
  ASSERT_FALSE(AdoptAt(gov, doc, 8));
  EXPECT_EQ(gov.charter->FindSubscriber("bank-dki")->token_generation, 2u);
  doc["charter_version"] = 6;
  doc["data_sharing"]["bank-dki"]["token_generation"] = 1;
  refused = AdoptAt(gov, doc, 9);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->message.find("token_generation 1 is lower than the 2"), std::string::npos)
      << refused->message;
  listed = doc["data_sharing"]["bank-dki"];
  doc["data_sharing"].erase("bank-dki");
  ASSERT_FALSE(AdoptAt(gov, doc, 10));
  listed.erase("token_generation");
  doc["data_sharing"]["bank-dki"] = listed;
  doc["charter_version"] = 7;
  EXPECT_TRUE(AdoptAt(gov, doc, 11));
  doc["data_sharing"]["bank-dki"]["token_generation"] = 3;
  EXPECT_FALSE(AdoptAt(gov, doc, 12));

  // Consents once asked for may still be held: the applicant keeps the right
  // to withdraw them after the subscriber has left the policy, whether the
  // permission goes to nobody or to officers only.
  doc["data_sharing"].erase("bank-dki");
  for (const auto& [granters, withdrawers] :
       {std::pair{nlohmann::json::array(), nlohmann::json::array()},
        std::pair{nlohmann::json::array({"applicant"}), nlohmann::json::array({"ptsp_officer"})}}) {
    doc["charter_version"] = 8;
    doc["permissions"]["grant_consent"] = granters;
    doc["permissions"]["withdraw_consent"] = withdrawers;
    refused = AdoptAt(gov, doc, 13);
    ASSERT_TRUE(refused) << withdrawers.dump();
    EXPECT_EQ(refused->code, "invalid_charter");
    EXPECT_NE(refused->message.find("permissions.withdraw_consent: charter version 1 shared "
                                    "applicants' data with \"bank-dki\""),
              std::string::npos)
        << refused->message;
    EXPECT_EQ(gov.charter->version, 7u);
  }
  doc["permissions"]["withdraw_consent"] = nlohmann::json::array({"applicant"});
  EXPECT_FALSE(AdoptAt(gov, doc, 13)) << "the applicant may grant and withdraw";
}

// A consent covers the fields the policy listed when it was given: a field
// dropped from a subscriber's policy does not come back under its id, as
// applicants who consented meanwhile were not asked for it.
TEST(Governance, AFieldDroppedFromAPolicyUnderConsentDoesNotComeBack) {
  auto doc = nlohmann::json::parse(CharterV(1));
  GovernanceState gov;
  ASSERT_FALSE(AdoptAt(gov, doc, 2));
  auto& fields = doc["data_sharing"]["bank-dki"]["fields"];
  ASSERT_NE(std::find(fields.begin(), fields.end(), "applicant.phone"), fields.end());
  const auto all = fields;
  fields.erase(std::find(fields.begin(), fields.end(), "applicant.phone"));
  doc["charter_version"] = 2;
  ASSERT_FALSE(AdoptAt(gov, doc, 3)) << "a narrower policy is fine";
  doc["data_sharing"]["bank-dki"]["fields"] = all;
  doc["charter_version"] = 3;
  auto refused = AdoptAt(gov, doc, 4);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, "invalid_charter");
  EXPECT_NE(refused->message.find("data_sharing.bank-dki adds applicant.phone, which the "
                                  "applicants who consented under charter version 2 were not "
                                  "asked for"),
            std::string::npos)
      << refused->message;
  // Nor after the subscriber was dropped in between.
  doc["data_sharing"].erase("bank-dki");
  ASSERT_FALSE(AdoptAt(gov, doc, 5));
  doc["data_sharing"]["bank-dki"] = nlohmann::json::parse(CharterV(1))["data_sharing"]["bank-dki"];
  doc["charter_version"] = 4;
  EXPECT_TRUE(AdoptAt(gov, doc, 6));
  EXPECT_EQ(gov.charter->version, 3u);
}

// A day already passed keeps its calendar: an amendment neither declares
// nor drops a holiday before the day it is adopted (the working days of the
// stays already counted would change); today and later may change.
TEST(Governance, AHolidayBeforeTheDayOfAdoptionIsNeitherDeclaredNorDropped) {
  GovernanceState gov;
  ASSERT_FALSE(AdoptAt(gov, nlohmann::json::parse(CharterV(1)), 2));
  auto doc = nlohmann::json::parse(CharterV(2));
  const auto holidays = doc["holidays"];
  doc["holidays"].push_back("2026-01-12");  // a Monday before the 20th
  auto refused = AdoptAt(gov, doc, 20);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, "invalid_charter");
  EXPECT_NE(
      refused->message.find("declares 2026-01-12, before today (2026-01-20, the kecamatan's date)"),
      std::string::npos)
      << refused->message;
  doc["holidays"] = holidays;
  doc["holidays"].erase(std::find(doc["holidays"].begin(), doc["holidays"].end(), "2026-01-16"));
  refused = AdoptAt(gov, doc, 20);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->message.find("drops 2026-01-16"), std::string::npos) << refused->message;
  EXPECT_EQ(gov.charter->version, 1u);
  // Today is the kecamatan's date: at 00:30 in Jakarta (17:30 the day
  // before in UTC) yesterday has passed and today has not.
  doc["holidays"] = holidays;
  doc["holidays"].push_back("2026-01-19");
  const Decision early = DecideGovernance(
      Cmd("governance", Admin(), AdoptCharter{doc.dump()}, Jakarta(2026, 1, 20, 0, 30)), gov);
  ASSERT_TRUE(early.refusal);
  EXPECT_NE(early.refusal->message.find("declares 2026-01-19"), std::string::npos);
  // Today (an office closed at short notice) and later days may change.
  doc["holidays"] = holidays;
  doc["holidays"].push_back("2026-01-20");
  doc["holidays"].push_back("2026-02-02");
  const Decision midnight = DecideGovernance(
      Cmd("governance", Admin(), AdoptCharter{doc.dump()}, Jakarta(2026, 1, 20, 0, 30)), gov);
  EXPECT_FALSE(midnight.refusal) << midnight.refusal->message;
  EXPECT_FALSE(AdoptAt(gov, doc, 20));
  EXPECT_EQ(gov.charter->version, 2u);
}

// A number out of a field's range says so, however large it is written.
TEST(Governance, ACharterNumberOutOfRangeSaysItsRange) {
  auto doc = nlohmann::json::parse(CharterV(1));
  GovernanceState gov;
  std::string text = doc.dump();
  const std::string capital = std::to_string(doc["eligibility"]["max_capital"].get<int64_t>());
  for (const std::string& written :
       {std::string("1000000000000000000000000000000"), std::string("-1000000000000000000000"),
        std::string("18446744073709551615")}) {
    std::string bad = text;
    bad.replace(bad.find(capital), capital.size(), written);
    const Decision d =
        DecideGovernance(Cmd("governance", Admin(), AdoptCharter{bad}, Jakarta(2026, 1, 2)), gov);
    ASSERT_TRUE(d.refusal) << written;
    EXPECT_NE(d.refusal->message.find("\"eligibility.max_capital\": must be between 0 and "
                                      "9223372036854775807, got "),
              std::string::npos)
        << d.refusal->message;
  }
  std::string fraction = text;
  fraction.replace(fraction.find(capital), capital.size(), "2.5e9");
  const Decision d = DecideGovernance(
      Cmd("governance", Admin(), AdoptCharter{fraction}, Jakarta(2026, 1, 2)), gov);
  ASSERT_TRUE(d.refusal);
  EXPECT_NE(d.refusal->message.find("without a decimal point or exponent"), std::string::npos)
      << d.refusal->message;
}

TEST(Governance, AdoptCharter) {
  GovernanceState gov;
  EXPECT_REFUSED(Gov(gov, Officer("ptsp_head"), AdoptCharter{CharterV(1)}), "role_not_permitted");
  Decision bad = Gov(gov, Admin(), AdoptCharter{"{\"name\": 1}"});
  EXPECT_REFUSED(bad, "invalid_charter");
  Decision d = Gov(gov, Admin(), AdoptCharter{CharterV(1)});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].event_id, "governance/1");
  const auto& adopted = std::get<CharterAdopted>(d.events[0].payload);
  EXPECT_EQ(adopted.charter_version, 1u);
  EXPECT_EQ(adopted.charter_json, Charter::FromJson(DefaultCharterText())->canonical_json);
  EvolveGovernance(gov, d.events[0]);
  ASSERT_TRUE(gov.charter);
  EXPECT_EQ(gov.version, 1u);
  EXPECT_EQ(gov.charter->kelurahan.size(), 5u);
  EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{CharterV(1)}), "stale_charter_version");
  EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{CharterV(2)}, 0), "version_conflict");
  EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{CharterV(3)}), "invalid_charter");  // a gap
  // Its names and texts reach pages, feeds and the public log: no control
  // characters, nothing longer than a name needs (a key named too).
  for (const auto& [path, value] : std::vector<std::pair<std::string, std::string>>{
           {"/name", std::string("Piagam\0X", 8)},
           {"/kelurahan/2/name", "Ulujami\x1b[31m"},
           {"/kelurahan/2/name", std::string(201, 'u')},
           {"/stakeholders/0/name", "a\r\nX: 1"},
           // A direction override shows "Bintaro" + "exe.png" reversed.
           {"/kelurahan/2/name", "Bintaro\u202Egnp.exe"},
           {"/kelurahan/2/name", "\u200B"},  // blank to the eye
           {"/kelurahan/2/name", " "}}) {
    SCOPED_TRACE(path);
    auto doc = nlohmann::json::parse(CharterV(2));
    doc[nlohmann::json::json_pointer(path)] = value;
    EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{doc.dump()}), "invalid_charter");
  }
  {
    auto doc = nlohmann::json::parse(CharterV(2));
    doc["roles"]["ptsp_officer\n"] = doc["roles"]["ptsp_officer"];
    EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{doc.dump()}), "invalid_charter");
  }
  // A role id is a code: audit trails name it as the actor's role.
  for (const char* id : {"Admin", "admin ", "a b", "p\u00E9tugas", "1st_officer"}) {
    SCOPED_TRACE(id);
    auto doc = nlohmann::json::parse(CharterV(2));
    doc["roles"][id] = {{"name", "Someone"}, {"scope", "kelurahan"}};
    const Decision d = Gov(gov, Admin(), AdoptCharter{doc.dump()});
    EXPECT_REFUSED(d, "invalid_charter");
    if (d.refusal) {
      EXPECT_NE(d.refusal->message.find("is not a role id"), std::string::npos);
    }
  }
  {
    // A stale version says how to go on without losing a colleague's change.
    const Decision d = Gov(gov, Admin(), AdoptCharter{CharterV(1)});
    ASSERT_TRUE(d.refusal);
    EXPECT_NE(d.refusal->message.find("GET /v1/charter"), std::string::npos) << d.refusal->message;
  }
  EXPECT_ACCEPTED(Gov(gov, Admin(), AdoptCharter{CharterV(2)}, 1));
  // A kelurahan, once adopted, stays (its name may change).
  auto doc = nlohmann::json::parse(CharterV(2));
  doc["kelurahan"][0]["name"] = "Pesanggrahan Baru";
  EXPECT_ACCEPTED(Gov(gov, Admin(), AdoptCharter{doc.dump()}));
  doc["kelurahan"].erase(doc["kelurahan"].begin() + 4);
  EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{doc.dump()}), "kelurahan_removed");
  {
    // A subscriber that receives personal data with consent keeps asking
    // for it: without, it would receive the data of those who withdrew.
    auto no_consent = nlohmann::json::parse(CharterV(2));
    no_consent["data_sharing"]["bank-dki"]["consent_required"] = false;
    const Decision d = Gov(gov, Admin(), AdoptCharter{no_consent.dump()});
    EXPECT_REFUSED(d, "invalid_charter");
    ASSERT_TRUE(d.refusal);
    EXPECT_NE(d.refusal->message.find("data_sharing.bank-dki"), std::string::npos)
        << d.refusal->message;
  }
  // Nor a role an enrolled officer holds.
  GovernanceState staffed = DefaultGovernance();
  {
    // A kelurahan with officers: its removal says so first (retiring its
    // officers, as the role check would ask, would not make it allowed).
    auto without = nlohmann::json::parse(staffed.charter->canonical_json);
    without["charter_version"] = staffed.charter->version + 1;
    without["kelurahan"].erase(without["kelurahan"].begin());
    EXPECT_REFUSED(Gov(staffed, Admin(), AdoptCharter{without.dump()}), "kelurahan_removed");
  }
  doc = nlohmann::json::parse(staffed.charter->canonical_json);
  doc["charter_version"] = staffed.charter->version + 1;
  doc["roles"].erase("kecamatan_umkm");
  for (auto& [action, roles] : doc["permissions"].items())
    roles.erase(std::remove(roles.begin(), roles.end(), "kecamatan_umkm"), roles.end());
  for (auto& st : doc["stakeholders"])
    if (st.contains("roles"))
      st["roles"].erase(std::remove(st["roles"].begin(), st["roles"].end(), "kecamatan_umkm"),
                        st["roles"].end());
  const Decision dropped = Gov(staffed, Admin(), AdoptCharter{doc.dump()});
  EXPECT_REFUSED(dropped, "invalid_charter");
  EXPECT_NE(dropped.refusal->message.find("drops the role of enrolled officers"), std::string::npos)
      << dropped.refusal->message;
  std::erase_if(staffed.officers, [](const auto& o) { return o.second.role == "kecamatan_umkm"; });
  EXPECT_ACCEPTED(Gov(staffed, Admin(), AdoptCharter{doc.dump()}));
  // Nor the scope of a role held, so that its officers' jurisdiction no
  // longer fits (to "all" it still does).
  for (const char* scope : {"kecamatan", "all"}) {
    SCOPED_TRACE(scope);
    doc = nlohmann::json::parse(staffed.charter->canonical_json);
    doc["charter_version"] = staffed.charter->version + 1;
    doc["roles"]["ptsp_officer"]["scope"] = scope;
    const Decision d = Gov(staffed, Admin(), AdoptCharter{doc.dump()});
    if (std::string(scope) == "all") {
      EXPECT_ACCEPTED(d);
      continue;
    }
    EXPECT_REFUSED(d, "invalid_charter");
    if (d.refusal) {
      EXPECT_NE(d.refusal->message.find("changes the scope"), std::string::npos);
    }
  }
  // Nor does its time zone change: promised dates were counted in it.
  doc = nlohmann::json::parse(CharterV(2));
  doc["utc_offset_minutes"] = -720;
  EXPECT_REFUSED(Gov(gov, Admin(), AdoptCharter{doc.dump()}), "invalid_charter");
}

// Consent is granted only to a subscriber of the policy in force, even one
// the permit consented to before the policy dropped it.
TEST(Refusal, ConsentToASubscriberThePolicyDroppedIsRefused) {
  PermitWorld w;
  w.AdvanceTo(S::kIssued);
  ASSERT_EQ(w.Run(Applicant(), GrantConsent{"bank-dki"}).events.size(), 1u);
  EXPECT_TRUE(w.Run(Applicant(), GrantConsent{"bank-dki"}).events.empty()) << "held already";
  auto doc = nlohmann::json::parse(DefaultCharterText());
  doc["data_sharing"].erase("bank-dki");
  doc["charter_version"] = 2;
  w.gov.charter = std::make_shared<const Charter>(*Charter::FromJson(doc.dump()));
  EXPECT_REFUSED(w.Try(Applicant(), GrantConsent{"bank-dki"}), "unknown_subscriber");
  EXPECT_EQ(w.Run(Applicant(), WithdrawConsent{"bank-dki"}).events.size(), 1u)
      << "a consent held can always be withdrawn";
}

// The administrator is told which steps no enrolled officer may take, and
// where: a kelurahan role covers its kelurahan, a kecamatan role all of them.
TEST(Governance, UnstaffedStepsNameTheActionAndTheKelurahan) {
  GovernanceState gov;
  ASSERT_FALSE(AdoptAt(gov, nlohmann::json::parse(CharterV(1)), 2));
  const auto kelurahan = gov.charter->kelurahan;
  auto where = [&](const std::string& action) {
    for (const auto& step : UnstaffedSteps(gov))
      if (step.action == action) return step.kelurahan;
    return std::vector<std::string>{};
  };
  auto enrol = [&](const std::string& id, const std::string& role, const std::string& at) {
    const Decision d = Gov(gov, Admin(), EnrollOfficer{id, "Budi", role, at, "t-" + id});
    ASSERT_FALSE(d.refusal) << d.refusal->message;
    for (const auto& e : d.events) EvolveGovernance(gov, e);
  };
  EXPECT_EQ(where("recommend").size(), kelurahan.size()) << "nobody enrolled yet";
  EXPECT_TRUE(where("withdraw").empty()) << "the applicant's own step";
  EXPECT_TRUE(where("submit_application").empty()) << "the applicant may apply";
  enrol("lurah-1", "lurah", kKel);
  auto recommend = where("recommend");
  EXPECT_EQ(recommend.size(), kelurahan.size() - 1);
  EXPECT_EQ(std::find(recommend.begin(), recommend.end(), kKel), recommend.end());
  // record_survey is the economy section's or the PTSP officer's: one of
  // either in a kelurahan staffs it there; a kecamatan role would cover all.
  enrol("ptsp-1", "ptsp_officer", kKel);
  auto survey = where("record_survey");
  EXPECT_EQ(std::find(survey.begin(), survey.end(), kKel), survey.end());
  auto doc = nlohmann::json::parse(gov.charter->canonical_json);
  doc["charter_version"] = gov.charter->version + 1;
  doc["permissions"]["record_survey"] = {"kecamatan_umkm"};
  ASSERT_FALSE(AdoptAt(gov, doc, 20));
  EXPECT_EQ(where("record_survey").size(), kelurahan.size()) << "granted to a role nobody holds";
  enrol("umkm-1", "kecamatan_umkm", kKec);
  EXPECT_TRUE(where("record_survey").empty());
}

TEST(Governance, EnrollOfficer) {
  GovernanceState none;
  EXPECT_REFUSED(Gov(none, Admin(), EnrollOfficer{"o1", "Budi", "lurah", kKel, "t1"}),
                 "no_charter");
  GovernanceState gov = DefaultGovernance();
  const uint64_t v = gov.version;
  EXPECT_REFUSED(Gov(gov, Officer("ptsp_head"), EnrollOfficer{"o1", "Budi", "lurah", kKel, "t1"}),
                 "role_not_permitted");
  for (const char* role : {"mayor", "applicant", "admin"}) {
    EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", role, kKel, "t1"}),
                   "unknown_role");
  }
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", kKec, "t1"}),
                 "unknown_kelurahan");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", "31.74.10.1099", "t1"}),
                 "unknown_kelurahan");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "kecamatan_monitor", kKel, "t1"}),
                 "invalid_jurisdiction");
  EXPECT_ACCEPTED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "kecamatan_monitor", kKec, "t1"}));
  EXPECT_ACCEPTED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "auditor", "BPK", "t1"}));
  // A role of scope all works nowhere in particular; the others name where.
  EXPECT_ACCEPTED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "auditor", "", "t1"}));
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", "", "t1"}),
                 "missing_field");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "kecamatan_monitor", "", "t1"}),
                 "missing_field");
  // The id is published for good: no e-mail address, NIK or phone number.
  for (const char* id : {"rina.kusuma@jakarta.go.id", "3174012345678901", "ptsp-081234567890",
                         "hp-0812-3456-7890", "0812.3456.7890", "ptsp-3174.0123.4567.8901",
                         "nik_3174_0123_4567_8901", "hp-62-812-3456-7890"}) {
    SCOPED_TRACE(id);
    EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{id, "Budi", "lurah", kKel, "t1"}),
                   "personal_data_in_text");
  }
  for (const char* id :
       {"ptsp@ulujami", "aide@31.74.10.1002", "ptsp-ulujami-2", "lurah-2026", "a@b.c1"}) {
    SCOPED_TRACE(id);
    EXPECT_ACCEPTED(Gov(gov, Admin(), EnrollOfficer{id, "Budi", "lurah", kKel, "t1"}));
  }
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"", "Budi", "lurah", kKel, "t1"}),
                 "missing_field");
  // The name is public on the transparency log for good: no phone number or
  // e-mail address in it.
  for (const char* name : {"Rina 0812 3456 7890", "Rina (rina@gmail.com)"})
    EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", name, "lurah", kKel, "t1"}),
                   "personal_data_in_text");
  for (const std::string& id :
       std::vector<std::string>{"a/b", "ptsp x", "../etc", std::string("a\0b", 3), "   ", "é",
                                std::string(65, 'a'), "admin", "applicant", ".", ".."})
    EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{id, "Budi", "lurah", kKel, "t1"}),
                   "invalid_officer_id");
  EXPECT_ACCEPTED(
      Gov(gov, Admin(), EnrollOfficer{"lurah.ulujami_2-b@x", "Budi", "lurah", kKel, "t1"}));
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"lurah@31.74.10.1002", "B", "lurah", kKel, "t"}),
                 "officer_exists");
  // Ids differing in letter case only would read as one officer.
  for (const char* id : {"ADMIN", "Applicant"})
    EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{id, "Budi", "lurah", kKel, "t9"}),
                   "invalid_officer_id");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"Lurah@31.74.10.1002", "B", "lurah", kKel, "t9"}),
                 "officer_exists");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", kKel, ""}),
                 "missing_field");
  EXPECT_REFUSED(
      Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", kKel, "token-lurah@31.74.10.1002"}),
      "token_in_use");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "", "lurah", kKel, "t1"}), "missing_field");
  EXPECT_REFUSED(Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", kKel, "t1"}, v - 1),
                 "version_conflict");

  Decision d = Gov(gov, Admin(), EnrollOfficer{"o1", "Budi", "lurah", kKel, "t1"}, v);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].seq, v + 1);
  EXPECT_EQ(d.events[0].event_id, "governance/" + std::to_string(v + 1));
  EvolveGovernance(gov, d.events[0]);
  EXPECT_EQ(gov.version, v + 1);
  EXPECT_EQ(gov.officers.at("o1").role, "lurah");
  EXPECT_EQ(gov.officers.at("o1").jurisdiction, kKel);
  EXPECT_EQ(gov.officer_by_token.at("t1"), "o1");
}

TEST(Governance, RetireOfficer) {
  PermitWorld w;
  w.AdvanceTo(S::kSubmitted);
  const Actor ptsp = Officer("ptsp_officer");
  EXPECT_REFUSED(Gov(w.gov, Officer("ptsp_head"), RetireOfficer{ptsp.id, "pindah"}),
                 "role_not_permitted");
  EXPECT_REFUSED(Gov(w.gov, Admin(), RetireOfficer{"nobody", "pindah"}), "unknown_officer");
  EXPECT_REFUSED(Gov(w.gov, Admin(), RetireOfficer{"", "pindah"}), "missing_field");
  EXPECT_REFUSED(Gov(w.gov, Admin(), RetireOfficer{ptsp.id, ""}), "missing_field");
  EXPECT_REFUSED(Gov(w.gov, Admin(), RetireOfficer{ptsp.id, "  "}), "missing_field");
  // The reason is on the public transparency log, for good.
  EXPECT_REFUSED(Gov(w.gov, Admin(), RetireOfficer{ptsp.id, "NIK 3174012345678901"}),
                 "personal_data_in_text");
  EXPECT_REFUSED(w.Try(Admin(), RetireOfficer{ptsp.id, "pindah"}), "wrong_stream");

  Decision d = Gov(w.gov, Admin(), RetireOfficer{ptsp.id, "pindah tugas"});
  ASSERT_EQ(d.events.size(), 1u);
  const auto& retired = std::get<OfficerRetired>(d.events[0].payload);
  EXPECT_EQ(retired.officer_id, ptsp.id);
  const std::string token = w.gov.officers.at(ptsp.id).token_hash;
  EvolveGovernance(w.gov, d.events[0]);
  EXPECT_FALSE(w.gov.officers.count(ptsp.id));
  EXPECT_FALSE(w.gov.officer_by_token.count(token)) << "the token no longer authenticates";
  // A command sent before the retirement and decided after it.
  EXPECT_REFUSED(w.Try(ptsp, VerifyDocuments{}), "officer_not_enrolled");
  EXPECT_REFUSED(Gov(w.gov, Admin(), RetireOfficer{ptsp.id, "again"}), "unknown_officer");
  // The same id enrolled again (a new post, or a new token) acts again, in its new place only.
  d = Gov(w.gov, Admin(), EnrollOfficer{ptsp.id, "Rina", "ptsp_officer", "31.74.10.1005", "t2"});
  ASSERT_EQ(d.events.size(), 1u);
  EvolveGovernance(w.gov, d.events[0]);
  EXPECT_REFUSED(w.Try(ptsp, VerifyDocuments{}), "officer_not_enrolled");
}

// Ids (an officer's, a command_id) hold no e-mail address or mobile number;
// a command id may be a UUID or a timestamp, an officer's id not a long
// number.
TEST(Refusal, AnIdHoldsNoContact) {
  for (const char* id :
       {"hp-081377778888", "0813-1234-5678", "x_62.812.3456.7890", "budi@mail.com"})
    EXPECT_TRUE(PersonalDataInId(id, false)) << id;
  for (const char* id :
       {"550e8400-e29b-41d4-a716-446655440000", "cmd-1733212345678", "ptsp@31.74.10.1002",
        "apply-3174051508900001", "bb5daea0-476f-4e08-8048-104297ae0ba9",
        "fa678d08-4882-4679-9015-9e3330c45082", "verify-08-12-2026-001", "SRV-08-12-2026-0001",
        "08122026-0001", "cmd_08.12.2026_01", "reject-081226-0042"})
    EXPECT_FALSE(PersonalDataInId(id, false)) << id;
  // A UUID is read as nothing: its hex digits may spell a short name.
  EXPECT_EQ(WithoutUuids("apply-74ade709-b82a-4955-9677-14fa61ff052b"), "apply--");
  EXPECT_EQ(WithoutUuids("a74ade709-b82a-4955-9677-14fa61ff052b"),  // 9 hex digits first
            "a74ade709-b82a-4955-9677-14fa61ff052b");
  EXPECT_FALSE(MentionsName(WithoutUuids("74ade709-b82a-4955-9677-14fa61ff052b"), "Ade"));
  EXPECT_TRUE(PersonalDataInId("apply-3174051508900001", true));
  EXPECT_TRUE(PersonalDataInId("ptsp-1733212345678", true));
}

}  // namespace
}  // namespace pl::testing
