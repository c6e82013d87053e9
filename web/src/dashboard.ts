// The public dashboard (/): service performance from /v1/public/stats, the
// register of issued permits and the verification of a permit number.
// Public data only: no personal data reaches this page.
import './styles.css';
import { api, type AreaStats, type MonthStats, type RegisterEntry, type Stats } from './api';
import { chartCard, COLORS, destroyCharts, type Series, wrappedCategoryAxis } from './charts';
import { t, term } from './i18n';
import { $, cell, clear, errorBox, fmtDate, fmtMonth, fmtNumber, fmtPercent, h, jakartaToday, mountChrome, statusBadge } from './ui';

export const ALL_STAGES = [
  'submitted',
  'incomplete',
  'documents_verified',
  'survey_scheduled',
  'surveyed',
  'recommended',
  'issued',
  'rejected',
  'withdrawn',
  'revoked',
];
export const TIMED_STAGES = ['submitted', 'incomplete', 'documents_verified', 'survey_scheduled', 'surveyed', 'recommended'];
const OPEN = new Set(TIMED_STAGES);
const OUTCOMES = ['issued', 'rejected', 'withdrawn', 'revoked'];
const STAGE_COLORS: Record<string, string> = {
  submitted: '#4f7fb8',
  incomplete: '#b35c00',
  documents_verified: '#0e7c86',
  survey_scheduled: '#6941c6',
  surveyed: '#8a5a00',
  recommended: '#2e6f9e',
  issued: COLORS.ok,
  rejected: COLORS.bad,
  withdrawn: COLORS.grey,
  revoked: '#7a1f1f',
};

const state: {
  stats: Stats | null;
  area: string; // kecamatan code or a kelurahan code
  month: string; // YYYY-MM
  error: unknown;
} = { stats: null, area: '', month: '', error: null };

function areaStats(): AreaStats | null {
  const s = state.stats;
  if (!s) return null;
  if (!state.area || state.area === s.kecamatan.code) return s.kecamatan;
  return s.kelurahan.find((k) => k.code === state.area) ?? s.kecamatan;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

// The months the page covers, oldest first: the kecamatan's, from its first
// month to its last, a month without any activity included. A kelurahan
// covers the same months, so that both speak of the same period ("dalam N
// bulan") and the chosen month stays when the area changes.
function monthRange(): string[] {
  const have = (state.stats?.kecamatan.months ?? []).map((m) => m.month).sort();
  const out: string[] = [];
  for (let m = have[0]; m && m <= have[have.length - 1]!; m = nextMonth(m)) out.push(m);
  return out;
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y! + 1}-01` : `${y}-${String(mo! + 1).padStart(2, '0')}`;
}

// The area's months over monthRange(): one it had nothing in is empty (no
// application, no outcome; no median nor on-time share, which are not zero).
function areaMonths(a: AreaStats): MonthStats[] {
  const have = new Map(a.months.map((m) => [m.month, m]));
  return monthRange().map(
    (month) => have.get(month) ?? { month, applications: 0, entered: {}, median_days: {}, service_level: {}, outcomes: {}, rejection_reasons: {} },
  );
}

// A month's name; the month running now is marked as such (its figures are partial).
function monthLabel(m: string): string {
  return m === jakartaToday().slice(0, 7) ? t('dash.month.running', { month: fmtMonth(m) }) : fmtMonth(m);
}

function onTimeTotals(a: AreaStats): { on: number; total: number } {
  let on = 0;
  let total = 0;
  for (const m of a.months)
    for (const sl of Object.values(m.service_level)) {
      on += sl.on_time;
      total += sl.total;
    }
  return { on, total };
}

// --- Filters -----------------------------------------------------------------

function renderFilters(): void {
  const s = state.stats;
  const box = $('#filters');
  if (!s) return clear(box);
  const a = areaStats()!;
  // The kecamatan's months, whatever the area: a kelurahan's month without
  // activity is in the list, and the chosen month stays when the area changes.
  const months = monthRange().reverse();
  // The month running now has few finished stages early on: the page opens
  // on the latest whole month, and names the running one as such.
  const running = jakartaToday().slice(0, 7);
  if (!months.includes(state.month)) state.month = months.find((m) => m < running) ?? months[0] ?? '';
  const areaSel = h(
    'select',
    {
      id: 'area',
      onchange: (e: Event) => {
        state.area = (e.target as HTMLSelectElement).value;
        render();
        $('#area').focus();
      },
    },
    h('option', { value: s.kecamatan.code }, t('dash.area.all', { name: s.kecamatan.name })),
    s.kelurahan.map((k) => h('option', { value: k.code }, `Kelurahan ${k.name}`)),
  );
  areaSel.value = a.code;
  const monthSel = h(
    'select',
    {
      id: 'month',
      disabled: months.length === 0,
      onchange: (e: Event) => {
        state.month = (e.target as HTMLSelectElement).value;
        render();
        $('#month').focus();
      },
    },
    // A ledger with no application yet has no month: the list says so.
    months.length === 0
      ? h('option', { value: '' }, t('dash.nodata'))
      : months.map((m) => h('option', { value: m }, monthLabel(m))),
  );
  monthSel.value = state.month;
  clear(
    box,
    h('div', { class: 'field' }, h('label', { for: 'area' }, t('dash.area')), areaSel),
    h('div', { class: 'field' }, h('label', { for: 'month' }, t('dash.month')), monthSel),
    h('p', { class: 'muted charter-version' }, t('dash.charter', { v: s.charter_version })),
  );
}

// --- Key figures -------------------------------------------------------------

function areaLabel(a: AreaStats): string {
  const s = state.stats!;
  return a.code === s.kecamatan.code ? t('dash.area.all', { name: a.name }) : `Kelurahan ${a.name}`;
}

function renderKpis(): void {
  const a = areaStats();
  const box = $('#kpis');
  if (!a) return clear(box);
  const open = sum(Object.entries(a.by_stage).filter(([k]) => OPEN.has(k)).map(([, v]) => v));
  const issued = sum(a.months.map((m) => m.outcomes.issued ?? 0));
  const rejected = sum(a.months.map((m) => m.outcomes.rejected ?? 0));
  const revoked = sum(a.months.map((m) => m.outcomes.revoked ?? 0));
  const { on, total } = onTimeTotals(a);
  const n = monthRange().length;
  const months = n ? t('kpi.months', { n }) : t('dash.nodata');
  // Applications stuck past their due date are in no month's on-time share until they leave the stage.
  const overdue = sum(Object.values(a.overdue ?? {}));
  const kpi = (id: string, label: string, value: string, sub: string, raw: number, note?: HTMLElement) =>
    h('div', { class: 'kpi card', 'data-kpi': id, 'data-value': raw }, h('p', { class: 'kpi-label' }, label), h('p', { class: 'kpi-value' }, value), h('p', { class: 'kpi-sub muted' }, sub), note);
  clear(
    box,
    kpi('open', t('kpi.open'), fmtNumber(open), areaLabel(a), open, overdue ? h('p', { class: 'kpi-note', 'data-overdue': overdue }, t('kpi.open.overdue', { n: fmtNumber(overdue) })) : undefined),
    // Every permit issued, revoked ones too (the stage chart counts those issued and valid now).
    kpi('issued', t('kpi.issued'), fmtNumber(issued), revoked ? t('kpi.issued.sub', { months, n: fmtNumber(revoked) }) : months, issued),
    kpi('ontime', t('kpi.ontime'), total ? fmtPercent(on / total) : t('none'), t('kpi.ontime.sub', { on: fmtNumber(on), total: fmtNumber(total) }), total ? on / total : 0),
    kpi('rejected', t('kpi.rejected'), fmtNumber(rejected), months, rejected),
  );
}

// --- Charts ------------------------------------------------------------------

const pct = (n: number) => `${fmtNumber(n, 1)}%`;
const int = (n: number) => fmtNumber(n);

function renderCharts(): void {
  destroyCharts();
  const s = state.stats;
  const a = areaStats();
  const grid = $('#charts');
  if (!s || !a) return clear(grid);
  // Every area over the kecamatan's months; the chosen one may be empty here.
  const months = areaMonths(a);
  const month = months.find((m) => m.month === state.month);
  const monthName = state.month ? fmtMonth(state.month) : t('dash.nodata');
  const monthKeys = months.map((m) => m.month);
  const monthLabels = monthKeys.map(monthLabel);
  const stageLabels = (keys: string[]) => keys.map((k) => term('status', k));
  const area = a.code.replace(/\./g, '');

  // 1. Applications by current stage (none yet: said so, as by the other charts).
  const stageKeys = ALL_STAGES.some((k) => (a.by_stage[k] ?? 0) > 0) ? ALL_STAGES : [];
  const stageCard = chartCard({
    id: 'stage',
    title: t('chart.stage'),
    desc: t('chart.stage.desc'),
    labelHeader: t('col.stage'),
    keys: stageKeys,
    labels: stageLabels(stageKeys),
    series: [{ key: 'count', label: t('col.count'), data: stageKeys.map((k) => a.by_stage[k] ?? 0), format: int }],
    csvName: `permohonan-per-tahap-${area}`,
    height: 300,
    config: (labels, series) => ({
      type: 'bar',
      data: { labels, datasets: [{ label: series[0]!.label, data: series[0]!.data, backgroundColor: stageKeys.map((k) => STAGE_COLORS[k]!), borderRadius: 4 }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: wrappedCategoryAxis } },
    }),
  });

  // 2. Median working days per stage against the service level (this month).
  const timedKeys = month ? TIMED_STAGES.filter((k) => k in month.median_days || k in s.service_days) : [];
  const medianSeries: Series[] = [
    { key: 'median', label: t('series.median'), data: timedKeys.map((k) => month?.median_days[k] ?? NaN) },
    { key: 'service_days', label: t('series.sla'), data: timedKeys.map((k) => s.service_days[k] ?? NaN), format: int },
  ];
  const medianCard = chartCard({
    id: 'median',
    title: t('chart.median', { month: monthName }),
    desc: t('chart.median.desc'),
    labelHeader: t('col.stage'),
    keys: timedKeys,
    labels: stageLabels(timedKeys),
    series: medianSeries,
    csvName: `median-hari-kerja-${area}-${state.month}`,
    config: (labels, series) => ({
      type: 'bar',
      data: {
        labels,
        datasets: [
          { type: 'bar', label: series[0]!.label, data: series[0]!.data, backgroundColor: COLORS.primary, borderRadius: 4, order: 2 },
          {
            type: 'line',
            label: series[1]!.label,
            data: series[1]!.data,
            borderColor: COLORS.bad,
            backgroundColor: COLORS.bad,
            borderDash: [6, 4],
            pointStyle: 'rectRot',
            pointRadius: 6,
            showLine: false,
            order: 1,
          },
        ],
      },
      options: {
        plugins: { legend: { labels: { usePointStyle: true } } },
        scales: { y: { beginAtZero: true, title: { display: true, text: t('days', { n: '' }).trim() } } },
      },
    }),
  });

  // 3. Share of stages finished on time (this month).
  const slKeys = month ? TIMED_STAGES.filter((k) => month.service_level[k]) : [];
  const slShares = slKeys.map((k) => round1(month!.service_level[k]!.share * 100));
  const ontimeCard = chartCard({
    id: 'ontime',
    title: t('chart.ontime', { month: monthName }),
    desc: t('chart.ontime.desc'),
    labelHeader: t('col.stage'),
    keys: slKeys,
    labels: stageLabels(slKeys),
    // The bars' colours judge the share: said in words, by the chart and in the table.
    legend: {
      title: t('ontime.legend'),
      items: (['good', 'fair', 'poor'] as const).map((r) => ({ color: RATING_COLORS[r], text: t(`ontime.${r}`) })),
    },
    words: { key: 'rating', label: t('col.rating'), values: slShares.map((v) => t(`rating.${rating(v)}`)) },
    series: [
      { key: 'share', label: t('col.share'), data: slShares, format: pct },
      { key: 'on_time', label: t('col.ontime'), data: slKeys.map((k) => month!.service_level[k]!.on_time), format: int },
      { key: 'total', label: t('col.total'), data: slKeys.map((k) => month!.service_level[k]!.total), format: int },
    ],
    csvName: `tepat-waktu-${area}-${state.month}`,
    config: (labels, series) => ({
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: t('series.share'),
            data: series[0]!.data,
            backgroundColor: series[0]!.data.map((v) => RATING_COLORS[rating(v)]),
            borderRadius: 4,
          },
        ],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } } } },
    }),
  });

  // 4. Applications received and timeliness by month.
  const trendShare = months.map((m) => {
    const on = sum(Object.values(m.service_level).map((x) => x.on_time));
    const tot = sum(Object.values(m.service_level).map((x) => x.total));
    return tot ? round1((on / tot) * 100) : NaN;
  });
  const trendCard = chartCard({
    id: 'trend',
    title: t('chart.trend'),
    desc: t('chart.trend.desc'),
    labelHeader: t('col.month'),
    keys: monthKeys,
    labels: monthLabels,
    series: [
      { key: 'applications', label: t('series.applications'), data: months.map((m) => m.applications ?? 0), format: int },
      { key: 'share', label: t('series.share'), data: trendShare, format: pct },
    ],
    csvName: `tren-bulanan-${area}`,
    config: (labels, series) => ({
      type: 'bar',
      data: {
        labels,
        datasets: [
          { type: 'bar', label: series[0]!.label, data: series[0]!.data, backgroundColor: COLORS.primaryLight, borderRadius: 4, yAxisID: 'y', order: 2 },
          // Monotone: the curve never rises above its highest point (100 %).
          { type: 'line', label: series[1]!.label, data: series[1]!.data, borderColor: COLORS.ok, backgroundColor: COLORS.ok, yAxisID: 'y1', cubicInterpolationMode: 'monotone', order: 1 },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, position: 'left' },
          // Headroom above 100 % for the line and its points, without a tick there.
          y1: {
            beginAtZero: true,
            max: 105,
            position: 'right',
            grid: { drawOnChartArea: false },
            afterBuildTicks: (axis) => (axis.ticks = [0, 20, 40, 60, 80, 100].map((value) => ({ value }))),
            ticks: { callback: (v) => `${v}%` },
          },
        },
      },
    }),
  });

  // 5. Outcomes by month.
  const outcomesCard = chartCard({
    id: 'outcomes',
    title: t('chart.outcomes'),
    desc: t('chart.outcomes.desc'),
    labelHeader: t('col.month'),
    keys: monthKeys,
    labels: monthLabels,
    series: OUTCOMES.map((o) => ({ key: o, label: term('outcome', o), data: months.map((m) => m.outcomes[o] ?? 0), format: int })),
    csvName: `hasil-per-bulan-${area}`,
    config: (labels, series) => ({
      type: 'bar',
      data: { labels, datasets: series.map((x) => ({ label: x.label, data: x.data, backgroundColor: STAGE_COLORS[x.key]! })) },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    }),
  });

  // 6. Rejection reasons (all months).
  const reasons: Record<string, number> = {};
  for (const m of months) for (const [k, v] of Object.entries(m.rejection_reasons)) reasons[k] = (reasons[k] ?? 0) + v;
  const reasonKeys = Object.keys(reasons).sort((x, y) => reasons[y]! - reasons[x]! || x.localeCompare(y));
  const reasonsCard = chartCard({
    id: 'reasons',
    title: t('chart.reasons'),
    desc: t('chart.reasons.desc'),
    labelHeader: t('col.reason'),
    keys: reasonKeys,
    labels: reasonKeys.map((k) => term('reason', k)),
    series: [{ key: 'count', label: t('col.count'), data: reasonKeys.map((k) => reasons[k]!), format: int }],
    csvName: `alasan-penolakan-${area}`,
    height: Math.max(160, 48 * reasonKeys.length + 60),
    config: (labels, series) => ({
      type: 'bar',
      data: { labels, datasets: [{ label: series[0]!.label, data: series[0]!.data, backgroundColor: COLORS.bad, borderRadius: 4 }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: wrappedCategoryAxis } },
    }),
  });

  // 7. Timeliness by kelurahan (all months), the selected one highlighted.
  // No stage finished anywhere yet: no axis of empty bars that reads as 0 %.
  const kelShown = s.kelurahan.some((k) => onTimeTotals(k).total > 0) ? s.kelurahan : [];
  const kelKeys = kelShown.map((k) => k.code);
  const kelTotals = kelShown.map(onTimeTotals);
  const kelCard = chartCard({
    id: 'kelurahan',
    title: t('chart.kelurahan'),
    desc: t('chart.kelurahan.desc'),
    labelHeader: t('col.kelurahan'),
    keys: kelKeys,
    labels: kelShown.map((k) => k.name),
    series: [
      { key: 'share', label: t('col.share'), data: kelTotals.map((x) => (x.total ? round1((x.on / x.total) * 100) : NaN)), format: pct },
      { key: 'on_time', label: t('col.ontime'), data: kelTotals.map((x) => x.on), format: int },
      { key: 'total', label: t('col.total'), data: kelTotals.map((x) => x.total), format: int },
    ],
    csvName: 'tepat-waktu-per-kelurahan',
    config: (labels, series) => ({
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: t('series.share'),
            data: series[0]!.data,
            backgroundColor: kelKeys.map((k) => (k === a.code || a.code === s.kecamatan.code ? COLORS.primary : COLORS.primaryLight)),
            borderRadius: 4,
          },
        ],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } }, y: wrappedCategoryAxis } },
    }),
  });

  clear(grid, stageCard, medianCard, ontimeCard, trendCard, outcomesCard, reasonsCard, kelCard);
}

// How an on-time share is judged (the bars' colours say it, and the words
// under the title and in the table): good from 80 %, poor under 60 %.
function rating(share: number): 'good' | 'fair' | 'poor' {
  return share >= 80 ? 'good' : share >= 60 ? 'fair' : 'poor';
}
const RATING_COLORS = { good: COLORS.ok, fair: COLORS.warn, poor: COLORS.bad };

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

// --- Register and verification ------------------------------------------------

const PAGE = 10;
const reg: { q: string; kelurahan: string; items: RegisterEntry[] | null; count: number; more: boolean; error: unknown; seq: number; shown: number } = {
  shown: PAGE,
  q: '',
  kelurahan: '',
  items: null,
  count: 0,
  more: false,
  error: null,
  seq: 0,
};

async function loadRegister(): Promise<void> {
  const seq = ++reg.seq;
  const params = new URLSearchParams();
  if (reg.q) params.set('q', reg.q);
  if (reg.kelurahan) params.set('kelurahan', reg.kelurahan);
  try {
    const r = await api<{ count: number; items: RegisterEntry[]; next?: string }>(`/v1/public/register?${params}`);
    if (seq !== reg.seq) return;
    reg.items = r.items;
    reg.count = r.count;
    reg.more = r.next !== undefined;
    reg.shown = PAGE;
    reg.error = null;
  } catch (e) {
    if (seq !== reg.seq) return;
    reg.error = e;
  }
  renderRegister();
}

function renderRegisterControls(): void {
  const s = state.stats;
  const sel = $('#reg-kelurahan') as HTMLSelectElement;
  clear(sel, h('option', { value: '' }, t('register.all')), (s?.kelurahan ?? []).map((k) => h('option', { value: k.code }, k.name)));
  sel.value = reg.kelurahan;
}

function renderRegister(): void {
  const out = $('#reg-results');
  const status = $('#reg-status');
  if (reg.error) {
    clear(status);
    return clear(out, errorBox(reg.error, 'error.network', ['apierr'], true));
  }
  if (!reg.items) return clear(out, h('p', { class: 'muted' }, t('loading')));
  clear(status, reg.more ? t('register.count.max', { n: reg.count }) : t('register.count', { n: reg.count }));
  // Nothing issued yet is not a search that found nothing.
  const searched = reg.q !== '' || reg.kelurahan !== '';
  if (reg.items.length === 0) return clear(out, h('p', { class: 'empty' }, t(searched ? 'register.empty' : 'register.none')));
  const cols: Array<[string, (e: RegisterEntry) => Node | string | Node[]]> = [
    [t('col.number'), (e) => h('button', { type: 'button', class: 'link-button mono', title: t('verify.button'), onclick: () => verify(e.permit_number) }, e.permit_number)],
    [t('col.business'), (e) => e.business_name ?? ''],
    [t('col.type'), (e) => `${e.business_type ?? ''}${e.kbli ? ` (KBLI ${e.kbli})` : ''}`],
    [t('col.kelurahan'), (e) => e.kelurahan_name ?? ''],
    [t('col.issued'), (e) => fmtDate(e.issued_on)],
    [t('col.valid_until'), (e) => h('span', { class: e.status === 'revoked' ? 'revoked-dates' : null }, fmtDate(e.valid_until))],
    [t('col.status'), (e) => statusCell(e)],
  ];
  clear(
    out,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data-table register-table stack-on-phone', id: 'register-table' },
        h('caption', { class: 'sr-only' }, t('register.title')),
        h('thead', {}, h('tr', {}, cols.map(([label]) => h('th', { scope: 'col' }, label)))),
        h(
          'tbody',
          {},
          reg.items
            .slice(0, reg.shown)
            .map((e) => h('tr', { 'data-permit-number': e.permit_number }, cols.map(([label, f], i) => cell(label, { class: i === 0 || i >= 4 ? 'nowrap' : 'wrap' }, f(e))))),
        ),
      ),
    ),
    reg.items.length > reg.shown
      ? h(
          'div',
          { class: 'more' },
          h('p', { class: 'muted' }, t('register.shown', { shown: reg.shown, n: reg.items.length })),
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-secondary',
              id: 'reg-more',
              onclick: () => {
                const first = reg.shown;
                reg.shown += PAGE;
                renderRegister();
                // Keep the keyboard where the new rows start.
                document.querySelectorAll<HTMLElement>('#register-table tbody tr button')[first]?.focus();
              },
            },
            t('register.more', { n: Math.min(PAGE, reg.items.length - reg.shown) }),
          ),
        )
      : null,
  );
}

// A register row's status: the badge, and a revoked permit's revocation date.
function statusCell(e: RegisterEntry): Node[] {
  const out: Node[] = [resultBadge(e.result)];
  if (e.result === 'revoked' && e.revoked_on)
    out.push(h('span', { class: 'revoked-on muted small', 'data-revoked-on': e.revoked_on }, ` ${t('register.revoked_on', { date: fmtDate(e.revoked_on) })}`));
  return out;
}

function resultBadge(result: string): HTMLElement {
  const kind = result === 'valid' ? 'ok' : result === 'unknown' ? 'neutral' : 'bad';
  return h('span', { class: `badge badge-${kind}`, 'data-result': result }, t(`result.${result}`));
}

let lastVerified: RegisterEntry | null = null;
let verifyError: unknown = null;

async function verify(number: string): Promise<void> {
  const input = $('#verify-number') as HTMLInputElement;
  input.value = number;
  $('#verify').scrollIntoView({ block: 'start' });
  await runVerify();
}

async function runVerify(): Promise<void> {
  const input = $('#verify-number') as HTMLInputElement;
  const err = $('#verify-error');
  const number = input.value.trim();
  if (!number) {
    input.setAttribute('aria-invalid', 'true');
    clear(err, t('verify.required'));
    lastVerified = null; // the result shown answered another number
    verifyError = null;
    clear($('#verify-result'));
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  clear(err);
  clear($('#verify-result'), h('p', { class: 'muted' }, t('loading')));
  try {
    lastVerified = await api<RegisterEntry>(`/v1/public/verify/${encodeURIComponent(number)}`);
    verifyError = null;
  } catch (e) {
    lastVerified = null;
    verifyError = e;
  }
  renderVerify();
}

function renderVerify(): void {
  const out = $('#verify-result');
  if (verifyError) return clear(out, errorBox(verifyError, 'error.network', ['apierr'], true));
  const v = lastVerified;
  if (!v) return clear(out);
  const text = t(`result.${v.result}.text`, {
    number: v.permit_number,
    business: v.business_name ?? '',
    kelurahan: v.kelurahan_name ?? '',
    until: fmtDate(v.valid_until),
    revoked: fmtDate(v.revoked_on),
  });
  const details =
    v.result === 'unknown'
      ? null
      : h(
          'dl',
          { class: 'facts' },
          h('div', {}, h('dt', {}, t('col.business')), h('dd', {}, v.business_name ?? '')),
          h('div', {}, h('dt', {}, t('col.type')), h('dd', {}, `${v.business_type ?? ''} (KBLI ${v.kbli ?? ''})`)),
          h('div', {}, h('dt', {}, t('col.kelurahan')), h('dd', {}, v.kelurahan_name ?? '')),
          h('div', {}, h('dt', {}, t('col.issued')), h('dd', {}, fmtDate(v.issued_on))),
          // A revoked permit's end of validity no longer holds: struck through.
          h('div', {}, h('dt', {}, t('col.valid_until')), h('dd', { class: v.result === 'revoked' ? 'revoked-dates' : null }, fmtDate(v.valid_until))),
          h('div', {}, h('dt', {}, t('col.status')), h('dd', {}, statusBadge(v.status ?? 'issued'))),
          v.result === 'revoked'
            ? h('div', {}, h('dt', {}, t('verify.revoked_on')), h('dd', { id: 'verify-revoked-on', 'data-date': v.revoked_on ?? '' }, fmtDate(v.revoked_on)))
            : null,
          // The ground is the officer's own text (published), in the language it was written in.
          v.result === 'revoked' && v.revocation_reason
            ? h('div', {}, h('dt', {}, t('verify.revocation_reason')), h('dd', { id: 'verify-revocation-reason' }, v.revocation_reason))
            : null,
        );
  clear(
    out,
    h(
      'div',
      { class: `verify-card verify-${v.result}`, 'data-result': v.result },
      h('p', { class: 'verify-head' }, resultBadge(v.result), h('span', { class: 'mono' }, v.permit_number)),
      // A QR code that names the permit but not its record: the document is not the one issued.
      v.code_mismatch ? h('p', { class: 'alert alert-error', id: 'verify-code-mismatch', role: 'alert' }, t('verify.code_mismatch')) : null,
      h('p', {}, text),
      details,
    ),
  );
}

// --- Page ----------------------------------------------------------------------

function renderStatsError(): void {
  clear($('#kpis'));
  clear($('#charts'), errorBox(state.error, 'error.network', ['apierr'], true));
}

// One short line says what the charts show, and is what a screen reader
// hears when the area or the month changes (the charts are no live region:
// each arrow press in a select would queue their every word).
function renderShowing(): void {
  const a = areaStats();
  clear($('#showing'), a ? t('dash.showing', { area: areaLabel(a), month: state.month ? fmtMonth(state.month) : t('dash.nodata') }) : '');
}

function render(): void {
  document.title = `${t('nav.dashboard')} — ${t('app.name')}`;
  if (state.error) renderStatsError();
  else if (state.stats) {
    renderFilters();
    renderKpis();
    renderCharts();
    renderShowing();
  }
  renderRegisterControls();
  renderRegister();
  renderVerify();
}

async function main(): Promise<void> {
  mountChrome('dashboard', render);
  // The key figures and the charts are no live region (each arrow press in a
  // selector would read them all out): the line #showing says what changed.
  $('#filters').after(h('p', { id: 'showing', class: 'muted showing', role: 'status', 'aria-live': 'polite' }));
  let timer: number | undefined;
  ($('#reg-q') as HTMLInputElement).addEventListener('input', (e) => {
    reg.q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(timer);
    timer = window.setTimeout(loadRegister, 250);
  });
  $('#reg-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    void loadRegister();
  });
  $('#reg-kelurahan').addEventListener('change', (e) => {
    reg.kelurahan = (e.target as HTMLSelectElement).value;
    void loadRegister();
  });
  $('#verify-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void runVerify();
  });
  clear($('#charts'), h('p', { class: 'muted' }, t('loading')));
  render();
  const deepLink = new URLSearchParams(location.search).get('verify');
  const [stats] = await Promise.allSettled([api<Stats>('/v1/public/stats'), loadRegister()]);
  if (stats.status === 'fulfilled') {
    state.stats = stats.value;
    state.area = stats.value.kecamatan.code;
  } else {
    state.error = stats.reason;
  }
  render();
  document.body.dataset.ready = 'true';
  if (deepLink) void verify(deepLink);
}

void main();
