#!/usr/bin/env node
// `npm run bench`: the harness is TypeScript (it imports the analysis core), run through tsx like the CLI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./lib/main.ts', import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
