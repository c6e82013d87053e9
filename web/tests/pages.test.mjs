// The three pages in a real browser against the real ledger binary.
//   node --test tests/   (scripts/test-web.sh builds the pages first)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { api, DESKTOP, newPage, PHONE, repo, shot, startBrowser, startLedger, submitApplication, surveyDate } from './harness.mjs';

const BINTARO = '31.74.10.1001';
const TIMED = ['submitted', 'incomplete', 'documents_verified', 'survey_scheduled', 'surveyed', 'recommended'];
const ALL = [...TIMED, 'issued', 'rejected', 'withdrawn', 'revoked'];

let ledger;
let browser;

before(async () => {
  [ledger, browser] = await Promise.all([startLedger({ permits: 60 }), startBrowser()]);
});

after(async () => {
  await browser?.close();
  await ledger?.stop();
});

async function open(path, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  await page.goto(ledger.base + path);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], 'the page logged errors');
}

// An action through the real API, as an officer.
async function act(permitId, officer, body) {
  const r = await api(ledger.base, `/v1/permits/${permitId}/actions`, {
    token: ledger.tokens.officers[officer],
    method: 'POST',
    body: { ...body, command_id: `t-${permitId}-${body.action}-${Math.random().toString(36).slice(2)}` },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

// A permit issued through the API in Bintaro: {permit_id, tracking_code, permit_number}.
async function issuedPermit(name) {
  const app = await submitApplication(ledger.base, BINTARO, name);
  await act(app.permit_id, 'ptsp-bintaro', { action: 'verify_documents' });
  await act(app.permit_id, 'ptsp-bintaro', { action: 'schedule_survey', date: await surveyDate(ledger.base), team: ['ekbang-bintaro'] });
  await act(app.permit_id, 'ekbang-bintaro', { action: 'record_survey', zoning_compliant: true });
  await act(app.permit_id, 'lurah-bintaro', { action: 'recommend', letter_number: '9/REK/2026' });
  const issued = await act(app.permit_id, 'kepala-ptsp-bintaro', { action: 'issue_permit' });
  return { ...app, permit_number: issued.events[0].payload.permit_number };
}

// An application in Bintaro that hands in only some of the required documents.
async function submitLacking(businessName, documents) {
  const r = await api(ledger.base, '/v1/applications', {
    method: 'POST',
    body: {
      command_id: `web-lacking-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      kelurahan: BINTARO,
      applicant: { nik: '3174011203850007', name: 'Uji Coba', address: 'Jl. Contoh 1' },
      business: { name: businessName, kbli: '56103', description: 'warung makan', capital: 20000000, turnover: 150000000, workers: 2, premises: 'owned' },
      documents,
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

// A date as the pages write it (ui.ts fmtDate), in the page's language.
function pageDate(page, ymd) {
  return page.evaluate((d) => {
    const [y, m, day] = d.split('-').map(Number);
    const locale = document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID';
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, day)));
  }, ymd);
}

// The numbers a chart card shows, from its data attributes and its table.
async function chartNumbers(page, id) {
  return page.$eval(`[data-chart="${id}"]`, (fig) => {
    const table = {};
    for (const td of fig.querySelectorAll('tbody td[data-series]')) {
      const key = td.closest('tr').dataset.key;
      (table[td.dataset.series] ??= {})[key] = td.dataset.value === '' ? null : Number(td.dataset.value);
    }
    return { keys: JSON.parse(fig.dataset.keys), series: JSON.parse(fig.dataset.series), table };
  });
}

function expectSeries(n, seriesKey, expected, what) {
  const keys = Object.keys(expected);
  assert.deepEqual(n.keys, keys, `${what}: labels`);
  const fromChart = Object.fromEntries(n.keys.map((k, i) => [k, n.series[seriesKey][i]]));
  for (const k of keys) {
    const want = expected[k];
    if (want === null) {
      assert.equal(n.table[seriesKey][k], null, `${what} ${k} (table)`);
      continue;
    }
    assert.ok(Math.abs(fromChart[k] - want) < 0.051, `${what} ${k}: chart ${fromChart[k]} vs stats ${want}`);
    assert.ok(Math.abs(n.table[seriesKey][k] - want) < 0.051, `${what} ${k}: table ${n.table[seriesKey][k]} vs stats ${want}`);
  }
}

const RUNNING = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date()).slice(0, 7);

// The months the dashboard covers for every area: the kecamatan's, from its
// first to its last, a month without activity included.
function monthRange(stats) {
  const have = stats.kecamatan.months.map((m) => m.month).sort();
  const out = [];
  for (let m = have[0]; m && m <= have.at(-1); ) {
    out.push(m);
    const [y, mo] = m.split('-').map(Number);
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  return out;
}

// An area's month, or an empty one where it had no activity.
function monthOf(area, month) {
  return area.months.find((x) => x.month === month) ?? { month, applications: 0, entered: {}, median_days: {}, service_level: {}, outcomes: {}, rejection_reasons: {} };
}

async function checkArea(page, stats, area, month) {
  // The page opens on the latest whole month (the running one has few
  // finished stages), or the running one when it is the only one.
  const running = RUNNING();
  const range = monthRange(stats);
  month ??= range.filter((m) => m < running).at(-1) ?? range.at(-1);
  const m = monthOf(area, month);
  assert.equal(await page.$eval('#month', (s) => s.value), month);
  assert.deepEqual(await page.$$eval('#month option', (os) => os.map((o) => o.value)), [...range].reverse(), 'the kecamatan’s months');
  // Applications by stage.
  expectSeries(await chartNumbers(page, 'stage'), 'count', Object.fromEntries(ALL.map((s) => [s, area.by_stage[s] ?? 0])), 'by_stage');
  // Median working days against the service level, that month.
  const timed = TIMED.filter((s) => s in m.median_days || s in stats.service_days);
  const median = await chartNumbers(page, 'median');
  expectSeries(median, 'median', Object.fromEntries(timed.map((s) => [s, m.median_days[s] ?? null])), 'median_days');
  expectSeries(median, 'service_days', Object.fromEntries(timed.map((s) => [s, stats.service_days[s]])), 'service_days');
  // Share finished on time.
  const sl = TIMED.filter((s) => m.service_level[s]);
  if (sl.length === 0) assert.ok(await page.$('[data-chart="ontime"] .empty'), 'no on-time share: no data, not 0 %');
  const ontime = await chartNumbers(page, 'ontime');
  expectSeries(ontime, 'share', Object.fromEntries(sl.map((s) => [s, m.service_level[s].share * 100])), 'share');
  expectSeries(ontime, 'on_time', Object.fromEntries(sl.map((s) => [s, m.service_level[s].on_time])), 'on_time');
  expectSeries(ontime, 'total', Object.fromEntries(sl.map((s) => [s, m.service_level[s].total])), 'total');
  // Outcomes by month and rejection reasons.
  const months = range.map((x) => monthOf(area, x));
  const outcomes = await chartNumbers(page, 'outcomes');
  for (const o of ['issued', 'rejected', 'withdrawn', 'revoked'])
    expectSeries(outcomes, o, Object.fromEntries(months.map((x) => [x.month, x.outcomes[o] ?? 0])), `outcomes ${o}`);
  const trend = await chartNumbers(page, 'trend');
  // New applications (not entered.submitted, which counts those sent back in after missing documents).
  expectSeries(trend, 'applications', Object.fromEntries(months.map((x) => [x.month, x.applications])), 'applications');
  const share = (x) => {
    const sls = Object.values(x.service_level);
    const total = sls.reduce((a, y) => a + y.total, 0);
    return total ? (sls.reduce((a, y) => a + y.on_time, 0) / total) * 100 : null;
  };
  expectSeries(trend, 'share', Object.fromEntries(months.map((x) => [x.month, share(x)])), 'on-time share by month');
  // Every permit issued, the revoked ones among them said (the stage chart counts those valid now).
  const revoked = months.reduce((a, x) => a + (x.outcomes.revoked ?? 0), 0);
  assert.equal(
    await page.$eval('[data-kpi="issued"] .kpi-sub', (e) => e.textContent),
    `dalam ${range.length} bulan${revoked ? `; ${revoked} di antaranya kemudian dicabut` : ''}`,
  );
  const reasons = {};
  for (const x of months) for (const [k, v] of Object.entries(x.rejection_reasons)) reasons[k] = (reasons[k] ?? 0) + v;
  const r = await chartNumbers(page, 'reasons');
  assert.deepEqual(Object.fromEntries(r.keys.map((k, i) => [k, r.series.count[i]])), reasons, 'rejection reasons');
  // Key figures.
  const issued = months.reduce((a, x) => a + (x.outcomes.issued ?? 0), 0);
  assert.equal(Number(await page.$eval('[data-kpi="issued"]', (e) => e.dataset.value)), issued);
  const open = TIMED.reduce((a, s) => a + (area.by_stage[s] ?? 0), 0);
  assert.equal(Number(await page.$eval('[data-kpi="open"]', (e) => e.dataset.value)), open);
  // Those of them now past their stage's due date, said under it (none: nothing said).
  const overdue = Object.values(area.overdue).reduce((a, n) => a + n, 0);
  assert.equal(Number(await page.$eval('[data-kpi="open"]', (e) => e.querySelector('.kpi-note')?.dataset.overdue ?? 0)), overdue, 'overdue now');
  // Every chart with numbers is drawn on a canvas by Chart.js (one without, such as the
  // rejection reasons of a kelurahan that rejected none in the months shown, says "no data").
  const withData = await page.$$eval('[data-chart]', (fs) => fs.filter((f) => JSON.parse(f.dataset.keys).length > 0).length);
  assert.ok(withData >= 5, `charts with numbers: ${withData}`);
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('[data-chart] canvas')].filter((c) => c.width > 0 && c.height > 0).length === n,
    withData,
  );
}

describe('public dashboard', () => {
  test('charts show the numbers of /v1/public/stats, for the kecamatan and a kelurahan', async () => {
    const stats = (await api(ledger.base, '/v1/public/stats')).json;
    const page = await open('/');
    await page.waitForSelector('[data-chart="stage"] canvas');
    await checkArea(page, stats, stats.kecamatan);
    await shot(page, 'dashboard-desktop');
    // The CSV says what the table says (a reason's name), the code in a column of its own.
    const reasonRows = await page.$$eval('[data-chart="reasons"] tbody tr', (rs) => rs.map((r) => [r.dataset.key, r.querySelector('th').textContent]));
    if (reasonRows.length) {
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-chart="reasons"] .chart-numbers button')]);
      const lines = readFileSync(await csv.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'Alasan,Jumlah,Kode');
      for (const [code, label] of reasonRows)
        assert.ok(lines.some((l) => l.startsWith(`${label},`) && l.endsWith(`,${code}`)), `${label} (${code}) in ${lines.join(' | ')}`);
    }
    // Another area: every chart follows. The charts are no live region: one short line says what they show.
    assert.equal(await page.getAttribute('#charts', 'aria-live'), null);
    assert.equal(await page.getAttribute('#kpis', 'aria-live'), null);
    assert.equal(await page.getAttribute('#showing', 'role'), 'status');
    const kel = stats.kelurahan.find((k) => k.months.length > 0);
    await page.selectOption('#area', kel.code);
    await page.waitForFunction((name) => document.querySelector('[data-kpi="open"] .kpi-sub')?.textContent === `Kelurahan ${name}`, kel.name);
    const month = await page.$eval('#month', (s) => s.selectedOptions[0].textContent.replace(/ \(berjalan\)$/, ''));
    assert.equal(await page.textContent('#showing'), `Menampilkan Kelurahan ${kel.name}, ${month}`);
    await checkArea(page, stats, kel);
    // What the on-time bars' colours judge is said in words: under the title and in the table.
    const rated = await page.$$eval('[data-chart="ontime"] tbody tr', (rs) =>
      rs.map((r) => [Number(r.querySelector('td[data-series="share"]').dataset.value), r.querySelector('td[data-words="rating"]')?.textContent]),
    );
    for (const [share, words] of rated) assert.match(words ?? '', share >= 80 ? /^Baik/ : share >= 60 ? /^Perlu perhatian/ : /^Buruk/, `${share} %`);
    if (rated.length) assert.match(await page.textContent('[data-chart="ontime"] figcaption'), /hijau, baik: 80% atau lebih.*oranye.*merah, buruk: di bawah 60%/);
    // The numbers are a click away, and downloadable.
    await page.click('[data-chart="stage"] summary');
    assert.ok(await page.isVisible('[data-chart="stage"] table'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-chart="stage"] .chart-numbers button')]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    assertNoProblems(page);
    await page.context().close();
  });

  test('a kelurahan covers the kecamatan’s months: the chosen month stays, a month it had nothing in is zero or no data', async () => {
    // A history of 8 applications over the demo's six months and five
    // kelurahan: some kelurahan is without activity in one of the
    // kecamatan's months whatever day the demo is dated from (with 60, on
    // some days every kelurahan has activity every month).
    const small = await startLedger({ permits: 8 });
    try {
      const stats = (await api(small.base, '/v1/public/stats')).json;
      const range = monthRange(stats);
      const kel = stats.kelurahan.find((k) => range.some((m) => !k.months.some((x) => x.month === m)));
      assert.ok(kel, 'a kelurahan with a month without activity');
      const gap = range.find((m) => !kel.months.some((x) => x.month === m));
      const page = await newPage(browser, DESKTOP);
      await page.goto(small.base + '/');
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector('[data-chart="trend"] canvas');
      await page.selectOption('#month', gap);
      await page.selectOption('#area', kel.code);
      await page.waitForFunction((name) => document.querySelector('[data-kpi="open"] .kpi-sub')?.textContent === `Kelurahan ${name}`, kel.name);
      // The month stays; every monthly chart covers the kecamatan's months, the gap at zero or no data.
      await checkArea(page, stats, kel, gap);
      const trend = await chartNumbers(page, 'trend');
      assert.deepEqual(trend.keys, range);
      assert.equal(trend.table.applications[gap], 0);
      assert.equal(trend.table.share[gap], null, 'no share, not 0 %');
      // The on-time line has headroom above 100 %, and the running month is marked as partial.
      await page.waitForSelector('[data-chart="trend"][data-axes]');
      const axes = await page.$eval('[data-chart="trend"]', (f) => JSON.parse(f.dataset.axes));
      assert.ok(axes.y1[1] > 100, `the on-time axis ends at ${axes.y1[1]}`);
      if (range.includes(RUNNING()))
        for (const id of ['trend', 'outcomes'])
          assert.match(await page.textContent(`[data-chart="${id}"] tr[data-key="${RUNNING()}"] th`), /\(berjalan\)$/, id);
      // Back to the kecamatan: still that month.
      await page.selectOption('#area', stats.kecamatan.code);
      assert.equal(await page.$eval('#month', (s) => s.value), gap);
      assertNoProblems(page);
      await page.context().close();
    } finally {
      await small.stop();
    }
  });

  test('a long business name without spaces wraps in the register, Status stays in view', async () => {
    const name = 'TokoSembakoMakmurSejahteraAbadiSentosaJayaSelaluBerkahBarokahMandiriNusantara';
    const permit = await issuedPermit(name);
    const page = await open('/');
    await page.fill('#reg-q', name);
    const row = `#register-table tr[data-permit-number="${permit.permit_number}"]`;
    await page.waitForSelector(row);
    const fit = await page.$eval('#register-table', (t) => ({
      table: t.scrollWidth,
      wrap: t.closest('.table-wrap').clientWidth,
      status: t.querySelector('tbody tr td:last-child').getBoundingClientRect().right,
    }));
    assert.ok(fit.table <= fit.wrap, `the table is ${fit.table - fit.wrap} px wider than its box`);
    assert.ok(fit.status <= (await page.evaluate(() => window.innerWidth)), 'Status is in view');
    assertNoProblems(page);
    await page.context().close();
  });

  test('register search and permit verification, without personal data', async () => {
    const reg = (await api(ledger.base, '/v1/public/register')).json;
    assert.ok(reg.count > 0, 'the demo issued permits');
    const entry = reg.items[0];
    const page = await open('/');
    await page.waitForSelector('#register-table tbody tr');
    const rows = () => page.$$eval('#register-table tbody tr', (rs) => rs.length);
    // Ten rows at a time, as docs/web.md says.
    assert.equal(await rows(), Math.min(10, reg.items.length));
    if (reg.items.length > 10) {
      assert.match(await page.textContent('#reg-more'), new RegExp(`Tampilkan ${Math.min(10, reg.items.length - 10)} lagi`));
      await page.click('#reg-more');
      assert.equal(await rows(), Math.min(20, reg.items.length));
    }
    await page.fill('#reg-q', entry.business_name);
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('#register-table tbody tr')].every((r) => r.textContent.includes(n)),
      entry.business_name,
    );
    // Clicking a permit number verifies it.
    await page.click(`#register-table tr[data-permit-number="${entry.permit_number}"] button`);
    await page.waitForSelector('#verify-result [data-result]');
    assert.equal(await page.$eval('#verify-result .verify-card', (e) => e.dataset.result), entry.result);
    assert.equal(await page.$('#verify-code-mismatch'), null);
    // A QR code the ledger did not make (the permit's, with another leaf and tree size): said above the answer.
    const real = (await api(ledger.base, `/v1/public/verify/${encodeURIComponent(entry.permit_number)}`)).json.verification.code;
    await page.fill('#verify-number', real.replace(/\.\d+\.\d+$/, '.1.2'));
    await page.click('#verify-form button[type=submit]');
    await page.waitForSelector('#verify-result #verify-code-mismatch');
    assert.match(await page.textContent('#verify-code-mismatch'), /tidak dibuat oleh sistem/);
    // An unknown number.
    await page.fill('#verify-number', 'IUMK/3174101001/2026/PNOSUCHPERMIT');
    await page.click('#verify-form button[type=submit]');
    await page.waitForSelector('#verify-result .verify-unknown');
    // Empty: validated before sending.
    await page.fill('#verify-number', '');
    await page.click('#verify-form button[type=submit]');
    assert.equal(await page.getAttribute('#verify-number', 'aria-invalid'), 'true');
    // No personal data: no NIK-like number and no demo name on the page.
    const text = await page.textContent('body');
    assert.doesNotMatch(text, /\b\d{16}\b/);
    assertNoProblems(page);
    await page.context().close();
  });

  test('a new ledger, with no application yet: the dashboard says so instead of empty lists and dashes', async () => {
    const fresh = await startLedger({ permits: 0 });
    try {
      const page = await newPage(browser);
      await page.goto(fresh.base + '/');
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector('[data-kpi="issued"]');
      assert.deepEqual(await page.$eval('#month', (s) => [...s.options].map((o) => o.textContent)), ['belum ada data']);
      assert.equal(await page.$eval('[data-kpi="issued"] .kpi-sub', (e) => e.textContent), 'belum ada data');
      const text = await page.textContent('main');
      assert.ok(!text.includes('0 bulan'), 'no "in 0 months"');
      assert.ok(!text.includes(', —'), 'no chart named after a month "—"');
      // Every chart says it has no data (none an empty axis that reads as 0 %), and the
      // register that nothing is issued yet, not that a search found nothing.
      for (const chart of await page.$$eval('[data-chart]', (l) => l.map((f) => f.dataset.chart)))
        assert.ok(await page.$(`[data-chart="${chart}"] .empty`), `chart ${chart} says it has no data`);
      await page.waitForSelector('#reg-results .empty');
      assert.equal(await page.textContent('#reg-results .empty'), 'Belum ada izin yang terbit.');
      assertNoProblems(page);
      await page.context().close();
      await otherCharter(fresh);
    } finally {
      await fresh.stop();
    }
  });

  // Another permit under another charter (a food-industry certificate): its
  // permit type, kecamatan and role names, a role the shipped charter does not
  // have, and no withdrawal for the applicant. The pages follow the charter.
  async function otherCharter(fresh) {
    const charter = (await api(fresh.base, '/v1/charter')).json;
    charter.charter_version += 1;
    charter.permit_type = 'SPP-IRT';
    charter.kecamatan.name = 'Kebayoran Lama';
    charter.roles.ptsp_officer.name = 'Petugas Loket Pangan';
    charter.roles.dinkes_officer = { name: 'Petugas Dinas Kesehatan', scope: 'kelurahan', personal_data: true };
    charter.permissions.verify_documents = ['ptsp_officer', 'dinkes_officer'];
    charter.permissions.withdraw = ['ptsp_officer'];
    charter.permissions.erase_personal_data = ['admin'];
    const put = await api(fresh.base, '/v1/charter', { token: fresh.admin(), method: 'PUT', body: charter });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    const app = await submitApplication(fresh.base, BINTARO, 'Kue Kering Bu Ani');
    const page = await newPage(browser);
    await page.goto(fresh.base + '/');
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(() => document.querySelector('.brand-text strong')?.textContent === 'Buku Besar Izin SPP-IRT');
    assert.equal(await page.textContent('.brand-text small'), 'Kecamatan Kebayoran Lama');
    assert.equal(await page.textContent('#dash-title'), 'Kinerja layanan izin SPP-IRT');
    assert.equal(await page.textContent('#verify-hint'), 'Contoh: SPP-IRT/3174101002/2026/P1A2B3C4D5E6F');
    assert.match(await page.textContent('footer'), /SPP-IRT Kecamatan Kebayoran Lama/);
    assert.doesNotMatch(await page.textContent('body'), /IUMK|Pesanggrahan, Jakarta/);
    assert.match(await page.title(), /Buku Besar Izin SPP-IRT$/);
    await page.goto(fresh.base + '/track');
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#code', app.tracking_code);
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('.track-card[data-status="submitted"]');
    // The charter's names: a role renamed, one the shipped charter lacks (never "dinkes officer").
    assert.equal(await page.textContent('#next-roles'), 'oleh Petugas Dinas Kesehatan, Petugas Loket Pangan');
    assert.match(await page.textContent('#history'), / · Pemohon/);
    // The charter grants the applicant no withdrawal: none offered; consent stays (it is granted).
    assert.equal(await page.$('#withdraw-form'), null);
    assert.ok(await page.$('#consents [data-act="grant_consent"]'));
    await page.click('#lang-switch');
    assert.equal(await page.textContent('#next-roles'), 'by Petugas Dinas Kesehatan, Petugas Loket Pangan');
    assert.equal(await page.textContent('.brand-text strong'), 'SPP-IRT Permit Ledger');
    await page.click('#lang-switch');
    assertNoProblems(page);
    await page.context().close();
  }

  test('phone layout at 360px has no horizontal scroll', async () => {
    const page = await open('/', { width: 360, height: 780 });
    await page.waitForSelector('[data-chart="stage"] canvas');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    // With WCAG 1.4.12's text spacing too (the example permit number is one long word).
    const spaced = await page.evaluate(() => {
      for (const el of document.querySelectorAll('body *')) {
        el.style.lineHeight = '1.5';
        el.style.letterSpacing = '0.12em';
        el.style.wordSpacing = '0.16em';
      }
      return document.documentElement.scrollWidth - window.innerWidth;
    });
    assert.ok(spaced <= 0, `with text spacing, the page is ${spaced}px wider than the screen`);
    // Chromium breaks a line after a slash, other browsers do not: the example number may break anywhere.
    assert.equal(await page.$eval('#verify-hint', (e) => getComputedStyle(e).overflowWrap), 'anywhere');
    await page.context().close();
    const phone = await open('/', PHONE);
    await phone.waitForSelector('[data-chart="stage"] canvas');
    await shot(phone, 'dashboard-phone');
    await phone.context().close();
  });
});

describe('applicant tracking', () => {
  test('an applicant tracks an application by its code', async () => {
    const [permitId, code] = Object.entries(ledger.tokens.tracking_codes)[0];
    const want = (await api(ledger.base, `/v1/track/${code}`)).json;
    const page = await open('/track');
    // Validation before sending.
    await page.click('#track-form button[type=submit]');
    assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
    await page.fill('#code', code.toLowerCase());
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('.track-card');
    assert.equal(await page.$eval('.track-card', (e) => e.dataset.status), want.status);
    assert.equal(await page.textContent('#result-heading'), want.business_name);
    assert.equal(await page.$$eval('#history li', (l) => l.length), want.history.length);
    assert.ok(permitId);
    // Pasted from a message or a PDF, with en dashes for its hyphens.
    await page.fill('#code', code.replaceAll('-', '\u2013'));
    await page.click('#track-form button[type=submit]');
    await page.waitForFunction((c) => document.querySelector('#code').value === c, code);
    assert.equal(await page.getAttribute('#code', 'aria-invalid'), null);
    await page.waitForSelector('.track-card');
    assert.equal(await page.textContent('#result-heading'), want.business_name);
    // A wrong code: the ledger's answer.
    await page.fill('#code', 'AAAAA-BBBBB-CCCCC-DDDDD');
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('#result [data-error-code="unknown_tracking_code"]');
    // Said to the applicant in words, without the ledger's code or its officers' detail.
    assert.equal(await page.$$eval('#result .error-code, #result .error-detail', (l) => l.length), 0);
    assert.match(await page.textContent('#result .error-message'), /kode lacak|tracking code/);
    assertNoProblems(page);
    await page.context().close();
  });

  test('a revoked permit shows as revoked on /track, and its long number and name fit a 360 px phone', async () => {
    // Issued through the API (its number carries a 13-character permit id), then revoked;
    // its name holds a word longer than the phone is wide.
    const app = await issuedPermit(`Toko Uji Cabut ${'Sentosajayaabadi'.repeat(5)}`);
    await act(app.permit_id, 'kepala-ptsp-bintaro', { action: 'revoke', reason: 'usaha tutup' });
    const code = app.tracking_code;
    const page = await open('/track', { width: 360, height: 780 });
    await page.fill('#code', code);
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('.track-card');
    assert.equal(await page.$eval('.permit-box', (e) => e.dataset.permitStatus), 'revoked');
    assert.ok(await page.$eval('.permit-box', (e) => e.classList.contains('alert-error')), 'not shown as a valid permit');
    assert.equal(await page.$eval('[data-step="issued"]', (e) => e.className), 'step step-done', 'it was issued before');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    assertNoProblems(page);
    await page.context().close();
  });

  test('/track shows an open application with what is missing, the next step and its due date', async () => {
    // An open application that waits for documents.
    const app = await submitApplication(ledger.base, BINTARO, 'Warung Uji Lacak');
    const ptsp = ledger.tokens.officers['ptsp-bintaro'];
    const r = await api(ledger.base, `/v1/permits/${app.permit_id}/actions`, {
      token: ptsp,
      method: 'POST',
      body: { action: 'request_completion', command_id: `rc-${app.permit_id}`, expected_version: 1, missing: ['premises_proof'] },
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const want = (await api(ledger.base, `/v1/track/${app.tracking_code}`)).json;
    for (const [viewport, name] of [
      [DESKTOP, 'track-desktop'],
      [PHONE, 'track-phone'],
    ]) {
      // A code in a link is not used (the browser keeps the address in its
      // history): the page says so and takes it out of the address bar.
      const page = await open(`/track?code=${encodeURIComponent(app.tracking_code)}`, viewport);
      await page.waitForSelector('#no-code-links');
      assert.equal(new URL(page.url()).search, '', 'the code is taken out of the address bar');
      assert.equal(await page.$('.track-card'), null, 'nothing is looked up from a link');
      // Typed, with or without its hyphens, in lower case.
      await page.fill('#code', app.tracking_code.replaceAll('-', '').toLowerCase());
      await page.click('#track-form button[type=submit]');
      await page.waitForSelector('.track-card');
      assert.equal(await page.$eval('.track-card', (e) => e.dataset.status), 'incomplete');
      assert.deepEqual(await page.$$eval('#missing li', (l) => l.map((x) => x.dataset.doc)), ['premises_proof']);
      assert.deepEqual(await page.$$eval('#next-actions li', (l) => l.map((x) => x.dataset.action)), want.next_actions);
      assert.equal(await page.$eval('#due-date', (e) => e.dataset.due), want.due_date);
      assert.equal(await page.$eval('[aria-current="step"]', (e) => e.dataset.step), 'submitted');
      await shot(page, name);
      assertNoProblems(page);
      await page.context().close();
    }
  });

  test('an applicant gives and withdraws consent, withdraws the application and erases its data on /track', async () => {
    const app = await submitApplication(ledger.base, BINTARO, 'Warung Uji Tindakan');
    const page = await open('/track');
    await page.fill('#code', app.tracking_code);
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('.track-card[data-status="submitted"]');
    // No erasure while the application is open; consent to the bank, which asks for it.
    assert.equal(await page.$('#erase-form'), null);
    // On a slow connection the button says that it is sending (read out), and a second
    // tap sends nothing: one command, whose success is not hidden by a version_conflict.
    let posts = 0;
    await page.route('**/v1/permits/*/actions', async (route) => {
      posts += 1;
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    const grant = '#consents [data-subscriber="bank-dki"] button';
    await page.click(grant);
    assert.equal(await page.getAttribute(grant, 'aria-disabled'), 'true');
    assert.equal(await page.textContent(grant), 'Mengirim…');
    await page.waitForFunction(() => document.querySelector('#announcer')?.textContent === 'Mengirim…');
    await page.$eval(grant, (b) => b.click());
    await page.waitForSelector('#consents [data-subscriber="bank-dki"][data-consent="granted"]');
    await page.waitForSelector('#action-done');
    await page.unroute('**/v1/permits/*/actions');
    assert.equal(posts, 1, 'one command sent');
    assert.equal(await page.$('#applicant-actions [data-error-code]'), null, 'no refusal over the success');
    // Only the outcome is read: the application is no live region, the outcome has the focus.
    assert.equal(await page.getAttribute('#result', 'aria-live'), null);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'action-done');
    let tracked = (await api(ledger.base, `/v1/track/${app.tracking_code}`)).json;
    assert.deepEqual(tracked.consents, ['bank-dki']);
    await shot(page, 'track-actions');
    // No reason: the page's own message, tied to the field, nothing asked or sent.
    const withdraw = '#withdraw-form button[type=submit]';
    assert.equal(await page.getAttribute('#withdraw-form', 'novalidate'), '');
    await page.click(withdraw);
    assert.equal(await page.getAttribute('#withdraw-reason', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('#withdraw-reason-error'), 'Tulis alasan penarikan.');
    assert.match(await page.getAttribute('#withdraw-reason', 'aria-describedby'), /\bwithdraw-reason-error\b/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'withdraw-reason');
    assert.equal(await page.$('#withdraw-form .confirm-box'), null);
    // Withdrawing cannot be undone: the page asks first; "Batal" sends nothing.
    const reason = 'Uji Coba tidak jadi membuka usaha'; // the applicant's name
    await page.fill('#withdraw-reason', reason);
    await page.click(withdraw);
    assert.equal(await page.getAttribute('#withdraw-reason', 'aria-invalid'), null);
    assert.match(await page.textContent('#withdraw-form .confirm-box'), /Tindakan ini tidak dapat dibatalkan.*Warung Uji Tindakan/);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('confirm-no')), true, 'the safe choice has the focus');
    await page.click('#withdraw-form .confirm-no');
    assert.equal(await page.$('#withdraw-form .confirm-box'), null);
    assert.equal((await api(ledger.base, `/v1/track/${app.tracking_code}`)).json.status, 'submitted', 'nothing was sent');
    // A reason naming the applicant is refused, says why in the applicant's
    // terms, keeps what was typed, and changes nothing.
    await page.click(withdraw);
    await page.click('#withdraw-form .confirm-yes');
    await page.waitForSelector('#applicant-actions [data-error-code="personal_data_in_text"]');
    assert.equal(await page.$eval('.track-card', (e) => e.dataset.status), 'submitted');
    const said = await page.textContent('#applicant-actions [data-error-code] .error-message');
    assert.match(said, /Alasan penarikan diumumkan.*nama Anda/);
    assert.doesNotMatch(said, /auditor|survei|pencabutan/, 'not the officers’ text');
    assert.equal(await page.inputValue('#withdraw-reason'), reason, 'what was typed is kept');
    // In English too, the typed text kept through the switch; times in WIB, as in Indonesian.
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="en"]');
    assert.match(await page.textContent('#applicant-actions [data-error-code] .error-message'), /reason for withdrawing is published.*not your name/);
    assert.equal(await page.inputValue('#withdraw-reason'), reason);
    const history = await page.textContent('#history');
    assert.match(history, /\d WIB/);
    assert.doesNotMatch(history, /GMT/);
    await page.click(withdraw);
    assert.match(await page.textContent('#withdraw-form .confirm-box'), /This cannot be undone/);
    // Escape is "Cancel": the box goes, the focus back on the button.
    await page.keyboard.press('Escape');
    assert.equal(await page.$('#withdraw-form .confirm-box'), null);
    assert.equal(await page.evaluate(() => document.activeElement?.closest('#withdraw-form') !== null && document.activeElement?.type), 'submit');
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="id"]');
    await page.fill('#withdraw-reason', 'tidak jadi membuka usaha');
    await page.click(withdraw);
    await page.click('#withdraw-form .confirm-yes');
    await page.waitForSelector('.track-card[data-status="withdrawn"]');
    // It stopped before the documents were verified: the step says how, not "Dokumen terverifikasi".
    const stopped = await page.$eval('.timeline .step-stopped', (l) => ({ step: l.dataset.step, label: l.querySelector('.step-label').textContent }));
    assert.equal(stopped.step, 'documents_verified');
    assert.ok(stopped.label.startsWith(await page.textContent('.track-head .badge')), stopped.label);
    // Closed, it holds no permit to share: the consent held is shown, to be withdrawn, and no other offered.
    assert.deepEqual(await page.$$eval('#consents li', (l) => l.map((x) => `${x.dataset.subscriber}:${x.dataset.consent}`)), ['bank-dki:granted']);
    // Closed: its data may be erased, once the applicant ticks that this cannot be undone.
    assert.equal(await page.getAttribute('#erase-form', 'novalidate'), '');
    await page.click('#erase-form button[type=submit]');
    assert.equal(await page.getAttribute('#erase-sure', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#erase-sure-error'), /^Centang kotak ini/);
    assert.equal(await page.getAttribute('#erase-sure', 'aria-describedby'), 'erase-sure-error');
    assert.ok(!(await api(ledger.base, `/v1/track/${app.tracking_code}`)).json.history.some((x) => x.type === 'personal_data_erased'), 'nothing was sent');
    await page.check('#erase-sure');
    await page.click('#erase-form button[type=submit]');
    await page.waitForFunction(() => /sudah dihapus/.test(document.querySelector('#action-done')?.textContent ?? ''));
    tracked = (await api(ledger.base, `/v1/track/${app.tracking_code}`)).json;
    assert.ok(tracked.history.some((s) => s.type === 'personal_data_erased'));
    // Said once: the erasure just done, not the closed application's note besides.
    assert.equal(await page.$('#erased-note'), null);
    // Nothing is left to share, but the consent still held stays on the page, to be withdrawn,
    // without the fields it once shared.
    assert.deepEqual(await page.$$eval('#consents li', (l) => l.map((x) => `${x.dataset.subscriber}:${x.dataset.consent}`)), ['bank-dki:granted']);
    assert.match(await page.textContent('#consents li'), /data Anda sudah dihapus/);
    assert.doesNotMatch(await page.textContent('#consents li'), /NIK/);
    await page.click('#consents [data-subscriber="bank-dki"] button');
    await page.waitForSelector('#action-done');
    await page.waitForFunction(() => document.querySelector('#consents') === null);
    assert.deepEqual((await api(ledger.base, `/v1/track/${app.tracking_code}`)).json.consents, []);
    assertNoProblems(page);
    await page.context().close();
  });

  test('/track lists the documents lacking from submission on; rejected while they were asked for, it stopped at "Dokumen kurang"', async () => {
    const app = await submitLacking('Warung Uji Kurang', ['form', 'undertaking', 'ktp', 'kk']);
    const page = await open('/track');
    await page.fill('#code', app.tracking_code);
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('.track-card[data-status="submitted"]');
    // Submitted, not yet asked for: the charter's documents it lacks, asked for next.
    assert.deepEqual(await page.$$eval('#missing li', (l) => l.map((x) => x.dataset.doc)), ['premises_photo', 'premises_proof']);
    assert.deepEqual(await page.$$eval('#next-actions li', (l) => l.map((x) => x.dataset.action)), ['request_completion']);
    // Asked for, then rejected while waiting for them.
    await act(app.permit_id, 'ptsp-bintaro', { action: 'request_completion', missing: ['premises_photo', 'premises_proof'] });
    await act(app.permit_id, 'kepala-ptsp-bintaro', { action: 'reject', reason_code: 'incomplete_documents', reason: 'dokumen tidak dilengkapi' });
    await page.click('#track-form button[type=submit]');
    await page.waitForSelector('.track-card[data-status="rejected"]');
    const steps = await page.$$eval('.timeline li', (ls) =>
      ls.map((l) => ({ step: l.dataset.step, cls: l.className, detour: l.dataset.detour ?? '', label: l.querySelector('.step-label').textContent })),
    );
    assert.deepEqual(steps[0], { step: 'submitted', cls: 'step step-stopped', detour: 'incomplete', label: 'Dokumen kurang (berhenti di sini)' });
    assert.deepEqual(steps.slice(1).map((x) => x.cls), Array(5).fill('step step-skipped'), 'no later step was reached');
    assert.ok(steps.slice(1).every((x) => x.label.endsWith('(tidak dilalui)')), 'nor will be: not "(belum)"');
    assert.ok(!steps.some((x) => x.label === 'Dokumen terverifikasi (berhenti di sini)'));
    assertNoProblems(page);
    await page.context().close();
  });
});

async function signIn(page, officer) {
  await page.fill('#token', ledger.tokens.officers[officer]);
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('#officer-bar');
}

describe('officer worklist', () => {
  test('a survey whose team can no longer record it says why on the permit page, and /track that it moves', async () => {
    const app = await submitApplication(ledger.base, BINTARO, 'Warung Uji Tim');
    const admin = ledger.admin();
    const enrol = await api(ledger.base, '/v1/officers', {
      token: admin,
      method: 'POST',
      body: { id: 'ekbang-bintaro-cuti', name: 'Petugas Cuti', role: 'kelurahan_economy', kelurahan: BINTARO },
    });
    assert.equal(enrol.status, 201, JSON.stringify(enrol.json));
    await act(app.permit_id, 'ptsp-bintaro', { action: 'verify_documents' });
    await act(app.permit_id, 'ptsp-bintaro', { action: 'schedule_survey', date: await surveyDate(ledger.base), team: ['ekbang-bintaro-cuti'] });
    const retired = await api(ledger.base, '/v1/officers/ekbang-bintaro-cuti/retire', { token: admin, method: 'POST', body: { reason: 'cuti panjang' } });
    assert.equal(retired.status, 200, JSON.stringify(retired.json));
    const page = await open('/officer');
    await signIn(page, 'ptsp-bintaro');
    await page.fill('#open-id', app.permit_id);
    await page.click('#open-form button[type=submit]');
    await page.waitForSelector(`#detail[data-permit="${app.permit_id}"]`);
    assert.match(await page.textContent('#team-gone'), /Jadwalkan ulang survei/);
    assert.ok(await page.$('#actions form[data-action="schedule_survey"]'), 'rescheduling is offered');
    // The form starts from the survey as scheduled: its day, and its team but those no longer
    // enrolled (none left: the officer rescheduling it).
    const resched = '#actions form[data-action="schedule_survey"]';
    assert.equal(await page.inputValue(`${resched} input[name=date]`), (await api(ledger.base, `/v1/permits/${app.permit_id}`, { token: ledger.tokens.officers['ptsp-bintaro'] })).json.survey.date);
    assert.equal(await page.inputValue(`${resched} input[name=team]`), 'ptsp-bintaro');
    assertNoProblems(page);
    await page.context().close();
    const track = await open('/track');
    await track.fill('#code', app.tracking_code);
    await track.click('#track-form button[type=submit]');
    await track.waitForSelector('#survey-date');
    assert.match(await track.textContent('#survey-date'), /akan dijadwalkan ulang/);
    await track.context().close();
  });

  test('moving a survey to another day keeps its team in the form', async () => {
    const app = await submitApplication(ledger.base, BINTARO, 'Warung Uji Jadwal');
    await act(app.permit_id, 'ptsp-bintaro', { action: 'verify_documents' });
    const date = await surveyDate(ledger.base);
    await act(app.permit_id, 'ptsp-bintaro', { action: 'schedule_survey', date, team: ['ekbang-bintaro', 'ptsp-bintaro'] });
    const page = await open('/officer');
    await signIn(page, 'ptsp-bintaro');
    // The queue of the team's officers says the day of the survey.
    assert.equal(await page.getAttribute(`#queue tr[data-permit="${app.permit_id}"] [data-survey-date]`, 'data-survey-date'), date);
    await page.fill('#open-id', app.permit_id);
    await page.click('#open-form button[type=submit]');
    await page.waitForSelector(`#detail[data-permit="${app.permit_id}"]`);
    const form = '#actions form[data-action="schedule_survey"]';
    assert.equal(await page.inputValue(`${form} input[name=team]`), 'ekbang-bintaro, ptsp-bintaro');
    assert.equal(await page.inputValue(`${form} input[name=date]`), date);
    assertNoProblems(page);
    await page.context().close();
  });

  test('an officer signs in, finds the application in the queue, takes an action and sees the status change', async () => {
    const app = await submitApplication(ledger.base, BINTARO, 'Kedai Uji Petugas');
    const page = await open('/officer');
    // An empty token is refused before sending; a wrong one by the ledger.
    await page.click('#signin-form button[type=submit]');
    assert.equal(await page.getAttribute('#token', 'aria-invalid'), 'true');
    await page.fill('#token', 'not-a-token');
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('[data-error-code="unauthenticated"]');
    await shot(page, 'officer-signin-desktop');
    // On a slow connection the sign-in button keeps the focus and says what it is doing.
    const slow = (ms) => async (route) => {
      await new Promise((r) => setTimeout(r, ms));
      await route.continue();
    };
    await page.route('**/v1/worklist', slow(600));
    await page.fill('#token', ledger.tokens.officers['ptsp-bintaro']);
    await page.click('#signin-form button[type=submit]');
    assert.deepEqual(
      await page.evaluate(() => [document.activeElement?.getAttribute('aria-disabled'), document.activeElement?.textContent]),
      ['true', 'Memeriksa token…'],
    );
    await page.waitForSelector('#officer-bar');
    await page.unroute('**/v1/worklist');
    assert.ok(await page.evaluate(() => sessionStorage.getItem('pl.officer.token')));
    // An unknown ID typed under the queue is said next to the field, the text kept, the focus on it.
    await page.fill('#open-id', 'PNOSUCHPERMIT1');
    await page.click('#open-form button[type=submit]');
    await page.waitForSelector('#open-id-error [data-error-code="unknown_permit"]');
    assert.ok(await page.$('#queue'), 'still on the queue');
    assert.equal(await page.inputValue('#open-id'), 'PNOSUCHPERMIT1');
    assert.equal(await page.getAttribute('#open-id', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'open-id');
    // The queue, sorted by due date.
    const rows = await page.$$eval('#queue tbody tr', (rs) => rs.map((r) => r.dataset.permit));
    assert.ok(rows.includes(app.permit_id), 'the new application is in the queue');
    const wl = (await api(ledger.base, '/v1/worklist', { token: ledger.tokens.officers['ptsp-bintaro'] })).json;
    const dues = wl.items.map((i) => i.due_date ?? '9999');
    assert.deepEqual(rows, wl.items.map((i) => i.permit_id));
    assert.deepEqual([...dues].sort(), dues);
    await shot(page, 'officer-queue-desktop');
    // While the application loads, "Memuat…" has the focus (not the body).
    await page.route('**/v1/permits/*/history', slow(500));
    await page.click(`#queue tr[data-permit="${app.permit_id}"] button.open-permit`);
    await page.waitForFunction(() => document.activeElement?.id === 'loading');
    await page.waitForSelector(`#detail[data-permit="${app.permit_id}"]`);
    await page.unroute('**/v1/permits/*/history');
    assert.equal(await page.$eval('#detail', (e) => e.dataset.status), 'submitted');
    await shot(page, 'officer-detail-desktop');
    // Sending, the button keeps the focus, says so (read out), and takes no second request.
    let posts = 0;
    await page.route('**/v1/permits/*/actions', async (route) => {
      posts += 1;
      await slow(600)(route);
    });
    const verify = '#actions form[data-action="verify_documents"] button[type=submit]';
    await page.click(verify);
    assert.deepEqual(
      await page.evaluate(() => [document.activeElement?.getAttribute('aria-disabled'), document.activeElement?.textContent]),
      ['true', 'Mengirim…'],
    );
    await page.waitForFunction(() => document.querySelector('#announcer')?.textContent === 'Mengirim…');
    await page.$eval(verify, (b) => b.click());
    await page.waitForSelector('#detail[data-status="documents_verified"]');
    await page.unroute('**/v1/permits/*/actions');
    assert.equal(posts, 1, 'one command sent');
    assert.match(await page.textContent('#notice'), /versi 2|version 2/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'notice', 'focus moves to the outcome');
    // The outcome follows a language switch.
    await page.click('#lang-switch');
    assert.match(await page.textContent('#notice'), /^Recorded: .*\(version 2\)\.$/);
    // The shipped charter's role names keep the page's translation.
    assert.match(await page.textContent('#history'), /ptsp-bintaro \(Kelurahan PTSP officer\)/);
    await page.click('#lang-switch');
    assert.match(await page.textContent('#notice'), /^Tercatat: /);
    // The ledger agrees.
    const p = (await api(ledger.base, `/v1/permits/${app.permit_id}`, { token: ledger.tokens.officers['ptsp-bintaro'] })).json;
    assert.equal(p.status, 'documents_verified');
    assert.equal(await page.$$eval('#history li', (l) => l.length), 2);
    // Who acted, by the role's name (its ID in the title), not the raw role ID.
    const who = async (type) =>
      page.$eval(`#history li[data-type="${type}"] .muted`, (e) => ({ text: e.textContent, title: e.querySelector('.actor-role')?.title }));
    const byApplicant = await who('application_submitted');
    assert.match(byApplicant.text, / · Pemohon · #1/);
    assert.doesNotMatch(byApplicant.text, /applicant/);
    assert.equal(byApplicant.title, 'applicant');
    const byOfficer = await who('documents_verified');
    assert.match(byOfficer.text, / · ptsp-bintaro \(Petugas UP PTSP Kelurahan\) · #2/);
    assert.equal(byOfficer.title, 'ptsp_officer');
    // The next form validates before sending: a malformed date, an empty team.
    const form = '#actions form[data-action="schedule_survey"]';
    // The date's placeholder is written as its label says, in the page's language.
    assert.equal(await page.getAttribute(`${form} input[name=date]`, 'placeholder'), 'TTTT-BB-HH');
    assert.match(await page.textContent(`${form} [data-field="date"] label`), /TTTT-BB-HH/);
    await page.fill(`${form} input[name=date]`, '03-12-2026');
    await page.fill(`${form} input[name=team]`, '');
    await page.click(`${form} button[type=submit]`);
    assert.equal(await page.getAttribute(`${form} input[name=date]`, 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute(`${form} input[name=team]`, 'aria-invalid'), 'true');
    // A new action started: the last one's success message is gone.
    assert.equal(await page.$('#notice.alert-ok'), null, 'no stale success message');
    assert.equal(await page.textContent('#notice'), '');
    // Officer IDs may hold @ (api.md): not marked.
    await page.fill(`${form} input[name=team]`, 'ekbang.bintaro@kel-1, ptsp_bintaro');
    await page.click(`${form} button[type=submit]`);
    assert.equal(await page.getAttribute(`${form} input[name=team]`, 'aria-invalid'), null, 'an officer ID with @ is taken');
    await page.fill(`${form} input[name=team]`, 'ekbang bintaro!');
    await page.click(`${form} button[type=submit]`);
    assert.equal(await page.getAttribute(`${form} input[name=team]`, 'aria-invalid'), 'true');
    // A mistyped year is caught before sending too.
    await page.fill(`${form} input[name=date]`, '2099-01-05');
    await page.fill(`${form} input[name=team]`, 'ptsp-bintaro');
    await page.click(`${form} button[type=submit]`);
    assert.equal(await page.getAttribute(`${form} input[name=date]`, 'aria-invalid'), 'true');
    // So is a Saturday: the survey is held on a working day.
    const saturday = new Date(Date.now() + 7 * 3600e3);
    do saturday.setUTCDate(saturday.getUTCDate() + 1);
    while (saturday.getUTCDay() !== 6);
    await page.fill(`${form} input[name=date]`, saturday.toISOString().slice(0, 10));
    await page.click(`${form} button[type=submit]`);
    assert.match(await page.textContent(`${form} [data-field="date"] .field-error`), /hari kerja/);
    const still = (await api(ledger.base, `/v1/permits/${app.permit_id}`, { token: ledger.tokens.officers['ptsp-bintaro'] })).json;
    assert.equal(still.version, 2, 'nothing was sent');
    // A valid survey date (a working day a week ahead) goes through.
    const date = await surveyDate(ledger.base);
    // The ledger refuses a team member of another kelurahan, and one named twice: the page says what to do.
    await page.fill(`${form} input[name=date]`, date);
    await page.fill(`${form} input[name=team]`, 'ekbang-pesanggrahan');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector(`${form} [data-error-code="team_outside_jurisdiction"]`);
    assert.match(await page.textContent(`${form} [data-error-code] .error-message`), /tidak bertugas di kelurahan.*petugas kelurahan ini/);
    await page.fill(`${form} input[name=team]`, 'ekbang-bintaro, ekbang-bintaro');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector(`${form} [data-error-code="duplicate_entry"]`);
    assert.match(await page.textContent(`${form} [data-error-code] .error-message`), /disebut dua kali.*Hapus yang berulang/);
    // The officers who may go, offered by a click: this kelurahan's and the kecamatan's that meet
    // the applicant (not a monitor, nor another kelurahan's).
    const picks = await page.$$eval(`${form} [data-pick]`, (l) => l.map((b) => b.dataset.pick));
    assert.ok(picks.includes('ekbang-bintaro') && picks.includes('ptsp-bintaro'), picks.join());
    assert.ok(!picks.includes('ekbang-pesanggrahan') && !picks.includes('monitor-kecamatan'), picks.join());
    await page.fill(`${form} input[name=team]`, 'ptsp-bintaro');
    await page.click(`${form} [data-pick="ekbang-bintaro"]`);
    await page.click(`${form} [data-pick="ekbang-bintaro"]`);
    assert.equal(await page.inputValue(`${form} input[name=team]`), 'ptsp-bintaro, ekbang-bintaro');
    await page.fill(`${form} input[name=date]`, date);
    await page.fill(`${form} input[name=team]`, 'ptsp-bintaro, ekbang-bintaro');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('#detail[data-status="survey_scheduled"]');
    // The scheduled survey can be moved: the same form, another team.
    await page.fill(`${form} input[name=date]`, date);
    await page.fill(`${form} input[name=team]`, 'ekbang-bintaro');
    await page.click(`${form} button[type=submit]`);
    await page.waitForFunction(() => document.querySelector('#notice')?.textContent?.match(/versi 4|version 4/));
    const moved = (await api(ledger.base, `/v1/permits/${app.permit_id}`, { token: ledger.tokens.officers['ptsp-bintaro'] })).json;
    assert.deepEqual([moved.status, moved.survey.team], ['survey_scheduled', ['ekbang-bintaro']]);
    assertNoProblems(page);
    await page.context().close();

    // On a phone.
    const phone = await open('/officer', PHONE);
    await signIn(phone, 'ptsp-bintaro');
    await shot(phone, 'officer-queue-phone');
    await phone.click(`#open-id`);
    await phone.fill('#open-id', app.permit_id);
    await phone.click('#open-form button[type=submit]');
    await phone.waitForSelector(`#detail[data-permit="${app.permit_id}"]`);
    await shot(phone, 'officer-detail-phone');
    await phone.context().close();
  });

  test('an action the charter forbids, or a stale version, shows the ledger’s refusal', async () => {
    const app = await submitApplication(ledger.base, BINTARO, 'Toko Uji Penolakan');
    // A PTSP officer tries to issue the permit: only the head may.
    const page = await open('/officer');
    await signIn(page, 'ptsp-bintaro');
    await page.fill('#open-id', app.permit_id);
    await page.click('#open-form button[type=submit]');
    await page.waitForSelector(`#detail[data-permit="${app.permit_id}"]`);
    assert.equal(await page.$('#actions form[data-action="issue_permit"]'), null, 'not offered as a next step');
    await page.click('#other-actions summary');
    await page.selectOption('#other-action', 'issue_permit');
    await page.click('#other-form form[data-action="issue_permit"] button[type=submit]');
    // Issuing cannot be undone: the page asks first, naming the application and the action.
    const ask = await page.textContent('#other-form form[data-action="issue_permit"] .confirm-box');
    assert.ok(ask.includes(app.permit_id) && ask.includes('Terbitkan izin') && ask.includes('Toko Uji Penolakan'), ask);
    await page.click('#other-form .confirm-yes');
    await page.waitForSelector('#other-form [data-error-code="role_not_permitted"]');
    // In the page's language, with the ledger's own message as the detail.
    assert.match(await page.textContent('#other-form [data-error-code] .error-message'), /peran Anda tidak boleh/);
    const msg = await page.textContent('#other-form [data-error-code] .error-detail span');
    // Switching the language keeps the refusal, with the page's own explanation in the new language.
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="en"]');
    assert.match(await page.textContent('#other-form [data-error-code="role_not_permitted"] .error-message'), /your role may not take this action/);
    assert.equal(await page.textContent('#other-form [data-error-code] .error-detail span'), msg);
    await page.click('#lang-switch');
    assert.match(await page.textContent('#other-form [data-error-code="role_not_permitted"] .error-message'), /peran Anda tidak boleh/);
    const direct = await api(ledger.base, `/v1/permits/${app.permit_id}/actions`, {
      token: ledger.tokens.officers['ptsp-bintaro'],
      method: 'POST',
      body: { action: 'issue_permit', command_id: `direct-${app.permit_id}` },
    });
    assert.equal(direct.json.error.message, msg, 'the ledger’s own message');
    await shot(page, 'officer-refusal-desktop');
    // Someone else acts meanwhile: the expected_version no longer holds.
    const other = await api(ledger.base, `/v1/permits/${app.permit_id}/actions`, {
      token: ledger.tokens.officers['ptsp-bintaro'],
      method: 'POST',
      body: { action: 'request_completion', command_id: `meanwhile-${app.permit_id}`, expected_version: 1, missing: ['kk'] },
    });
    assert.equal(other.status, 200);
    // A text typed meanwhile in another form that stays offered survives the reload.
    await page.selectOption('#other-action', 'withdraw');
    const typed = 'pemohon menarik permohonan secara lisan di loket; '.repeat(8);
    await page.fill('#other-form textarea[name=reason]', typed);
    await page.click('#actions form[data-action="verify_documents"] button[type=submit]');
    await page.waitForSelector('#refusal [data-error-code="version_conflict"]');
    assert.equal(await page.$eval('#detail', (e) => e.dataset.status), 'incomplete', 'the page shows the permit as it is now');
    assert.equal(await page.inputValue('#other-form textarea[name=reason]'), typed, 'what was typed is kept');
    assert.equal(await page.$('#notice.alert-ok'), null);
    await page.context().close();

    // The head tries to revoke a permit that was never issued.
    const head = await open('/officer');
    await signIn(head, 'kepala-ptsp-bintaro');
    await head.fill('#open-id', app.permit_id);
    await head.click('#open-form button[type=submit]');
    await head.waitForSelector(`#detail[data-permit="${app.permit_id}"]`);
    assert.ok(await head.$('#actions form[data-action="reject"]'), 'the head may reject an open application');
    assert.equal(await head.$('#actions form[data-action="revoke"]'), null, 'revoke is offered for issued permits only');
    await head.click('#other-actions summary');
    await head.selectOption('#other-action', 'revoke');
    // The reason of a revocation is public forever: the form says so, and
    // the field is described by it for a screen reader.
    const hint = await head.$eval('#other-form textarea[name=reason]', (e) =>
      e.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    assert.match(hint, /Publik.*NIK/);
    // Required field first.
    await head.click('#other-form form[data-action="revoke"] button[type=submit]');
    assert.equal(await head.getAttribute('#other-form textarea[name=reason]', 'aria-invalid'), 'true');
    // A long text is counted before the limit cuts it.
    const count = '#other-form [data-field="reason"] .char-count';
    assert.equal(await head.isVisible(count), false, 'no count for a short text');
    await head.fill('#other-form textarea[name=reason]', 'x'.repeat(1980));
    assert.equal(await head.textContent(count), '1.980 / 2.000');
    await head.fill('#other-form textarea[name=reason]', 'x'.repeat(2000));
    assert.match(await head.textContent(count), /^2\.000 \/ 2\.000 — batas 2\.000 karakter tercapai/);
    await head.fill('#other-form textarea[name=reason]', 'uji pencabutan');
    await head.click('#other-form form[data-action="revoke"] button[type=submit]');
    await head.click('#other-form .confirm-yes');
    await head.waitForSelector('#other-form [data-error-code="transition_not_allowed"]');
    assert.equal(await head.evaluate(() => document.activeElement?.dataset.errorCode), 'transition_not_allowed', 'focus moves to the refusal');
    assert.equal(await head.$eval('#detail', (e) => e.dataset.status), 'incomplete');
    // A rejection's ground is chosen from the charter's list, not typed.
    const reject = '#actions form[data-action="reject"]';
    const grounds = await head.$$eval(`${reject} select[name=reason_code] option`, (os) => os.map((o) => o.value));
    assert.deepEqual(grounds.slice(1), (await api(ledger.base, '/v1/charter')).json.rejection_reasons);
    // The ground is published: the applicant's name in it is refused, and the page says what may not be written.
    await head.fill(`${reject} textarea[name=reason]`, 'Uji Coba tidak melengkapi berkas');
    await head.click(`${reject} button[type=submit]`);
    assert.equal(await head.getAttribute(`${reject} select[name=reason_code]`, 'aria-invalid'), 'true', 'no ground chosen');
    assert.equal(await head.$(`${reject} .confirm-box`), null, 'nothing to confirm before the form is valid');
    await head.selectOption(`${reject} select[name=reason_code]`, 'incomplete_documents');
    await head.click(`${reject} button[type=submit]`);
    // Rejecting cannot be undone: confirm first. "Batal" sends nothing.
    assert.match(await head.textContent(`${reject} .confirm-box`), new RegExp(`Tolak permohonan.*${app.permit_id}`));
    assert.equal(await head.evaluate(() => document.activeElement?.className), 'btn btn-secondary confirm-no', 'the safe choice has the focus');
    assert.equal(await head.isVisible(`${reject} button[type=submit]`), false);
    await head.click(`${reject} .confirm-no`);
    assert.equal(await head.$(`${reject} .confirm-box`), null);
    assert.equal(await head.evaluate(() => document.activeElement?.type), 'submit', 'back on the form’s button');
    const version = (await api(ledger.base, `/v1/permits/${app.permit_id}`, { token: ledger.tokens.officers['kepala-ptsp-bintaro'] })).json.version;
    assert.equal(await head.$eval('#detail', (e) => Number(e.dataset.version)), version, 'nothing was sent');
    await head.click(`${reject} button[type=submit]`);
    await head.click(`${reject} .confirm-yes`);
    await head.waitForSelector(`${reject} [data-error-code="personal_data_in_text"]`);
    const said = await head.textContent(`${reject} [data-error-code] .error-message`);
    for (const what of [/NIK, KK, NPWP/, /telepon/, /e-mail/, /nama pemohon atau sebagian besarnya/, /alamat rumah/, /dipublikasikan/, /riwayat/]) assert.match(said, what);
    assert.match(await head.textContent(`${reject} [data-field="reason"] .hint`), /alamat rumah/);
    // Editing a field while asked to confirm withdraws the question.
    await head.fill(`${reject} textarea[name=reason]`, 'berkas tidak dilengkapi');
    await head.click(`${reject} button[type=submit]`);
    await head.fill(`${reject} textarea[name=reason]`, 'berkas tidak dilengkapi sampai batas waktu');
    assert.equal(await head.$(`${reject} .confirm-box`), null);
    await head.click(`${reject} button[type=submit]`);
    await head.click(`${reject} .confirm-yes`);
    await head.waitForSelector('#detail[data-status="rejected"]');
    assert.equal(
      (await api(ledger.base, `/v1/permits/${app.permit_id}`, { token: ledger.tokens.officers['kepala-ptsp-bintaro'] })).json.outcome.reason,
      'berkas tidak dilengkapi sampai batas waktu',
    );
    assertNoProblems(head);
    await head.context().close();
  });

  test('a clerk files an application at the counter lacking documents: its tracking code, which documents, the request for them', async () => {
    const page = await open('/officer');
    await signIn(page, 'ptsp-bintaro');
    // The PTSP officer may submit applications (the charter): the counter's form.
    await page.click('#counter summary');
    assert.equal(await page.getAttribute('#c-kelurahan-fixed', 'data-kelurahan'), BINTARO, 'the officer’s own kelurahan');
    // On a 360 px phone a document's box keeps its size next to a long name (the name wraps).
    await page.setViewportSize({ width: 360, height: 780 });
    const boxes = await page.$$eval('#counter-form .check input', (l) => l.map((e) => Math.round(e.getBoundingClientRect().width)));
    assert.ok(boxes.every((w) => w === boxes[0]) && boxes[0] >= 17, `checkbox widths ${boxes}`);
    await page.setViewportSize(DESKTOP);
    const c = {
      '#c-nik': '3174', // too short: caught before sending
      '#c-name': 'Siti Aminah Loket',
      '#c-address': 'Jl. Kenanga Raya No. 5',
      '#c-phone': '081298765432',
      '#c-business_name': 'Toko Uji Berkas',
      '#c-kbli': '47111',
      '#c-description': 'toko kelontong, hubungi 0812 3456 7890', // a phone number: the ledger refuses it
      '#c-capital': '15.000.000,00', // cents of zero, as forms write rupiah
      '#c-turnover': '120000000',
      '#c-workers': '1',
    };
    for (const [sel, v] of Object.entries(c)) await page.fill(sel, v);
    await page.check('#counter-form input[name=premises][value=leased]');
    const handed = ['form', 'undertaking', 'ktp', 'premises_photo'];
    for (const d of handed) await page.check(`#counter-form input[name=documents][value=${d}]`);
    const ticked = () => page.$$eval('#counter-form input:checked', (l) => l.map((x) => `${x.name}=${x.value}`));
    const before = await ticked();
    // A language switch keeps every tick, the radio and the text.
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="en"]');
    assert.equal(await page.textContent('#counter summary h2'), 'Submit an application (counter)');
    assert.deepEqual(await ticked(), before);
    assert.equal(await page.inputValue('#c-address'), c['#c-address']);
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="id"]');
    assert.deepEqual(await ticked(), before);
    // A malformed NIK is caught before sending; nothing typed is lost.
    // An amount with cents is no rupiah amount: said, never read as a hundred times more.
    await page.fill('#c-turnover', '1.500.000,50');
    await page.click('#counter-form button[type=submit]');
    assert.equal(await page.getAttribute('#c-nik', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#c-nik-error'), /16 angka/);
    assert.equal(await page.getAttribute('#c-turnover', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#c-turnover-error'), /tanpa sen/);
    await page.fill('#c-turnover', '120000000');
    await page.fill('#c-nik', '3174015506900003');
    // The ledger's refusal, in the page's language; the form keeps what was typed.
    await page.click('#counter-form button[type=submit]');
    await page.waitForSelector('#counter-result [data-error-code="personal_data_in_text"]');
    for (const [sel, v] of Object.entries({ ...c, '#c-nik': '3174015506900003' })) assert.equal(await page.inputValue(sel), v, sel);
    assert.deepEqual(await ticked(), before);
    await page.fill('#c-description', 'toko kelontong');
    await page.click('#counter-form button[type=submit]');
    // Filed: the ID and the tracking code, to hand over, and the application opened.
    await page.waitForSelector('#created #created-code');
    const id = await page.textContent('#created-id');
    const code = await page.textContent('#created-code');
    assert.match(await page.textContent('#created'), /Serahkan kode lacak ini kepada pemohon.*hanya ditampilkan sekali/);
    await page.waitForSelector(`#detail[data-permit="${id}"][data-status="submitted"]`);
    const tracked = (await api(ledger.base, `/v1/track/${code}`)).json;
    assert.deepEqual([tracked.permit_id, tracked.kelurahan, tracked.business_name], [id, BINTARO, 'Toko Uji Berkas']);
    const filed = (await api(ledger.base, `/v1/permits/${id}`, { token: ledger.tokens.officers['ptsp-bintaro'] })).json;
    assert.deepEqual([filed.applicant.nik, filed.applicant.phone, filed.business.capital, filed.business.premises], ['3174015506900003', '081298765432', 15000000, 'leased']);
    assert.deepEqual(filed.documents, handed);
    await shot(page, 'officer-counter-desktop');
    // Printed as the applicant's receipt: the code and the application, not the officer's forms.
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.isVisible('#created-code'));
    assert.ok(await page.isVisible('#missing'));
    for (const hidden of ['#actions', '#counter', '#officer-bar', '.intro h1', '.created-hand']) assert.ok(await page.isHidden(hidden), `${hidden} printed`);
    // It speaks to the applicant: where to track, and to keep the code.
    assert.match(await page.textContent('#created-receipt'), /Lacak permohonan Anda di http:\/\/127\.0\.0\.1:\d+\/track dengan kode lacak di atas/);
    assert.ok(await page.isVisible('#created-receipt'));
    await shot(page, 'officer-counter-receipt-print');
    await page.emulateMedia({ media: 'screen' });
    assert.ok(await page.isHidden('#created-receipt'), 'the receipt text is printed only');
    // The officer sees what is lacking; no verification is offered.
    assert.deepEqual(await page.$$eval('#missing li', (l) => l.map((x) => x.dataset.doc)), ['kk', 'premises_proof']);
    assert.equal(await page.$('#actions form[data-action="verify_documents"]'), null, 'the ledger offers no verification while documents lack');
    const form = '#actions form[data-action="request_completion"]';
    assert.deepEqual(await page.$$eval(`${form} input[type=checkbox]:checked`, (l) => l.map((x) => x.value)), ['kk', 'premises_proof']);
    // The request reaches the ledger but its answer is lost: the page says it
    // may have been recorded, and shows the permit as it is now.
    let sent;
    await page.route('**/v1/permits/*/actions', async (route) => {
      sent = JSON.parse(route.request().postData());
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('#refusal [data-error-code="network"]');
    assert.match(await page.textContent('#refusal'), /mungkin sudah tercatat/);
    await page.waitForSelector('#detail[data-status="incomplete"]');
    await page.unroute('**/v1/permits/*/actions');
    // (Chromium logs the cut connection.)
    page.problems.splice(0, page.problems.length, ...page.problems.filter((x) => !/net::ERR_CONNECTION_RESET/.test(x)));
    const p = (await api(ledger.base, `/v1/permits/${id}`, { token: ledger.tokens.officers['ptsp-bintaro'] })).json;
    assert.deepEqual(p.missing, ['kk', 'premises_proof'], 'asked for what was lacking');
    // Handing them in starts with nothing ticked: the officer ticks what was received
    // (ticked for them, one click would record every document asked for as handed in).
    const complete = '#actions form[data-action="complete_documents"]';
    assert.deepEqual(await page.$$eval(`${complete} input[type=checkbox]:checked`, (l) => l.map((x) => x.value)), []);
    const tickReceived = async () => {
      for (const doc of ['kk', 'premises_proof']) await page.check(`${complete} input[value="${doc}"]`);
    };
    await tickReceived();
    // A command id taken by an earlier command (command_id_reused): said plainly, the permit reloaded.
    await page.route('**/v1/permits/*/actions', (route) =>
      route.continue({ postData: JSON.stringify({ ...JSON.parse(route.request().postData()), command_id: sent.command_id }) }),
    );
    await page.click(`${complete} button[type=submit]`);
    await page.waitForSelector('#refusal [data-error-code="command_id_reused"]');
    assert.match(await page.textContent('#refusal .error-message'), /Percobaan sebelumnya sudah tercatat/);
    await page.unroute('**/v1/permits/*/actions');
    await tickReceived();
    await page.click(`${complete} button[type=submit]`);
    await page.waitForSelector('#detail[data-status="submitted"]');
    assert.equal(await page.$('#refusal'), null, 'the old refusal is gone');
    // The tracking code was shown once: back in the queue and in the application again, it is not.
    await page.click('#back');
    await page.waitForSelector(`#queue tr[data-permit="${id}"]`);
    await page.click(`#queue tr[data-permit="${id}"] button.open-permit`);
    await page.waitForSelector(`#detail[data-permit="${id}"]`);
    assert.equal(await page.$('#created'), null);
    assert.doesNotMatch(await page.textContent('main'), new RegExp(code));
    assertNoProblems(page);
    await page.context().close();
  });

  test('a monitor gets a read-only view', async () => {
    const page = await open('/officer');
    await signIn(page, 'monitor-kecamatan');
    await page.waitForSelector('#read-only');
    const wl = (await api(ledger.base, '/v1/worklist', { token: ledger.tokens.officers['monitor-kecamatan'] })).json;
    assert.equal(wl.read_only, true);
    assert.equal(await page.$$eval('#queue tbody tr', (r) => r.length), wl.items.length);
    await page.click('#queue tbody tr button.open-permit');
    await page.waitForSelector('#detail');
    assert.equal(await page.$('#actions'), null, 'no action forms');
    assert.ok(await page.$('#detail #read-only'));
    // Personal data is not shown to a monitor.
    assert.doesNotMatch(await page.textContent('#detail'), /\b\d{16}\b/);
    // The idle time: a click is use; 30 minutes without use sign out while
    // the page stays open (checked when the tab is shown again, and every 15 s).
    const setUsed = (minutesAgo) =>
      page.evaluate((m) => {
        const kept = JSON.parse(sessionStorage.getItem('pl.officer.token'));
        sessionStorage.setItem('pl.officer.token', JSON.stringify({ ...kept, used: Date.now() - m * 60000 }));
      }, minutesAgo);
    const used = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('pl.officer.token')).used);
    await setUsed(20);
    await page.click('#detail-title');
    assert.ok(Date.now() - (await used()) < 60000, 'a click counts as use');
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    assert.ok(await page.$('#detail'), 'still signed in');
    assert.equal(await page.$('#idle-warning'), null, 'no warning after 20 minutes');
    // Two minutes before the sign-out, a warning (an alert) with a button to stay;
    // scrolling is use too, and so is that button.
    const warned = async () => {
      await setUsed(29);
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await page.waitForSelector('#idle-warning[role="alert"] #idle-stay');
      assert.match(await page.textContent('#idle-warning'), /dikeluarkan dalam 1 menit/);
    };
    await warned();
    await page.mouse.move(400, 400);
    await page.mouse.wheel(0, 200);
    await page.waitForFunction(() => !document.querySelector('#idle-warning'));
    assert.ok(Date.now() - (await used()) < 60000, 'scrolling counts as use');
    await warned();
    // The button itself answers (the press on it does not take the warning
    // away first, which sent the click to what lay under it), by mouse and
    // by keyboard (Tab to it does not take it away either).
    await page.click('#idle-stay');
    assert.equal(await page.$('#idle-warning'), null);
    await page.waitForFunction(() => /tetap masuk/i.test(document.getElementById('announcer')?.textContent ?? ''));
    await warned();
    await page.focus('#idle-stay');
    await page.keyboard.press('Enter');
    assert.equal(await page.$('#idle-warning'), null);
    assert.ok(Date.now() - (await used()) < 60000, 'staying signed in counts as use');
    assert.ok(await page.$('#detail'), 'still signed in');
    await setUsed(31);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForSelector('#signin-form #idle-out');
    assert.equal(await page.$('#detail'), null, 'nothing of the application is left on the page');
    assert.equal(await page.$('#officer-bar'), null);
    assert.equal(await page.inputValue('#token'), '');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pl.officer.token')), null);
    await signIn(page, 'monitor-kecamatan');
    assert.equal(await page.$('#idle-out'), null);
    // Signing out forgets the token.
    await page.click('#signout');
    await page.waitForSelector('#signin-form');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pl.officer.token')), null);
    assertNoProblems(page);
    await page.context().close();
  });
});

describe('revocation', () => {
  test('the head opens an issued permit by its number, revokes it once confirmed, and the dashboard shows when and why', async () => {
    const permit = await issuedPermit('Kios Uji Dicabut');
    const head = await open('/officer');
    await signIn(head, 'kepala-ptsp-bintaro');
    // By its permit number, typed in small letters with spaces around: the ID is its last part.
    await head.fill('#open-id', `  ${permit.permit_number.toLowerCase()} `);
    await head.click('#open-form button[type=submit]');
    await head.waitForSelector(`#detail[data-permit="${permit.permit_id}"][data-status="issued"]`);
    const form = '#actions form[data-action="revoke"]';
    const ground = 'usaha berhenti beroperasi';
    await head.fill(`${form} textarea[name=reason]`, ground);
    await head.click(`${form} button[type=submit]`);
    // The question names the permit by its number, and the action.
    const ask = await head.textContent(`${form} .confirm-box`);
    assert.ok(ask.includes(permit.permit_number) && ask.includes('Cabut izin') && /tidak dapat dibatalkan/.test(ask), ask);
    await head.click(`${form} .confirm-no`);
    const still = (await api(ledger.base, `/v1/permits/${permit.permit_id}`, { token: ledger.tokens.officers['kepala-ptsp-bintaro'] })).json;
    assert.equal(still.status, 'issued', 'cancelled: nothing was sent');
    await head.click(`${form} button[type=submit]`);
    await head.click(`${form} .confirm-yes`);
    await head.waitForSelector('#detail[data-status="revoked"]');
    assert.ok(await head.$('#permit-number .revoked-dates'), 'its validity is struck through');
    assert.equal(await head.textContent('#permit-number [data-status="revoked"]'), 'Dicabut');
    assertNoProblems(head);
    await head.context().close();

    // The public verification says when and on what ground.
    const v = (await api(ledger.base, `/v1/public/verify/${encodeURIComponent(permit.permit_number)}`)).json;
    assert.deepEqual([v.result, v.revocation_reason], ['revoked', ground]);
    const dash = await open(`/?verify=${encodeURIComponent(permit.permit_number)}`);
    await dash.waitForSelector('#verify-result .verify-revoked #verify-revocation-reason');
    const date = await pageDate(dash, v.revoked_on);
    assert.equal(await dash.textContent('#verify-revoked-on'), date);
    assert.equal(await dash.$eval('#verify-revoked-on', (e) => e.dataset.date), v.revoked_on);
    assert.equal(await dash.textContent('#verify-revocation-reason'), ground);
    assert.match(await dash.textContent('#verify-result .verify-card'), new RegExp(`telah dicabut pada ${date}`));
    // The register row shows the revocation date; its number verifies it again.
    await dash.fill('#verify-number', '');
    await dash.click('#verify-form button[type=submit]');
    assert.equal(await dash.$('#verify-result .verify-card'), null);
    await dash.fill('#reg-q', 'Kios Uji Dicabut');
    const row = `#register-table tr[data-permit-number="${permit.permit_number}"]`;
    await dash.waitForSelector(`${row} .revoked-on`);
    assert.equal(await dash.$eval(`${row} .revoked-on`, (e) => e.dataset.revokedOn), v.revoked_on);
    assert.equal((await dash.textContent(`${row} .revoked-on`)).trim(), `pada ${date}`);
    await dash.click(`${row} button`);
    await dash.waitForSelector('#verify-result #verify-revocation-reason');
    assert.equal(await dash.textContent('#verify-revoked-on'), date);
    // In English too.
    await dash.click('#lang-switch');
    assert.equal(await dash.textContent('#verify-revoked-on'), await pageDate(dash, v.revoked_on));
    assert.match(await dash.textContent('#verify-result .verify-card'), /was revoked on .*Ground for revocation/);
    assertNoProblems(dash);
    await dash.context().close();
  });
});

describe('language, accessibility and serving', () => {
  test('every refusal code of docs/charter.md and docs/api.md has the page’s own text, in both languages', () => {
    const codes = new Set();
    const charter = readFileSync(join(repo, 'docs', 'charter.md'), 'utf8');
    const refusals = charter.slice(charter.indexOf('## Refusals'), charter.indexOf('## The clock'));
    for (const m of refusals.matchAll(/^\| `([a-z_]+)` \|/gm)) codes.add(m[1]);
    for (const m of refusals.matchAll(/`([a-z_]+)` —/g)) codes.add(m[1]);
    const apiDoc = readFileSync(join(repo, 'docs', 'api.md'), 'utf8');
    for (const row of apiDoc.split('\n').filter((l) => /^\| \d{3} \|/.test(l)))
      for (const m of row.split('|').at(-2).matchAll(/`([a-z_]+)`/g)) codes.add(m[1]);
    for (const c of ['team_outside_jurisdiction', 'duplicate_entry', 'personal_data_in_text', 'wrong_stream', 'unknown_action', 'outcome_unknown'])
      assert.ok(codes.has(c), `${c} read from the docs`);
    // The codes that mean the page sent a malformed request share one text (ui.ts).
    const ui = readFileSync(join(repo, 'web', 'src', 'ui.ts'), 'utf8');
    const shared = new Set([...ui.match(/const REQUEST_CODES = new Set\(\[([^\]]+)\]/)[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]));
    const i18n = readFileSync(join(repo, 'web', 'src', 'i18n.ts'), 'utf8');
    const texts = (dict) => {
      const start = i18n.indexOf(`const ${dict}: Dict = {`);
      return new Set([...i18n.slice(start, i18n.indexOf('\n};', start)).matchAll(/'apierr\.([a-z_]+)'/g)].map((m) => m[1]));
    };
    const [id, en] = [texts('id'), texts('en')];
    assert.ok(id.has('request') && en.has('request'));
    assert.deepEqual([...codes].filter((c) => !shared.has(c) && !id.has(c)), [], 'codes without an Indonesian text');
    assert.deepEqual([...codes].filter((c) => !shared.has(c) && !en.has(c)), [], 'codes without an English text');
    assert.deepEqual([...id].filter((c) => !en.has(c)), [], 'Indonesian texts without an English one');
  });

  test('Bahasa Indonesia by default; English one click away, and kept', async () => {
    const page = await open('/');
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.equal(await page.textContent('#dash-title'), 'Kinerja layanan izin IUMK');
    // The switch is in the language it switches to, and says so.
    assert.deepEqual([await page.textContent('#lang-switch'), await page.getAttribute('#lang-switch', 'lang')], ['English', 'en']);
    await page.click('#lang-switch');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual([await page.textContent('#lang-switch'), await page.getAttribute('#lang-switch', 'lang')], ['Bahasa Indonesia', 'id']);
    assert.equal(await page.textContent('#dash-title'), 'How the IUMK permit service performs');
    await page.waitForSelector('[data-chart="stage"] h3');
    assert.equal(await page.textContent('[data-chart="stage"] h3'), 'Applications by current stage');
    await shot(page, 'dashboard-en-desktop');
    // Kept across pages and reloads.
    await page.goto(`${ledger.base}/track`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.textContent('#track-title'), 'Track your application');
    await page.click('#lang-switch');
    assert.equal(await page.textContent('#track-title'), 'Lacak permohonan Anda');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    // What was typed survives the switch (the sign-in form is drawn again).
    await page.goto(`${ledger.base}/officer`);
    await page.waitForSelector('#token');
    await page.fill('#token', 'half-typed');
    await page.click('#lang-switch');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.inputValue('#token'), 'half-typed');
    await page.click('#lang-switch');
    await page.context().close();
  });

  test('every form control has a label, and the keyboard reaches the content', async () => {
    for (const path of ['/', '/track', '/officer']) {
      const page = await open(path);
      const unlabelled = await page.$$eval('input, select, textarea', (els) =>
        els.filter((e) => e.type !== 'hidden' && !e.closest('fieldset') && e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id || e.name),
      );
      assert.deepEqual(unlabelled, [], `${path}: controls without a label`);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link', `${path}: the first Tab reaches the skip link`);
      // The yellow ring has a dark one around it: it shows on white and on the pink confirm box too.
      for (let i = 0; i < 3; i++) {
        assert.match(await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow), /rgb\(11, 12, 12\) 0px 0px 0px 5px/, `${path}: a dark ring`);
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      // Forced colours (Windows high contrast) drop the focus ring's shadow: an outline stays.
      await page.emulateMedia({ forcedColors: 'active' });
      for (let i = 0; i < 3; i++) {
        const ring = await page.evaluate(() => {
          const s = getComputedStyle(document.activeElement);
          return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
        });
        assert.match(ring, /^solid 3px /, `${path}: the focus is outlined in forced colours`);
        assert.doesNotMatch(ring, /rgba\(0, 0, 0, 0\)|transparent/, `${path}: in a colour that shows (${ring})`);
        await page.keyboard.press('Tab');
      }
      await page.context().close();
    }
  });

  test('pages and assets are served with the right types and caching; no traversal', async () => {
    const get = (p, init) => fetch(ledger.base + p, init);
    for (const [path, file] of [
      ['/', 'index'],
      ['/track', 'track'],
      ['/officer', 'officer'],
      ['/index.html', 'index'],
    ]) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type'), /^text\/html/, path);
      assert.equal(r.headers.get('cache-control'), 'no-store', path);
      assert.match(await r.text(), new RegExp(`assets/${file}-`), path);
      const again = await get(path, { headers: { 'If-None-Match': r.headers.get('etag') } });
      assert.equal(again.status, 304, `${path} revalidates`);
    }
    const html = await (await get('/')).text();
    const js = html.match(/\/assets\/[^"]+\.js/)[0];
    const css = html.match(/\/assets\/[^"]+\.css/)[0];
    const rj = await get(js);
    assert.match(rj.headers.get('content-type'), /^text\/javascript/);
    assert.equal(rj.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match((await get(css)).headers.get('content-type'), /^text\/css/);
    assert.equal((await get('/favicon.svg')).headers.get('content-type'), 'image/svg+xml');
    const missing = await get('/nope.png');
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, 'not_found');
    // A page is read, not posted to: 405 naming what it allows; a missing one is 404 whatever the method.
    const posted = await get('/track', { method: 'POST', body: '{}' });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.get('allow'), 'GET, HEAD');
    assert.equal((await get('/nope.png', { method: 'POST', body: '{}' })).status, 404);
    for (const bad of ['/../CMakeLists.txt', '/assets/..%2f..%2fCMakeLists.txt', '/%2e%2e/CMakeLists.txt', '/.hidden']) {
      const r = await get(bad);
      assert.ok(r.status === 400 || r.status === 404, `${bad}: ${r.status}`);
      assert.ok((await r.json()).error, bad);
    }
    // The API is untouched.
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/v1/nothing')).status, 404);
    assert.equal((await (await get('/v1/nothing')).json()).error.code, 'not_found');
  });
});
