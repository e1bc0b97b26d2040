import type { z } from 'zod';

/** A loaded dataset as settings see it: saved settings name datasets, never hold them. */
export interface DatasetLike {
  readonly table: string;
  readonly name: string;
}

/**
 * How settings name datasets. A saved workspace names them by table (`ds_1`: stable inside the workspace);
 * a setup link names them by file name, since the colleague's tables are numbered in the order they drop
 * their files.
 */
export interface DatasetRefs<D extends DatasetLike = DatasetLike> {
  readonly datasets: readonly D[];
  readonly by: 'table' | 'name';
}

/** The name a setting keeps for a dataset table, or null when no such dataset is loaded. */
export function refOf<D extends DatasetLike>(refs: DatasetRefs<D>, table: string | null | undefined): string | null {
  const dataset = table ? refs.datasets.find((d) => d.table === table) : undefined;
  return dataset ? dataset[refs.by] : null;
}

/** The loaded dataset a saved name stands for, or null (a dataset removed since, a file not dropped). */
export function resolve<D extends DatasetLike>(refs: DatasetRefs<D>, ref: string | null | undefined): D | null {
  return ref ? (refs.datasets.find((d) => d[refs.by] === ref) ?? null) : null;
}

/**
 * One analysis area's settings, defined once and used by the workspace (saved with it, restored on reopen,
 * exported in .lantern files) and, when `inLink`, by setup links. `H` is the state the settings live in.
 */
export interface SettingsArea<S, H, D extends DatasetLike = DatasetLike> {
  /** Stable name in saved files and links; never rename. */
  key: string;
  /** Shape version. Adding a field with a default keeps the version (old data parses); other changes bump it with an upgrade. */
  version: number;
  /** The current shape; fields added later carry `.default()` so data written before them still parses. */
  schema: z.ZodType<S, unknown>;
  /** Upgrades from version n to n + 1, keyed by n. */
  upgrades: Record<number, (data: unknown) => unknown>;
  /** Links carry the setup, never the data: areas whose settings hold values from the data stay out. */
  inLink: boolean;
  capture(state: H, refs: DatasetRefs<D>): S;
  /** Puts the settings in place (results cleared) and recomputes what had been computed. */
  apply(state: H, settings: S, refs: DatasetRefs<D>): void;
  /** Defaults, for a new workspace or one saved without this area. */
  reset(state: H): void;
}

/** Brings settings saved with an older version to the current one and checks them; throws when it cannot. */
export function migrateSettings<S>(
  area: Pick<SettingsArea<S, unknown>, 'key' | 'version' | 'schema' | 'upgrades'>,
  data: unknown,
  from: number,
): S {
  let value = data;
  for (let v = from; v < area.version; v++) {
    const upgrade = area.upgrades[v];
    if (!upgrade) throw new Error(`no upgrade of "${area.key}" settings from version ${v}`);
    value = upgrade(value);
  }
  return area.schema.parse(value);
}
