#!/usr/bin/env node
// The CLI runs as plain JavaScript built from src/cli (cli-dist/, written by `npm run build:cli`, which
// `npm ci`, `npm install` and `npm pack` run through the prepare script). A checkout that has not built it
// yet, or a developer who sets LANTERN_FROM_SOURCE=1, runs the TypeScript directly through tsx instead.
import { existsSync } from 'node:fs';

// `lantern ... | head` closes the pipe early: that ends the output, not in a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const built = new URL('../cli-dist/main.mjs', import.meta.url);
let main;
if (process.env.LANTERN_FROM_SOURCE !== '1' && existsSync(built)) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
