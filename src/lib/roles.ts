import type { ColumnInfo } from './schema';

/** What a column means to the monitoring analyses. */
export type ColumnRole = 'id' | 'timestamp' | 'feature' | 'prediction' | 'score' | 'label' | 'segment' | 'ignore' | 'latency' | 'status';

/** Appended to, never reordered: saved workspaces and setup links name roles by these strings. */
export const ROLES: readonly ColumnRole[] = [
  'id',
  'timestamp',
  'feature',
  'prediction',
  'score',
  'label',
  'segment',
  'ignore',
  'latency',
  'status',
];

export type RoleMap = Record<string, ColumnRole>;

/** Words that appear in column names, split on case changes, underscores, dashes, dots and spaces. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const ID_WORDS = new Set(['id', 'uuid', 'guid', 'key']);
const TIME_WORDS = new Set(['timestamp', 'time', 'date', 'datetime', 'ts']);
/** A number is a point in time only when its name says epoch-like; a numeric "time" is often hours or a duration. */
const EPOCH_WORDS = new Set(['timestamp', 'ts', 'epoch', 'unix']);
const LABEL_NAMES = new Set([
  'label',
  'target',
  'y',
  'ytrue',
  'truth',
  'groundtruth',
  'actual',
  'outcome',
  'class',
  'isfraud',
  'fraud',
  'churn',
  'churned',
  'default',
  'defaulted',
]);
const SCORE_WORDS = new Set(['score', 'proba', 'probability', 'prob', 'confidence', 'likelihood']);
const PREDICTION_WORDS = new Set(['prediction', 'predicted', 'pred', 'yhat', 'ypred', 'forecast']);
/** How long the service took to answer a request: operational health, not an input of the model. */
const LATENCY_WORDS = new Set(['latency', 'duration', 'elapsed', 'rtt']);
const LATENCY_PAIRS = [
  ['response', 'time'],
  ['inference', 'time'],
  ['processing', 'time'],
  ['request', 'time'],
  ['serving', 'time'],
];
/** Whether the request succeeded: an HTTP code, or words such as ok / error / timeout. */
const STATUS_NAMES = new Set([
  'status',
  'statuscode',
  'httpstatus',
  'httpcode',
  'responsecode',
  'resultcode',
  'errorcode',
  'outcomestatus',
]);
/** `<x>_status` is the request's status for these x only: `account_status` is an input. */
const STATUS_OF = new Set(['http', 'request', 'response', 'api', 'call', 'service', 'rpc', 'grpc', 'inference', 'serving']);
const SEGMENT_WORDS = new Set([
  'segment',
  'tag',
  'cohort',
  'group',
  'region',
  'country',
  'channel',
  'tier',
  'market',
  'variant',
  'version',
  'model',
]);

/**
 * Guesses each column's role from its name and type, the way a person reading the header would. The
 * user can change every role; this only has to be right for the common spellings.
 */
export function inferRole(column: ColumnInfo): ColumnRole {
  const w = words(column.name);
  const joined = w.join('');
  const last = w[w.length - 1] ?? '';
  if (column.kind === 'temporal') return 'timestamp';
  if (ID_WORDS.has(last) || joined === 'id') return 'id';
  if (LABEL_NAMES.has(joined) || (w.length > 1 && (last === 'label' || last === 'target' || joined.endsWith('truth')))) return 'label';
  if (w.some((x) => SCORE_WORDS.has(x)) && (column.kind === 'numeric' || column.kind === 'other')) return 'score';
  if (w.some((x) => PREDICTION_WORDS.has(x)) || joined === 'yhat' || joined === 'ypred') return 'prediction';
  if (column.kind === 'numeric' && isLatencyName(w)) return 'latency';
  if ((column.kind === 'string' || column.kind === 'numeric') && (STATUS_NAMES.has(joined) || (last === 'status' && STATUS_OF.has(w[0]!))))
    return 'status';
  if (column.kind === 'string' && w.some((x) => TIME_WORDS.has(x))) return 'timestamp';
  if (column.kind === 'numeric' && w.some((x) => EPOCH_WORDS.has(x))) return 'timestamp';
  if (column.kind === 'string' && w.some((x) => SEGMENT_WORDS.has(x))) return 'segment';
  if (column.kind === 'other') return 'ignore';
  return 'feature';
}

function isLatencyName(w: string[]): boolean {
  if (w.some((x) => LATENCY_WORDS.has(x))) return true;
  return LATENCY_PAIRS.some(([a, b]) => w.includes(a!) && w.includes(b!)) || (w[0] === 'rt' && w.length <= 2);
}

export function inferRoles(columns: ColumnInfo[]): RoleMap {
  const roles: RoleMap = {};
  for (const c of columns) roles[c.name] = inferRole(c);
  return roles;
}

/** The first column holding a role, if any: analyses that need one id/timestamp/label use this. */
export function columnWithRole(roles: RoleMap, role: ColumnRole): string | undefined {
  return Object.keys(roles).find((name) => roles[name] === role);
}
