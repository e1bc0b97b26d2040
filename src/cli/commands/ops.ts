import { nodeParquet } from '../../engine/node';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import type { WindowUnit } from '../../lib/metrics/time';
import type { OpsStats } from '../../lib/ops/health';
import { opsReport } from '../../lib/ops/report';
import { parseCommandArgs } from '../args';
import { openCommandDb, openInput } from '../engine';
import type { CliIo } from '../io';
import { fmt } from '../perfInput';

export const usage =
  'Usage: lantern ops --data <log> [--latency <col>] [--status <col>] [--error-values a,b] [--timestamp <col>]\n' +
  '       [--window hour|day|week|month] [--by <col>] [--reference <log>] [--json]';

const UNITS: WindowUnit[] = ['hour', 'day', 'week', 'month'];

/** The numbers of one group as the JSON shows them. */
function stats(s: OpsStats) {
  return {
    count: s.count,
    latency_p50: s.latency_p50,
    latency_p95: s.latency_p95,
    latency_p99: s.latency_p99,
    error_rate: s.error_rate,
    errors: s.errors,
  };
}

/** Operational health of a service log: volume, latency percentiles and error rate, per window and per group. */
export async function ops(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      reference: { type: 'string' },
      latency: { type: 'string' },
      status: { type: 'string' },
      'error-values': { type: 'string' },
      timestamp: { type: 'string' },
      window: { type: 'string' },
      by: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length > 0) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (!values.data) throw new LanternError('usage', `--data <log> is required.\n${usage}`);
  if (values.window !== undefined && !UNITS.includes(values.window as WindowUnit))
    throw new LanternError('usage', `--window must be one of ${UNITS.join(', ')}, not "${values.window}".`);
  const errorValues = values['error-values']
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (errorValues && errorValues.length === 0)
    throw new LanternError('usage', '--error-values needs at least one value, e.g. error,timeout,5xx.');
  const db = await openCommandDb({ fresh: true });
  await loadDataset(db, nodeParquet, await openInput(db, values.data), { table: 'log' });
  if (values.reference) await loadDataset(db, nodeParquet, await openInput(db, values.reference), { table: 'reference' });
  const r = await opsReport(db, {
    table: 'log',
    ...(values.latency !== undefined ? { latency: values.latency } : {}),
    ...(values.status !== undefined ? { status: values.status } : {}),
    errorValues: errorValues ?? null,
    ...(values.timestamp !== undefined ? { timestamp: values.timestamp } : {}),
    unit: (values.window as WindowUnit | undefined) ?? null,
    by: values.by ?? null,
    reference: values.reference ? 'reference' : null,
  });
  const result = {
    columns: { latency: r.latency, status: r.status, timestamp: r.timestamp },
    error_values: r.errorValues,
    window: r.unit,
    overall: stats(r.overall),
    windows: r.windows.map((w) => ({ start: new Date(w.start).toISOString(), ...stats(w) })),
    by: (r.by?.groups ?? []).map((g) => ({ column: r.by!.column, value: g.value, ...stats(g) })),
    ...(r.reference ? { reference: stats(r.reference) } : {}),
  };
  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(
    `latency ${r.latency ?? '(none)'}, status ${r.status ?? '(none)'}${r.status ? ` (errors: ${r.errorValues.join(', ') || 'none'})` : ''}`,
  );
  const header = ['', 'count', 'p50', 'p95', 'p99', 'error_rate'].join('\t');
  const line = (name: string, s: OpsStats) =>
    [name, fmt(s.count), fmt(s.latency_p50), fmt(s.latency_p95), fmt(s.latency_p99), fmt(s.error_rate)].join('\t');
  io.out(header);
  io.out(line('overall', r.overall));
  if (r.reference) io.out(line('reference', r.reference));
  if (r.windows.length) {
    io.out(`\nby ${r.unit}:`);
    for (const w of r.windows) io.out(line(new Date(w.start).toISOString(), w));
  }
  if (r.by) {
    io.out(`\nby ${r.by.column}:`);
    for (const g of r.by.groups) io.out(line(g.value ?? '(missing)', g));
  }
  return 0;
}
