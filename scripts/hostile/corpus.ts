/**
 * Writes the hostile-input corpus (tests/helpers/hostileCorpus.ts) to a folder, one subfolder per case,
 * with a list of the cases and what each must give: for trying the files by hand, in the CLI or by
 * dropping them into the app. The tests write the same corpus to a temporary folder themselves.
 *
 *   npx tsx scripts/hostile/corpus.ts [folder]      (default: ./hostile-corpus, which git ignores)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostileCorpus } from '../../tests/helpers/hostileCorpus';

const root = resolve(process.argv[2] ?? 'hostile-corpus');
const cases = hostileCorpus();
const lines: string[] = [];
cases.forEach((c, i) => {
  const dir = join(root, `${String(i).padStart(3, '0')}-${c.kind.replace(/\W+/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  for (const f of c.files) writeFileSync(join(dir, f.name.replace(/[/\\]/g, '_')), f.bytes);
  const expect =
    'refuse' in c.expect ? `refused: ${c.expect.refuse.source}` : 'rows' in c.expect ? `${c.expect.rows} rows` : `exit ${c.expect.code}`;
  lines.push(`${dir}\t${c.name}\t${(c.argv ?? ['inspect', '{0}', '--json']).join(' ')}\t${expect}`);
});
writeFileSync(join(root, 'cases.tsv'), `folder\tcase\tcommand\texpected\n${lines.join('\n')}\n`);
console.log(`${cases.length} cases written to ${root}`);
