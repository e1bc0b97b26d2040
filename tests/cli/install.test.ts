import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../helpers/db';
import packageJson from '../../package.json' with { type: 'json' };

/**
 * The package as a user gets it: packed to a tarball, installed into an empty folder outside the checkout
 * (dependencies from npm's cache where it has them, as `npm ci` filled it), and run from a third folder
 * with nothing but Node. Once, in the native project: the installed CLI picks its engine itself, and the
 * WASM engine is run through LANTERN_ENGINE on the same install.
 */
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'lantern-install-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 120_000 });

describe.runIf(testEngine() === 'native')('the packed CLI', () => {
  it('installs from its tarball into an empty folder and runs from another one', { timeout: 180_000 }, () => {
    // cli-dist/ was just built from the source (tests/helpers/buildCli.ts); --ignore-scripts keeps npm from
    // rebuilding it under the CLI tests running alongside.
    npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
    const tarball = join(work, `lantern-${packageJson.version}.tgz`);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/cli-dist/main.mjs');
    expect(files).toContain('package/cli-dist/nodeStatsWorker.mjs');
    // Plain JavaScript only: no TypeScript source and no test data travel in the package.
    expect(files.filter((f) => /\.(ts|svelte)$/.test(f) || f.startsWith('package/src/'))).toEqual([]);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"private":true}');
    npm(['install', tarball, '--prefer-offline'], app);
    const bin = join(app, 'node_modules', '.bin', 'lantern');
    expect(readdirSync(join(app, 'node_modules', 'lantern'))).not.toContain('src');

    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'log.csv'), 'id,amount,region\n1,10.5,north\n2,,south\n3,7.25,north\n');
    // PATH without the checkout's node_modules/.bin: the installed package brings what it needs.
    const env = { PATH: `${join(app, 'node_modules', '.bin')}:/usr/bin:/bin`, HOME: work } as NodeJS.ProcessEnv;
    const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [bin, ...args], { cwd: elsewhere, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });

    const version = run(['--version']);
    expect(version.stdout.trim()).toBe(packageJson.version);
    const help = run(['drift', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');

    for (const engine of ['native', 'wasm']) {
      const inspected = run(['inspect', 'log.csv', '--json'], { LANTERN_ENGINE: engine });
      expect(inspected.stderr).toBe('');
      expect(inspected.status).toBe(0);
      expect(JSON.parse(inspected.stdout)).toMatchObject({
        file: 'log.csv',
        format: 'csv',
        rows: 3,
        columns: [
          { name: 'id', role: 'id' },
          { name: 'amount', type: 'DOUBLE' },
          { name: 'region', type: 'VARCHAR' },
        ],
      });
    }
    const bad = run(['inspect', 'missing.csv']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('missing.csv');
  });
});
