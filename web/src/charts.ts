// Chart.js, registered once with only the parts the pages use, and a "chart
// card": a titled chart with its numbers a click away (a table and a CSV
// download). The figure carries the exact numbers given to Chart.js in
// data-labels / data-series, so tests (and curious readers) can compare them
// with /v1/public/stats, and the value axes' range as drawn in data-axes.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type Scale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { t } from './i18n';
import { downloadCsv, fmtNumber, h } from './ui';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
Chart.defaults.color = '#3d4a5c';
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = false;

// The category axis of a horizontal bar chart: on a narrow chart (a phone)
// a long label ("Direkomendasikan Lurah") goes on two lines instead of being
// cut at the card's edge.
export const wrappedCategoryAxis = {
  ticks: {
    autoSkip: false, // every category named, even when the lines are tight
    callback(this: Scale, value: string | number): string | string[] {
      const label = this.getLabelForValue(Number(value));
      if (this.chart.width >= 480 || label.length <= 14) return label;
      const lines: string[] = [];
      for (const word of label.split(' ')) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last]!.length + 1 + word.length <= 14) lines[last] += ` ${word}`;
        else lines.push(word);
      }
      return lines;
    },
  },
};

export const COLORS = {
  primary: '#0f4c81',
  primaryLight: '#8fb3d9',
  ok: '#1a7f4b',
  bad: '#b42318',
  warn: '#b35c00',
  grey: '#6b7785',
  purple: '#6941c6',
  teal: '#0e7c86',
};

export interface Series {
  key: string; // stable id, e.g. "median"
  label: string; // shown in the legend and the table header
  data: number[];
  format?: (n: number) => string;
}

export interface CardSpec {
  id: string; // data-chart id
  title: string;
  desc: string;
  labelHeader: string; // header of the label column
  keys: string[]; // stable ids of the labels (stage codes, months, ...)
  labels: string[]; // shown labels
  series: Series[];
  config: (labels: string[], series: Series[]) => ChartConfiguration;
  csvName: string;
  height?: number;
  // What the colours say, where they say something (the on-time bars: good,
  // needs attention, poor): under the title, in the canvas's label too.
  legend?: { title: string; items: Array<{ color: string; text: string }> };
  // A column of words after the numbers (the same judgement, row by row),
  // in the table and the CSV.
  words?: { key: string; label: string; values: string[] };
}

const live = new Map<string, Chart>();

export function destroyCharts(): void {
  for (const c of live.values()) c.destroy();
  live.clear();
}

// A colour's sample in a legend (set through the DOM: the pages' CSP takes
// no style attribute).
function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  el.style.background = color;
  return el;
}

// A figure with the chart, a "show the numbers" table and a CSV download.
export function chartCard(spec: CardSpec): HTMLElement {
  const legendText = spec.legend ? ` ${spec.legend.title} ${spec.legend.items.map((i) => i.text).join('; ')}.` : '';
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${spec.title}. ${spec.desc}${legendText}`,
  });
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.height = `${spec.height ?? 260}px`;
  const fig = h(
    'figure',
    {
      class: 'card chart-card',
      id: `chart-${spec.id}`,
      'data-chart': spec.id,
      'data-keys': JSON.stringify(spec.keys),
      'data-series': JSON.stringify(Object.fromEntries(spec.series.map((s) => [s.key, s.data]))),
    },
    h(
      'figcaption',
      {},
      h('h3', {}, spec.title),
      h('p', { class: 'muted' }, spec.desc),
      spec.legend && spec.keys.length
        ? h(
            'div',
            { class: 'small' },
            spec.legend.title,
            h(
              'ul',
              { class: 'chart-legend', 'data-legend': 'true' },
              spec.legend.items.map((i) => h('li', {}, swatch(i.color), i.text)),
            ),
          )
        : null,
    ),
  );
  if (spec.keys.length === 0) {
    fig.append(h('p', { class: 'empty' }, t('no.data')));
    return fig;
  }
  fig.append(box);
  const table = h(
    'table',
    { class: 'data-table' },
    h('caption', { class: 'sr-only' }, spec.title),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, spec.labelHeader),
        spec.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)),
        spec.words ? h('th', { scope: 'col' }, spec.words.label) : null,
      ),
    ),
    h(
      'tbody',
      {},
      spec.keys.map((k, i) =>
        h(
          'tr',
          { 'data-key': k },
          h('th', { scope: 'row' }, spec.labels[i]),
          spec.series.map((s) =>
            h(
              'td',
              { class: 'num', 'data-series': s.key, 'data-value': Number.isFinite(s.data[i]) ? s.data[i] : '' },
              Number.isFinite(s.data[i]) ? (s.format ?? ((n: number) => fmtNumber(n, 1)))(s.data[i]!) : t('none'),
            ),
          ),
          spec.words ? h('td', { 'data-words': spec.words.key }, spec.words.values[i] ?? '') : null,
        ),
      ),
    ),
  );
  const csv = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary btn-small',
      onclick: () =>
        // The labels as the table shows them (a reason's name, not its
        // code), the code in a column of its own for a spreadsheet to join on.
        downloadCsv(`${spec.csvName}.csv`, [
          [spec.labelHeader, ...spec.series.map((s) => s.label), ...(spec.words ? [spec.words.label] : []), t('col.code')],
          ...spec.keys.map((k, i) => [
            spec.labels[i] ?? k,
            ...spec.series.map((s) => (Number.isFinite(s.data[i]) ? s.data[i]! : '')),
            ...(spec.words ? [spec.words.values[i] ?? ''] : []),
            k,
          ]),
        ]),
    },
    t('download.csv'),
  );
  fig.append(
    h(
      'div',
      { class: 'chart-numbers' },
      h('details', {}, h('summary', {}, t('show.numbers')), h('div', { class: 'table-wrap' }, table)),
      csv,
    ),
  );
  // Chart.js needs the canvas in the document to size it.
  queueMicrotask(() => {
    const chart = new Chart(canvas, spec.config(spec.labels, spec.series));
    live.set(spec.id, chart);
    // The value axes' range as drawn ({"y": [0, 30]}), for the tests.
    fig.dataset.axes = JSON.stringify(
      Object.fromEntries(Object.values(chart.scales).filter((x) => x.type === 'linear').map((x) => [x.id, [x.min, x.max]])),
    );
  });
  return fig;
}
