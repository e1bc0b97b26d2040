import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Trains the benchmark's xgboost model with Debian's python once; later runs reuse the file. */
export async function trainModel(root: string, trainCsv: string, modelPath: string): Promise<string> {
  if (existsSync(modelPath)) return modelPath;
  const tmp = `${modelPath}.tmp.json`;
  const out = execFileSync('/usr/bin/python3', [join(root, 'bench/python/train_model.py'), trainCsv, tmp], { encoding: 'utf8' });
  renameSync(tmp, modelPath);
  process.stderr.write(`[bench] trained model: ${out.trim()}\n`);
  return modelPath;
}
