/**
 * A lexer for the SQL text users write (console queries, custom metrics), following DuckDB's own scanner
 * (PostgreSQL's scan.l) where it decides where a statement ends: '' inside a string, backslash escapes only
 * in E'...' strings, dollar-quoted strings ($$...$$, $tag$...$tag$), "" inside quoted names, -- comments
 * to the end of the line and /* comments *\/ that nest. Both engines were probed for each of these
 * (DuckDB-WASM 1.32 has no json_serialize_sql, so DuckDB's parser cannot be asked directly in the tab).
 * It never decides what runs: it finds the statement's words, semicolons and parentheses, so that a
 * `;` or a closing `)` hidden from a naive scan is seen, and anything it cannot read is refused.
 */
import { LanternError } from './errors';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'parameter' | 'symbol';

export interface Token {
  kind: TokenKind;
  /** The token as written (a string with its quotes). */
  text: string;
  start: number;
  end: number;
  /** Parentheses open around the token; a `(` or `)` has the depth outside it. */
  depth: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

function fail(what: string, at: number): never {
  throw new LanternError('usage', `The SQL has ${what} (at character ${at + 1}).`);
}

/** Splits SQL text into tokens (comments and whitespace dropped); unterminated strings or comments are errors. */
export function lexSql(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, text: text.slice(start, end), start, end, depth });
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const start = i;
      let nested = 0;
      for (;;) {
        if (i >= text.length) fail('a /* comment that is never closed', start);
        if (text[i] === '/' && text[i + 1] === '*') {
          nested++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          nested--;
          i += 2;
          if (nested === 0) break;
        } else i++;
      }
    } else if (c === "'" || ((c === 'e' || c === 'E') && text[i + 1] === "'" && !WORD_PART.test(text[i - 1] ?? ' '))) {
      const start = i;
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      for (;;) {
        if (i >= text.length) fail('a string that is never closed', start);
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") {
          i++;
          break;
        } else i++;
      }
      push('string', start, i);
    } else if (c === '"') {
      const start = i++;
      for (;;) {
        if (i >= text.length) fail('a quoted name that is never closed', start);
        if (text[i] === '"' && text[i + 1] === '"') i += 2;
        else if (text[i] === '"') {
          i++;
          break;
        } else i++;
      }
      push('quoted', start, i);
    } else if (c === '$') {
      const start = i;
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        if (close < 0) fail('a $-quoted string that is never closed', start);
        i = close + tag[0].length;
        push('string', start, i);
      } else {
        i++;
        while (i < text.length && DIGIT.test(text[i]!)) i++;
        push('parameter', start, i);
      }
    } else if (WORD_START.test(c)) {
      const start = i++;
      while (i < text.length && WORD_PART.test(text[i]!)) i++;
      push('word', start, i);
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(text[i + 1] ?? ''))) {
      const start = i++;
      while (i < text.length && /[0-9._]/.test(text[i]!)) i++;
      if (/[eE]/.test(text[i] ?? '') && /[-+0-9]/.test(text[i + 1] ?? '')) {
        i += 2;
        while (i < text.length && DIGIT.test(text[i]!)) i++;
      }
      push('number', start, i);
    } else {
      if (c === ')') depth--;
      push('symbol', i, i + 1);
      if (c === '(') depth++;
      i++;
    }
  }
  return tokens;
}

/** The token's word in upper case when it is an unquoted word, else null. */
export function keyword(token: Token | undefined): string | null {
  return token?.kind === 'word' ? token.text.toUpperCase() : null;
}

/** A closing parenthesis without its opening one, or an opening one never closed: the message, or null. */
export function parenthesesProblem(tokens: readonly Token[]): string | null {
  let open = 0;
  for (const t of tokens) {
    if (t.kind !== 'symbol') continue;
    if (t.text === '(') open++;
    else if (t.text === ')' && --open < 0) return `a ")" at character ${t.start + 1} closes nothing`;
  }
  return open > 0 ? 'a "(" that is never closed' : null;
}

/** The name a quoted or unquoted identifier token stands for ("a""b" -> a"b; unquoted words as written). */
export function identifierOf(token: Token): string {
  return token.kind === 'quoted' ? token.text.slice(1, -1).replaceAll('""', '"') : token.text;
}
