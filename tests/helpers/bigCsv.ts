import { writeFileSync } from 'node:fs';

/** A deterministic prediction log of `rows` rows (10 columns), written without holding it all as one string twice. */
export function writePredictionLog(path: string, rows: number): void {
  const regions = ['north', 'south', 'east', 'west'];
  const parts: string[] = ['prediction_id,timestamp,amount,age,num_prev,hour,distance,region,score,label\n'];
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const start = Date.UTC(2026, 8, 7);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const ts = new Date(start + i * 13_000).toISOString().slice(0, 19).replace('T', ' ');
    const score = rand();
    chunk += `p${i},${ts},${(rand() * 500).toFixed(2)},${Math.floor(rand() * 3000)},${Math.floor(rand() * 50)},${Math.floor(rand() * 24)},${(rand() * 80).toFixed(1)},${regions[i % 4]},${score.toFixed(6)},${rand() < score ? 1 : 0}\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  writeFileSync(path, parts.join(''));
}
