// Applicant tracking (/track): the stage on a timeline, what is missing, the
// next step and who takes it, the due date and the history, from
// GET /v1/track (the code as the bearer token). No personal data is shown (the API sends none).
// The code is typed, never taken from a link: a browser keeps every address
// it opened in its history, where the next user of the computer finds it.
import './styles.css';
import { api, commandId, type ActionResult, type Charter, type Tracking } from './api';
import { roleName, t, term } from './i18n';
import {
  $,
  clear,
  confirmAction,
  FINAL,
  focusOn,
  errorBox,
  fmtDate,
  fmtTime,
  h,
  isBusy,
  loadCharter,
  markBusy,
  mountChrome,
  restoreControls,
  snapshotControls,
  statusBadge,
} from './ui';

const PATH = ['submitted', 'documents_verified', 'survey_scheduled', 'surveyed', 'recommended', 'issued'];
const CODE_RE = /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/;

let data: Tracking | null = null;
let error: unknown = null;
// The code of the application shown: the applicant's token for its actions.
let trackingCode = '';
let charter: Charter | null = null;
// The answer to the applicant's last action: done (its key), or the refusal.
let acted: { done?: string; error?: unknown } = {};
// An action or a look-up on its way: one at a time (a second tap on a slow
// connection would send a second command on the same version, whose
// version_conflict would hide the first one's success).
let busy = false;

// The code as the ledger writes it: upper case, four groups of five
// joined by hyphens (typed with or without them, or with spaces), O read
// as 0 and I or L as 1 (letters the code never holds), as the ledger reads it;
// pasted from a message or a PDF, its dashes and unseen characters too.
function normalize(code: string): string {
  const bare = code
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212\uFF0D\u200B-\u200D\u2060\uFEFF\u00AD]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{20}$/.test(bare) ? bare.match(/.{5}/g)!.join('-') : code.trim().toUpperCase();
}

async function lookup(raw: string): Promise<void> {
  if (busy) return;
  const input = $('#code') as HTMLInputElement;
  const err = $('#code-error');
  const code = normalize(raw);
  input.value = code;
  let problem = '';
  if (!code) problem = t('track.required');
  else if (!CODE_RE.test(code)) problem = t('track.format');
  if (problem) {
    input.setAttribute('aria-invalid', 'true');
    clear(err, problem);
    // The result shown was another code's: it no longer answers what was typed.
    data = null;
    error = null;
    clear($('#result'));
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  clear(err);
  clear($('#result'), h('p', { class: 'muted' }, t('loading')));
  acted = {};
  busy = true;
  const done = markBusy($('#track-form button[type=submit]') as HTMLButtonElement, t('loading'));
  try {
    await load(code);
  } finally {
    busy = false;
    done();
  }
  focusOn('#result-heading');
}

async function load(typed: string): Promise<void> {
  try {
    // The code as a token, not in the URL: a proxy's access log keeps URLs.
    data = await api<Tracking>('/v1/track', { token: typed });
    trackingCode = typed;
    error = null;
    // Who may receive the applicant's data with consent, by name; what the
    // applicant may do at all.
    charter ??= await loadCharter();
  } catch (e) {
    data = null;
    error = e;
  }
  render();
}

// The applicant's own action, with the tracking code as token; the view is
// read again after it, whatever the answer, the forms keeping what was typed
// (a reason refused by the ledger is corrected, not typed again). The button
// says that it is sending meanwhile, and takes no second tap. Then the
// outcome alone is read out: it takes the focus (the application is drawn
// again, but is no live region: hundreds of words after each tap).
async function act(d: Tracking, done: string, body: Record<string, unknown>, button: HTMLButtonElement): Promise<void> {
  if (busy || isBusy(button)) return;
  busy = true;
  markBusy(button); // drawn again below, with its label
  const typed = snapshotControls($('#result'));
  try {
    await api<ActionResult>(`/v1/permits/${encodeURIComponent(d.permit_id)}/actions`, {
      token: trackingCode,
      method: 'POST',
      body: { ...body, command_id: commandId(), expected_version: d.version },
    });
    acted = { done };
  } catch (e) {
    acted = { error: e };
  }
  try {
    await load(trackingCode);
  } finally {
    busy = false;
  }
  restoreControls($('#result'), typed);
  focusOn('[data-outcome]');
}

// What the applicant may do: what the charter grants the role "applicant"
// (a charter may grant the applicant no withdrawal, or have no applicant
// role at all); the ledger would refuse the rest with role_not_permitted.
// Without the charter, everything is offered and the ledger decides.
function applicantMay(action: string): boolean {
  return !charter || (charter.permissions[action] ?? []).includes('applicant');
}

// What the applicant can do here: consent to the subscribers that ask for
// it, withdraw an open application, erase the data of a closed one.
function actions(d: Tracking): HTMLElement | null {
  // Erased through this application, or by an order through another of the person's.
  const erased = d.personal_data_erased === true || d.history.some((s) => s.type === 'personal_data_erased');
  const open = d.status !== 'issued' && !FINAL.has(d.status);
  const names = new Map((charter?.stakeholders ?? []).map((s) => [s.id, s.name]));
  const asking = Object.entries(charter?.data_sharing ?? {}).filter(([, p]) => p.consent_required);
  const parts: Array<HTMLElement | null> = [];
  // The outcome takes the focus (act), which reads it: no live region, that
  // would read it twice.
  if (acted.done) parts.push(h('p', { class: 'alert alert-ok', id: 'action-done' }, t(acted.done)));
  // The applicant's own text for a refusal where the officers' would not fit (track.apierr.*).
  if (acted.error) {
    const box = errorBox(acted.error, 'error.network', ['track.apierr', 'apierr'], true);
    box.removeAttribute('role');
    parts.push(box);
  }
  const outcome = parts.at(-1);
  if (outcome) {
    outcome.tabIndex = -1;
    outcome.dataset.outcome = 'true';
  }
  // Once the data is erased there is nothing to consent to, but a consent
  // still held is shown, to be withdrawn (the subscriber is told to stop
  // using what it received).
  // A consent held for a subscriber the charter no longer lists is shown
  // too, to be withdrawn.
  const unlisted = d.consents
    .filter((id) => !asking.some(([a]) => a === id))
    .map((id): (typeof asking)[number] => [id, { stakeholder: id, consent_required: true, fields: [] }]);
  // A closed application (rejected, withdrawn, revoked) holds no valid
  // permit to share: consent is no longer offered, only withdrawn.
  const closed = FINAL.has(d.status);
  const shown = [...(erased || closed ? asking.filter(([id]) => d.consents.includes(id)) : asking), ...unlisted];
  if (shown.length && (applicantMay('grant_consent') || applicantMay('withdraw_consent'))) {
    parts.push(
      h('h4', {}, t('track.consent')),
      h('p', { class: 'muted' }, t('track.consent.lead')),
      h(
        'ul',
        { class: 'plain-list', id: 'consents' },
        shown.map(([id, p]) => {
          const held = d.consents.includes(id);
          const consentAction = held ? 'withdraw_consent' : 'grant_consent';
          const fields = p.fields.filter((f) => f.startsWith('applicant.')).map((f) => term('field', f.slice(10)));
          return h(
            'li',
            { 'data-subscriber': id, 'data-consent': held ? 'granted' : 'none' },
            h('strong', {}, names.get(p.stakeholder) ?? id),
            // Once erased, nothing of the applicant's is shared any more:
            // the subscriber was told to delete what it received.
            ` — ${held ? t(erased ? 'track.consent.held_erased' : 'track.consent.held') : t('track.consent.none')}`,
            fields.length && !erased ? h('span', { class: 'muted' }, ` (${t('track.consent.fields', { fields: fields.join(', ') })})`) : null,
            ' ',
            applicantMay(consentAction)
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small',
                    'data-act': consentAction,
                    onclick: (e: Event) =>
                      void act(
                        d,
                        held ? 'track.consent.withdrawn' : 'track.consent.granted',
                        { action: consentAction, subscriber: id },
                        e.currentTarget as HTMLButtonElement,
                      ),
                  },
                  held ? t('track.consent.withdraw') : t('track.consent.grant'),
                )
              : null,
          );
        }),
      ),
    );
  }
  if (open && applicantMay('withdraw')) {
    const reason = h('textarea', { id: 'withdraw-reason', name: 'reason', maxlength: '500', rows: '2', 'aria-describedby': 'withdraw-public withdraw-reason-error' });
    const error = h('p', { id: 'withdraw-reason-error', class: 'field-error', 'aria-live': 'assertive' });
    const button = h('button', { type: 'submit', class: 'btn btn-danger' }, t('track.withdraw.button'));
    const form = h(
      'form',
      {
        id: 'withdraw-form',
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          if (busy) return;
          const text = reason.value.trim();
          if (!fieldOk(reason, error, text ? '' : t('track.withdraw.required'))) return;
          // Withdrawing cannot be undone: the page asks first.
          confirmAction(form, button, {
            action: 'withdraw',
            text: t('track.withdraw.confirm', { business: d.business_name }),
            yes: t('off.confirm.yes', { action: t('track.withdraw.yes') }),
            onYes: () => void act(d, 'track.withdraw.done', { action: 'withdraw', reason: text }, button),
          });
        },
      },
      h('h4', {}, t('track.withdraw')),
      h('label', { for: 'withdraw-reason' }, t('track.withdraw.reason')),
      reason,
      error,
      h('p', { class: 'muted small', id: 'withdraw-public' }, t('track.withdraw.public')),
      button,
    );
    parts.push(form);
  } else if (!open && !erased && applicantMay('erase_personal_data')) {
    const eraseButton = h('button', { type: 'submit', class: 'btn btn-danger' }, t('track.erase.button'));
    const sure = h('input', { type: 'checkbox', id: 'erase-sure', name: 'sure', 'aria-describedby': 'erase-sure-error' });
    const error = h('p', { id: 'erase-sure-error', class: 'field-error', 'aria-live': 'assertive' });
    parts.push(
      h(
        'form',
        {
          id: 'erase-form',
          novalidate: true,
          onsubmit: (e: Event) => {
            e.preventDefault();
            // The tick is the confirmation: it says that the erasure cannot be undone.
            if (!fieldOk(sure, error, sure.checked ? '' : t('track.erase.required'))) return;
            void act(d, 'track.erase.done', { action: 'erase_personal_data' }, eraseButton);
          },
        },
        h('h4', {}, t('track.erase')),
        h('p', { class: 'muted' }, t('track.erase.lead')),
        h('p', {}, h('label', {}, sure, ' ', t('track.erase.sure'))),
        error,
        eraseButton,
      ),
    );
  }
  // Erased while open: only an order does that (the applicant's own
  // erasure waits until the application is finished), and it ends the way
  // to a permit.
  // (Not twice: the applicant's own erasure just done says it already.)
  if (erased && acted.done !== 'track.erase.done')
    parts.push(h('p', { class: 'muted', id: 'erased-note' }, t(open ? 'track.erase.ordered' : 'track.erase.already')));
  else if (open && applicantMay('erase_personal_data')) parts.push(h('p', { class: 'muted small' }, t('track.erase.later')));
  // Nothing the charter lets the applicant do here, and nothing to report.
  if (!parts.some(Boolean)) return null;
  return h(
    'section',
    { 'aria-labelledby': 'actions-title', id: 'applicant-actions' },
    h('h3', { id: 'actions-title', tabindex: '-1' }, t('track.actions')),
    ...parts,
  );
}

// Marks a field wrong with the page's own message (problem), or clears the
// mark: the browser's own messages would be in the browser's language.
function fieldOk(field: HTMLElement, error: HTMLElement, problem: string): boolean {
  clear(error, problem);
  if (!problem) {
    field.removeAttribute('aria-invalid');
    return true;
  }
  field.setAttribute('aria-invalid', 'true');
  field.focus();
  return false;
}

function timeline(d: Tracking): HTMLElement {
  // Where the application stands on the usual path; a detour (incomplete)
  // sits on the first step, a final outcome replaces the last one.
  const at = d.status === 'incomplete' ? 0 : PATH.indexOf(d.status);
  const final = FINAL.has(d.status);
  const lastOpen = final ? lastReachedIndex(d) : at;
  // On the detour: still waiting for documents, or closed while it waited.
  const detour = d.status === 'incomplete' || (final && statusBeforeClosing(d) === 'incomplete');
  const steps = PATH.map((s, i) => {
    // After the step where a closed application stopped: never reached, not
    // "not yet" (which would promise it).
    let st: 'done' | 'current' | 'todo' | 'stopped' | 'skipped' = 'todo';
    if (final) st = i < lastOpen ? 'done' : i === lastOpen ? 'stopped' : 'skipped';
    else if (i < at) st = 'done';
    else if (i === at) st = d.status === 'issued' ? 'done' : 'current';
    // Where a closed application stopped, its outcome ("Ditolak"), not the
    // step it did not reach: "Dokumen terverifikasi" with a cross reads as
    // documents that failed.
    const label =
      i === 0 && detour ? term('status', 'incomplete') : st === 'stopped' ? term('status', d.status) : term('status', s);
    return h(
      'li',
      { class: `step step-${st}`, 'data-step': s, 'data-detour': i === 0 && detour ? 'incomplete' : null, 'aria-current': st === 'current' ? 'step' : null },
      h('span', { class: 'step-dot', 'aria-hidden': 'true' }, st === 'done' ? '✓' : st === 'stopped' ? '✕' : String(i + 1)),
      h('span', { class: 'step-label' }, label, h('span', { class: 'sr-only' }, ` (${t(`step.${st}`)})`)),
    );
  });
  return h('ol', { class: 'timeline', 'aria-label': t('track.timeline') }, steps);
}

// The status an application had when it was closed (rejected or withdrawn),
// replayed from its history.
function statusBeforeClosing(d: Tracking): string {
  const after: Record<string, string> = {
    application_submitted: 'submitted',
    completion_requested: 'incomplete',
    documents_completed: 'submitted',
    documents_verified: 'documents_verified',
    survey_scheduled: 'survey_scheduled',
    survey_recorded: 'surveyed',
    recommended: 'recommended',
    permit_issued: 'issued',
  };
  let status = 'submitted';
  for (const s of d.history) {
    if (s.type in after) status = after[s.type]!;
    else if (['application_rejected', 'application_withdrawn', 'recommendation_declined', 'permit_revoked'].includes(s.type)) break;
  }
  return status;
}

// For a closed application: the index of the path step where it stopped.
function lastReachedIndex(d: Tracking): number {
  // A revoked permit went the whole way (the revocation is the outcome below).
  if (d.status === 'revoked') return PATH.length;
  const before = statusBeforeClosing(d);
  // Closed while documents were missing: it stopped on the detour, at the first step.
  if (before === 'incomplete') return 0;
  // The step after the last one reached is where it stopped.
  return Math.min(PATH.indexOf(before) + 1, PATH.length - 1);
}

function stepDetails(s: Tracking['history'][number]): string {
  const d = s.details as Record<string, unknown>;
  const parts: string[] = [];
  const docs = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => term('doc', String(x))).join(', ') : '');
  if (s.type === 'completion_requested') parts.push(docs(d.missing));
  if (s.type === 'documents_completed') parts.push(docs(d.provided));
  if (s.type === 'survey_scheduled' && d.date) parts.push(fmtDate(String(d.date)));
  if (s.type === 'survey_recorded' && typeof d.zoning_compliant === 'boolean')
    parts.push(`${t('off.zoning')}: ${d.zoning_compliant ? t('yes') : t('no')}${d.notes ? ` — ${d.notes}` : ''}`);
  if (s.type === 'recommended' && d.letter_number) parts.push(`${t('off.letter')}: ${d.letter_number}`);
  if (s.type === 'permit_issued' && d.permit_number) parts.push(String(d.permit_number));
  if (d.reason_code) parts.push(term('reason', String(d.reason_code)));
  if (d.reason) parts.push(String(d.reason));
  return parts.filter(Boolean).join(' · ');
}

function render(): void {
  document.title = `${t('nav.track')} — ${t('app.name')}`;
  const out = $('#result');
  if (error) return clear(out, errorBox(error, 'error.network', ['track.apierr', 'apierr'], true));
  const d = data;
  if (!d) return clear(out);
  const final = FINAL.has(d.status);
  const due = d.due_date
    ? h(
        'span',
        {},
        fmtDate(d.due_date),
        ' ',
        d.overdue
          ? h('span', { class: 'badge badge-bad', 'data-overdue': 'true' }, t('track.overdue'))
          : h('span', { class: 'badge badge-ok' }, t('track.ontrack')),
      )
    : t('track.due.none');
  // Documents are missing (asked for, or not yet asked for while submitted):
  // the applicant can bring them.
  const applicantNext =
    (d.status === 'incomplete' && d.next_roles.some((r) => r.role === 'applicant')) || (d.status === 'submitted' && d.missing.length > 0);
  const next =
    d.next_actions.length === 0
      ? h('p', {}, t('track.next.none'))
      : h(
          'div',
          {},
          h(
            'ul',
            { class: 'plain-list', id: 'next-actions' },
            d.next_actions.map((a) => h('li', { 'data-action': a }, h('strong', {}, term('action', a)))),
          ),
          h(
            'p',
            { class: 'muted', id: 'next-roles' },
            t('track.next.who', { who: d.next_roles.map((r) => roleName(r.role, r.name)).join(', ') }),
          ),
          applicantNext ? h('p', { class: 'alert alert-info' }, t('track.next.you')) : null,
        );
  clear(
    out,
    h(
      'article',
      { class: 'card track-card', 'data-status': d.status, 'aria-labelledby': 'result-heading' },
      h(
        'header',
        { class: 'track-head' },
        h('h2', { id: 'result-heading', tabindex: '-1' }, d.business_name),
        statusBadge(d.status),
      ),
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, t('track.kelurahan')), h('dd', {}, d.kelurahan_name)),
        h('div', {}, h('dt', {}, t('track.submitted')), h('dd', {}, fmtTime(d.submitted_at))),
        // While documents are asked for, the due date is the applicant's own.
        h('div', {}, h('dt', {}, t(d.status === 'incomplete' ? 'track.due.yours' : 'track.due')), h('dd', { id: 'due-date', 'data-due': d.due_date ?? '' }, due)),
        d.survey_date
          ? h(
              'div',
              {},
              h('dt', {}, t('off.survey')),
              // The team can no longer hold it: the date stands until the survey is scheduled again.
              h('dd', { id: 'survey-date' }, d.survey_team_unavailable ? t('track.survey.rescheduling', { date: fmtDate(d.survey_date) }) : fmtDate(d.survey_date)),
            )
          : null,
      ),
      h('h3', {}, t('track.timeline')),
      timeline(d),
      d.permit_number
        ? h(
            'section',
            {
              class: `alert ${d.status === 'revoked' ? 'alert-error' : 'alert-ok'} permit-box`,
              'aria-label': t('track.permit'),
              'data-permit-status': d.status,
            },
            h('strong', {}, `${t('track.permit')}: `),
            d.status === 'revoked'
              ? t('track.permit.revoked', { number: d.permit_number })
              : t('track.permit.text', { number: d.permit_number, until: fmtDate(d.valid_until) }),
            ' ',
            h('a', { href: `/?verify=${encodeURIComponent(d.permit_number)}#verify` }, t('track.verify.link')),
          )
        : null,
      final && d.outcome
        ? h(
            'section',
            { class: 'alert alert-error', 'aria-label': t('track.outcome') },
            h('strong', {}, `${t('track.outcome')}: ${term('reason', d.outcome.code)}`),
            d.outcome.reason ? ` — ${d.outcome.reason}` : '',
          )
        : null,
      h(
        'div',
        { class: 'two-col' },
        h(
          'section',
          { 'aria-labelledby': 'missing-title' },
          h('h3', { id: 'missing-title' }, t('track.missing')),
          d.missing.length
            ? h(
                'ul',
                { class: 'doc-list', id: 'missing' },
                // A document the charter lists as optional is asked for, not
                // required: it holds nothing back.
                d.missing.map((m) =>
                  h(
                    'li',
                    { 'data-doc': m },
                    term('doc', m),
                    charter?.optional_documents?.includes(m) ? ` ${t('track.missing.optional')}` : '',
                  ),
                ),
              )
            : h('p', { class: 'muted', id: 'missing' }, t('track.missing.none')),
        ),
        h('section', { 'aria-labelledby': 'next-title' }, h('h3', { id: 'next-title' }, t('track.next')), next),
      ),
      actions(d),
      h('h3', {}, t('track.history')),
      h(
        'ol',
        { class: 'history', id: 'history' },
        [...d.history].reverse().map((s) =>
          h(
            'li',
            { 'data-type': s.type },
            h('p', { class: 'history-title' }, term('event', s.type)),
            h('p', { class: 'muted' }, `${fmtTime(s.time)} · ${roleName(s.actor_role)}`),
            stepDetails(s) ? h('p', { class: 'history-detail' }, stepDetails(s)) : null,
          ),
        ),
      ),
      h('p', { class: 'muted small' }, t('track.privacy')),
    ),
  );
}

function main(): void {
  mountChrome('track', render);
  // The application (#result) is drawn again after each action: as a live
  // region it would be read out whole (hundreds of words) each time, so it
  // is none. Only the outcome is read, focused (act).
  $('#track-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void lookup(($('#code') as HTMLInputElement).value);
  });
  render();
  if (new URLSearchParams(location.search).has('code')) {
    // A code in a link is not used: the browser has already written the
    // address into its history. Take it out of the address bar at least,
    // and say why the applicant must type it.
    history.replaceState(null, '', location.pathname);
    clear($('#result'), h('p', { class: 'alert alert-info', id: 'no-code-links' }, t('track.nolinks')));
  }
  document.body.dataset.ready = 'true';
}

main();
