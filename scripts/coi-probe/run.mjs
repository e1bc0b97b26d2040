import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
const root = new URL('./dist/', import.meta.url).pathname;
const iso = process.argv[2] !== 'plain';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    const bytes = await readFile(join(root, path === '/' ? 'index.html' : path));
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'text/html',
      ...(iso ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    });
    res.end(bytes);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/${process.argv[3] ?? ''}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  headless: true,
});
const page = await browser.newPage();
const logs = [];
page.on('console', (m) => logs.push(m.type() + ': ' + m.text()));
page.on('pageerror', (e) => logs.push('pageerror: ' + e.message));
page.on('crash', () => console.log('PAGE CRASHED'));
page.on('worker', (w) => logs.push('worker ' + w.url().split('/').pop()));
await page.goto(url);
const result = await page.waitForFunction(() => window.result, null, { timeout: 300000 }).then((h) => h.jsonValue());
console.log(JSON.stringify(result, null, 1));
if (logs.length) console.log(logs.slice(0, 20).join('\n'));
await browser.close();
server.close();
