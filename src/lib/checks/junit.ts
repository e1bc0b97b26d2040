/**
 * JUnit XML for CI systems (GitHub Actions reporters, GitLab, Jenkins): one testcase per check; a failing
 * check is a <failure>, a check that could not be evaluated an <error> (it did not run, and must not read
 * as a pass), a warning passes with the message in <system-out>. Schema: the de-facto Ant/Jenkins
 * junit-10.xsd (testsuites > testsuite > testcase > failure|error|system-out).
 */
import type { SuiteResult } from './evaluate';

/** XML 1.0 text: escapes markup and drops characters XML cannot hold at all (C0 controls but tab/LF/CR). */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** What the XML needs of a result: a check suite's, or any list of checks judged the same way (validation). */
export interface JunitInput {
  name: string | null;
  counts: SuiteResult['counts'];
  results: (Pick<SuiteResult['results'][number], 'id' | 'title' | 'status' | 'value' | 'threshold' | 'message'> & { kind: string })[];
  status?: SuiteResult['status'];
}

export function junitXml(result: SuiteResult | JunitInput, options: { seconds?: number; timestamp?: string } = {}): string {
  const name = xmlText(result.name ?? 'lantern checks');
  const failures = result.counts.fail;
  const errors = result.counts['not-evaluated'];
  const time = (options.seconds ?? 0).toFixed(3);
  const cases = result.results.map((r) => {
    const head = `    <testcase name="${xmlText(`${r.id}: ${r.title}`)}" classname="lantern.${xmlText(r.kind)}" time="0">`;
    const msg = xmlText(r.message);
    const detail = xmlText(`value: ${r.value ?? 'none'}\nthreshold: ${r.threshold}\n${r.message}`);
    if (r.status === 'fail')
      return `${head}\n      <failure message="${msg}" type="${xmlText(r.kind)}">${detail}</failure>\n    </testcase>`;
    if (r.status === 'not-evaluated')
      return `${head}\n      <error message="${msg}" type="not-evaluated">${detail}</error>\n    </testcase>`;
    if (r.status === 'warn') return `${head}\n      <system-out>warning: ${detail}</system-out>\n    </testcase>`;
    return `${head}</testcase>`;
  });
  const stamp = options.timestamp ? ` timestamp="${xmlText(options.timestamp)}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" tests="${result.results.length}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="${name}" tests="${result.results.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time}"${stamp}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
