/**
 * The console runs what a user writes, and the workspace's datasets must come out of it unchanged. The
 * query is run only as the body of `SELECT * FROM ( <query> )`: DuckDB's grammar admits nothing but a
 * query there (SELECT, WITH, FROM-first, VALUES, TABLE, DESCRIBE, SUMMARIZE, SHOW, PIVOT), never INSERT,
 * UPDATE, DELETE, CREATE, DROP, COPY, ATTACH or SET. The only way out of the parentheses is a `)` that
 * closes them or a `;` that ends the statement; the lexer (../sqlLexer.ts, DuckDB's quoting rules) finds
 * both, and either is refused. Datasets are named after their files through CTEs that are never
 * materialised, so a query reads the tables where they are.
 */
import { LanternError } from '../errors';
import { keyword, lexSql, parenthesesProblem, type Token } from '../sqlLexer';
import { ident, raw, sql, type Sql } from '../sql';

/** A table the console shows under a friendly name: a dataset named after its file, or the analysis table. */
export interface ConsoleTable {
  name: string;
  table: string;
}

const QUERY_STARTS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'DESCRIBE', 'SUMMARIZE', 'SHOW', 'PIVOT', 'UNPIVOT']);
const WRITES = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'ALTER',
  'TRUNCATE',
  'MERGE',
  'COPY',
  'ATTACH',
  'DETACH',
  'EXPORT',
  'IMPORT',
  'INSTALL',
  'LOAD',
  'SET',
  'RESET',
  'PRAGMA',
  'CALL',
  'CHECKPOINT',
  'VACUUM',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'USE',
]);

/** The tokens of one query, checked: one statement (a trailing `;` is fine), balanced parentheses, a query. */
export function queryTokens(text: string): Token[] {
  const tokens = lexSql(text);
  while (tokens.length && tokens[tokens.length - 1]!.text === ';' && tokens[tokens.length - 1]!.kind === 'symbol') tokens.pop();
  if (tokens.length === 0) throw new LanternError('usage', 'Write a query first, e.g. SELECT * FROM <table> LIMIT 10.');
  const semicolon = tokens.find((t) => t.kind === 'symbol' && t.text === ';');
  if (semicolon)
    throw new LanternError(
      'usage',
      `Run one statement at a time: there is a ";" at character ${semicolon.start + 1} with more SQL after it.`,
    );
  const parens = parenthesesProblem(tokens);
  if (parens) throw new LanternError('usage', `The query is not complete: ${parens}.`);
  const first = keyword(tokens.find((t) => !(t.kind === 'symbol' && t.text === '(')));
  if (first && WRITES.has(first))
    throw new LanternError(
      'usage',
      `The console is read-only: ${first} would change the workspace. Query the tables with SELECT, and use "Create table from result" to keep a result as a new dataset.`,
    );
  if (!first || !QUERY_STARTS.has(first))
    throw new LanternError(
      'usage',
      `Only queries run here (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE…); this starts with "${tokens[0]!.text}".`,
    );
  return tokens;
}

/**
 * The statement the engine runs for a user's query: the tables under their friendly names (CTEs, not
 * materialised), then the query as a subquery. Throws a usage error naming the problem.
 */
export function consoleQuerySql(text: string, tables: readonly ConsoleTable[]): Sql {
  const tokens = queryTokens(text);
  // Up to the last token: a trailing `;` or comment would swallow the closing parenthesis.
  const body = text.slice(0, tokens[tokens.length - 1]!.end);
  const ctes = tables.map((t) => sql`${ident(t.name)} AS NOT MATERIALIZED (SELECT * FROM ${ident(t.table)})`);
  const withClause = ctes.length ? sql`WITH ${ctes} ` : raw('');
  return sql`${withClause}SELECT * FROM (\n${raw(body)}\n) AS ${ident('query')}`;
}

/** A table name for a file: its name without extensions, with characters other than letters, digits and _ as _. */
export function tableNameOfFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/(\.(csv|tsv|txt|gz|parquet|pq|json|ndjson|jsonl|arrow|feather|ipc))+$/i, '');
  const name = stem.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'data';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Friendly names for several files: the second `data` becomes `data_2`. */
export function uniqueTableNames(fileNames: readonly string[], taken: readonly string[] = []): string[] {
  const used = new Set(taken.map((t) => t.toLowerCase()));
  return fileNames.map((f) => {
    const base = tableNameOfFile(f);
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}
