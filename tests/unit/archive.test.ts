import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildArchive, readArchive, ARCHIVE_VERSION } from '../../src/persistence/archive';
import { sha256Hex } from '../../src/persistence/chunks';

const parquet = Uint8Array.from([80, 65, 82, 49, 0, 1, 2, 3, 80, 65, 82, 49]);
const content = {
  name: 'Fraud model, week 6',
  withRows: true,
  sections: { workspace: { version: 1, data: { view: 'data', notes: 'régions "north"' } } },
  tables: { ds_1: parquet },
};

async function rezip(mutate: (files: Record<string, Uint8Array>) => void): Promise<Uint8Array> {
  const files = unzipSync(await buildArchive(content));
  mutate(files);
  return zipSync(files);
}
function manifestOf(files: Record<string, Uint8Array>): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(files['manifest.json']));
}

describe('.lantern archives', () => {
  it('round-trips name, settings and data, with a manifest carrying version and checksums', async () => {
    const zip = await buildArchive(content);
    const files = unzipSync(zip);
    const manifest = manifestOf(files);
    expect(manifest['formatVersion']).toBe(ARCHIVE_VERSION);
    expect(manifest['tables']).toEqual({ ds_1: { file: 'data/ds_1.parquet', size: parquet.length, sha256: await sha256Hex(parquet) } });
    expect(await readArchive(zip)).toEqual(content);
  });

  it('writes no data files for a settings-only export', async () => {
    const zip = await buildArchive({ ...content, withRows: false });
    expect(Object.keys(unzipSync(zip))).toEqual(['manifest.json']);
    expect(await readArchive(zip)).toEqual({ ...content, withRows: false, tables: {} });
  });

  it('refuses a truncated file', async () => {
    const zip = await buildArchive(content);
    await expect(readArchive(zip.subarray(0, zip.length - 30))).rejects.toThrow(/not a complete zip archive.*Nothing was imported/);
    await expect(readArchive(new Uint8Array(0))).rejects.toMatchObject({ code: 'bad-archive' });
  });

  it('refuses tampered data by its checksum, and a wrong size', async () => {
    const tampered = await rezip((f) => {
      f['data/ds_1.parquet'] = Uint8Array.from(parquet, (b, i) => (i === 5 ? b ^ 1 : b));
    });
    await expect(readArchive(tampered)).rejects.toThrow(/fails its SHA-256 checksum/);
    const shorter = await rezip((f) => {
      f['data/ds_1.parquet'] = parquet.subarray(1);
    });
    await expect(readArchive(shorter)).rejects.toThrow(/has 11 bytes, the manifest says 12/);
    const missing = await rezip((f) => delete f['data/ds_1.parquet']);
    await expect(readArchive(missing)).rejects.toThrow(/data file data\/ds_1.parquet is missing/);
  });

  it('refuses a missing, unparsable, foreign, malformed or newer manifest', async () => {
    const cases: [(f: Record<string, Uint8Array>) => void, RegExp][] = [
      [(f) => delete f['manifest.json'], /no manifest.json/],
      [(f) => (f['manifest.json'] = strToU8('{ nope')), /not valid JSON/],
      [(f) => (f['manifest.json'] = strToU8(JSON.stringify({ format: 'zip', formatVersion: 1 }))), /does not describe a Lantern workspace/],
      [(f) => (f['manifest.json'] = strToU8(JSON.stringify({ ...manifestOf(f), formatVersion: 99 }))), /newer Lantern \(format 99/],
      [(f) => (f['manifest.json'] = strToU8(JSON.stringify({ ...manifestOf(f), name: 5 }))), /malformed \(name:/],
      [
        (f) => {
          const m = manifestOf(f);
          m['tables'] = { '"; DROP TABLE x; --': { file: 'data/ds_1.parquet', size: 12, sha256: '0'.repeat(64) } };
          f['manifest.json'] = strToU8(JSON.stringify(m));
        },
        /malformed \(tables/,
      ],
      [
        (f) => {
          const m = manifestOf(f);
          m['tables'] = { ds_1: { file: '../../etc/passwd', size: 12, sha256: '0'.repeat(64) } };
          f['manifest.json'] = strToU8(JSON.stringify(m));
        },
        /malformed \(tables.ds_1.file/,
      ],
    ];
    for (const [mutate, message] of cases) await expect(readArchive(await rezip(mutate))).rejects.toThrow(message);
  });
});
