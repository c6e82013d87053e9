// The ledger's HTTP API (docs/api.md), same origin.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StageSL {
  on_time: number;
  total: number;
  share: number;
  service_days: number | null; // null: no level for this status in the charter in force
}
export interface MonthStats {
  month: string;
  applications: number; // new applications that month
  entered: Record<string, number>; // submitted counts an application sent back in after missing documents too
  median_days: Record<string, number>;
  service_level: Record<string, StageSL>;
  outcomes: Record<string, number>;
  rejection_reasons: Record<string, number>;
}
export interface AreaStats {
  code: string;
  name: string;
  by_stage: Record<string, number>;
  overdue: Record<string, number>; // applications now past their stage's due date, by status
  months: MonthStats[];
}
export interface Stats {
  charter_version: number;
  service_days: Record<string, number>;
  kecamatan: AreaStats;
  kelurahan: AreaStats[];
}
export interface RegisterEntry {
  permit_number: string;
  business_name?: string;
  business_type?: string;
  kbli?: string;
  kelurahan?: string;
  kelurahan_name?: string;
  issued_on?: string;
  valid_until?: string;
  status?: string;
  result: 'valid' | 'revoked' | 'expired' | 'unknown';
  revoked_on?: string; // YYYY-MM-DD, a revoked permit's
  revocation_reason?: string; // the public ground of the revocation
  code_mismatch?: { given: string; message: string }; // a verification code the ledger did not make
}
export interface RoleRef {
  role: string;
  name: string;
}
export interface Step {
  type: string;
  time: string;
  actor_role: string;
  seq: number;
  details: Record<string, unknown>;
}
export interface Tracking {
  permit_id: string;
  status: string;
  stage: string;
  version: number;
  business_name: string;
  kelurahan: string;
  kelurahan_name: string;
  submitted_at: string;
  stage_entered_at: string;
  missing: string[];
  next_actions: string[];
  next_roles: RoleRef[];
  due_date: string | null;
  overdue: boolean;
  service_days: number;
  survey_date?: string;
  survey_team_unavailable?: boolean; // the survey is to be scheduled again
  permit_number?: string;
  valid_until?: string;
  outcome?: { code: string; reason: string };
  consents: string[];
  personal_data_erased?: boolean;
  history: Step[];
}
export interface WorkItem {
  permit_id: string;
  status: string;
  business_name: string;
  kelurahan: string;
  kelurahan_name: string;
  due_date: string | null;
  overdue: boolean;
  next_actions: string[];
  version: number;
  survey_date?: string; // the day a scheduled survey is held
  survey_team_unavailable?: boolean; // no one left on the team may record the survey
}
export interface Worklist {
  officer: { id: string; role: string; jurisdiction: string };
  read_only: boolean;
  items: WorkItem[];
}
export interface Permit {
  permit_id: string;
  status: string;
  stage: string;
  version: number;
  kelurahan: string;
  kelurahan_name: string;
  business: {
    name: string;
    kbli: string;
    description: string;
    capital: number;
    turnover: number;
    workers: number;
    premises: string;
  };
  documents: string[];
  missing: string[];
  submitted_at: string;
  stage_entered_at: string;
  due_date: string | null;
  overdue: boolean;
  next_actions: string[];
  next_roles: RoleRef[];
  survey?: { date: string; team: string[]; zoning_compliant: boolean | null };
  survey_team_unavailable?: boolean; // no one left on the team may record the survey
  recommendation_letter?: string;
  permit_number?: string;
  valid_from?: string;
  valid_until?: string;
  outcome?: { code: string; reason: string };
  consents: string[];
  personal_data_erased: boolean;
  applicant: {
    person_id: string;
    erased?: boolean;
    nik?: string;
    name?: string;
    address?: string;
    phone?: string;
    kk_number?: string;
    npwp?: string;
  };
}
export interface LedgerEvent {
  type: string;
  time: string;
  seq: number;
  actor_id: string;
  actor_role: string;
  command_id: string;
  payload: Record<string, unknown>;
  log_position?: { partition: number; offset: number };
}
export interface Charter {
  charter_version: number;
  name: string;
  permit_type?: string; // "IUMK" in the shipped charter; the first part of permit numbers
  kecamatan: { code: string; name: string };
  kelurahan: Array<{ code: string; name: string }>;
  roles: Record<string, { name: string; scope: string; personal_data?: boolean }>;
  permissions: Record<string, string[]>;
  service_days: Record<string, number>;
  required_documents: string[];
  optional_documents?: string[];
  rejection_reasons?: string[]; // absent: the ledger's five default codes
  holidays: string[]; // YYYY-MM-DD, besides Saturdays and Sundays
  utc_offset_minutes: number;
  stakeholders?: Array<{ id: string; name: string }>;
  data_sharing?: Record<string, { stakeholder: string; consent_required: boolean; fields: string[] }>;
}
export interface ActionResult {
  permit_id: string;
  status: string;
  version: number;
  duplicate: boolean;
}

// The answer to POST /v1/applications.
export interface Application {
  permit_id: string;
  tracking_code: string;
  status: string;
  version: number;
  duplicate: boolean;
}

export async function api<T>(
  path: string,
  opts: { token?: string; method?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText);
  }
  return json as T;
}

// A fresh command_id for one action, so that a retry is not taken twice.
export function commandId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; getRandomValues is not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
