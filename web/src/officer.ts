// The officer worklist (/officer): sign in with an officer token (kept in
// sessionStorage, dropped after IDLE_MS without use, and the page cleared), the queue from /v1/worklist,
// an application filed at the counter (POST /v1/applications, for a role the
// charter grants submit_application), one application with its
// history, and the actions the charter grants the officer's role. Every
// action is sent with a fresh command_id and the expected_version (one that
// cannot be undone once the officer confirms it); when the ledger refuses,
// its error code and message are shown as they are.
import './styles.css';
import { api, ApiError, commandId, type ActionResult, type Application, type Charter, type LedgerEvent, type Permit, type Worklist } from './api';
import { roleName, setCharter, t, term } from './i18n';
import {
  $,
  cell,
  charCounter,
  clear,
  confirmAction,
  focusOn,
  errorBox,
  fmtDate,
  fmtNumber,
  fmtRupiah,
  fmtTime,
  announce,
  h,
  isBusy,
  jakartaToday,
  markBusy,
  mountChrome,
  restoreControls,
  snapshotControls,
  statusBadge,
} from './ui';

const TOKEN_KEY = 'pl.officer.token';
// A browser restores a tab's sessionStorage with the tab (reopened, or after
// a restart with session restore): a token unused this long is dropped.
const IDLE_MS = 30 * 60 * 1000;
// How often an open page checks for that (also when the tab is shown again).
const IDLE_CHECK_MS = 15 * 1000;
// How long before that sign-out the page warns, with a button to stay
// signed in (WCAG 2.2.1): an officer reading an application with a screen
// reader, or scrolling it on a tablet, presses no key for a long while.
const IDLE_WARN_MS = 2 * 60 * 1000;
// An officer ID (api.md, POST /v1/officers).
const OFFICER_ID = /^[A-Za-z0-9._@-]{1,64}$/;
const OPEN = new Set(['submitted', 'incomplete', 'documents_verified', 'survey_scheduled', 'surveyed', 'recommended']);
// Every permit action an officer form can send, in workflow order.
const ACTIONS = [
  'verify_documents',
  'request_completion',
  'complete_documents',
  'schedule_survey',
  'record_survey',
  'recommend',
  'decline_recommendation',
  'issue_permit',
  'reject',
  'withdraw',
  'revoke',
  'grant_consent',
  'withdraw_consent',
  'erase_personal_data',
];
// Actions that cannot be undone once recorded: the page asks to confirm them,
// naming the permit and the action, before sending.
const IRREVERSIBLE = new Set(['issue_permit', 'reject', 'revoke', 'decline_recommendation', 'withdraw', 'erase_personal_data']);
// The charter's rejection_reasons, when it lists none (Charter::kDefaultRejectionReasons).
const DEFAULT_REASON_CODES = ['incomplete_documents', 'zoning', 'ineligible', 'duplicate_application', 'false_information'];

interface State {
  token: string | null;
  worklist: Worklist | null;
  charter: Charter | null;
  permit: Permit | null;
  history: LedgerEvent[];
  error: unknown; // of loading the worklist or the permit
  signInError: unknown;
  // The last action's outcome, announced; its codes, so that a language
  // switch writes it in the new language.
  notice: { action: string; status: string; version: number; stale: boolean } | null;
  other: string; // the action chosen under "other actions"
  refusal: unknown; // a version conflict, shown above the refreshed actions
  formError: { form: string; error: unknown } | null; // a refusal shown in its form (kept through a language switch)
  loading: boolean;
  idleOut: boolean; // signed out for want of use: the sign-in form says so
  counterOpen: boolean; // the counter application form is unfolded
  counterError: unknown; // its refusal (kept through a language switch)
  created: Application | null; // filed at the counter: its tracking code, shown this once
  officers: Colleague[]; // who is enrolled (GET /v1/officers), to name a survey team
}

interface Colleague {
  id: string;
  name: string;
  role: string;
  jurisdiction: string;
}

const st: State = {
  token: readToken(),
  worklist: null,
  charter: null,
  permit: null,
  history: [],
  error: null,
  signInError: null,
  notice: null,
  other: '',
  refusal: null,
  formError: null,
  loading: false,
  idleOut: false,
  counterOpen: false,
  counterError: null,
  created: null,
  officers: [],
};

// The command id of each request whose outcome is unknown (no answer came):
// the same request sent again reuses it, so the ledger does not take it
// twice; a changed request gets a new one. Keyed by the request itself.
const pending = new Map<string, string>();
function idFor(request: unknown): [string, string] {
  const sig = JSON.stringify(request);
  return [sig, pending.get(sig) ?? commandId()];
}
// No answer, or an answer saying the outcome is not known yet.
const unsure = (e: unknown) => e instanceof ApiError && ['network', 'outcome_unknown', 'unavailable'].includes(e.code);

// The stored token, unless it has not been used for IDLE_MS.
function readToken(): string | null {
  try {
    const kept = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null') as { token?: unknown; used?: unknown } | null;
    if (kept && typeof kept.token === 'string' && typeof kept.used === 'number' && Date.now() - kept.used < IDLE_MS)
      return kept.token;
    forgetToken();
  } catch {
    forgetToken();
  }
  return null;
}

// Keeps the token with the time of its last use.
let lastUse = Date.now();
function keepToken(token: string): void {
  lastUse = Date.now();
  try {
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token, used: Date.now() }));
  } catch {
    /* kept in memory only */
  }
}

function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* nothing kept */
  }
}

// The time of the last use: the stored one (a reload keeps it), else the page's.
function lastUsed(): number {
  try {
    const kept = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null') as { used?: unknown } | null;
    if (kept && typeof kept.used === 'number') return Math.min(kept.used, lastUse);
  } catch {
    /* the page's own */
  }
  return lastUse;
}

// Signs out, clearing everything shown, once IDLE_MS passed without use: a
// tab left open on a shared counter would go on showing applicants' data.
function checkIdle(): boolean {
  if (!st.token || Date.now() - lastUsed() < IDLE_MS) return false;
  idleWarning(0);
  signOut();
  st.idleOut = true;
  render();
  return true;
}

// The periodic check (and the tab shown again): signs out once the time is
// up, warns in its last IDLE_WARN_MS.
function idleTick(): void {
  if (checkIdle() || !st.token || !st.worklist) return;
  const left = IDLE_MS - (Date.now() - lastUsed());
  if (left <= IDLE_WARN_MS) idleWarning(left);
}

// The warning before the sign-out: an alert (read out at once, the focus
// left where it is: moving it would count as use), with a button to stay
// signed in; any use does the same. leftMs 0: the warning goes.
function idleWarning(leftMs: number): void {
  const shown = document.getElementById('idle-warning');
  if (leftMs <= 0) return shown?.remove();
  if (shown) return;
  const stay = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary btn-small',
      id: 'idle-stay',
      onclick: () => {
        if (st.token) keepToken(st.token);
        idleWarning(0);
        announce(t('off.idle.stayed'));
      },
    },
    t('off.idle.stay'),
  );
  const minutes = Math.max(1, Math.ceil(leftMs / 60000));
  document.body.append(
    h('div', { class: 'alert alert-info idle-warning', id: 'idle-warning', role: 'alert' }, h('p', {}, t('off.idle.warn', { minutes })), stay),
  );
}

// A click or a key is use: the idle time starts again (unless it ran out
// already, when the click only finds the sign-in form).
function onUse(e: Event): void {
  if (!st.token) return;
  if (checkIdle()) {
    e.preventDefault();
    e.stopPropagation();
    return;
  }
  noteUse(e);
}

// So are a touch, the pointer, scrolling and the focus moving (a screen
// reader moves it as it reads); these are only noted, never stopped.
function onActivity(e: Event): void {
  if (st.token && !checkIdle()) noteUse(e);
}

// Use inside the warning (the press on its button, the Tab to it) leaves
// it up: taken away at the pointer's press, the click would land on what
// lies under it.
function noteUse(e: Event): void {
  if (!st.token || !st.worklist) return;
  if (Date.now() - lastUsed() > 5000) keepToken(st.token);
  const inWarning = e.target instanceof Node && document.getElementById('idle-warning')?.contains(e.target);
  const tabbing = e instanceof KeyboardEvent && (e.key === 'Tab' || e.key === 'Shift');
  if (!inWarning && !tabbing) idleWarning(0);
}

const role = () => st.worklist?.officer.role ?? '';
const mayTake = (action: string) => (st.charter?.permissions[action] ?? []).includes(role());

function placeName(code: string): string {
  if (code === '*') return t('off.everywhere'); // an auditor's: every kelurahan
  const c = st.charter;
  if (!c) return code;
  if (code === c.kecamatan.code) return `Kecamatan ${c.kecamatan.name}`;
  const k = c.kelurahan.find((x) => x.code === code);
  return k ? `Kelurahan ${k.name}` : code;
}

// --- Loading -------------------------------------------------------------------

async function signIn(token: string): Promise<void> {
  st.signInError = null;
  st.idleOut = false;
  try {
    const [wl, charter] = await Promise.all([api<Worklist>('/v1/worklist', { token }), api<Charter>('/v1/charter')]);
    st.token = token;
    st.worklist = wl;
    // The colleagues a survey team may name; without the list the ids are typed.
    st.officers = await api<{ officers: Colleague[] }>('/v1/officers', { token })
      .then((r) => r.officers)
      .catch(() => []);
    // Nothing of an earlier session (an answer that came after its sign-out).
    Object.assign(st, { permit: null, history: [], created: null, refusal: null, formError: null, counterError: null });
    st.charter = charter;
    setCharter(charter); // read afresh: the role names follow it
    keepToken(token);
  } catch (e) {
    st.signInError = e;
    st.token = null;
    // Only the ledger's refusal of the token drops it: after a network
    // failure the sign-in form offers it again.
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) forgetToken();
  }
  render();
  if (st.token) {
    const id = permitFromHash();
    if (id) await openPermit(id, false);
    else focusOn('#queue-title');
  } else {
    focusOn('#token');
  }
}

function signOut(): void {
  forgetToken();
  pending.clear();
  Object.assign(st, {
    token: null,
    worklist: null,
    permit: null,
    history: [],
    error: null,
    notice: null,
    signInError: null,
    idleOut: false,
    other: '',
    refusal: null,
    formError: null,
    counterOpen: false,
    counterError: null,
    created: null,
  });
  history.replaceState(null, '', location.pathname);
  render();
  focusOn('#token');
}

async function reloadWorklist(): Promise<void> {
  try {
    st.worklist = await api<Worklist>('/v1/worklist', { token: st.token! });
    st.error = null;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    st.error = e;
  }
}

// Leaves what was shown for application id: the last one's outcome and
// forms go.
function startOpening(id: string): void {
  if (st.created?.permit_id !== id) st.created = null; // shown once, for the application just filed
  st.error = null;
  st.notice = null;
  st.other = '';
  st.refusal = null;
  st.formError = null;
  if (location.hash !== `#permit=${id}`) history.pushState(null, '', `#permit=${encodeURIComponent(id)}`);
}

async function fetchPermit(id: string): Promise<[Permit, LedgerEvent[]]> {
  const [p, hist] = await Promise.all([
    api<Permit>(`/v1/permits/${encodeURIComponent(id)}`, { token: st.token! }),
    api<{ events: LedgerEvent[] }>(`/v1/permits/${encodeURIComponent(id)}/history`, { token: st.token! }),
  ]);
  return [p, hist.events];
}

// One at a time; meanwhile "Memuat…" has the focus (the button clicked is
// gone with the queue), which reads it.
async function openPermit(id: string, focus = true): Promise<void> {
  if (st.loading) return;
  startOpening(id);
  st.loading = true;
  render();
  if (focus) focusOn('#loading');
  try {
    [st.permit, st.history] = await fetchPermit(id);
  } catch (e) {
    st.permit = null;
    st.error = e;
  }
  st.loading = false;
  render();
  if (focus) focusOn('#detail-title');
}

// An application opened by the ID typed under the queue: looked up before
// the queue is left, so that an unknown ID is said next to the field, the
// text kept and the focus on it, to be corrected.
async function openTyped(input: HTMLInputElement, button: HTMLButtonElement, id: string): Promise<void> {
  if (st.loading) return; // another application is on its way
  const token = st.token;
  const shown = st.permit;
  const ready = markBusy(button, t('off.opening'));
  try {
    const got = await fetchPermit(id);
    // Signed out meanwhile (maybe another officer signed in at a shared
    // counter: not shown what was fetched with the first one's token), or
    // another application opened from the queue.
    if (st.token !== token || st.loading || st.permit !== shown) return;
    startOpening(id);
    [st.permit, st.history] = got;
    render();
    focusOn('#detail-title');
  } catch (e) {
    ready();
    // The page's text alone (the field's message), read with the field.
    const box = errorBox(e, 'error.network', ['apierr'], true);
    box.removeAttribute('role');
    input.setAttribute('aria-invalid', 'true');
    clear($('#open-id-error'), box);
    input.focus();
  }
}

async function refreshPermit(): Promise<void> {
  if (!st.permit) return;
  const id = st.permit.permit_id;
  const [p, hist] = await Promise.all([
    api<Permit>(`/v1/permits/${encodeURIComponent(id)}`, { token: st.token! }),
    api<{ events: LedgerEvent[] }>(`/v1/permits/${encodeURIComponent(id)}/history`, { token: st.token! }),
    reloadWorklist(),
  ]);
  st.permit = p;
  st.history = hist.events;
}

// The permit ID in what was typed: an ID, or a permit number
// (IUMK/<kelurahan>/<year>/<permit ID>), whose last part is the ID; spaces
// anywhere and the case do not matter.
function permitIdOf(typed: string): string {
  const parts = typed.replace(/\s+/g, '').split('/').filter(Boolean);
  return (parts.at(-1) ?? '').toUpperCase();
}

function permitFromHash(): string | null {
  const m = /^#permit=([^&]+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]!) : null;
}

function backToQueue(): void {
  st.created = null;
  st.permit = null;
  st.error = null;
  st.notice = null;
  history.pushState(null, '', location.pathname);
  void reloadWorklist().then(() => {
    render();
    focusOn('#queue-title');
  });
}

// --- Sign-in -------------------------------------------------------------------

function renderSignIn(root: HTMLElement): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-error',
    class: 'mono',
  });
  // A token kept through a failed sign-in (the ledger was unreachable).
  input.value = readToken() ?? '';
  const err = h('p', { id: 'token-error', class: 'field-error', 'aria-live': 'assertive' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('off.signin.button'));
  clear(
    root,
    h(
      'form',
      {
        class: 'card signin',
        id: 'signin-form',
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          if (isBusy(button)) return; // one sign-in at a time
          const v = input.value.trim();
          if (!v) {
            input.setAttribute('aria-invalid', 'true');
            clear(err, t('off.token.required'));
            input.focus();
            return;
          }
          // The button keeps the focus and says what is happening meanwhile.
          markBusy(button, t('off.signin.sending'));
          void signIn(v);
        },
      },
      h('h2', {}, t('off.signin')),
      h('p', { class: 'muted' }, t('off.signin.lead')),
      st.idleOut ? h('p', { class: 'alert alert-info', id: 'idle-out', role: 'status' }, t('off.idle')) : null,
      h('div', { class: 'field' }, h('label', { for: 'token' }, t('off.token')), input, err),
      st.signInError ? errorBox(st.signInError) : null,
      button,
    ),
  );
}

// --- Queue ---------------------------------------------------------------------

function officerBar(): HTMLElement {
  const wl = st.worklist!;
  return h(
    'div',
    { class: 'officer-bar card', id: 'officer-bar', 'data-role': wl.officer.role },
    h(
      'div',
      {},
      h('p', { class: 'officer-name' }, t('off.signed', { id: wl.officer.id })),
      h('p', { class: 'muted' }, `${roleName(wl.officer.role)} · ${placeName(wl.officer.jurisdiction)}`),
    ),
    h('button', { type: 'button', class: 'btn btn-secondary', id: 'signout', onclick: signOut }, t('off.signout')),
  );
}

function renderQueue(root: HTMLElement): void {
  const wl = st.worklist!;
  const items = [...wl.items].sort(
    (a, b) => (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999') || a.permit_id.localeCompare(b.permit_id),
  );
  const openButton = h('button', { type: 'submit', class: 'btn btn-secondary' }, t('off.open.button'));
  const openForm = h(
    'form',
    {
      class: 'inline-form',
      id: 'open-form',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (isBusy(openButton)) return;
        const input = $('#open-id') as HTMLInputElement;
        const v = permitIdOf(input.value);
        input.removeAttribute('aria-invalid');
        clear($('#open-id-error'));
        if (!v) {
          input.setAttribute('aria-invalid', 'true');
          clear($('#open-id-error'), t('v.required'));
          input.focus();
          return;
        }
        void openTyped(input, openButton, v);
      },
    },
    h(
      'div',
      { class: 'field field-grow' },
      h('label', { for: 'open-id' }, t('off.open.id')),
      h('input', { id: 'open-id', type: 'text', class: 'mono', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'open-id-hint open-id-error' }),
      h('p', { id: 'open-id-hint', class: 'hint' }, t('off.open.hint')),
      h('div', { id: 'open-id-error', class: 'field-error', 'aria-live': 'assertive' }),
    ),
    openButton,
  );
  const table = items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data-table queue-table stack-on-phone', id: 'queue' },
          h('caption', { class: 'sr-only' }, t('off.queue')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('col.due'), t('col.permit'), t('col.business'), t('col.kelurahan'), t('col.status'), t('col.next')].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            {},
            items.map((it) =>
              h(
                'tr',
                { 'data-permit': it.permit_id, class: it.overdue ? 'overdue' : '' },
                cell(t('col.due'), {},
                  fmtDate(it.due_date),
                  it.overdue ? h('span', { class: 'badge badge-bad', 'data-overdue': 'true' }, t('off.overdue')) : null,
                ),
                cell(t('col.permit'), {},
                  h('button', { type: 'button', class: 'link-button mono open-permit', onclick: () => void openPermit(it.permit_id) }, it.permit_id),
                ),
                cell(t('col.business'), {}, it.business_name),
                cell(t('col.kelurahan'), {}, it.kelurahan_name),
                cell(t('col.status'), {},
                  statusBadge(it.status),
                  it.survey_date ? h('span', { class: 'small muted survey-on', 'data-survey-date': it.survey_date }, ` ${t('off.queue.survey_on', { date: fmtDate(it.survey_date) })}`) : null,
                ),
                cell(t('col.next'), {},
                  it.next_actions.map((a) => term('action', a)).join(', ') || t('none'),
                  it.survey_team_unavailable ? h('span', { class: 'badge badge-bad', 'data-team-gone': 'true' }, t('off.team.gone')) : null,
                ),
              ),
            ),
          ),
        ),
      )
    : h('p', { class: 'empty' }, t('off.queue.empty'));
  clear(
    root,
    officerBar(),
    wl.read_only ? h('p', { class: 'alert alert-info', id: 'read-only' }, t('off.readonly')) : null,
    st.error ? errorBox(st.error) : null,
    h(
      'section',
      { class: 'card section', 'aria-labelledby': 'queue-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'queue-title', tabindex: '-1' }, t('off.queue')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-secondary btn-small',
            onclick: () =>
              void reloadWorklist().then(() => {
                render();
              }),
          },
          t('off.refresh'),
        ),
      ),
      h('p', { class: 'muted', role: 'status' }, t(items.length === 1 ? 'off.queue.count.one' : 'off.queue.count', { n: items.length })),
      table,
      openForm,
    ),
    mayTake('submit_application') ? counterSection() : null,
  );
}

// --- An application filed at the counter -----------------------------------------

// The kelurahan an application filed by this officer goes to: the officer's
// own, or (a kecamatan or wider role) one chosen from the charter's.
function counterKelurahan(): string | null {
  const own = st.worklist?.officer.jurisdiction ?? '';
  return st.charter?.kelurahan.some((k) => k.code === own) ? own : null;
}

// The counter's form: what POST /v1/applications takes (api.md), the
// applicant's personal data, the business, and the documents handed in.
function counterSection(): HTMLElement {
  const field = (name: string, label: string, attrs: Record<string, string | number | boolean>, opts: { hint?: string; count?: boolean; required?: boolean } = {}) => {
    const id = `c-${name}`;
    const hintId = `${id}-hint`;
    const errId = `${id}-error`;
    const input = h(attrs.rows ? 'textarea' : 'input', {
      id,
      name,
      autocomplete: 'off',
      'aria-describedby': opts.hint ? `${hintId} ${errId}` : errId,
      required: opts.required ?? true,
      ...attrs,
    } as Record<string, string | number | boolean>) as HTMLInputElement | HTMLTextAreaElement;
    if (input instanceof HTMLTextAreaElement) input.removeAttribute('type');
    return h(
      'div',
      { class: 'field', 'data-field': name },
      h('label', { for: id }, label, opts.required === false ? null : h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      opts.hint ? h('p', { id: hintId, class: 'hint' }, opts.hint) : null,
      input,
      opts.count ? charCounter(input) : null,
      h('p', { id: errId, class: 'field-error' }),
    );
  };
  const c = st.charter!;
  const fixed = counterKelurahan();
  const kelurahan = fixed
    ? h('p', { class: 'field', id: 'c-kelurahan-fixed', 'data-kelurahan': fixed }, h('strong', {}, `${t('off.counter.kelurahan')}: `), placeName(fixed))
    : h(
        'div',
        { class: 'field', 'data-field': 'kelurahan' },
        h('label', { for: 'c-kelurahan' }, t('off.counter.kelurahan'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
        h(
          'select',
          { id: 'c-kelurahan', name: 'kelurahan', required: true, 'aria-describedby': 'c-kelurahan-error' },
          h('option', { value: '' }, t('off.counter.kelurahan.choose')),
          c.kelurahan.map((k) => h('option', { value: k.code }, k.name)),
        ),
        h('p', { id: 'c-kelurahan-error', class: 'field-error' }),
      );
  const docs = [...c.required_documents, ...(c.optional_documents ?? [])];
  const result = h('div', { class: 'action-result', id: 'counter-result', 'aria-live': 'assertive' });
  if (st.counterError) result.append(refusalBox(st.counterError, 'error.network.counter'));
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('off.counter.submit'));
  const form = h(
    'form',
    {
      class: 'counter-form',
      id: 'counter-form',
      'data-form': 'counter',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (isBusy(button)) return; // one request at a time
        void submitCounter(form, button, result);
      },
    },
    h('p', { class: 'muted' }, t('off.counter.lead')),
    kelurahan,
    h(
      'fieldset',
      { class: 'counter-group' },
      h('legend', {}, t('off.counter.applicant')),
      field('nik', t('off.counter.nik'), { type: 'text', inputmode: 'numeric', maxlength: 16, class: 'mono', spellcheck: 'false' }),
      field('name', t('off.counter.name'), { type: 'text', maxlength: 200 }, { count: true }),
      field('address', t('off.counter.address'), { rows: 2, maxlength: 500 }, { count: true }),
      field('phone', t('off.counter.phone'), { type: 'tel', maxlength: 32 }, { required: false }),
    ),
    h(
      'fieldset',
      { class: 'counter-group' },
      h('legend', {}, t('off.counter.business')),
      field('business_name', t('off.counter.bname'), { type: 'text', maxlength: 200 }, { count: true, hint: t('off.counter.published') }),
      field('kbli', t('off.counter.kbli'), { type: 'text', inputmode: 'numeric', maxlength: 5, class: 'mono' }),
      field('description', t('off.counter.description'), { rows: 2, maxlength: 500 }, { count: true, required: false, hint: t('off.counter.published') }),
      field('capital', t('off.counter.capital'), { type: 'text', inputmode: 'numeric', maxlength: 20 }),
      field('turnover', t('off.counter.turnover'), { type: 'text', inputmode: 'numeric', maxlength: 20 }),
      field('workers', t('off.counter.workers'), { type: 'text', inputmode: 'numeric', maxlength: 4 }),
      h(
        'fieldset',
        { class: 'field checks', id: 'c-premises', 'data-field': 'premises', 'aria-describedby': 'c-premises-error' },
        h('legend', {}, t('off.counter.premises'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
        ['owned', 'leased'].map((v) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'premises', value: v }), ` ${term('premises', v)}`)),
        h('p', { id: 'c-premises-error', class: 'field-error' }),
      ),
    ),
    h(
      'fieldset',
      { class: 'field checks', id: 'c-documents', 'data-field': 'documents' },
      h('legend', {}, t('off.counter.documents')),
      docs.map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'documents', value: d }), ` ${term('doc', d)}`)),
    ),
    h('div', { class: 'form-actions' }, button),
    result,
  );
  return h(
    'details',
    {
      class: 'card section counter',
      id: 'counter',
      open: st.counterOpen ? true : null,
      ontoggle: (e: Event) => (st.counterOpen = (e.target as HTMLDetailsElement).open),
    },
    h('summary', { id: 'counter-title' }, h('h2', {}, t('off.counter'))),
    form,
  );
}

// A rupiah amount as typed, or why it cannot be read. Dots, commas or spaces
// group thousands ("2.000.000", "2,000,000", "2 000 000"), one kind in an
// amount; a separator before one or two last digits marks cents
// ("2.000.000,00"), which must be zero: rupiah are whole. Nothing is ever
// dropped blindly: "1.500.000,50" is not 150.000.050.
function amount(typed: string): number | 'cents' | null {
  let v = typed.trim().replace(/^rp\.?\s*/i, '');
  const cents = /[.,](\d{1,2})$/.exec(v);
  if (cents) {
    if (!/^0+$/.test(cents[1]!)) return 'cents';
    v = v.slice(0, cents.index);
  }
  const grouped = /^\d{1,3}(?:([., ])\d{3})?(?:\1\d{3})*$/.test(v);
  if (!grouped && !/^\d+$/.test(v)) return null;
  const digits = v.replace(/[., ]/g, '');
  return digits.length <= 15 ? Number(digits) : null;
}


// Marks each field of `errors` ([field name, message]) as invalid with its
// message, says so above the form, and moves the focus to the first one.
function showFieldErrors(form: HTMLElement, result: HTMLElement, errors: [string, string][]): void {
  for (const [name, msg] of errors) {
    const box = form.querySelector<HTMLElement>(`[data-field="${name}"]`)!;
    const target = box.matches('fieldset') ? box : box.querySelector<HTMLElement>('input, textarea, select')!;
    target.setAttribute('aria-invalid', 'true');
    clear(box.querySelector('.field-error')!, msg);
  }
  clear(result, h('p', { class: 'alert alert-error', role: 'alert' }, t('v.fix')));
  const first = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  (first?.matches('fieldset') ? first.querySelector<HTMLElement>('input') : first)?.focus();
}
async function submitCounter(form: HTMLFormElement, button: HTMLButtonElement, result: HTMLElement): Promise<void> {
  clearStale();
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((el) => clear(el));
  clear(result);
  st.counterError = null;
  const val = (name: string) => (form.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value ?? '').trim();
  const errors: Array<[string, string]> = [];
  const need = (name: string, ok: boolean, msg: string) => {
    if (!val(name)) errors.push([name, t('v.required')]);
    else if (!ok) errors.push([name, msg]);
  };
  const kelurahan = counterKelurahan() ?? val('kelurahan');
  if (!kelurahan) errors.push(['kelurahan', t('v.required')]);
  need('nik', /^\d{16}$/.test(val('nik')), t('v.nik'));
  need('name', true, '');
  need('address', true, '');
  need('business_name', true, '');
  need('kbli', /^\d{5}$/.test(val('kbli')), t('v.kbli'));
  // Optional; typed with spaces, dashes, dots or brackets as people write it.
  const phoneDigits = val('phone').replace(/[\s\-.()/]/g, '');
  if (phoneDigits && !/^\+?\d{8,15}$/.test(phoneDigits)) errors.push(['phone', t('v.phone')]);
  const capital = amount(val('capital'));
  const turnover = amount(val('turnover'));
  const workers = /^\d{1,4}$/.test(val('workers')) ? Number(val('workers')) : 0;
  need('capital', typeof capital === 'number', t(capital === 'cents' ? 'v.amount.cents' : 'v.amount'));
  need('turnover', typeof turnover === 'number', t(turnover === 'cents' ? 'v.amount.cents' : 'v.amount'));
  need('workers', workers >= 1, t('v.workers'));
  const premises = form.querySelector<HTMLInputElement>('input[name="premises"]:checked')?.value;
  if (!premises) errors.push(['premises', t('v.required')]);
  if (errors.length) {
    showFieldErrors(form, result, errors);
    return;
  }
  const phone = val('phone');
  const description = val('description');
  const body = {
    kelurahan,
    applicant: { nik: val('nik'), name: val('name'), address: val('address'), ...(phone ? { phone } : {}) },
    business: {
      name: val('business_name'),
      kbli: val('kbli'),
      ...(description ? { description } : {}),
      capital: capital as number,
      turnover: turnover as number,
      workers,
      premises,
    },
    documents: [...form.querySelectorAll<HTMLInputElement>('input[name="documents"]:checked')].map((i) => i.value),
  };
  // The same application sent again after a lost answer keeps its command
  // id: the ledger answers with the application it recorded (and, within
  // 10 minutes, its tracking code) instead of filing it twice.
  const [sig, id] = idFor(body);
  pending.set(sig, id);
  const ready = markBusy(button);
  try {
    const r = await api<Application>('/v1/applications', { token: st.token!, method: 'POST', body: { command_id: id, ...body } });
    pending.delete(sig);
    st.created = r;
    st.counterOpen = false;
    await openPermit(r.permit_id, false);
    focusOn('#created');
  } catch (e) {
    if (!unsure(e)) pending.delete(sig);
    ready();
    st.counterError = e;
    const box = refusalBox(e, 'error.network.counter');
    clear(result, box);
    box.focus();
  }
}

// The application just filed at the counter: its ID and tracking code, to
// hand to the applicant. The ledger shows the code this once.
function createdBox(a: Application): HTMLElement {
  return h(
    'section',
    { class: 'alert alert-ok created', id: 'created', tabindex: '-1', 'aria-labelledby': 'created-title', 'data-permit': a.permit_id },
    h('h3', { id: 'created-title' }, t('off.counter.done')),
    h(
      'dl',
      { class: 'facts' },
      fact(t('off.counter.done.id'), h('span', { class: 'mono', id: 'created-id' }, a.permit_id)),
      fact(t('off.counter.done.code'), h('span', { class: 'mono tracking-code', id: 'created-code' }, a.tracking_code)),
    ),
    h('p', { class: 'created-hand no-print' }, h('strong', {}, t('off.counter.done.hand'))),
    // The printed receipt speaks to the applicant.
    h('p', { class: 'print-only', id: 'created-receipt' }, t('off.counter.receipt', { url: `${location.origin}/track` })),
    a.duplicate ? h('p', { class: 'no-print' }, t('off.counter.done.dup')) : null,
    h('button', { type: 'button', class: 'btn btn-secondary btn-small no-print', onclick: () => window.print() }, t('off.counter.print')),
  );
}

// --- One application -----------------------------------------------------------

// The last action's outcome in the page's language.
function noticeText(n: NonNullable<State['notice']>): string {
  const done = t('off.done', { action: term('action', n.action), status: term('status', n.status), version: n.version });
  return n.stale ? `${done} ${t('off.stale')}` : done;
}

function fact(label: string, value: Node | string, attrs: Record<string, string> = {}): HTMLElement {
  return h('div', attrs, h('dt', {}, label), h('dd', {}, value));
}

function renderDetail(root: HTMLElement): void {
  const p = st.permit;
  const back = h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'back', onclick: backToQueue }, `← ${t('off.back')}`);
  if (st.loading && !p) return clear(root, officerBar(), back, h('p', { class: 'muted', id: 'loading', tabindex: '-1' }, t('loading')));
  if (!p) return clear(root, officerBar(), back, errorBox(st.error));
  const a = p.applicant;
  const applicant = a.erased
    ? h('p', { class: 'muted' }, t('off.applicant.erased'))
    : a.name
      ? h(
          'dl',
          { class: 'facts' },
          fact(t('off.name'), a.name),
          fact('NIK', h('span', { class: 'mono' }, a.nik ?? '')),
          fact(t('off.address'), a.address ?? ''),
          a.phone ? fact(t('off.phone'), a.phone) : null,
        )
      : h('p', { class: 'muted' }, t('off.applicant.hidden', { id: a.person_id }));
  const due = p.due_date
    ? h('span', {}, fmtDate(p.due_date), ' ', p.overdue ? h('span', { class: 'badge badge-bad', 'data-overdue': 'true' }, t('off.overdue')) : null)
    : t('none');
  clear(
    root,
    officerBar(),
    back,
    h(
      'article',
      { class: 'card detail', id: 'detail', 'data-permit': p.permit_id, 'data-status': p.status, 'data-version': p.version },
      h(
        'header',
        { class: 'track-head' },
        h('h2', { id: 'detail-title', tabindex: '-1' }, p.business.name, h('span', { class: 'muted mono small' }, ` ${p.permit_id}`)),
        h('span', { id: 'detail-status' }, statusBadge(p.status)),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact(t('track.kelurahan'), p.kelurahan_name),
        fact(t('track.submitted'), fmtTime(p.submitted_at)),
        fact(t('col.due'), due),
        fact(t('off.version'), String(p.version), { class: 'no-print' }),
        fact(t('col.next'), p.next_actions.length ? `${p.next_actions.map((x) => term('action', x)).join(', ')} — ${p.next_roles.map((r) => roleName(r.role, r.name)).join(', ')}` : t('none')),
        p.permit_number
          ? fact(
              t('off.permit'),
              h(
                'span',
                { id: 'permit-number' },
                // The number breaks only after a slash, never inside its id.
                h(
                  'span',
                  { class: p.status === 'revoked' ? 'revoked-dates' : null },
                  h('span', { class: 'mono permit-no' }, p.permit_number.split('/').flatMap((part, i) => (i ? ['/', h('wbr', {}), part] : [part]))),
                  ` (${fmtDate(p.valid_from)} – ${fmtDate(p.valid_until)})`,
                ),
                p.status === 'revoked' ? [' ', statusBadge('revoked')] : null,
              ),
            )
          : null,
        p.outcome ? fact(t('off.outcome'), `${term('reason', p.outcome.code)} — ${p.outcome.reason}`) : null,
      ),
      // tabindex -1: focus moves here after an action (a p takes no focus otherwise).
      st.created?.permit_id === p.permit_id ? createdBox(st.created) : null,
      st.notice ? h('p', { class: 'alert alert-ok', role: 'status', id: 'notice', tabindex: '-1' }, noticeText(st.notice)) : h('p', { role: 'status', id: 'notice', class: 'sr-only' }),
      st.worklist!.read_only ? h('p', { class: 'alert alert-info', id: 'read-only' }, t('off.readonly')) : actionsPanel(p),
      h(
        'div',
        { class: 'two-col' },
        h(
          'section',
          {},
          h('h3', {}, t('off.business')),
          h(
            'dl',
            { class: 'facts facts-compact' },
            fact(t('off.kbli'), `${p.business.kbli} — ${p.business.description}`),
            fact(t('off.capital'), fmtRupiah(p.business.capital)),
            fact(t('off.turnover'), fmtRupiah(p.business.turnover)),
            fact(t('off.workers'), fmtNumber(p.business.workers)),
            fact(t('off.premises'), term('premises', p.business.premises)),
          ),
        ),
        h('section', {}, h('h3', {}, t('off.applicant')), applicant),
      ),
      h(
        'div',
        { class: 'two-col' },
        h(
          'section',
          {},
          h('h3', {}, t('off.documents')),
          h('ul', { class: 'doc-list doc-ok' }, p.documents.map((d) => h('li', {}, term('doc', d)))),
        ),
        h(
          'section',
          {},
          h('h3', {}, t('off.missing')),
          p.missing.length
            ? h('ul', { class: 'doc-list', id: 'missing' }, p.missing.map((d) => h('li', { 'data-doc': d }, term('doc', d))))
            : h('p', { class: 'muted', id: 'missing' }, t('track.missing.none')),
          p.survey
            ? h(
                'p',
                {},
                h('strong', {}, `${t('off.survey')}: `),
                t('off.survey.text', { date: fmtDate(p.survey.date), team: p.survey.team.join(', ') }),
                p.survey.zoning_compliant === null ? '' : ` · ${t('off.zoning')}: ${p.survey.zoning_compliant ? t('yes') : t('no')}`,
              )
            : null,
          // No one left on the team may record it (retired, moved): the queue's reason, here too.
          p.survey_team_unavailable ? h('p', { class: 'alert alert-info', id: 'team-gone' }, t('off.team.gone.detail')) : null,
          p.recommendation_letter ? h('p', {}, h('strong', {}, `${t('off.letter')}: `), p.recommendation_letter) : null,
        ),
      ),
      h('h3', {}, t('off.history')),
      h(
        'ol',
        { class: 'history', id: 'history' },
        [...st.history].reverse().map((e) =>
          h(
            'li',
            { 'data-type': e.type },
            h('p', { class: 'history-title' }, term('event', e.type)),
            // The log position is for auditors: in the title of the step number, not in the clerk's line.
            h(
              'p',
              { class: 'muted' },
              `${fmtTime(e.time)} · `,
              actor(e),
              ' · ',
              h(
                'span',
                { class: 'history-seq', title: e.log_position ? t('off.logpos', { pos: `${e.log_position.partition}:${e.log_position.offset}` }) : null },
                `#${e.seq}`,
              ),
            ),
            eventDetail(e) ? h('p', { class: 'history-detail' }, eventDetail(e)) : null,
          ),
        ),
      ),
    ),
  );
}

// Who acted: the officer's ID and the name of the role (its ID in the title);
// the applicant and the administrator act under their role's ID, so the
// name alone says it.
function actor(e: LedgerEvent): Array<Node | string> {
  const name = h('span', { class: 'actor-role', title: e.actor_role, 'data-role': e.actor_role }, roleName(e.actor_role));
  return e.actor_id === e.actor_role ? [name] : [`${e.actor_id} (`, name, ')'];
}

function eventDetail(e: LedgerEvent): string {
  const d = e.payload;
  const out: string[] = [];
  const docs = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => term('doc', String(x))).join(', ') : '');
  if (e.type === 'completion_requested') out.push(docs(d.missing));
  if (e.type === 'documents_completed') out.push(docs(d.provided));
  if (e.type === 'survey_scheduled') out.push(`${fmtDate(String(d.date))} · ${(d.team as string[] | undefined)?.join(', ') ?? ''}`);
  if (e.type === 'survey_recorded') out.push(`${t('off.zoning')}: ${d.zoning_compliant ? t('yes') : t('no')}${d.notes ? ` — ${d.notes}` : ''}`);
  if (d.letter_number) out.push(String(d.letter_number));
  if (d.permit_number) out.push(String(d.permit_number));
  if (d.reason_code) out.push(term('reason', String(d.reason_code)));
  if (d.reason) out.push(String(d.reason));
  if (d.subscriber) out.push(String(d.subscriber));
  return out.filter(Boolean).join(' · ');
}

// --- Actions -------------------------------------------------------------------

function actionsPanel(p: Permit): HTMLElement {
  // The next workflow steps the role may take, plus rescheduling a
  // scheduled survey, reject/withdraw while open and revoke once issued,
  // where the charter grants them.
  // A survey's result is recorded by its team: another officer is offered
  // rescheduling it (with themselves on the team), not a form refused.
  const onTeam = p.survey?.team.includes(st.worklist?.officer.id ?? '') ?? false;
  const primary = p.next_actions.filter((a) => mayTake(a) && (a !== 'record_survey' || onTeam));
  const add = (a: string) => {
    if (!primary.includes(a)) primary.push(a);
  };
  // A scheduled survey may be moved to another day or team.
  if (p.status === 'survey_scheduled' && mayTake('schedule_survey')) add('schedule_survey');
  for (const x of ['reject', 'withdraw']) if (OPEN.has(p.status) && mayTake(x)) add(x);
  if (p.status === 'issued' && mayTake('revoke')) add('revoke');
  const otherSel = h(
    'select',
    {
      id: 'other-action',
      onchange: (e: Event) => {
        st.other = (e.target as HTMLSelectElement).value;
        if (st.formError?.form.startsWith('other-')) st.formError = null;
        const box = $('#other-form');
        clear(box, st.other ? actionForm(p, st.other, 'other') : null);
      },
    },
    h('option', { value: '' }, '—'),
    ACTIONS.map((a) => h('option', { value: a }, `${term('action', a)}${mayTake(a) ? '' : ` ${t('off.actions.notallowed')}`}`)),
  );
  otherSel.value = st.other;
  return h(
    'section',
    { class: 'actions', id: 'actions', 'aria-labelledby': 'actions-title' },
    h('h3', { id: 'actions-title' }, t('off.actions')),
    st.refusal ? h('div', { id: 'refusal', tabindex: '-1' }, errorBox(st.refusal, 'error.network.action')) : null,
    primary.length ? h('div', { class: 'action-forms' }, primary.map((a) => actionForm(p, a, 'primary'))) : h('p', { class: 'muted' }, t('off.actions.none')),
    h(
      'details',
      { class: 'other-actions', id: 'other-actions', open: st.other ? true : null },
      h('summary', {}, t('off.actions.other')),
      h('p', { class: 'muted small' }, t('off.actions.other.lead')),
      h('div', { class: 'field' }, h('label', { for: 'other-action' }, t('off.action.choose')), otherSel),
      h('div', { id: 'other-form' }, st.other ? actionForm(p, st.other, 'other') : null),
    ),
  );
}

interface FieldSpec {
  name: string;
  kind: 'docs' | 'date' | 'text' | 'textarea' | 'bool' | 'team' | 'reason_code';
  label: string;
  required: boolean;
  hint?: string; // shown under the label, and read with the field
  max?: number; // characters the ledger takes (api_parse.cc), for a text
}

// The survey the schedule form moves, if the permit has one scheduled already.
function rescheduled(): { date: string; team: string[] } | undefined {
  return st.permit?.status === 'survey_scheduled' ? st.permit.survey : undefined;
}

function fieldsOf(action: string): FieldSpec[] {
  switch (action) {
    case 'request_completion':
      return [{ name: 'missing', kind: 'docs', label: t('off.field.missing'), required: true }];
    case 'complete_documents':
      return [{ name: 'provided', kind: 'docs', label: t('off.field.provided'), required: true }];
    case 'schedule_survey':
      return [
        { name: 'date', kind: 'date', label: t('off.field.date'), required: true },
        { name: 'team', kind: 'team', label: t('off.field.team'), required: true },
      ];
    case 'record_survey':
      return [
        { name: 'zoning_compliant', kind: 'bool', label: t('off.field.zoning'), required: true },
        // Kept in the history monitors and auditors read: no personal data.
        { name: 'notes', kind: 'textarea', label: t('off.field.notes'), required: false, hint: t('off.hint.notes') },
      ];
    case 'recommend':
      return [{ name: 'letter_number', kind: 'text', label: t('off.field.letter'), required: true, max: 100 }];
    case 'decline_recommendation':
    case 'withdraw':
      // Published to the ministry's feed: no personal data.
      return [{ name: 'reason', kind: 'textarea', label: t('off.field.reason'), required: true, hint: t('off.hint.published_reason') }];
    case 'revoke':
      // The revocation event is public on the transparency log, forever.
      return [{ name: 'reason', kind: 'textarea', label: t('off.field.reason'), required: true, hint: t('off.hint.public_reason') }];
    case 'reject':
      return [
        { name: 'reason_code', kind: 'reason_code', label: t('off.field.reason_code'), required: true },
        { name: 'reason', kind: 'textarea', label: t('off.field.reason'), required: true, hint: t('off.hint.published_reason') },
      ];
    case 'grant_consent':
    case 'withdraw_consent':
      return [{ name: 'subscriber', kind: 'text', label: t('off.field.subscriber'), required: true, max: 64 }];
    case 'erase_personal_data':
      return [{ name: 'legal_basis', kind: 'text', label: t('off.field.legal'), required: false, max: 200 }];
    default:
      return [];
  }
}

function actionForm(p: Permit, action: string, where: string): HTMLElement {
  const fid = (name: string) => `f-${where}-${action}-${name}`;
  const docs = [...(st.charter?.required_documents ?? []), ...(st.charter?.optional_documents ?? [])];
  const fields = fieldsOf(action);
  const controls = fields.map((f) => {
    const id = fid(f.name);
    const errId = `${id}-error`;
    const err = h('p', { id: errId, class: 'field-error' });
    const req = f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null;
    switch (f.kind) {
      case 'docs': {
        // Ticked to start with: the documents the ledger lists as missing,
        // to ask for. Those handed in are ticked by the officer, one by one
        // as received (ticked for them, one click would record them all).
        const preset = new Set(action === 'request_completion' ? p.missing : []);
        return h(
          'fieldset',
          { class: 'field checks', id, 'data-field': f.name, 'aria-describedby': errId },
          h('legend', {}, f.label, req),
          docs.map((d) =>
            h(
              'label',
              { class: 'check' },
              h('input', { type: 'checkbox', name: f.name, value: d, checked: preset.has(d) }),
              ` ${term('doc', d)}`,
            ),
          ),
          err,
        );
      }
      case 'bool':
        return h(
          'fieldset',
          { class: 'field checks', id, 'data-field': f.name, 'aria-describedby': errId },
          h('legend', {}, f.label, req),
          h('label', { class: 'check' }, h('input', { type: 'radio', name: `${id}-r`, value: 'true' }), ` ${t('yes')}`),
          h('label', { class: 'check' }, h('input', { type: 'radio', name: `${id}-r`, value: 'false' }), ` ${t('no')}`),
          err,
        );
      case 'textarea': {
        const hintId = `${id}-hint`;
        const area = h('textarea', { id, name: f.name, rows: 2, maxlength: f.max ?? 2000, 'aria-describedby': f.hint ? `${hintId} ${errId}` : errId, required: f.required });
        return h(
          'div',
          { class: 'field', 'data-field': f.name },
          h('label', { for: id }, f.label, req),
          f.hint ? h('p', { id: hintId, class: 'hint' }, f.hint) : null,
          area,
          charCounter(area),
          err,
        );
      }
      case 'reason_code':
        return h(
          'div',
          { class: 'field', 'data-field': f.name },
          h('label', { for: id }, f.label, req),
          h(
            'select',
            { id, name: f.name, 'aria-describedby': errId, required: true },
            h('option', { value: '' }, t('off.field.reason_code.choose')),
            (st.charter?.rejection_reasons ?? DEFAULT_REASON_CODES).map((c) => h('option', { value: c }, term('reason', c))),
          ),
          err,
        );
      case 'date':
        return h(
          'div',
          { class: 'field', 'data-field': f.name },
          h('label', { for: id }, f.label, req),
          h('input', { id, name: f.name, type: 'text', inputmode: 'numeric', placeholder: t('off.field.date.placeholder'), maxlength: 10, autocomplete: 'off', 'aria-describedby': errId, required: true, class: 'mono', value: rescheduled()?.date }),
          err,
        );
      case 'team': {
        const input = h('input', { id, name: f.name, type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': errId, required: true, class: 'mono' });
        // A survey moved keeps its team (those still enrolled): moving the day takes no
        // one off it unless the officer does so. A first schedule starts with the officer.
        const enrolled = new Set(st.officers.map((o) => o.id));
        const team = (rescheduled()?.team ?? []).filter((m) => !st.officers.length || enrolled.has(m));
        input.value = team.length ? team.join(', ') : (st.worklist?.officer.id ?? '');
        // The enrolled officers who work in the permit's kelurahan (or its kecamatan), in a
        // role that meets the applicant (personal_data): one click adds an id to the team.
        const kel = st.permit?.kelurahan ?? '';
        const near = st.officers.filter(
          (o) =>
            st.charter?.roles[o.role]?.personal_data === true &&
            (o.jurisdiction === kel || (o.jurisdiction !== '' && kel.startsWith(`${o.jurisdiction}.`))),
        );
        const pick = near.length
          ? h(
              'p',
              { class: 'small muted team-picks' },
              `${t('off.team.pick')} `,
              near.map((o) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small',
                    'data-pick': o.id,
                    title: `${o.name}, ${roleName(o.role)}`,
                    onclick: () => {
                      const ids = input.value.split(',').map((x) => x.trim()).filter(Boolean);
                      if (!ids.includes(o.id)) input.value = [...ids, o.id].join(', ');
                      input.focus();
                    },
                  },
                  `+ ${o.id}`,
                ),
              ),
            )
          : null;
        return h('div', { class: 'field', 'data-field': f.name }, h('label', { for: id }, f.label, req), input, pick, err);
      }
      default: {
        const input = h('input', { id, name: f.name, type: 'text', maxlength: f.max ?? 100, autocomplete: 'off', 'aria-describedby': errId, required: f.required });
        return h('div', { class: 'field', 'data-field': f.name }, h('label', { for: id }, f.label, req), input, charCounter(input), err);
      }
    }
  });
  const key = `${where}-${action}`;
  const result = h('div', { class: 'action-result', 'aria-live': 'assertive' });
  // A refusal shown before a re-render (a language switch), in the new language.
  if (st.formError?.form === key) result.append(refusalBox(st.formError.error));
  const button = h('button', { type: 'submit', class: `btn ${['reject', 'revoke', 'decline_recommendation', 'withdraw'].includes(action) ? 'btn-danger' : 'btn-primary'}` }, term('action', action));
  const form = h(
    'form',
    {
      class: 'action-form',
      'data-action': action,
      'data-form': key,
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (isBusy(button)) return; // one request at a time
        void submitAction(form, p, action, fields, button, result);
      },
    },
    fields.length ? h('h4', {}, term('action', action)) : null,
    controls,
    h('div', { class: 'form-actions' }, button),
    result,
  );
  return form;
}

function collect(form: HTMLFormElement, action: string, fields: FieldSpec[]): { body: Record<string, unknown>; errors: Array<[string, string]> } {
  const body: Record<string, unknown> = {};
  const errors: Array<[string, string]> = [];
  const today = jakartaToday();
  for (const f of fields) {
    const box = form.querySelector<HTMLElement>(`[data-field="${f.name}"]`)!;
    switch (f.kind) {
      case 'docs': {
        const v = [...box.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
        if (f.required && v.length === 0) errors.push([f.name, t('v.choose')]);
        body[f.name] = v;
        break;
      }
      case 'bool': {
        const v = box.querySelector<HTMLInputElement>('input:checked')?.value;
        if (v === undefined) errors.push([f.name, t('v.required')]);
        else body[f.name] = v === 'true';
        break;
      }
      case 'team': {
        const v = (box.querySelector('input') as HTMLInputElement).value
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        if (v.length === 0) errors.push([f.name, t('v.required')]);
        else if (v.some((x) => !OFFICER_ID.test(x))) errors.push([f.name, t('v.team')]);
        body[f.name] = v;
        break;
      }
      case 'date': {
        const v = (box.querySelector('input') as HTMLInputElement).value.trim();
        if (!v) errors.push([f.name, t('v.required')]);
        else if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) errors.push([f.name, t('v.date')]);
        else if (!realDate(v)) errors.push([f.name, t('v.date.real')]);
        else if (v < today) errors.push([f.name, t('v.date.past', { today })]);
        else if (daysBetween(today, v) > 366) errors.push([f.name, t('v.date.far', { today })]);
        else if (!workingDay(v)) errors.push([f.name, t('v.date.workday')]);
        body[f.name] = v;
        break;
      }
      default: {
        const el = box.querySelector('input, textarea, select') as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
        const v = el.value.trim();
        if (f.required && !v) errors.push([f.name, t('v.required')]);
        if (v) body[f.name] = v;
      }
    }
  }
  void action;
  return { body, errors };
}

// A working day of the charter's calendar (the ledger refuses a survey on
// another day).
function workingDay(v: string): boolean {
  const weekday = utcDate(v).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !(st.charter?.holidays ?? []).includes(v);
}

function realDate(v: string): boolean {
  const [y, m, d] = v.split('-').map(Number);
  const dt = utcDate(v);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m! - 1 && dt.getUTCDate() === d;
}

// A YYYY-MM-DD date at 00:00 UTC (out-of-range parts roll over).
function utcDate(v: string): Date {
  const [y, m, d] = v.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}

// Days from one YYYY-MM-DD date to another (as the ledger counts its survey horizon).
function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000;
}

async function submitAction(
  form: HTMLFormElement,
  p: Permit,
  action: string,
  fields: FieldSpec[],
  button: HTMLButtonElement,
  result: HTMLElement,
): Promise<void> {
  clearStale();
  // Validate before sending: mark each field, focus the first wrong one.
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((el) => clear(el));
  clear(result);
  st.formError = null;
  const { body, errors } = collect(form, action, fields);
  if (errors.length) {
    showFieldErrors(form, result, errors);
    return;
  }
  if (IRREVERSIBLE.has(action)) return askConfirm(form, p, action, body, button, result);
  await send(form, p, action, body, button, result);
}

// An action that cannot be undone is sent only once confirmed (ui.ts
// askConfirm): the question names the action and the permit.
function askConfirm(form: HTMLFormElement, p: Permit, action: string, body: Record<string, unknown>, button: HTMLButtonElement, result: HTMLElement): void {
  const name = term('action', action);
  const what = p.permit_number
    ? t('off.confirm.permit', { number: p.permit_number, business: p.business.name })
    : t('off.confirm.application', { id: p.permit_id, business: p.business.name });
  confirmAction(form, button, {
    action,
    text: t('off.confirm.text', { action: name, what }),
    yes: t('off.confirm.yes', { action: name.charAt(0).toLocaleLowerCase() + name.slice(1) }),
    onYes: () => void send(form, p, action, body, button, result),
  });
}

// A refusal in its form: it takes the focus (the button lost it while disabled).
function refusalBox(e: unknown, networkKey = 'error.network.action'): HTMLElement {
  const box = errorBox(e, networkKey);
  box.tabIndex = -1;
  return box;
}

// A new action starts: the last one's outcome (a success, a refusal shown
// over the permit) no longer applies, and goes.
function clearStale(): void {
  st.notice = null;
  st.refusal = null;
  const notice = document.getElementById('notice');
  if (notice) {
    notice.className = 'sr-only';
    clear(notice);
  }
  document.getElementById('refusal')?.remove();
}

// Reloads the permit and draws it again, the action forms keeping what was
// typed into those still offered.
async function reloadKeepingInput(): Promise<void> {
  const actions = document.getElementById('actions');
  const typed = actions ? snapshotControls(actions) : null;
  await refreshPermit().catch(() => undefined);
  render();
  const again = document.getElementById('actions');
  if (typed && again) restoreControls(again, typed);
}

async function send(form: HTMLFormElement, p: Permit, action: string, body: Record<string, unknown>, button: HTMLButtonElement, result: HTMLElement): Promise<void> {
  // A retry after a network failure (the same action with the same fields
  // on the same version) reuses the command id, so the ledger does not take
  // the same step twice.
  const request = { permit: p.permit_id, action, expected_version: p.version, ...body };
  const [sig, id] = idFor(request);
  pending.set(sig, id);
  // The button keeps the focus and says that it is sending (read out).
  const ready = markBusy(button);
  try {
    const r = await api<ActionResult>(`/v1/permits/${encodeURIComponent(p.permit_id)}/actions`, {
      token: st.token!,
      method: 'POST',
      body: { action, command_id: id, expected_version: p.version, ...body },
    });
    pending.delete(sig);
    st.other = '';
    st.refusal = null;
    st.formError = null;
    const notice = { action, status: r.status, version: r.version, stale: false };
    st.notice = notice;
    // The action is recorded whatever happens to the reload that follows.
    await refreshPermit().catch(() => (notice.stale = true));
    render();
    focusOn('#notice');
  } catch (e) {
    // The command may have been taken (a lost answer, a late outcome): a retry
    // keeps its id, so it cannot act twice. Anything else was refused.
    if (!unsure(e)) pending.delete(sig);
    const code = e instanceof ApiError ? e.code : '';
    // Someone acted meanwhile (a version conflict), an earlier attempt of this
    // one was recorded (its command id is taken), or the answer was lost and it
    // may have been: show the permit as it is now, with the refusal, before
    // the officer tries again; the forms keep what was typed.
    if (['version_conflict', 'command_id_reused', 'network', 'outcome_unknown'].includes(code)) {
      st.formError = null;
      st.refusal = e;
      await reloadKeepingInput();
      focusOn('#refusal');
      return;
    }
    ready();
    // Kept in the state, so that a re-render (a language switch) shows it again.
    st.formError = { form: form.dataset.form!, error: e };
    const box = refusalBox(e);
    clear(result, box);
    box.focus();
  }
}

// --- Page ------------------------------------------------------------------------

function render(): void {
  document.title = `${t('off.title')} — ${t('app.name')}`;
  const root = $('#officer');
  if (st.token && st.worklist) {
    keepToken(st.token); // in use: the idle time starts again
    idleWarning(0);
  }
  if (st.token && !st.worklist && !st.signInError) return clear(root, h('p', { class: 'muted' }, t('loading')));
  if (!st.token || !st.worklist) return renderSignIn(root);
  if (st.permit || st.loading || (st.error && permitFromHash())) return renderDetail(root);
  renderQueue(root);
}

async function main(): Promise<void> {
  mountChrome('officer', render);
  // The idle sign-out, while the page stays open: checked every
  // IDLE_CHECK_MS and when the tab is shown again, with a warning before it;
  // a click or a key is use, and so are touch, pointer, scroll and focus.
  document.addEventListener('click', onUse, true);
  document.addEventListener('keydown', onUse, true);
  for (const type of ['pointerdown', 'touchstart', 'wheel', 'scroll', 'focusin'])
    document.addEventListener(type, onActivity, { capture: true, passive: true });
  document.addEventListener('visibilitychange', idleTick);
  window.setInterval(idleTick, IDLE_CHECK_MS);
  window.addEventListener('popstate', () => {
    if (!st.token) return;
    const id = permitFromHash();
    if (id) void openPermit(id, false);
    else {
      st.created = null;
      st.permit = null;
      st.error = null;
      void reloadWorklist().then(render);
    }
  });
  if (st.token) {
    render();
    await signIn(st.token);
  } else {
    render();
  }
  document.body.dataset.ready = 'true';
}

void main();
