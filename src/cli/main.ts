import { LanternError } from '../lib/errors';
import { cliMessage } from './hints';
import { processIo, type CliIo } from './io';
import { closeCommandEngines } from './engine';
import { commandHelp } from './help';
import { lanternVersion } from './version';

type Command = (argv: string[], io: CliIo) => Promise<number>;
interface CommandModule {
  run: Command;
  usage: string;
}

/**
 * Each command lives in ./commands/<name>.ts and returns its exit code. They are imported when called:
 * a CI step pays for loading one command's part of the core (one chunk of cli-dist/), not all of it.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  investigate: async () => {
    const m = await import('./commands/investigate');
    return { run: m.investigate, usage: m.usage };
  },
  inspect: async () => {
    const m = await import('./commands/inspect');
    return { run: m.inspect, usage: m.usage };
  },
  drift: async () => {
    const m = await import('./commands/drift');
    return { run: m.drift, usage: m.usage };
  },
  metrics: async () => {
    const m = await import('./commands/metrics');
    return { run: m.metrics, usage: m.usage };
  },
  slices: async () => {
    const m = await import('./commands/slices');
    return { run: m.slices, usage: m.usage };
  },
  check: async () => {
    const m = await import('./commands/check');
    return { run: m.check, usage: m.usage };
  },
  compare: async () => {
    const m = await import('./commands/compare');
    return { run: m.compare, usage: m.usage };
  },
  report: async () => {
    const m = await import('./commands/report');
    return { run: m.report, usage: m.usage };
  },
  explain: async () => {
    const m = await import('./commands/explain');
    return { run: m.explain, usage: m.usage };
  },
  validate: async () => {
    const m = await import('./commands/validate');
    return { run: m.validate, usage: m.usage };
  },
  profile: async () => {
    const m = await import('./commands/profile');
    return { run: m.profile, usage: m.usage };
  },
  history: async () => {
    const m = await import('./commands/history');
    return { run: m.history, usage: m.usage };
  },
  ops: async () => {
    const m = await import('./commands/ops');
    return { run: m.ops, usage: m.usage };
  },
  sql: async () => {
    const m = await import('./commands/sql');
    return { run: m.sqlCommand, usage: m.usage };
  },
};

const USAGE = `Usage: lantern <command> [options]

Commands:
  investigate --reference <file> --current <file> [--labels <file>] [--model <file>] [--json]
                            what is wrong with the model, where and since when: ranked findings
  inspect <file> [--json]   rows, columns, types and inferred roles of a data file
  drift --reference <file> --current <file> [--columns a,b] [--json]
                            per-column and dataset drift, Evidently's methods, scipy's numbers;
                            free text and embeddings (list columns, emb_0..emb_n) compared whole
  metrics --data <file> ... model performance on labelled rows, overall and --by a column;
                            --cost fp=5,fn=50 adds costs, --metric 'name=<SQL aggregate>' custom metrics
  slices --data <file> ...  the slices where the model fails most, and slices that got worse
  check --suite <suite.json> --reference <file> --current <file> [--labels <file>] [--junit <out.xml>]
                            run a check suite (CI); check --preset --reference <file> writes one
  compare --data <log> [--champion <col> --challenger <col> | --score <col> --version <col> | --model <file> --model <file>] [--json]
                            champion against challenger: metrics, tests, slices, windows, verdict
  report --reference <file> --current <file> --out <report.html>
                            self-contained HTML report (aggregates and charts only)
  ops --data <log> [--latency <col>] [--status <col>] [--error-values a,b] [--window day] [--by <col>] [--json]
                            volume, latency p50/p95/p99 and error rate, per window and per group
  sql --data <file>... "<query>" [--json]
                            a read-only DuckDB query over the files (each a table named after its file)
  explain --model <file> --data <file> [--limit N] [--background <file>] [--json]
                            exact TreeSHAP values (raw margin) for the data's rows
  validate --data <file> [--train <file>] [--model <file>] [--sensitive a,b] [--json]
                            before deployment: fairness, leakage, train-test gap, robustness, backtest
  profile --data <file or glob> --out <profile> [--timestamp <col> --window day|week|month] [--segments a,b]
                            a small mergeable profile of the rows; also: profile merge, --emit-sql, --from-rows
  history --reference <profile or file> <batch profile>... [--json] [--fail-on-regression]
                            drift, quality, metrics and volume of each batch, and the regressions

Run \`lantern help <command>\` or \`lantern <command> --help\` for its options and examples;
\`lantern --version\` prints the version.

Exit codes: 0 success, 1 a check failed (check; drift with --fail-on-drift), 2 usage or input error.`;

const wantsHelp = (argv: string[]) => argv.some((a) => a === '--help' || a === '-h');

/**
 * Runs one CLI invocation. Errors a user can meet print one message on stderr and exit 2, with
 * nothing on stdout, so scripts can trust that stdout holds only a result.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.out(lanternVersion());
    return 0;
  }
  if (name === 'help' && rest[0]) return help(rest[0], io);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.out : io.err)(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`Unknown command "${name}".\n${USAGE}`);
    return 2;
  }
  if (wantsHelp(rest)) return help(name, io);
  try {
    return await (await load()).run(rest, io);
  } catch (error) {
    io.err(
      `lantern ${name}: ${error instanceof LanternError ? cliMessage(error) : `unexpected error: ${(error as Error)?.stack ?? error}`}`,
    );
    return 2;
  } finally {
    await closeCommandEngines();
  }
}

/** A command's help: its usage line (from its module, which loads no engine) with summary and examples. */
async function help(name: string, io: CliIo): Promise<number> {
  const load = COMMANDS[name];
  if (!load) {
    io.err(`Unknown command "${name}".\n${USAGE}`);
    return 2;
  }
  io.out(commandHelp(name, (await load()).usage));
  return 0;
}
