#!/usr/bin/env node
// The CLI runs the TypeScript analysis core directly through tsx, so the browser and CI share one source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
