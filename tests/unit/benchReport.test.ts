import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, updateReadme } from '../../bench/lib/readme';
import { renderTable } from '../../bench/lib/report';
import type { BenchResults, SideResult } from '../../bench/lib/results';
import { summarise } from '../../bench/lib/stats';

// The benchmark's own bookkeeping (never its figures: those are not asserted anywhere in npm test).
const side = (name: string, ms: number[], errors: string[] = []): SideResult => ({
  name,
  summary: summarise(ms),
  peakBytes: ms.length ? 300 * 2 ** 20 : null,
  peakHow: 'max RSS',
  runs: ms.map((x) => ({ ms: x, peakBytes: 300 * 2 ** 20 })),
  errors,
});

const results: BenchResults = {
  version: 1,
  startedAt: '2026-11-22T23:50:00.000Z',
  scale: 'full',
  runsPerFigure: 3,
  plan: { logs: { '1m': 1_000_000 }, analysisLog: '1m', trainRows: 50_000, shapRows: 100_000 },
  machine: {
    cpu: 'CPU',
    cores: 2,
    memoryBytes: 2 ** 34,
    node: 'v20',
    platform: 'Linux',
    loadAverageAtStart: [6, 5, 4],
    loaded: true,
    chromium: null,
    python: null,
  },
  git: { branch: 'bench', commit: 'abc1234', dirty: 'no' },
  data: {},
  scenarios: [
    {
      id: 'load-csv',
      title: 'Load CSV',
      aim: null,
      status: 'measured',
      cases: [
        { key: '1m', label: '1,000,000 rows', lantern: side('L', [3000, 1000, 2000]), native: side('N', [500, 1500, 1000]), ratio: 2 },
      ],
    },
    {
      id: 'drift',
      title: 'Drift report',
      aim: 'issue 3: < 5 s',
      status: 'pending',
      reason: 'src/lib/drift/report.ts not in this checkout yet',
      cases: [],
    },
    {
      id: 'treeshap',
      title: 'TreeSHAP',
      aim: null,
      status: 'failed',
      cases: [{ key: 'rows', label: '100 rows', lantern: side('L', [], ['exit 1: boom | bang']), native: side('N', [10]), ratio: null }],
    },
  ],
};

describe('bench bookkeeping', () => {
  it('summarises runs as median, min and max', () => {
    expect(summarise([3, 1, 2])).toEqual({ runs: 3, median: 2, min: 1, max: 3 });
    expect(summarise([4, 1, 2, 3])).toEqual({ runs: 4, median: 2.5, min: 1, max: 4 });
    expect(summarise([])).toBeNull();
  });

  it('shows every scenario: figures with ratios, pending ones as not yet measured, failures with their reason', () => {
    const table = renderTable(results).split('\n');
    expect(table).toHaveLength(5);
    expect(table[2]).toContain('**2.00 s** (1.00 s-3.00 s, n=3)');
    expect(table[2]).toContain('2.00x');
    expect(table[3]).toContain('not yet measured: src/lib/drift/report.ts not in this checkout yet');
    expect(table[3]).toContain('issue 3: < 5 s');
    // A pipe inside an error message must not break the markdown row.
    expect(table[4]).toContain('failed: exit 1: boom / bang');
    expect(table[4]!.split('|')).toHaveLength(10);
  });

  it('replaces only the marked README block, and adds it once when missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `# Title\n\n${BEGIN}\nold table\n${END}\n\n## After\n`);
    updateReadme(readme, results, 'bench/results/x.json');
    const text = readFileSync(readme, 'utf8');
    expect(text).not.toContain('old table');
    expect(text.startsWith('# Title\n\n')).toBe(true);
    expect(text.endsWith(`${END}\n\n## After\n`)).toBe(true);
    expect(text).toContain('load average at start 6.00, 5.00, 4.00 (**a busy machine**');
    writeFileSync(readme, '# Title\n');
    updateReadme(readme, results);
    updateReadme(readme, results);
    expect(readFileSync(readme, 'utf8').split(BEGIN)).toHaveLength(2);
  });
});
