#!/usr/bin/env node
// The CLI runs the TypeScript analysis core directly through tsx, so the browser and CI share one source.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`lantern inspect f | head`) closes the pipe: that ends the output, not in a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
