/**
 * TreeSHAP benchmark in Chromium: the rows and model of bench/shap/native.py, explained by the core in
 * one Web Worker and then in navigator.hardwareConcurrency workers (each a block of rows), the way the
 * app's pool splits work. npx tsx bench/shap/browser.ts
 * Wall time only (the browser's CPU time is not observable from the page); run on a quiet machine.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const dir = join(import.meta.dirname, '..', 'tmp');
const bundle = await build({
  entryPoints: [join(import.meta.dirname, 'browserWorker.ts')],
  bundle: true,
  format: 'iife',
  write: false,
  target: 'es2022',
});
const files: Record<string, { type: string; body: Buffer | string }> = {
  '/': { type: 'text/html', body: '<!doctype html><title>bench</title>' },
  '/worker.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.text },
  '/model.json': { type: 'application/json', body: readFileSync(join(dir, 'shap-model.json')) },
  '/rows.f64': { type: 'application/octet-stream', body: readFileSync(join(dir, 'shap-rows.f64')) },
};
const server = createServer((req, res) => {
  const file = files[req.url ?? ''];
  if (!file) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file.type }).end(file.body);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const port = (server.address() as { port: number }).port;

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/`);
// Plain JavaScript text: tsx would wrap a function passed to evaluate with helpers the page lacks.
const PAGE_SCRIPT = `(async () => {
  const model = new Uint8Array(await (await fetch('/model.json')).arrayBuffer());
  const X = new Float64Array(await (await fetch('/rows.f64')).arrayBuffer());
  const F = 20;
  const rows = X.length / F;
  const start = (n) =>
    Promise.all(
      Array.from({ length: n }, async () => {
        const worker = new Worker('/worker.js');
        const ready = new Promise((resolve) => (worker.onmessage = resolve));
        worker.postMessage({ kind: 'model', bytes: model });
        await ready;
        return worker;
      }),
    );
  const run = async (workers) => {
    const t0 = performance.now();
    const per = Math.ceil(rows / workers.length);
    await Promise.all(
      workers.map((worker, i) => {
        const block = X.slice(i * per * F, Math.min(rows, (i + 1) * per) * F);
        const done = new Promise((resolve) => (worker.onmessage = resolve));
        worker.postMessage({ kind: 'explain', X: block, rows: block.length / F }, [block.buffer]);
        return done;
      }),
    );
    return (performance.now() - t0) / 1000;
  };
  const cores = navigator.hardwareConcurrency;
  const one = await start(1);
  const oneSeconds = await run(one);
  one.forEach((w) => w.terminate());
  const all = await start(cores);
  const allSeconds = await run(all);
  all.forEach((w) => w.terminate());
  return { rows, cores, oneWorkerSeconds: oneSeconds, allWorkersSeconds: allSeconds };
})()`;
const result = (await page.evaluate(PAGE_SCRIPT)) as { rows: number; cores: number; oneWorkerSeconds: number; allWorkersSeconds: number };
console.log(JSON.stringify({ engine: `lantern TreeSHAP in Chromium ${browser.version()}`, ...result }));
await browser.close();
server.close();
