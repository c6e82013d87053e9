// Shared page chrome and small DOM helpers.
import { api, ApiError, type Charter } from './api';
import { applyStatic, lang, locale, onLangChange, setCharter, setLang, t, term } from './i18n';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

// h('p', {class: 'x'}, 'text', child): an element. Attributes whose value is
// a function become event listeners ("onclick" -> click); false/null are left
// out. Text children are text nodes (never parsed as HTML).
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// A table cell that becomes a "label: value" row on phones (.stack-on-phone).
export function cell(label: string, attrs: Attrs, ...children: Array<Child | Child[]>): HTMLTableCellElement {
  return h('td', { ...attrs, 'data-label': label }, h('span', { class: 'cell' }, ...children));
}

export function clear(el: Element, ...children: Array<Child | Child[]>): void {
  el.replaceChildren();
  append(el, children);
}

export function $(sel: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(sel);
  if (!el) throw new Error(`no element ${sel}`);
  return el;
}

// Moves the focus to an element when it is there.
export function focusOn(sel: string): void {
  document.querySelector<HTMLElement>(sel)?.focus();
}

export function fmtNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

export function fmtPercent(share: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function fmtRupiah(n: number): string {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(n);
}

// "2026-12-03" -> "3 Des 2026" (a calendar date, no time zone shift).
export function fmtDate(d: string | null | undefined): string {
  if (!d) return t('none');
  const [y, m, day] = d.split('-').map(Number);
  if (!y || !m || !day) return d;
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, day)),
  );
}

// An ISO instant in Jakarta time, "WIB" in both languages (English
// formatting would write "GMT+7").
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return t('none');
  const time = new Intl.DateTimeFormat(locale(), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso));
  return `${time} WIB`;
}

// "2026-07" -> "Jul 2026"
export function fmtMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, mo! - 1, 1)),
  );
}

// Today's date in Jakarta, YYYY-MM-DD.
export function jakartaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
}

// The statuses an application ends in without a permit in force.
export const FINAL = new Set(['rejected', 'withdrawn', 'revoked']);
export function statusBadge(status: string): HTMLElement {
  const kind = status === 'issued' ? 'ok' : FINAL.has(status) ? 'bad' : status === 'incomplete' ? 'warn' : 'info';
  return h('span', { class: `badge badge-${kind}`, 'data-status': status }, term('status', status));
}

// Codes that mean the page sent what the ledger does not take: one text
// for them all (the detail names the field).
const REQUEST_CODES = new Set(['malformed_json', 'wrong_type', 'unknown_field', 'malformed_request', 'request_too_large', 'method_not_allowed', 'not_found']);

// The message for a failed request: the ledger's code, the page's own text
// for it where the page's language has one, and the ledger's (English)
// message as the detail, since it names the specifics (which document,
// which status); otherwise the ledger's message alone.
// networkKey: the text for a request that got no answer (an action's says
// that it may have been recorded). prefixes: where the page's texts are
// looked for, in order (the applicant's page has some of its own, shorter
// than the officers').
// `plain`: for the public and the applicant, a refusal that has a text of
// its own here reads as that text alone, without the code and the ledger's
// (English, officers') detail.
export function errorBox(e: unknown, networkKey = 'error.network', prefixes = ['apierr'], plain = false): HTMLElement {
  if (e instanceof ApiError && e.code !== 'network') {
    const code = REQUEST_CODES.has(e.code) ? 'request' : e.code;
    const key = prefixes.map((p) => `${p}.${code}`).find((k) => t(k) !== k) ?? `apierr.${code}`;
    const local = t(key);
    const own = local !== key;
    if (plain && own)
      return h('div', { class: 'alert alert-error', role: 'alert', 'data-error-code': e.code }, h('span', { class: 'error-message' }, local));
    return h(
      'div',
      { class: 'alert alert-error', role: 'alert', 'data-error-code': e.code },
      h('strong', {}, `${t('error.prefix')}: `),
      h('code', { class: 'error-code' }, e.code),
      ' ',
      h('span', { class: 'error-message' }, own ? local : e.message),
      own && e.message ? h('small', { class: 'error-detail' }, `${t('error.detail')}: `, h('span', { lang: 'en' }, e.message)) : null,
    );
  }
  return h('div', { class: 'alert alert-error', role: 'alert', 'data-error-code': 'network' }, t(networkKey));
}

// What the user typed or ticked in the form controls under root, to put back
// after the same forms are drawn again (a language switch, a reload of the
// permit). A control is known by its form (data-form, or its id), its name
// or id, and for a checkbox or radio its value.
type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
export type FormSnapshot = Map<string, { value: string; checked: boolean }>;

function controlKey(el: Control): string | null {
  const name = el.name || el.id;
  if (!name || el.type === 'file' || el.type === 'hidden') return null;
  const form = el.closest<HTMLElement>('form');
  const where = form?.dataset.form ?? form?.id ?? '';
  const choice = el.type === 'checkbox' || el.type === 'radio' ? `|${el.value}` : '';
  return `${where}|${name}${choice}`;
}

export function snapshotControls(root: ParentNode): FormSnapshot {
  const snap: FormSnapshot = new Map();
  for (const el of root.querySelectorAll<Control>('input, textarea, select')) {
    const key = controlKey(el);
    if (key) snap.set(key, { value: el.value, checked: el instanceof HTMLInputElement && el.checked });
  }
  return snap;
}

export function restoreControls(root: ParentNode, snap: FormSnapshot): void {
  for (const el of root.querySelectorAll<Control>('input, textarea, select')) {
    const key = controlKey(el);
    const was = key ? snap.get(key) : undefined;
    if (!was) continue;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) el.checked = was.checked;
    else if (el.value !== was.value) {
      el.value = was.value;
      el.dispatchEvent(new Event('pl-restored')); // a character count follows (no 'input': that would act)
    }
  }
}

// An action that cannot be undone is sent only once confirmed: the form
// shows what is about to happen (text), with "Ya, …" (yes) and "Batal"
// (the form's own button is hidden meanwhile). Editing a field cancels the
// confirmation, so what is sent is what was confirmed. The page's own box
// rather than window.confirm: in the page's language, and readable on a phone.
export function confirmAction(form: HTMLFormElement, button: HTMLButtonElement, o: { action: string; text: string; yes: string; onYes: () => void }): void {
  form.querySelector('.confirm-box')?.remove();
  const base = `confirm-${form.dataset.form ?? form.id}`;
  const done = (focusButton: boolean) => {
    form.removeEventListener('input', onEdit);
    form.removeEventListener('keydown', onKey);
    box.remove();
    button.hidden = false;
    if (focusButton) button.focus();
  };
  const onEdit = () => done(false);
  // Escape is "Batal", as in any dialog.
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    done(true);
  };
  const box = h(
    'div',
    { class: 'confirm-box', role: 'group', 'aria-labelledby': `${base}-title`, 'aria-describedby': `${base}-text`, 'data-confirm': o.action },
    h('p', { id: `${base}-title` }, h('strong', {}, t('off.confirm.title'))),
    h('p', { id: `${base}-text` }, o.text),
    h(
      'div',
      { class: 'confirm-buttons' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-danger confirm-yes',
          // The form's button takes the focus back (else it falls to the
          // body): it says it is sending meanwhile (markBusy).
          onclick: () => {
            done(true);
            o.onYes();
          },
        },
        o.yes,
      ),
      h('button', { type: 'button', class: 'btn btn-secondary confirm-no', onclick: () => done(true) }, t('off.confirm.no')),
    ),
  );
  form.addEventListener('input', onEdit);
  form.addEventListener('keydown', onKey);
  button.hidden = true;
  button.after(box);
  // The safe choice takes the focus; the group's title and text are read with it.
  box.querySelector<HTMLElement>('.confirm-no')!.focus();
}

// A count of the characters typed into a field with a maxlength, since the
// browser cuts longer text without a word: "1.980 / 2.000", and a message
// once the limit is reached. Shown from 80 % of the limit on; the field is
// described by it.
export function charCounter(field: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
  const max = field.maxLength;
  const id = `${field.id || field.name}-count`;
  const out = h('p', { class: 'char-count', id, 'data-count': '0', 'aria-live': 'polite' });
  const update = () => {
    const n = [...field.value].length;
    out.dataset.count = String(n);
    out.hidden = n < max * 0.8;
    out.classList.toggle('at-limit', n >= max);
    clear(out, `${fmtNumber(n)} / ${fmtNumber(max)}`, n >= max ? ` — ${t('v.limit', { max: fmtNumber(max) })}` : '');
  };
  field.addEventListener('input', update);
  field.addEventListener('pl-restored', update);
  field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
  update();
  return out;
}

// One polite live region per page (mountChrome), for short news that has
// no place of its own: "Mengirim…" while a request is on its way. Emptied
// first, so that the same news twice is read twice.
export function announce(text: string): void {
  const out = document.getElementById('announcer');
  if (!out) return;
  clear(out);
  window.setTimeout(() => clear(out, text), 50);
}

// A button whose request is on its way: it says so ("Mengirim…", read out
// too), and is aria-disabled rather than disabled, which would drop the
// focus to the body. Its handler ignores it meanwhile (isBusy): one request
// at a time, so that a double tap on a slow connection sends one command.
// Returns the function that gives the button back.
export function markBusy(button: HTMLButtonElement, label = t('sending')): () => void {
  const was = button.textContent;
  button.setAttribute('aria-disabled', 'true');
  button.dataset.busy = 'true';
  button.textContent = label;
  announce(label);
  return () => {
    button.removeAttribute('aria-disabled');
    delete button.dataset.busy;
    button.textContent = was;
  };
}

export function isBusy(button: Element | null | undefined): boolean {
  return button instanceof HTMLElement && button.dataset.busy === 'true';
}

// The charter in force (public), read once per page: the header's permit
// type and kecamatan, the roles' names, what the applicant may do. A read
// that failed (null) is tried again at the next call.
let charterRead: Promise<Charter | null> | null = null;
export function loadCharter(): Promise<Charter | null> {
  charterRead ??= api<Charter>('/v1/charter').catch(() => {
    charterRead = null;
    return null;
  });
  return charterRead;
}

export type Page = 'dashboard' | 'track' | 'officer';

// Header (brand, navigation, language switch), and footer; fills the
// data-i18n texts and re-renders on a language switch.
export function mountChrome(page: Page, rerender: () => void): void {
  document.documentElement.lang = lang();
  const links: Array<[Page, string, string]> = [
    ['dashboard', '/', 'nav.dashboard'],
    ['track', '/track', 'nav.track'],
    ['officer', '/officer', 'nav.officer'],
  ];
  const langBtn = h('button', {
    type: 'button',
    class: 'lang-switch',
    id: 'lang-switch',
    'data-i18n': 'lang.switch',
    'data-i18n-attr': 'aria-label:lang.switch.label',
    onclick: () => setLang(lang() === 'id' ? 'en' : 'id'),
  });
  const header = h(
    'header',
    { class: 'site-header' },
    h('a', { class: 'skip-link', href: '#main', 'data-i18n': 'skip' }),
    h(
      'div',
      { class: 'header-inner' },
      h(
        'a',
        { class: 'brand', href: '/' },
        h('img', { src: '/favicon.svg', alt: '', width: 32, height: 32 }),
        h('span', { class: 'brand-text' }, h('strong', { 'data-i18n': 'app.name' }), h('small', { 'data-i18n': 'app.area' })),
      ),
      langBtn,
      h(
        'nav',
        { class: 'site-nav', 'data-i18n-attr': 'aria-label:nav.label' },
        h(
          'ul',
          {},
          links.map(([p, href, key]) =>
            h('li', {}, h('a', { href, 'data-i18n': key, 'aria-current': p === page ? 'page' : null })),
          ),
        ),
      ),
    ),
  );
  const footer = h('footer', { class: 'site-footer' }, h('p', { 'data-i18n': 'footer.text' }));
  document.body.prepend(header);
  document.body.append(footer, h('p', { id: 'announcer', class: 'sr-only', role: 'status', 'aria-live': 'polite' }));
  applyStatic(document.body);
  // The switch is written in the language it switches to, and said so.
  const langOfSwitch = () => langBtn.setAttribute('lang', lang() === 'id' ? 'en' : 'id');
  langOfSwitch();
  // What the user typed survives the re-render: every form control gets its
  // value (or tick) back, and the focus stays on the switch.
  const again = () => {
    const main = document.querySelector('main') ?? document.body;
    const typed = snapshotControls(main);
    rerender();
    restoreControls(main, typed);
  };
  onLangChange(() => {
    langOfSwitch();
    again();
  });
  // Another charter than the shipped one (another permit, kecamatan, role
  // names): the texts follow it. The shipped one changes nothing, and
  // nothing is drawn again.
  void loadCharter().then((c) => {
    if (!c || !setCharter(c)) return;
    applyStatic(document.body);
    again();
  });
}

// A CSV file for download: rows of cells, quoted as RFC 4180 asks.
export function downloadCsv(filename: string, rows: Array<Array<string | number>>): void {
  const csv = rows
    .map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(','))
    .join('\r\n');
  const blob = new Blob([`\ufeff${csv}\r\n`], { type: 'text/csv;charset=utf-8' });
  const a = h('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
