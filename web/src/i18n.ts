// Bahasa Indonesia by default, English one click away; the choice is kept in
// localStorage. Static text carries data-i18n="key" (or data-i18n-attr for
// attributes); dynamic text calls t().

export type Lang = 'id' | 'en';
type Dict = Record<string, string>;

const id: Dict = {
  'app.name': 'Buku Besar Izin {permitType}',
  'app.area': 'Kecamatan Pesanggrahan, Jakarta Selatan',
  'app.area.other': 'Kecamatan {kecamatanName}',
  'nav.dashboard': 'Dasbor publik',
  'nav.track': 'Lacak permohonan',
  'nav.officer': 'Petugas',
  'nav.label': 'Halaman',
  'skip': 'Lompat ke isi',
  'lang.switch': 'English',
  'lang.switch.label': 'Switch to English',
  'footer.text':
    'Layanan Izin Usaha Mikro Kecil (IUMK) yang gratis. Data publik tanpa data pribadi (UU 27/2022 tentang Pelindungan Data Pribadi).',
  'footer.text.other':
    'Layanan izin {permitType} Kecamatan {kecamatanName}. Data publik tanpa data pribadi (UU 27/2022 tentang Pelindungan Data Pribadi).',
  'loading': 'Memuat…',
  'sending': 'Mengirim…',
  'error.network': 'Tidak dapat menghubungi sistem. Periksa koneksi lalu coba lagi.',
  'error.prefix': 'Sistem menolak',
  'apierr.unknown_tracking_code':
    'Tidak ada permohonan dengan kode lacak ini. Periksa kode pada tanda terima permohonan Anda.',
  // The ledger's refusals the pages can meet, in Bahasa Indonesia; the
  // ledger's own (English) message follows as the detail.
  'apierr.unauthenticated': 'Token petugas tidak dikenal. Masuk lagi dengan token yang diberikan admin.',
  'apierr.officer_not_enrolled': 'Petugas ini sudah tidak terdaftar. Minta admin mendaftarkan Anda kembali dengan token baru.',
  'apierr.role_not_permitted':
    'Menurut piagam, peran Anda tidak boleh mengambil tindakan ini. Serahkan kepada petugas dengan peran yang berwenang.',
  'apierr.outside_jurisdiction':
    'Permohonan ini di luar wilayah tugas Anda. Petugas kelurahan tempat usaha yang menanganinya.',
  'apierr.unknown_permit': 'Tidak ada permohonan dengan nomor ini. Periksa nomor permohonan.',
  'apierr.version_conflict':
    'Petugas lain sudah bertindak atas permohonan ini lebih dahulu. Status terbaru ditampilkan; periksa, lalu ulangi bila masih perlu.',
  'apierr.command_id_reused':
    'Percobaan sebelumnya sudah tercatat di sistem (jawabannya tidak sampai ke halaman), jadi kiriman ini tidak dicatat lagi. Status terbaru ditampilkan: periksa riwayatnya sebelum bertindak lagi.',
  'apierr.transition_not_allowed':
    'Tindakan ini tidak dapat diambil pada status permohonan sekarang. Muat ulang halaman untuk melihat status terbaru.',
  'apierr.zoning_non_compliant':
    'Survei mencatat lokasi tidak sesuai zonasi, jadi rekomendasi tidak dapat diberikan. Pilih "Tolak rekomendasi" dengan alasannya.',
  'apierr.time_before_history':
    'Jam server sistem tidak cocok dengan riwayat permohonan ini (lebih awal dari langkah terakhirnya). Tidak ada yang dicatat. Laporkan kepada administrator sistem.',
  'apierr.documents_missing':
    'Dokumen wajib belum lengkap, jadi dokumen belum dapat diverifikasi. Pilih "Minta kelengkapan dokumen".',
  'apierr.documents_still_missing': 'Masih ada dokumen yang kurang: semua dokumen yang diminta dicatat sekaligus, saat semuanya sudah diserahkan. Simpan dulu dokumen yang sudah dibawa, lalu catat semuanya ketika yang lain menyusul.',
  'apierr.unknown_document': 'Dokumen itu tidak dikenal piagam. Pilih dari daftar dokumen.',
  'apierr.unknown_reason_code': 'Kode alasan itu tidak ada dalam piagam. Pilih alasan dari daftar.',
  'apierr.invalid_date':
    'Tanggal survei tidak berlaku. Pilih hari kerja (bukan akhir pekan atau hari libur) mulai hari ini, paling lambat setahun lagi (TTTT-BB-HH).',
  'apierr.unknown_officer': 'Salah satu anggota tim bukan petugas terdaftar. Periksa ID petugas.',
  'apierr.missing_field': 'Ada isian wajib yang kosong. Lengkapi isian itu.',
  'apierr.field_too_long': 'Teksnya terlalu panjang. Persingkat isian.',
  'apierr.invalid_text': 'Teksnya memuat karakter yang tidak diterima. Ketik ulang isian tanpa karakter khusus.',
  'apierr.personal_data_in_text':
    'Teks ini dibaca orang lain: nama dan uraian usaha tampil di register publik, alasan dipublikasikan (umpan kementerian; alasan pencabutan di verifikasi izin, selamanya), catatan survei dan nomor surat disimpan dalam riwayat yang dibaca pemantau dan auditor. Jangan tulis nomor NIK, KK, NPWP, atau telepon, alamat e-mail, nama pemohon atau sebagian besarnya (nama depan saja boleh), maupun alamat rumahnya (nama jalan). Tulis ulang tanpa data pribadi; rincian menyebut isian mana.',
  'apierr.body_too_large': 'Isian terlalu besar untuk dikirim. Persingkat teksnya.',
  'apierr.unavailable': 'Sistem sedang tidak dapat mencatat; tindakan belum tercatat. Coba lagi sebentar lagi (mengulang aman).',
  'apierr.internal': 'Server gagal menjawab permintaan ini; kejadiannya tercatat di log server. Coba lagi sebentar lagi; bila terus terjadi, hubungi pengelola sistem.',
  'apierr.outcome_unknown':
    'Hasil tindakan belum diketahui; mungkin sudah tercatat. Tekan tombol yang sama lagi untuk mengetahui hasilnya (tidak tercatat dua kali).',
  'apierr.consent_not_required': 'Penerima ini mendapat data menurut kebijakan berbagi data tanpa perlu persetujuan.',
  'apierr.invalid_parameter': 'Isian pencarian tidak berlaku. Periksa isian pencarian.',
  'apierr.invalid_query': 'Isian pencarian tidak berlaku. Periksa isian pencarian.',
  'apierr.unknown_kelurahan': 'Kelurahan itu tidak ada dalam piagam. Pilih dari daftar kelurahan.',
  'apierr.request': 'Halaman mengirim permintaan yang tidak dipahami sistem. Muat ulang halaman; bila terulang, laporkan kepada admin.',
  'apierr.team_outside_jurisdiction':
    'Ada anggota tim survei yang tidak bertugas di kelurahan permohonan ini. Isi tim dengan petugas kelurahan ini (rincian menyebut siapa).',
  'apierr.team_member_not_permitted':
    'Ada anggota tim survei dengan peran yang tidak boleh melihat data pribadi pemohon (pemantau atau auditor), padahal survei lapangan mendatangi tempat usaha pemohon. Isi tim dengan petugas yang menangani permohonan (rincian menyebut perannya).',
  'apierr.team_cannot_record':
    'Tidak ada anggota tim survei yang boleh mencatat hasil survei. Tambahkan petugas dengan peran pencatat survei (rincian menyebut perannya).',
  'apierr.not_on_survey_team':
    'Anda tidak termasuk tim survei yang dijadwalkan. Hasil survei dicatat oleh anggota tim; petugas PTSP dapat menjadwalkan ulang survei dengan dirinya di dalam tim; peran lain meminta petugas PTSP menjadwalkan ulang dengan Anda di dalam tim.',
  'apierr.duplicate_entry':
    'Ada isian yang disebut dua kali (misalnya anggota tim yang sama, atau dokumen yang sama). Hapus yang berulang, lalu kirim lagi.',
  'apierr.already_exists': 'Permohonan ini sudah tercatat. Cari di antrean atau buka dengan ID-nya; jangan mengajukan ulang.',
  'apierr.unknown_action': 'Sistem tidak mengenal tindakan ini. Muat ulang halaman; bila terulang, laporkan kepada admin.',
  'apierr.wrong_stream': 'Perintah dikirim ke catatan sistem yang salah. Muat ulang halaman; bila terulang, laporkan kepada admin.',
  'apierr.no_charter': 'Belum ada piagam layanan yang berlaku, jadi sistem belum menerima tindakan. Minta admin menetapkan piagam.',
  'apierr.invalid_nik': 'NIK harus tepat 16 angka: kode provinsi (11–96), kode wilayah, tanggal lahir (DDMMYY, tanggal ditambah 40 untuk perempuan), nomor urut. Periksa NIK pada KTP pemohon; mungkin ada angka yang salah ketik.',
  'apierr.invalid_phone': 'Nomor telepon harus 8 sampai 15 angka (misalnya 0812…, atau + dan kode negara). Kosongkan jika tidak ada.',
  'apierr.invalid_kbli': 'Kode KBLI harus tepat 5 angka. Periksa kode KBLI usaha.',
  'apierr.invalid_amount': 'Modal dan omzet tidak boleh negatif. Periksa jumlahnya (dalam rupiah).',
  'apierr.invalid_workers': 'Tenaga kerja minimal 1 orang. Periksa jumlah tenaga kerja.',
  'apierr.invalid_premises': 'Tempat usaha harus "milik sendiri" atau "sewa". Pilih salah satu.',
  'apierr.ineligible_capital':
    'Modal usaha melebihi batas usaha mikro dan kecil dalam piagam, jadi tidak dapat diberi {permitType}. Arahkan pemohon ke perizinan yang sesuai.',
  'apierr.ineligible_turnover':
    'Omzet usaha melebihi batas usaha mikro dan kecil dalam piagam, jadi tidak dapat diberi {permitType}. Arahkan pemohon ke perizinan yang sesuai.',
  'apierr.ineligible_workers':
    'Jumlah tenaga kerja melebihi batas dalam piagam, jadi tidak dapat diberi {permitType}. Arahkan pemohon ke perizinan yang sesuai.',
  'apierr.unknown_subscriber': 'Penerima data itu tidak ada dalam kebijakan berbagi data piagam. Periksa ID penerima (mis. bank-dki).',
  'apierr.invalid_charter': 'Dokumen piagam tidak berlaku; rincian menyebut bagiannya. Perbaiki bagian itu, lalu kirim lagi.',
  'apierr.stale_charter_version': 'Versi piagam harus lebih tinggi dari versi yang berlaku. Naikkan charter_version, lalu kirim lagi.',
  'apierr.kelurahan_removed': 'Piagam baru tidak boleh menghapus kelurahan atau mengubah kodenya. Pertahankan semua kelurahan.',
  'apierr.unknown_role': 'Peran itu tidak ada dalam piagam, atau bukan peran petugas. Pilih peran petugas dari piagam.',
  'apierr.invalid_jurisdiction': 'Wilayah tugas tidak cocok dengan peran: peran kecamatan memakai kode kecamatan. Periksa wilayah tugasnya.',
  'apierr.invalid_officer_id':
    'ID petugas hanya boleh berisi huruf, angka, titik, garis bawah, tanda hubung, atau @ (paling banyak 64), dan bukan admin atau applicant. Ganti ID-nya.',
  'apierr.officer_exists': 'Petugas dengan ID ini sudah terdaftar. Pakai ID lain, atau pensiunkan petugas itu lebih dahulu.',
  'apierr.token_in_use': 'Token ini sudah dipakai petugas lain. Buat token baru.',
  'apierr.enrolment_retired':
    'Petugas ini sudah dipensiunkan setelah pendaftaran itu, jadi token lamanya tidak berlaku. Daftarkan lagi dengan command_id baru.',
  'apierr.out_of_range': 'Nomor yang diminta berada di luar log transparansi. Periksa nomornya.',
  'apierr.backup_on_kafka':
    'Di Kafka, salinan cadangan dibuat dari klaster Kafka sendiri, bukan dari server ini. Minta operator klaster membuatnya.',
  'apierr.backup_in_progress': 'Salinan cadangan sedang dibuat. Tunggu jawabannya, lalu minta lagi bila perlu.',
  'error.detail': 'Rincian dari sistem (dalam bahasa Inggris)',
  'none': '—',
  'yes': 'Ya',
  'no': 'Tidak',
  'close': 'Tutup',
  'days': '{n} hari kerja',

  // Dashboard
  'dash.title': 'Kinerja layanan izin {permitType}',
  'dash.charts': 'Grafik kinerja',
  'off.everywhere': 'semua wilayah',
  'dash.lead':
    'Berapa lama setiap tahap berlangsung, berapa yang selesai tepat waktu, dan apa hasilnya — untuk seluruh kecamatan dan setiap kelurahan. Angka dihitung langsung dari sistem.',
  'dash.area': 'Wilayah',
  'dash.area.all': 'Seluruh Kecamatan {name}',
  'dash.month': 'Bulan',
  'dash.month.running': '{month} (berjalan)',
  'dash.charter': 'Piagam versi {v}',
  'dash.showing': 'Menampilkan {area}, {month}',
  'col.code': 'Kode',
  'col.rating': 'Penilaian',
  'ontime.legend': 'Warna batang:',
  'ontime.good': 'hijau, baik: 80% atau lebih',
  'ontime.fair': 'oranye, perlu perhatian: 60% sampai di bawah 80%',
  'ontime.poor': 'merah, buruk: di bawah 60%',
  'rating.good': 'Baik (80% atau lebih)',
  'rating.fair': 'Perlu perhatian (60% sampai di bawah 80%)',
  'rating.poor': 'Buruk (di bawah 60%)',
  'kpi.open': 'Permohonan berjalan',
  'kpi.open.overdue': '{n} di antaranya melewati batas waktu tahapnya',
  'kpi.issued': 'Izin diterbitkan',
  'kpi.issued.sub': '{months}; {n} di antaranya kemudian dicabut',
  'kpi.ontime': 'Tahap selesai tepat waktu',
  'kpi.ontime.sub': '{on} dari {total} tahap, semua bulan',
  'kpi.rejected': 'Ditolak',
  'kpi.months': 'dalam {n} bulan',
  'dash.nodata': 'belum ada data',
  'chart.stage': 'Permohonan menurut tahap saat ini',
  'chart.stage.desc': 'Jumlah permohonan yang sekarang berada di setiap status.',
  'chart.median': 'Median hari kerja per tahap, {month}',
  'chart.median.desc':
    'Median hari kerja di setiap tahap (bagi yang keluar dari tahap itu pada bulan ini), dibandingkan dengan standar layanan piagam.',
  'chart.ontime': 'Tahap selesai tepat waktu, {month}',
  'chart.ontime.desc': 'Persentase yang keluar dari tahap dalam batas standar layanan.',
  'chart.trend': 'Ketepatan waktu dan permohonan baru per bulan',
  'chart.trend.desc': 'Permohonan baru setiap bulan (tanpa yang diajukan kembali setelah melengkapi dokumen) dan persentase tahap yang selesai tepat waktu.',
  'chart.outcomes': 'Hasil per bulan',
  'chart.outcomes.desc': 'Izin terbit, ditolak, dicabut, dan permohonan ditarik setiap bulan.',
  'chart.reasons': 'Alasan penolakan',
  'chart.reasons.desc': 'Semua bulan, menurut kode alasan.',
  'chart.kelurahan': 'Ketepatan waktu per kelurahan',
  'chart.kelurahan.desc': 'Persentase tahap yang selesai tepat waktu, semua bulan.',
  'series.median': 'Median (hari kerja)',
  'series.sla': 'Standar layanan (hari kerja)',
  'series.share': 'Tepat waktu (%)',
  'series.count': 'Jumlah',
  'series.applications': 'Permohonan baru',
  'col.stage': 'Tahap',
  'col.month': 'Bulan',
  'col.count': 'Jumlah',
  'col.median': 'Median hari kerja',
  'col.sla': 'Standar layanan',
  'col.ontime': 'Tepat waktu',
  'col.total': 'Total',
  'col.share': 'Persentase',
  'col.reason': 'Alasan',
  'col.kelurahan': 'Kelurahan',
  'show.numbers': 'Lihat angka',
  'download.csv': 'Unduh CSV',
  'no.data': 'Belum ada data untuk pilihan ini.',
  'register.title': 'Daftar izin yang terbit',
  'register.lead':
    'Daftar publik izin {permitType}: nama usaha, jenis usaha, kelurahan, dan masa berlaku. Tanpa data pribadi.',
  'register.search': 'Cari nama usaha atau nomor izin',
  'register.kelurahan': 'Kelurahan',
  'register.all': 'Semua kelurahan',
  'register.count': '{n} izin ditemukan',
  'register.count.max': 'Menampilkan {n} izin pertama; persempit pencarian.',
  'register.empty': 'Tidak ada izin yang cocok.',
  'register.none': 'Belum ada izin yang terbit.',
  'register.more': 'Tampilkan {n} lagi',
  'register.shown': 'Menampilkan {shown} dari {n}.',
  'col.number': 'Nomor izin',
  'col.business': 'Nama usaha',
  'col.type': 'Jenis usaha',
  'col.issued': 'Terbit',
  'col.valid_until': 'Berlaku sampai',
  'col.status': 'Status',
  'verify.title': 'Periksa keaslian izin',
  'verify.lead':
    'Bank, mitra, atau siapa pun dapat memeriksa apakah nomor izin terdaftar dan masih berlaku.',
  'verify.number': 'Nomor izin',
  'verify.hint': 'Contoh: {permitType}/{exampleKel2}/2026/P1A2B3C4D5E6F',
  'verify.button': 'Periksa',
  'verify.required': 'Isi nomor izin terlebih dahulu.',
  'result.valid': 'Sah dan berlaku',
  'result.revoked': 'Dicabut',
  'result.expired': 'Masa berlaku habis',
  'result.unknown': 'Tidak terdaftar',
  'result.valid.text': 'Izin {number} terdaftar atas usaha "{business}" di Kelurahan {kelurahan}, berlaku sampai {until}.',
  'result.revoked.text': 'Izin {number} ("{business}") telah dicabut pada {revoked} dan tidak berlaku lagi.',
  'verify.revoked_on': 'Dicabut pada',
  'verify.code_mismatch': 'Kode verifikasi (QR) ini menyebut izin tersebut tetapi bukan catatannya di log transparansi: kode ini tidak dibuat oleh sistem, jadi dokumen yang memuatnya bukan dokumen yang diterbitkan. Cocokkan dokumen dengan jawaban di bawah dan laporkan kepada UP PTSP.',
  'verify.revocation_reason': 'Dasar pencabutan',
  'register.revoked_on': 'pada {date}',
  'result.expired.text': 'Izin {number} ("{business}") sudah tidak berlaku: masa berlakunya sampai {until}.',
  'result.unknown.text': 'Nomor {number} tidak ada dalam daftar izin. Periksa penulisannya; nama usaha dicari di daftar izin di atas.',

  // Tracking
  'track.title': 'Lacak permohonan Anda',
  'track.lead':
    'Masukkan kode lacak yang Anda terima saat mendaftar. Anda akan melihat tahap permohonan, dokumen yang kurang, langkah berikutnya dan siapa yang mengerjakannya, serta batas waktunya.',
  'track.code': 'Kode lacak',
  'track.code.hint': '20 huruf dan angka, misalnya ABCDE-12345-FGHJK-67890. Rahasiakan kode ini.',
  'track.button': 'Lacak',
  'track.required': 'Isi kode lacak terlebih dahulu.',
  'track.format': 'Kode lacak terdiri dari 20 huruf/angka (4 kelompok 5, tanda hubung boleh ditulis atau tidak).',
  'track.status': 'Status',
  'track.kelurahan': 'Kelurahan',
  'track.submitted': 'Diajukan',
  'track.due': 'Batas waktu tahap ini',
  'track.due.yours': 'Batas waktu Anda melengkapi dokumen',
  'track.survey.rescheduling': '{date}, akan dijadwalkan ulang',
  'track.overdue': 'Terlambat',
  'track.ontrack': 'Sesuai jadwal',
  'track.due.none': 'Tidak ada batas waktu',
  'track.timeline': 'Tahapan',
  'track.missing': 'Dokumen yang masih kurang',
  'track.missing.none': 'Tidak ada dokumen yang kurang.',
  'track.missing.optional': '(bila punya)',
  'track.next': 'Langkah berikutnya',
  'track.next.who': 'oleh {who}',
  'track.next.none': 'Tidak ada langkah lagi: permohonan sudah selesai.',
  'track.next.you': 'Anda (pemohon): bawa dokumen yang kurang ke UP PTSP Kelurahan.',
  'track.history': 'Riwayat',
  'track.permit': 'Izin Anda',
  'track.permit.text': 'Nomor izin {number}, berlaku sampai {until}.',
  'track.permit.revoked': 'Izin nomor {number} telah dicabut dan tidak berlaku lagi.',
  'track.nolinks':
    'Demi keamanan, kode lacak tidak dibaca dari tautan (peramban menyimpan setiap alamat di riwayatnya). Ketik kode Anda di atas.',
  'track.verify.link': 'Periksa di daftar publik',
  'track.outcome': 'Hasil',
  'track.survey': 'Jadwal survei lokasi: {date}',
  'track.privacy': 'Halaman ini tidak menampilkan data pribadi Anda.',
  'track.actions': 'Yang dapat Anda lakukan',
  'track.consent': 'Izin berbagi data',
  'track.consent.lead':
    'Pihak ini menerima data pribadi Anda hanya dengan izin Anda (misalnya bank untuk pinjaman usaha), dan langsung setelah izin diberikan, juga selama permohonan masih diproses. Izin dapat ditarik kapan saja; data yang sudah terkirim tetap ada pada pihak itu.',
  'track.consent.held': 'izin diberikan',
  'track.consent.held_erased': 'izin masih tercatat, tetapi data Anda sudah dihapus dan penerima diminta menghapus salinannya',
  'track.consent.none': 'tanpa izin',
  'track.consent.fields': 'data: {fields}',
  'track.consent.grant': 'Beri izin',
  'track.consent.withdraw': 'Tarik izin',
  'track.consent.granted': 'Izin berbagi data sudah dicatat.',
  'track.consent.withdrawn': 'Izin berbagi data sudah ditarik.',
  'track.withdraw': 'Tarik permohonan',
  'track.withdraw.reason': 'Alasan',
  'track.withdraw.public':
    'Alasan ini diumumkan (ke kementerian), jadi jangan tulis nama, alamat rumah, NIK, atau nomor telepon.',
  'track.withdraw.button': 'Tarik permohonan ini',
  'track.withdraw.done': 'Permohonan sudah ditarik.',
  'track.erase': 'Hapus data pribadi saya',
  'track.erase.lead':
    'Nama, NIK, alamat, dan kontak Anda pada permohonan ini dihapus untuk selamanya. Riwayat tanpa data pribadi tetap ada, begitu pula izin bila sudah terbit.',
  'track.erase.sure': 'Saya mengerti bahwa penghapusan ini tidak dapat dibatalkan.',
  'track.erase.button': 'Hapus data pribadi',
  'track.erase.done': 'Data pribadi Anda pada permohonan ini sudah dihapus.',
  'track.erase.already': 'Data pribadi pada permohonan ini sudah dihapus.',
  'track.erase.ordered':
    'Data pribadi pada permohonan ini sudah dihapus atas perintah hukum. Tanpa data itu izin tidak dapat diterbitkan: permohonan akan ditolak oleh Kepala UP PTSP Kelurahan. Untuk izin, ajukan permohonan baru.',
  'track.erase.later': 'Data pribadi dapat dihapus setelah permohonan selesai atau ditarik.',
  'track.withdraw.required': 'Tulis alasan penarikan.',
  'track.withdraw.confirm':
    'Anda akan menarik permohonan "{business}". Setelah tercatat, penarikan tidak dapat dibatalkan: untuk melanjutkan usaha ini Anda perlu mengajukan permohonan baru. Lanjutkan?',
  'track.withdraw.yes': 'tarik permohonan',
  'track.erase.required': 'Centang kotak ini untuk menyatakan bahwa Anda mengerti penghapusan tidak dapat dibatalkan.',
  // The applicant's own texts for refusals (before apierr.*, whose texts speak to officers).
  'track.apierr.version_conflict':
    'Permohonan Anda berubah sejak halaman ini dibuka (oleh petugas, atau oleh Anda dari perangkat lain). Keadaan terbarunya ditampilkan: periksa, lalu ulangi bila masih perlu.',
  'track.apierr.transition_not_allowed':
    'Langkah ini tidak dapat diambil pada tahap permohonan Anda sekarang. Keadaan terbarunya ditampilkan.',
  'track.apierr.command_id_reused':
    'Kiriman sebelumnya sudah tercatat (jawabannya tidak sampai ke halaman ini), jadi tidak dicatat lagi. Keadaan terbarunya ditampilkan: periksa riwayatnya.',
  'track.apierr.personal_data_in_text':
    'Alasan penarikan diumumkan, jadi tidak boleh memuat data pribadi: nama Anda, nomor NIK, KK, NPWP, atau telepon, alamat e-mail, maupun alamat rumah Anda. Tulis ulang alasannya tanpa data pribadi.',
  'apierr.application_open':
    'Permohonan masih diproses, dan prosesnya memerlukan data Anda. Tarik permohonan dahulu, lalu hapus datanya.',
  'apierr.personal_data_erased': 'Data pribadi pada permohonan ini sudah dihapus, jadi tindakan ini tidak dapat diambil.',
  'step.done': 'selesai',
  'step.current': 'tahap sekarang',
  'step.todo': 'belum',
  'step.stopped': 'berhenti di sini',
  'step.skipped': 'tidak dilalui',

  // Officer
  'off.title': 'Daftar kerja petugas',
  'off.signin': 'Masuk petugas',
  'off.signin.lead':
    'Masukkan token petugas Anda. Token disimpan hanya di tab ini (sessionStorage): dihapus saat Anda keluar, dan setelah 30 menit tanpa aktivitas. Di komputer bersama, keluar lalu tutup tab.',
  'off.token': 'Token petugas',
  'off.token.required': 'Isi token petugas.',
  'off.signin.button': 'Masuk',
  'off.signout': 'Keluar',
  'off.signed': 'Masuk sebagai {id}',
  'off.readonly': 'Hanya baca: peran Anda memantau dan tidak mengambil tindakan.',
  'off.queue': 'Antrean',
  'off.queue.count': '{n} permohonan menunggu',
  'off.queue.count.one': '1 permohonan menunggu',
  'off.queue.empty': 'Tidak ada permohonan yang menunggu tindakan Anda.',
  'off.open.id': 'Buka permohonan dengan ID atau nomor izin',
  'off.open.hint': 'ID permohonan (mis. P74JG76A1GQ9W) atau nomor izin (mis. {permitType}/{exampleKel1}/2026/P74JG76A1GQ9W).',
  'off.open.button': 'Buka',
  'off.refresh': 'Muat ulang',
  'col.permit': 'ID permohonan',
  'col.due': 'Batas waktu',
  'col.next': 'Tindakan berikutnya',
  'off.overdue': 'Terlambat',
  'off.team.gone': 'Tim survei tanpa pencatat lagi: jadwalkan ulang',
  'off.team.pick': 'Tambahkan petugas kelurahan ini:',
  'off.team.gone.detail': 'Tidak ada lagi anggota tim survei yang terdaftar dan boleh mencatat hasilnya di kelurahan ini (pensiun atau pindah). Jadwalkan ulang survei dengan tim yang dapat mencatatnya.',
  'off.detail': 'Permohonan {id}',
  'off.back': 'Kembali ke antrean',
  'off.version': 'Versi',
  'off.business': 'Usaha',
  'off.capital': 'Modal',
  'off.turnover': 'Omzet per tahun',
  'off.workers': 'Tenaga kerja',
  'off.premises': 'Tempat usaha',
  'off.kbli': 'KBLI',
  'off.documents': 'Dokumen diserahkan',
  'off.missing': 'Dokumen kurang',
  'off.applicant': 'Pemohon',
  'off.name': 'Nama',
  'off.address': 'Alamat',
  'off.phone': 'Telepon',
  'off.applicant.hidden': 'Data pribadi tidak ditampilkan untuk peran Anda (ID samaran {id}).',
  'off.applicant.erased': 'Data pribadi telah dihapus (atas permintaan pemohon atau perintah hukum; riwayat menyebutnya).',
  'off.survey': 'Survei lokasi',
  'off.survey.text': '{date}, tim: {team}',
  'off.queue.survey_on': 'survei {date}',
  'off.zoning': 'Sesuai zonasi',
  'off.letter': 'Surat rekomendasi',
  'off.permit': 'Izin',
  'off.outcome': 'Hasil',
  'off.history': 'Riwayat',
  'off.logpos': 'Posisi di log sistem: {pos}',
  'off.actions': 'Tindakan',
  'off.actions.none': 'Tidak ada tindakan untuk peran Anda pada status ini.',
  'off.actions.other': 'Tindakan lain (sistem memeriksa piagam)',
  'off.actions.other.lead':
    'Semua tindakan sistem. Piagam memutuskan siapa yang boleh; tindakan yang tidak diizinkan akan ditolak oleh sistem.',
  'off.actions.notallowed': '(piagam tidak memberikannya ke peran Anda)',
  'off.action.choose': 'Tindakan',
  'off.send': 'Kirim',
  'off.done': 'Tercatat: {action}. Status sekarang {status} (versi {version}).',
  'off.stale': 'Tampilan belum diperbarui (sistem tidak terjangkau): muat ulang sebentar lagi.',
  'off.field.missing': 'Dokumen yang kurang',
  'off.field.provided': 'Dokumen yang diserahkan',
  'off.field.date': 'Tanggal survei (TTTT-BB-HH)',
  'off.field.date.placeholder': 'TTTT-BB-HH',
  'off.field.team': 'Tim survei (ID petugas, pisahkan dengan koma)',
  'off.field.zoning': 'Lokasi sesuai zonasi (RDTR)?',
  'off.field.notes': 'Catatan (opsional)',
  'off.field.letter': 'Nomor surat rekomendasi',
  'off.field.reason': 'Alasan',
  'off.hint.public_reason':
    'Publik: siapa pun dapat membacanya pada verifikasi izin, selamanya. Tulis dasar pencabutan, jangan nama, alamat rumah, NIK, atau kontak seseorang.',
  'off.hint.published_reason':
    'Dipublikasikan (umpan data kementerian): tulis alasannya saja, jangan nama pemohon, alamat rumahnya, NIK, KK, NPWP, nomor telepon, atau e-mail.',
  'off.hint.notes':
    'Disimpan dalam riwayat yang dibaca pemantau dan auditor: jangan tulis nama pemohon, alamat rumahnya, NIK, KK, NPWP, nomor telepon, atau e-mail.',
  'off.confirm.title': 'Tindakan ini tidak dapat dibatalkan',
  'off.confirm.text': 'Anda akan mengirim "{action}" untuk {what}. Setelah tercatat, tindakan ini tidak dapat dibatalkan. Lanjutkan?',
  'off.confirm.application': 'permohonan {id} ("{business}")',
  'off.confirm.permit': 'izin {number} ("{business}")',
  'off.confirm.yes': 'Ya, {action}',
  'off.confirm.no': 'Batal',
  'off.field.reason_code': 'Alasan penolakan',
  'off.field.reason_code.choose': '— pilih alasan —',
  'off.field.subscriber': 'Pelanggan (mis. bank-dki)',
  'off.field.legal': 'Dasar hukum (opsional)',
  'v.required': 'Wajib diisi.',
  'v.choose': 'Pilih minimal satu.',
  'v.date': 'Tulis tanggal sebagai TTTT-BB-HH, misalnya 2026-12-03.',
  'v.date.real': 'Tanggal ini tidak ada di kalender.',
  'v.date.past': 'Tanggal survei tidak boleh sebelum hari ini ({today}).',
  'v.date.far': 'Tanggal survei lebih dari setahun setelah hari ini ({today}); periksa tahunnya.',
  'v.date.workday': 'Tanggal survei harus hari kerja: bukan Sabtu, Minggu, atau hari libur dalam piagam.',
  'v.team': 'ID petugas hanya huruf, angka, titik, garis bawah, tanda hubung, atau @ (paling banyak 64).',
  'v.fix': 'Periksa isian yang ditandai.',
  'v.limit': 'batas {max} karakter tercapai; teks yang lebih panjang tidak masuk',
  'v.nik': 'NIK harus tepat 16 angka, seperti pada KTP.',
  'v.phone': 'Nomor telepon 8 sampai 15 angka, misalnya 0812 3456 7890; kosongkan jika tidak ada.',
  'v.kbli': 'KBLI harus tepat 5 angka.',
  'v.amount': 'Tulis jumlah rupiah dengan angka, titik di antara ribuan: 2.000.000.',
  'v.amount.cents': 'Jumlah rupiah ditulis utuh, tanpa sen: 2.000.000 (atau 2.000.000,00).',
  'v.workers': 'Tulis jumlah orang dengan angka, minimal 1.',
  'error.network.action':
    'Tidak dapat menghubungi sistem, jadi jawabannya tidak sampai: tindakan ini mungkin sudah tercatat. Periksa status dan riwayat permohonan sebelum mengulang (buka lagi permohonannya bila belum termuat ulang). Mengulang dengan tombol yang sama aman (tidak tercatat dua kali).',
  'error.network.counter':
    'Tidak dapat menghubungi sistem, jadi jawabannya tidak sampai: permohonan ini mungkin sudah tercatat. Tekan "Ajukan permohonan" lagi tanpa mengubah isian untuk mengetahui hasilnya dan mendapat kode lacaknya (tidak tercatat dua kali).',
  'off.idle': 'Anda dikeluarkan karena 30 menit tidak ada kegiatan, dan data pemohon disembunyikan. Masuk lagi dengan token Anda.',
  'off.idle.warn': 'Tidak ada kegiatan: Anda akan dikeluarkan dalam {minutes} menit, data pemohon disembunyikan, dan isian yang belum dikirim hilang.',
  'off.idle.stay': 'Tetap masuk',
  'off.idle.stayed': 'Anda tetap masuk.',
  'off.signin.sending': 'Memeriksa token…',
  'off.opening': 'Membuka…',
  'off.counter': 'Ajukan permohonan (loket)',
  'off.counter.lead':
    'Untuk pemohon yang datang ke loket: isi data dari KTP dan formulir, lalu centang dokumen yang diserahkan. Dokumen wajib yang tidak dicentang akan diminta kemudian.',
  'off.counter.kelurahan': 'Kelurahan',
  'off.counter.kelurahan.choose': '— pilih kelurahan —',
  'off.counter.applicant': 'Pemohon',
  'off.counter.business': 'Usaha',
  'off.counter.nik': 'NIK (16 angka)',
  'off.counter.name': 'Nama (sesuai KTP)',
  'off.counter.address': 'Alamat rumah',
  'off.counter.phone': 'Telepon (opsional)',
  'off.counter.bname': 'Nama usaha',
  'off.counter.kbli': 'KBLI (5 angka)',
  'off.counter.description': 'Uraian usaha (opsional)',
  'off.counter.published':
    'Dipublikasikan di daftar izin: jangan tulis nama pemohon, NIK, nomor telepon, atau e-mail.',
  'off.counter.capital': 'Modal usaha (rupiah)',
  'off.counter.turnover': 'Omzet per tahun (rupiah)',
  'off.counter.workers': 'Tenaga kerja (orang)',
  'off.counter.premises': 'Tempat usaha',
  'off.counter.documents': 'Dokumen yang diserahkan',
  'off.counter.submit': 'Ajukan permohonan',
  'off.counter.done': 'Permohonan tercatat',
  'off.counter.done.id': 'ID permohonan',
  'off.counter.done.code': 'Kode lacak',
  'off.counter.done.hand':
    'Serahkan kode lacak ini kepada pemohon: cetak halaman ini atau tulis kodenya pada tanda terima. Kode ini hanya ditampilkan sekali, sekarang: setelah halaman ini ditinggalkan tidak dapat dilihat lagi. Pemohon memakainya untuk melacak dan bertindak atas permohonannya, jadi jangan dibagikan kepada orang lain.',
  'off.counter.done.dup': 'Percobaan sebelumnya sudah tercatat; ini permohonan yang sama, tidak tercatat dua kali.',
  'off.counter.print': 'Cetak tanda terima',
  'off.counter.receipt':
    'Tanda terima permohonan izin usaha. Lacak permohonan Anda di {url} dengan kode lacak di atas. Simpan kode ini dan jangan bagikan: siapa pun yang memegangnya dapat melihat, menarik, atau menghapus data permohonan Anda.',
};

const en: Dict = {
  'app.name': '{permitType} Permit Ledger',
  'app.area': 'Kecamatan Pesanggrahan, South Jakarta',
  'app.area.other': 'Kecamatan {kecamatanName}',
  'nav.dashboard': 'Public dashboard',
  'nav.track': 'Track an application',
  'nav.officer': 'Officers',
  'nav.label': 'Pages',
  'skip': 'Skip to content',
  'lang.switch': 'Bahasa Indonesia',
  'lang.switch.label': 'Ganti ke Bahasa Indonesia',
  'footer.text':
    'The free micro and small business permit (IUMK) service. Public data carries no personal data (Law 27/2022 on Personal Data Protection).',
  'footer.text.other':
    'The {permitType} permit service of Kecamatan {kecamatanName}. Public data carries no personal data (Law 27/2022 on Personal Data Protection).',
  'loading': 'Loading…',
  'sending': 'Sending…',
  'error.network': 'Could not reach the ledger. Check the connection and try again.',
  'error.prefix': 'The ledger refused',
  'apierr.unknown_tracking_code':
    'No application has this tracking code. Check the code on your application receipt.',
  'apierr.unauthenticated': 'Unknown officer token. Sign in again with the token the administrator gave you.',
  'apierr.officer_not_enrolled': 'This officer is no longer enrolled. Ask the administrator to enrol you again with a new token.',
  'apierr.role_not_permitted':
    'Under the charter your role may not take this action. Hand it to an officer in a role that may.',
  'apierr.outside_jurisdiction':
    'This application is outside your jurisdiction. The officers of the kelurahan of the business handle it.',
  'apierr.unknown_permit': 'There is no application with this ID. Check the application ID (or the permit number).',
  'apierr.version_conflict':
    'Another officer acted on this application first. Its current state is shown; check it, then repeat the action if it is still needed.',
  'apierr.command_id_reused':
    'An earlier attempt was recorded already (its answer did not reach the page), so this one was not recorded again. The latest status is shown: check the history before acting again.',
  'apierr.transition_not_allowed':
    'This action cannot be taken in the application’s current status. Reload the page to see its current status.',
  'apierr.zoning_non_compliant':
    'The survey found the location outside the zoning, so no recommendation can be given. Choose "Decline to recommend" with the reason.',
  'apierr.time_before_history':
    'The system’s server clock does not match this application’s history (it is earlier than its last step). Nothing was recorded. Tell the system administrator.',
  'apierr.documents_missing':
    'Required documents are missing, so the documents cannot be verified yet. Choose "Request missing documents".',
  'apierr.documents_still_missing': 'Documents are still missing: the documents asked for are recorded together, once all of them are handed in. Keep those brought so far, and record them all when the rest arrive.',
  'apierr.unknown_document': 'The charter does not know that document. Choose from the list of documents.',
  'apierr.unknown_reason_code': 'That ground is not in the charter. Choose a ground from the list.',
  'apierr.invalid_date':
    'The survey date is not valid. Choose a working day (not a weekend or a holiday) from today, at most a year ahead (YYYY-MM-DD).',
  'apierr.unknown_officer': 'A team member is not an enrolled officer. Check the officer IDs.',
  'apierr.team_outside_jurisdiction':
    'A survey team member does not work in this application’s kelurahan. Name officers of this kelurahan (the detail says who).',
  'apierr.team_member_not_permitted':
    'A survey team member holds a role that may not see the applicant’s personal data (a monitor or an auditor), which a site survey meets. Name officers who handle applications (the detail names the roles).',
  'apierr.team_cannot_record':
    'No one on the survey team may record its result. Add an officer of a role that records surveys (the detail names the roles).',
  'apierr.not_on_survey_team':
    'You are not on the scheduled survey team. A member of the team records the result; a PTSP officer may reschedule it with themselves on the team; other roles ask the PTSP officer to reschedule it with them on the team.',
  'apierr.duplicate_entry':
    'An entry is named twice (the same team member, say, or the same document). Remove the repeat, then send again.',
  'apierr.missing_field': 'A required field is empty. Fill it in.',
  'apierr.field_too_long': 'The text is too long. Shorten it.',
  'apierr.invalid_text': 'The text holds characters that are not accepted. Type it again without special characters.',
  'apierr.personal_data_in_text':
    'Others read this text: a business’s name and description are on the public register, reasons are published (the ministry’s feed; a revocation’s ground on the permit’s verification, forever), survey notes and letter numbers are kept in the history monitors and auditors read. Write no NIK, KK, NPWP or phone number, no e-mail address, not the applicant’s name or most of it (a first name alone is fine) and not their home address (the street). Write it again without personal data; the detail names the field.',
  'apierr.body_too_large': 'Too much to send. Shorten the text.',
  'apierr.unavailable': 'The ledger cannot record right now; nothing was recorded. Try again in a moment (repeating is safe).',
  'apierr.internal': 'The server failed to answer this request; it is in the server’s log. Try again in a moment; if it keeps failing, tell the system’s operator.',
  'apierr.outcome_unknown':
    'The outcome is not known yet; the action may have been recorded. Press the same button again to learn it (it is not recorded twice).',
  'apierr.consent_not_required': 'This subscriber receives the data under the data-sharing policy without consent.',
  'apierr.invalid_parameter': 'The search is not valid. Check what you entered.',
  'apierr.invalid_query': 'The search is not valid. Check what you entered.',
  'apierr.unknown_kelurahan': 'That kelurahan is not in the charter. Choose from the list of kelurahan.',
  'apierr.already_exists': 'This application is recorded already. Find it in the queue or open it by its ID; do not submit it again.',
  'apierr.unknown_action': 'The ledger does not know this action. Reload the page; if it happens again, tell the administrator.',
  'apierr.wrong_stream': 'The command went to the wrong ledger record. Reload the page; if it happens again, tell the administrator.',
  'apierr.no_charter': 'No service charter is in force yet, so the ledger takes no actions. Ask the administrator to adopt one.',
  'apierr.invalid_nik': 'A NIK is exactly 16 digits: the province code (11–96), the region, the date of birth (DDMMYY, the day plus 40 for a woman), a serial. Check the NIK on the applicant’s KTP; a digit may be mistyped.',
  'apierr.invalid_phone': 'A phone number is 8 to 15 digits (such as 0812…, or + and a country code). Leave it empty if there is none.',
  'apierr.invalid_kbli': 'A KBLI code is exactly 5 digits. Check the business’s KBLI code.',
  'apierr.invalid_amount': 'Capital and turnover may not be negative. Check the amounts (in rupiah).',
  'apierr.invalid_workers': 'A business has at least 1 worker. Check the number of workers.',
  'apierr.invalid_premises': 'The premises are either "owned" or "leased". Choose one.',
  'apierr.ineligible_capital':
    'The capital is above the charter’s limit for micro and small businesses, so no {permitType} can be given. Refer the applicant to the right permit.',
  'apierr.ineligible_turnover':
    'The turnover is above the charter’s limit for micro and small businesses, so no {permitType} can be given. Refer the applicant to the right permit.',
  'apierr.ineligible_workers':
    'The number of workers is above the charter’s limit, so no {permitType} can be given. Refer the applicant to the right permit.',
  'apierr.unknown_subscriber': 'The charter’s data-sharing policy has no such subscriber. Check the subscriber ID (e.g. bank-dki).',
  'apierr.invalid_charter': 'The charter document is not valid; the detail names the part. Fix it, then send it again.',
  'apierr.stale_charter_version': 'The charter version must be above the one in force. Raise charter_version, then send it again.',
  'apierr.kelurahan_removed': 'A new charter may not drop a kelurahan or change its code. Keep every kelurahan.',
  'apierr.unknown_role': 'The charter has no such officer role. Choose an officer role of the charter.',
  'apierr.invalid_jurisdiction': 'The jurisdiction does not fit the role: kecamatan roles take the kecamatan code. Check the jurisdiction.',
  'apierr.invalid_officer_id':
    'An officer ID holds only letters, digits, dots, underscores, hyphens or @ (at most 64), and is not admin or applicant. Choose another ID.',
  'apierr.officer_exists': 'An officer with this ID is enrolled already. Use another ID, or retire that officer first.',
  'apierr.token_in_use': 'Another officer has this token already. Make a new token.',
  'apierr.enrolment_retired':
    'This officer was retired after that enrolment, so the old token no longer works. Enrol again with a new command_id.',
  'apierr.out_of_range': 'That number is beyond the transparency log. Check the number.',
  'apierr.backup_on_kafka':
    'On Kafka a backup is made of the Kafka cluster itself, not by this server. Ask the cluster’s operator for one.',
  'apierr.backup_in_progress': 'A backup is being made. Wait for its answer, then ask again if needed.',
  'apierr.request': 'The page sent a request the ledger does not understand. Reload the page; if it happens again, tell the administrator.',
  'error.detail': 'The ledger’s detail',
  'none': '—',
  'yes': 'Yes',
  'no': 'No',
  'close': 'Close',
  'days': '{n} working days',

  'dash.title': 'How the {permitType} permit service performs',
  'dash.charts': 'Performance charts',
  'off.everywhere': 'all areas',
  'dash.lead':
    'How long each stage takes, how many finish on time, and what comes out — for the whole kecamatan and for each kelurahan. Computed live from the ledger.',
  'dash.area': 'Area',
  'dash.area.all': 'All of Kecamatan {name}',
  'dash.month': 'Month',
  'dash.month.running': '{month} (so far)',
  'dash.charter': 'Charter version {v}',
  'dash.showing': 'Showing {area}, {month}',
  'col.code': 'Code',
  'col.rating': 'Rating',
  'ontime.legend': 'Bar colours:',
  'ontime.good': 'green, good: 80% or more',
  'ontime.fair': 'orange, needs attention: 60% to under 80%',
  'ontime.poor': 'red, poor: under 60%',
  'rating.good': 'Good (80% or more)',
  'rating.fair': 'Needs attention (60% to under 80%)',
  'rating.poor': 'Poor (under 60%)',
  'kpi.open': 'Applications in progress',
  'kpi.open.overdue': '{n} of them past the due date of their stage',
  'kpi.issued': 'Permits issued',
  'kpi.issued.sub': '{months}; {n} of them revoked since',
  'kpi.ontime': 'Stages finished on time',
  'kpi.ontime.sub': '{on} of {total} stages, all months',
  'kpi.rejected': 'Rejected',
  'kpi.months': 'over {n} months',
  'dash.nodata': 'no data yet',
  'chart.stage': 'Applications by current stage',
  'chart.stage.desc': 'How many applications are in each status now.',
  'chart.median': 'Median working days per stage, {month}',
  'chart.median.desc':
    'Median working days spent in each stage (for those that left it this month), against the charter’s service level.',
  'chart.ontime': 'Stages finished on time, {month}',
  'chart.ontime.desc': 'Share that left the stage within its service level.',
  'chart.trend': 'Timeliness and new applications by month',
  'chart.trend.desc': 'New applications each month (not those sent back in after missing documents) and the share of stages finished on time.',
  'chart.outcomes': 'Outcomes by month',
  'chart.outcomes.desc': 'Permits issued, rejected, revoked, and applications withdrawn each month.',
  'chart.reasons': 'Rejection reasons',
  'chart.reasons.desc': 'All months, by reason code.',
  'chart.kelurahan': 'Timeliness by kelurahan',
  'chart.kelurahan.desc': 'Share of stages finished on time, all months.',
  'series.median': 'Median (working days)',
  'series.sla': 'Service level (working days)',
  'series.share': 'On time (%)',
  'series.count': 'Count',
  'series.applications': 'New applications',
  'col.stage': 'Stage',
  'col.month': 'Month',
  'col.count': 'Count',
  'col.median': 'Median working days',
  'col.sla': 'Service level',
  'col.ontime': 'On time',
  'col.total': 'Total',
  'col.share': 'Share',
  'col.reason': 'Reason',
  'col.kelurahan': 'Kelurahan',
  'show.numbers': 'Show the numbers',
  'download.csv': 'Download CSV',
  'no.data': 'No data yet for this selection.',
  'register.title': 'Register of issued permits',
  'register.lead':
    'The public register of {permitType} permits: business name, type, kelurahan and validity. No personal data.',
  'register.search': 'Search by business name or permit number',
  'register.kelurahan': 'Kelurahan',
  'register.all': 'All kelurahan',
  'register.count': '{n} permits found',
  'register.count.max': 'Showing the first {n} permits; narrow the search.',
  'register.empty': 'No permit matches.',
  'register.none': 'No permit has been issued yet.',
  'register.more': 'Show {n} more',
  'register.shown': 'Showing {shown} of {n}.',
  'col.number': 'Permit number',
  'col.business': 'Business name',
  'col.type': 'Business type',
  'col.issued': 'Issued',
  'col.valid_until': 'Valid until',
  'col.status': 'Status',
  'verify.title': 'Verify a permit',
  'verify.lead': 'A bank, a partner or anyone can check that a permit number is registered and still valid.',
  'verify.number': 'Permit number',
  'verify.hint': 'For example: {permitType}/{exampleKel2}/2026/P1A2B3C4D5E6F',
  'verify.button': 'Verify',
  'verify.required': 'Enter a permit number first.',
  'result.valid': 'Valid',
  'result.revoked': 'Revoked',
  'result.expired': 'Expired',
  'result.unknown': 'Not registered',
  'result.valid.text': 'Permit {number} is registered to the business "{business}" in Kelurahan {kelurahan}, valid until {until}.',
  'result.revoked.text': 'Permit {number} ("{business}") was revoked on {revoked} and is no longer valid.',
  'verify.revoked_on': 'Revoked on',
  'verify.code_mismatch': 'This verification (QR) code names the permit but not its record in the transparency log: the ledger did not make it, so the document that carries it is not the one issued. Check the document against the answer below and report it to the PTSP unit.',
  'verify.revocation_reason': 'Ground for revocation',
  'register.revoked_on': 'on {date}',
  'result.expired.text': 'Permit {number} ("{business}") has expired: it was valid until {until}.',
  'result.unknown.text': 'Number {number} is not in the register. Check how it is written; a business name is searched in the register above.',

  'track.title': 'Track your application',
  'track.lead':
    'Enter the tracking code you received when you applied. You will see the stage of your application, what is missing, the next step and who takes it, and its due date.',
  'track.code': 'Tracking code',
  'track.code.hint': '20 letters and digits, e.g. ABCDE-12345-FGHJK-67890. Keep this code secret.',
  'track.button': 'Track',
  'track.required': 'Enter the tracking code first.',
  'track.format': 'A tracking code has 20 letters or digits (4 groups of 5; the hyphens are optional).',
  'track.status': 'Status',
  'track.kelurahan': 'Kelurahan',
  'track.submitted': 'Submitted',
  'track.due': 'Due date of this stage',
  'track.due.yours': 'Your due date to bring the documents',
  'track.survey.rescheduling': '{date}, to be scheduled again',
  'track.overdue': 'Overdue',
  'track.ontrack': 'On schedule',
  'track.due.none': 'No due date',
  'track.timeline': 'Stages',
  'track.missing': 'Documents still missing',
  'track.missing.none': 'No documents are missing.',
  'track.missing.optional': '(if you have one)',
  'track.next': 'Next step',
  'track.next.who': 'by {who}',
  'track.next.none': 'No further steps: the application is finished.',
  'track.next.you': 'You (the applicant): bring the missing documents to the kelurahan PTSP unit.',
  'track.history': 'History',
  'track.permit': 'Your permit',
  'track.permit.text': 'Permit number {number}, valid until {until}.',
  'track.permit.revoked': 'Permit number {number} has been revoked and is no longer valid.',
  'track.nolinks':
    'For your safety the tracking code is not read from links (the browser keeps every address in its history). Type your code above.',
  'track.verify.link': 'Check it in the public register',
  'track.outcome': 'Outcome',
  'track.survey': 'Site survey scheduled on {date}',
  'track.privacy': 'This page shows none of your personal data.',
  'track.actions': 'What you can do',
  'track.consent': 'Consent to share your data',
  'track.consent.lead':
    'These receive your personal data only with your consent (a bank, for a business loan, say), and at once when it is given, while the application is still being processed too. You may withdraw it at any time; data sent already stays with them.',
  'track.consent.held': 'consent given',
  'track.consent.held_erased': 'consent still recorded, but your data is erased and the recipient was told to delete its copy',
  'track.consent.none': 'no consent',
  'track.consent.fields': 'data: {fields}',
  'track.consent.grant': 'Give consent',
  'track.consent.withdraw': 'Withdraw consent',
  'track.consent.granted': 'Your consent is recorded.',
  'track.consent.withdrawn': 'Your consent is withdrawn.',
  'track.withdraw': 'Withdraw the application',
  'track.withdraw.reason': 'Reason',
  'track.withdraw.public':
    'The reason is published (to the ministry): write no name, home address, NIK or phone number in it.',
  'track.withdraw.button': 'Withdraw this application',
  'track.withdraw.done': 'The application is withdrawn.',
  'track.erase': 'Erase my personal data',
  'track.erase.lead':
    'Your name, NIK, address and contacts on this application are erased for good. The history without personal data stays, and so does the permit if one was issued.',
  'track.erase.sure': 'I understand that the erasure cannot be undone.',
  'track.erase.button': 'Erase my personal data',
  'track.erase.done': 'Your personal data on this application is erased.',
  'track.erase.already': 'The personal data on this application is erased.',
  'track.erase.ordered':
    'The personal data on this application was erased by a legal order. Without it no permit can be issued: the head of the kelurahan PTSP unit will reject the application. For a permit, file a new application.',
  'track.erase.later': 'Personal data can be erased once the application is finished or withdrawn.',
  'track.withdraw.required': 'Write the reason for withdrawing.',
  'track.withdraw.confirm':
    'You are about to withdraw the application "{business}". Once recorded, the withdrawal cannot be undone: to go on with this business you would have to apply again. Go ahead?',
  'track.withdraw.yes': 'withdraw the application',
  'track.erase.required': 'Tick this box to say that you understand the erasure cannot be undone.',
  'track.apierr.version_conflict':
    'Your application changed since this page was opened (by an officer, or by you on another device). Its current state is shown: check it, then repeat if it is still needed.',
  'track.apierr.transition_not_allowed':
    'This step cannot be taken at your application’s current stage. Its current state is shown.',
  'track.apierr.command_id_reused':
    'An earlier attempt was recorded already (its answer did not reach this page), so it was not recorded again. The current state is shown: check its history.',
  'track.apierr.personal_data_in_text':
    'The reason for withdrawing is published, so it may hold no personal data: not your name, no NIK, KK, NPWP or phone number, no e-mail address and not your home address. Write the reason again without them.',
  'apierr.application_open':
    'The application is still being processed, which needs your data. Withdraw it first, then erase the data.',
  'apierr.personal_data_erased': 'The personal data on this application is erased, so this cannot be done.',
  'step.done': 'done',
  'step.current': 'current stage',
  'step.todo': 'not yet',
  'step.stopped': 'stopped here',
  'step.skipped': 'not reached',

  'off.title': 'Officer worklist',
  'off.signin': 'Officer sign-in',
  'off.signin.lead':
    'Enter your officer token. It is kept only in this tab (sessionStorage): removed when you sign out, and after 30 minutes without activity. On a shared computer, sign out and close the tab.',
  'off.token': 'Officer token',
  'off.token.required': 'Enter your officer token.',
  'off.signin.button': 'Sign in',
  'off.signout': 'Sign out',
  'off.signed': 'Signed in as {id}',
  'off.readonly': 'Read only: your role monitors and takes no actions.',
  'off.queue': 'Queue',
  'off.queue.count': '{n} applications waiting',
  'off.queue.count.one': '1 application waiting',
  'off.queue.empty': 'No application is waiting for your action.',
  'off.open.id': 'Open an application by ID or permit number',
  'off.open.hint': 'An application ID (e.g. P74JG76A1GQ9W) or a permit number (e.g. {permitType}/{exampleKel1}/2026/P74JG76A1GQ9W).',
  'off.open.button': 'Open',
  'off.refresh': 'Reload',
  'col.permit': 'Application ID',
  'col.due': 'Due date',
  'col.next': 'Next action',
  'off.overdue': 'Overdue',
  'off.team.gone': 'No one left on the survey team may record it: reschedule',
  'off.team.pick': 'Add an officer of this kelurahan:',
  'off.team.gone.detail': 'No one left on the survey team is enrolled and may record its result in this kelurahan (retired or moved). Schedule the survey again with a team that can record it.',
  'off.detail': 'Application {id}',
  'off.back': 'Back to the queue',
  'off.version': 'Version',
  'off.business': 'Business',
  'off.capital': 'Capital',
  'off.turnover': 'Annual turnover',
  'off.workers': 'Workers',
  'off.premises': 'Premises',
  'off.kbli': 'KBLI',
  'off.documents': 'Documents handed in',
  'off.missing': 'Missing documents',
  'off.applicant': 'Applicant',
  'off.name': 'Name',
  'off.address': 'Address',
  'off.phone': 'Phone',
  'off.applicant.hidden': 'Personal data is not shown to your role (pseudonym {id}).',
  'off.applicant.erased': 'Personal data was erased (at the applicant’s request or by a legal order; the history says which).',
  'off.survey': 'Site survey',
  'off.survey.text': '{date}, team: {team}',
  'off.queue.survey_on': 'survey on {date}',
  'off.zoning': 'Fits the zoning',
  'off.letter': 'Recommendation letter',
  'off.permit': 'Permit',
  'off.outcome': 'Outcome',
  'off.history': 'History (ledger)',
  'off.logpos': 'Position on the ledger’s log: {pos}',
  'off.actions': 'Actions',
  'off.actions.none': 'Your role has no action on this status.',
  'off.actions.other': 'Other actions (the ledger checks the charter)',
  'off.actions.other.lead':
    'Every action of the ledger. The charter decides who may; the ledger refuses an action it does not allow.',
  'off.actions.notallowed': '(the charter does not grant it to your role)',
  'off.action.choose': 'Action',
  'off.send': 'Send',
  'off.done': 'Recorded: {action}. The status is now {status} (version {version}).',
  'off.stale': 'The page could not be refreshed (the ledger is unreachable): reload in a moment.',
  'off.field.missing': 'Missing documents',
  'off.field.provided': 'Documents handed in',
  'off.field.date': 'Survey date (YYYY-MM-DD)',
  'off.field.date.placeholder': 'YYYY-MM-DD',
  'off.field.team': 'Survey team (officer IDs, comma-separated)',
  'off.field.zoning': 'Does the location fit the zoning (RDTR)?',
  'off.field.notes': 'Notes (optional)',
  'off.field.letter': 'Recommendation letter number',
  'off.field.reason': 'Reason',
  'off.hint.public_reason':
    "Public: anyone can read it on the permit's verification, forever. Write the ground for revocation, never a person's name, home address, NIK or contact.",
  'off.hint.published_reason':
    "Published (the ministry's data feed): write the reason only, never the applicant's name or home address, a NIK, KK, NPWP, phone number or e-mail.",
  'off.hint.notes':
    "Kept in the history that monitors and auditors read: never write the applicant's name or home address, a NIK, KK, NPWP, phone number or e-mail.",
  'off.confirm.title': 'This cannot be undone',
  'off.confirm.text': 'You are about to send "{action}" for {what}. Once recorded, it cannot be undone. Go ahead?',
  'off.confirm.application': 'application {id} ("{business}")',
  'off.confirm.permit': 'permit {number} ("{business}")',
  'off.confirm.yes': 'Yes, {action}',
  'off.confirm.no': 'Cancel',
  'off.field.reason_code': 'Ground for rejection',
  'off.field.reason_code.choose': '— choose a ground —',
  'off.field.subscriber': 'Subscriber (e.g. bank-dki)',
  'off.field.legal': 'Legal basis (optional)',
  'v.required': 'Required.',
  'v.choose': 'Choose at least one.',
  'v.date': 'Write the date as YYYY-MM-DD, e.g. 2026-12-03.',
  'v.date.real': 'This date is not on the calendar.',
  'v.date.past': 'The survey date may not be before today ({today}).',
  'v.date.far': 'The survey date is more than a year after today ({today}); check the year.',
  'v.date.workday': 'The survey date must be a working day: not a Saturday, Sunday or a holiday of the charter.',
  'v.team': 'Officer IDs hold only letters, digits, dots, underscores, hyphens or @ (at most 64).',
  'v.fix': 'Check the marked fields.',
  'v.limit': 'the limit of {max} characters is reached; longer text does not go in',
  'v.nik': 'A NIK is exactly 16 digits, as on the KTP.',
  'v.phone': 'A phone number of 8 to 15 digits, such as 0812 3456 7890; leave it empty if there is none.',
  'v.kbli': 'A KBLI code is exactly 5 digits.',
  'v.amount': 'Write the amount in rupiah in digits, with dots between thousands: 2.000.000.',
  'v.amount.cents': 'Rupiah amounts are whole, without cents: 2.000.000 (or 2.000.000,00).',
  'v.workers': 'Write the number of people in digits, at least 1.',
  'error.network.action':
    'Could not reach the ledger, so no answer arrived: this action may have been recorded. Check the status and history of the application before trying again (open it again if it could not be reloaded). Pressing the same button again is safe (it is not recorded twice).',
  'error.network.counter':
    'Could not reach the ledger, so no answer arrived: this application may have been recorded. Press "Submit the application" again without changing anything to learn the outcome and get its tracking code (it is not recorded twice).',
  'off.idle': 'You were signed out after 30 minutes without activity, and the applicant data was hidden. Sign in again with your token.',
  'off.idle.warn': 'No activity: you will be signed out in {minutes} minutes, the applicant data hidden, and what was typed but not sent lost.',
  'off.idle.stay': 'Stay signed in',
  'off.idle.stayed': 'You are still signed in.',
  'off.signin.sending': 'Checking the token…',
  'off.opening': 'Opening…',
  'off.counter': 'Submit an application (counter)',
  'off.counter.lead':
    'For an applicant at the counter: fill in the data from the KTP and the form, and tick the documents handed in. Required documents left unticked are asked for later.',
  'off.counter.kelurahan': 'Kelurahan',
  'off.counter.kelurahan.choose': '— choose a kelurahan —',
  'off.counter.applicant': 'Applicant',
  'off.counter.business': 'Business',
  'off.counter.nik': 'NIK (16 digits)',
  'off.counter.name': 'Name (as on the KTP)',
  'off.counter.address': 'Home address',
  'off.counter.phone': 'Phone (optional)',
  'off.counter.bname': 'Business name',
  'off.counter.kbli': 'KBLI (5 digits)',
  'off.counter.description': 'Business description (optional)',
  'off.counter.published': "Published in the permit register: never write the applicant's name, a NIK, phone number or e-mail.",
  'off.counter.capital': 'Business capital (rupiah)',
  'off.counter.turnover': 'Annual turnover (rupiah)',
  'off.counter.workers': 'Workers (people)',
  'off.counter.premises': 'Premises',
  'off.counter.documents': 'Documents handed in',
  'off.counter.submit': 'Submit the application',
  'off.counter.done': 'Application recorded',
  'off.counter.done.id': 'Application ID',
  'off.counter.done.code': 'Tracking code',
  'off.counter.done.hand':
    'Hand this tracking code to the applicant: print this page or write the code on the receipt. It is shown only this once: once you leave this page it cannot be seen again. The applicant uses it to track and act on the application, so it is not to be shared with anyone else.',
  'off.counter.done.dup': 'An earlier attempt was recorded already; this is the same application, not recorded twice.',
  'off.counter.print': 'Print the receipt',
  'off.counter.receipt':
    'Receipt of a business permit application. Track your application at {url} with the tracking code above. Keep the code and share it with no one: whoever holds it can see and withdraw the application, or erase its data.',
};

// Names of the ledger's vocabulary: statuses, actions, events, roles,
// documents, refusal and reason codes.
const vocab: Record<Lang, Dict> = {
  id: {
    'status.none': 'Belum ada',
    'status.submitted': 'Diajukan',
    'status.incomplete': 'Dokumen kurang',
    'status.documents_verified': 'Dokumen terverifikasi',
    'status.survey_scheduled': 'Survei dijadwalkan',
    'status.surveyed': 'Sudah disurvei',
    'status.recommended': 'Direkomendasikan Lurah',
    'status.issued': 'Izin terbit',
    'status.rejected': 'Ditolak',
    'status.withdrawn': 'Ditarik',
    'status.revoked': 'Dicabut',
    'action.submit_application': 'Ajukan permohonan',
    'action.verify_documents': 'Verifikasi dokumen',
    'action.request_completion': 'Minta kelengkapan dokumen',
    'action.complete_documents': 'Lengkapi dokumen',
    'action.schedule_survey': 'Jadwalkan survei lokasi',
    'action.record_survey': 'Catat hasil survei',
    'action.recommend': 'Beri rekomendasi',
    'action.decline_recommendation': 'Tolak rekomendasi',
    'action.issue_permit': 'Terbitkan izin',
    'action.reject': 'Tolak permohonan',
    'action.withdraw': 'Tarik permohonan',
    'action.revoke': 'Cabut izin',
    'action.grant_consent': 'Beri persetujuan berbagi data',
    'action.withdraw_consent': 'Tarik persetujuan berbagi data',
    'action.erase_personal_data': 'Hapus data pribadi',
    'event.application_submitted': 'Permohonan diajukan',
    'event.documents_verified': 'Dokumen diverifikasi',
    'event.completion_requested': 'Kelengkapan dokumen diminta',
    'event.documents_completed': 'Dokumen dilengkapi',
    'event.survey_scheduled': 'Survei lokasi dijadwalkan',
    'event.survey_recorded': 'Hasil survei dicatat',
    'event.recommended': 'Lurah memberi rekomendasi',
    'event.recommendation_declined': 'Lurah menolak memberi rekomendasi',
    'event.permit_issued': 'Izin diterbitkan',
    'event.application_rejected': 'Permohonan ditolak',
    'event.application_withdrawn': 'Permohonan ditarik',
    'event.permit_revoked': 'Izin dicabut',
    'event.consent_granted': 'Persetujuan berbagi data diberikan',
    'event.consent_withdrawn': 'Persetujuan berbagi data ditarik',
    'event.personal_data_erased': 'Data pribadi dihapus',
    'role.applicant': 'Pemohon',
    'role.ptsp_officer': 'Petugas UP PTSP Kelurahan',
    'role.ptsp_head': 'Kepala UP PTSP Kelurahan',
    'role.kelurahan_economy': 'Seksi Ekonomi dan Pembangunan Kelurahan',
    'role.kecamatan_umkm': 'Satuan Pelaksana UMKM Kecamatan',
    'role.lurah': 'Lurah',
    'role.kecamatan_monitor': 'Unit Pengelola PTSP Kecamatan (pemantau)',
    'role.auditor': 'Auditor (Inspektorat / BPK)',
    'role.admin': 'Administrator piagam',
    'doc.form': 'Formulir permohonan',
    'doc.undertaking': 'Surat pernyataan',
    'doc.ktp': 'Fotokopi KTP',
    'field.nik': 'NIK',
    'field.name': 'nama',
    'field.phone': 'telepon',
    'field.address': 'alamat',
    'field.npwp': 'NPWP',
    'doc.kk': 'Fotokopi KK',
    'doc.npwp': 'Fotokopi NPWP',
    'doc.premises_photo': 'Foto tempat usaha',
    'doc.premises_proof': 'Bukti kepemilikan/sewa tempat',
    'reason.recommendation_declined': 'Lurah tidak memberi rekomendasi',
    'reason.duplicate_application': 'Permohonan ganda',
    'reason.zoning': 'Tidak sesuai zonasi',
    'reason.incomplete_documents': 'Dokumen tidak lengkap',
    'reason.ineligible': 'Tidak memenuhi syarat',
    'reason.false_information': 'Keterangan tidak benar',
    'reason.withdrawn': 'Ditarik pemohon',
    'reason.revoked': 'Dicabut',
    'outcome.issued': 'Terbit',
    'outcome.rejected': 'Ditolak',
    'outcome.withdrawn': 'Ditarik',
    'outcome.revoked': 'Dicabut',
    'premises.owned': 'Milik sendiri',
    'premises.leased': 'Sewa',
  },
  en: {
    'status.none': 'None',
    'status.submitted': 'Submitted',
    'status.incomplete': 'Documents missing',
    'status.documents_verified': 'Documents verified',
    'status.survey_scheduled': 'Survey scheduled',
    'status.surveyed': 'Surveyed',
    'status.recommended': 'Recommended by the Lurah',
    'status.issued': 'Permit issued',
    'status.rejected': 'Rejected',
    'status.withdrawn': 'Withdrawn',
    'status.revoked': 'Revoked',
    'action.submit_application': 'Submit the application',
    'action.verify_documents': 'Verify the documents',
    'action.request_completion': 'Request missing documents',
    'action.complete_documents': 'Complete the documents',
    'action.schedule_survey': 'Schedule the site survey',
    'action.record_survey': 'Record the survey',
    'action.recommend': 'Recommend',
    'action.decline_recommendation': 'Decline to recommend',
    'action.issue_permit': 'Issue the permit',
    'action.reject': 'Reject the application',
    'action.withdraw': 'Withdraw the application',
    'action.revoke': 'Revoke the permit',
    'action.grant_consent': 'Grant data-sharing consent',
    'action.withdraw_consent': 'Withdraw data-sharing consent',
    'action.erase_personal_data': 'Erase personal data',
    'event.application_submitted': 'Application submitted',
    'event.documents_verified': 'Documents verified',
    'event.completion_requested': 'Missing documents requested',
    'event.documents_completed': 'Documents completed',
    'event.survey_scheduled': 'Site survey scheduled',
    'event.survey_recorded': 'Survey recorded',
    'event.recommended': 'Recommended by the Lurah',
    'event.recommendation_declined': 'The Lurah declined to recommend',
    'event.permit_issued': 'Permit issued',
    'event.application_rejected': 'Application rejected',
    'event.application_withdrawn': 'Application withdrawn',
    'event.permit_revoked': 'Permit revoked',
    'event.consent_granted': 'Data-sharing consent granted',
    'event.consent_withdrawn': 'Data-sharing consent withdrawn',
    'event.personal_data_erased': 'Personal data erased',
    'role.applicant': 'Applicant',
    'role.ptsp_officer': 'Kelurahan PTSP officer',
    'role.ptsp_head': 'Head of the kelurahan PTSP unit',
    'role.kelurahan_economy': 'Kelurahan Economy & Development section',
    'role.kecamatan_umkm': 'Kecamatan UMKM unit',
    'role.lurah': 'Lurah (head of the kelurahan)',
    'role.kecamatan_monitor': 'Kecamatan PTSP unit (monitor)',
    'role.auditor': 'Auditor (Inspectorate / BPK)',
    'role.admin': 'Charter administrator',
    'doc.form': 'Application form',
    'doc.undertaking': 'Signed undertaking',
    'doc.ktp': 'Copy of the KTP (identity card)',
    'field.nik': 'NIK',
    'field.name': 'name',
    'field.phone': 'phone',
    'field.address': 'address',
    'field.npwp': 'NPWP',
    'doc.kk': 'Copy of the KK (family card)',
    'doc.npwp': 'Copy of the NPWP (tax number)',
    'doc.premises_photo': 'Photo of the premises',
    'doc.premises_proof': 'Proof of ownership or lease',
    'reason.recommendation_declined': 'Recommendation declined',
    'reason.duplicate_application': 'Duplicate application',
    'reason.zoning': 'Does not fit the zoning',
    'reason.incomplete_documents': 'Incomplete documents',
    'reason.ineligible': 'Not eligible',
    'reason.false_information': 'False information',
    'reason.withdrawn': 'Withdrawn by the applicant',
    'reason.revoked': 'Revoked',
    'outcome.issued': 'Issued',
    'outcome.rejected': 'Rejected',
    'outcome.withdrawn': 'Withdrawn',
    'outcome.revoked': 'Revoked',
    'premises.owned': 'Owned',
    'premises.leased': 'Leased',
  },
};

const KEY = 'pl.lang';
let current: Lang = readLang();
const listeners: Array<() => void> = [];

function readLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function lang(): Lang {
  return current;
}

export function locale(): string {
  return current === 'en' ? 'en-GB' : 'id-ID';
}

export function setLang(l: Lang): void {
  current = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = l;
  applyStatic(document.body);
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

// What the texts take from the charter in force (GET /v1/charter): the
// permit type, the kecamatan, kelurahan codes for the example permit
// numbers, and the roles' names. Until it is read, the shipped charter's
// (charters/pesanggrahan.json), which the ledger adopts by default.
interface CharterTexts {
  permitType: string;
  kecamatanCode: string;
  kecamatanName: string;
  kelurahan: string[]; // codes
  roles: Record<string, { name: string }>;
}
// The shipped charter's role names: a role the charter in force names the
// same gets the page's own name for it (in either language); one renamed,
// or a role the shipped charter does not have, the charter's name.
const SHIPPED_ROLES: Record<string, string> = {
  admin: 'Administrator piagam',
  applicant: 'Pemohon (pelaku usaha)',
  auditor: 'Auditor (Inspektorat / BPK)',
  kecamatan_monitor: 'Unit Pengelola PTSP Kecamatan (pemantau)',
  kecamatan_umkm: 'Satuan Pelaksana UMKM Kecamatan',
  kelurahan_economy: 'Seksi Ekonomi dan Pembangunan Kelurahan',
  lurah: 'Lurah',
  ptsp_head: 'Kepala UP PTSP Kelurahan',
  ptsp_officer: 'Petugas UP PTSP Kelurahan',
};
const SHIPPED: CharterTexts = {
  permitType: 'IUMK',
  kecamatanCode: '31.74.10',
  kecamatanName: 'Pesanggrahan',
  kelurahan: ['31.74.10.1001', '31.74.10.1002'],
  roles: {},
};
let charterTexts: CharterTexts = SHIPPED;

// The shipped charter's kecamatan and permit: the texts written for it
// ("Jakarta Selatan", "IUMK" spelled out in the footer) hold.
function shippedPlace(): boolean {
  const c = charterTexts;
  return c.permitType === SHIPPED.permitType && c.kecamatanCode === SHIPPED.kecamatanCode && c.kecamatanName === SHIPPED.kecamatanName;
}

// Takes the texts of the charter in force; true when the page shows
// something else than under the shipped charter (it is then drawn again).
export function setCharter(c: {
  permit_type?: string;
  kecamatan: { code: string; name: string };
  kelurahan: Array<{ code: string }>;
  roles: Record<string, { name: string }>;
}): boolean {
  const before = JSON.stringify(charterVars());
  charterTexts = {
    permitType: c.permit_type ?? SHIPPED.permitType,
    kecamatanCode: c.kecamatan.code,
    kecamatanName: c.kecamatan.name,
    kelurahan: c.kelurahan.map((k) => k.code),
    roles: c.roles,
  };
  const renamed = Object.entries(c.roles).some(([code, r]) => r.name !== SHIPPED_ROLES[code]);
  return renamed || !shippedPlace() || JSON.stringify(charterVars()) !== before;
}

// The placeholders every text may use, from the charter.
function charterVars(): Record<string, string> {
  const c = charterTexts;
  const kel = (i: number) => (c.kelurahan[i] ?? c.kelurahan[0] ?? c.kecamatanCode).replace(/\./g, '');
  return { permitType: c.permitType, kecamatanName: c.kecamatanName, exampleKel1: kel(0), exampleKel2: kel(1) };
}

// The text for key, with {name} placeholders filled in. A text written for
// the shipped charter's place has a "<key>.other" for any other charter.
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const dict = current === 'en' ? en : id;
  const k = !shippedPlace() && `${key}.other` in dict ? `${key}.other` : key;
  const s = dict[k] ?? vocab[current][k] ?? key;
  const all: Record<string, string | number> = { ...charterVars(), ...vars };
  return s.replace(/\{(\w+)\}/g, (_, v: string) => (v in all ? String(all[v]) : `{${v}}`));
}

// The name of a ledger term (status, action, event, role, doc, reason,
// outcome, premises), or the raw code when the vocabulary lacks it.
export function term(kind: string, code: string): string {
  return vocab[current][`${kind}.${code}`] ?? code.replace(/_/g, ' ');
}

// A role's name: the page's own (in the page's language) while the charter
// in force names it as the shipped charter does; otherwise the charter's
// name (or the one the ledger sent with it, as in next_roles), never its id.
export function roleName(code: string, name?: string): string {
  const named = charterTexts.roles[code]?.name ?? name;
  if (named && named !== SHIPPED_ROLES[code]) return named;
  return term('role', code);
}

export function applyStatic(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n!);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-attr]').forEach((el) => {
    // data-i18n-attr="placeholder:key;aria-label:key"
    for (const pair of el.dataset.i18nAttr!.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  });
}
