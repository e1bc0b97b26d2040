import { readFileSync } from 'node:fs';
import type { Db } from '../../src/lib/db';
import { createTable, type FixtureValue } from './tables';

/**
 * The real data sets and splits of scripts/fixtures/profiles.py, rebuilt from the same files (rows in file
 * order): flights-20k, zipcodes and movies from vega-datasets.
 */
type Kind = 'numerical' | 'categorical';
type Frame = { rows: number; columns: Record<string, { kind: Kind; values: FixtureValue[] }> };

const dataFile = (name: string) => new URL(`../../node_modules/vega-datasets/data/${name}`, import.meta.url);

function fromObjects(rows: Record<string, unknown>[], columns: [string, Kind][]): Frame {
  return {
    rows: rows.length,
    columns: Object.fromEntries(
      columns.map(([name, kind]) => [name, { kind, values: rows.map((r) => (r[name] === undefined ? null : (r[name] as FixtureValue))) }]),
    ),
  };
}

export function flights(): Frame {
  const rows = JSON.parse(readFileSync(dataFile('flights-20k.json'), 'utf8')) as Record<string, unknown>[];
  return fromObjects(rows, [
    ['delay', 'numerical'],
    ['distance', 'numerical'],
    ['origin', 'categorical'],
    ['destination', 'categorical'],
  ]);
}

export function zipcodes(): Frame {
  const [header, ...lines] = readFileSync(dataFile('zipcodes.csv'), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
  return fromObjects(
    rows.map((r) => ({ ...r, latitude: Number(r['latitude']), longitude: Number(r['longitude']) })),
    [
      ['latitude', 'numerical'],
      ['longitude', 'numerical'],
      ['state', 'categorical'],
    ],
  );
}

export function movies(): Frame {
  const rows = JSON.parse(readFileSync(dataFile('movies.json'), 'utf8')) as Record<string, unknown>[];
  return fromObjects(rows, [
    ['IMDB Votes', 'numerical'],
    ['Worldwide Gross', 'numerical'],
    ['Production Budget', 'numerical'],
    ['IMDB Rating', 'numerical'],
    ['Major Genre', 'categorical'],
  ]);
}

/** Rows [start, end) with the given step, as a table. */
export async function tableOf(db: Db, name: string, frame: Frame, start: number, end: number, step = 1): Promise<void> {
  const pick = (values: FixtureValue[]) => {
    const out: FixtureValue[] = [];
    for (let i = start; i < end; i += step) out.push(values[i]!);
    return out;
  };
  await createTable(
    db,
    name,
    Object.fromEntries(Object.entries(frame.columns).map(([col, c]) => [col, { kind: c.kind, values: pick(c.values) }])),
  );
}
