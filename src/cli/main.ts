import { LanternError } from '../lib/errors';
import { processIo, type CliIo } from './io';
import { closeCommandEngines } from './engine';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Each command lives in ./commands/<name>.ts and returns its exit code. They are imported when called:
 * a CI step pays for loading (and, through tsx, compiling) one command's part of the core, not all of it.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  investigate: async () => (await import('./commands/investigate')).investigate,
  inspect: async () => (await import('./commands/inspect')).inspect,
  drift: async () => (await import('./commands/drift')).drift,
  metrics: async () => (await import('./commands/metrics')).metrics,
  slices: async () => (await import('./commands/slices')).slices,
  check: async () => (await import('./commands/check')).check,
  report: async () => (await import('./commands/report')).report,
  explain: async () => (await import('./commands/explain')).explain,
  ops: async () => (await import('./commands/ops')).ops,
  sql: async () => (await import('./commands/sql')).sqlCommand,
};

const USAGE = `Usage: lantern <command> [options]

Commands:
  investigate --reference <file> --current <file> [--labels <file>] [--model <file>] [--json]
                            what is wrong with the model, where and since when: ranked findings
  inspect <file> [--json]   rows, columns, types and inferred roles of a data file
  drift --reference <file> --current <file> [--columns a,b] [--json]
                            per-column and dataset drift, Evidently's methods, scipy's numbers
  metrics --data <file> ... model performance on labelled rows, overall and --by a column;
                            --cost fp=5,fn=50 adds costs, --metric 'name=<SQL aggregate>' custom metrics
  slices --data <file> ...  the slices where the model fails most, and slices that got worse
  check --suite <suite.json> --reference <file> --current <file> [--labels <file>] [--junit <out.xml>]
                            run a check suite (CI); check --preset --reference <file> writes one
  report --reference <file> --current <file> --out <report.html>
                            self-contained HTML report (aggregates and charts only)
  ops --data <log> [--latency <col>] [--status <col>] [--error-values a,b] [--window day] [--by <col>] [--json]
                            volume, latency p50/p95/p99 and error rate, per window and per group
  sql --data <file>... "<query>" [--json]
                            a read-only DuckDB query over the files (each a table named after its file)
  explain --model <file> --data <file> [--limit N] [--background <file>] [--json]
                            exact TreeSHAP values (raw margin) for the data's rows

Exit codes: 0 success, 1 a check failed, 2 usage or input error.`;

/**
 * Runs one CLI invocation. Errors a user can meet print one message on stderr and exit 2, with
 * nothing on stdout, so scripts can trust that stdout holds only a result.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.out : io.err)(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`Unknown command "${name}".\n${USAGE}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (error) {
    io.err(`lantern ${name}: ${error instanceof LanternError ? error.message : `unexpected error: ${(error as Error)?.stack ?? error}`}`);
    return 2;
  } finally {
    await closeCommandEngines();
  }
}
