// Renders the app's icons for the web-app manifest (public/icons/*.png) from public/favicon.svg, in Debian's
// Chromium, on this machine: `npx tsx scripts/icons/render.ts`. The PNGs are committed; the build copies them.
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath, CHROMIUM_FLAGS } from '../../tests/helpers/chromium';

const svg = readFileSync(new URL('../../public/favicon.svg', import.meta.url), 'utf8');
const out = (name: string) => new URL(`../../public/icons/${name}`, import.meta.url);

// "any": the lantern on a light rounded square. "maskable": full-bleed background, the lantern inside the
// central 80% safe zone, since platforms crop maskable icons to their own shape.
const page = (size: number, maskable: boolean) => `<!doctype html><html><body style="margin:0">
<div style="width:${size}px;height:${size}px;display:flex;align-items:center;justify-content:center;background:${maskable ? '#fff6d5' : 'transparent'}">
  <div style="width:${maskable ? size * 0.62 : size}px;height:${maskable ? size * 0.62 : size}px;${maskable ? '' : `background:#fff6d5;border-radius:${size * 0.18}px;`}display:flex;align-items:center;justify-content:center">
    <div style="width:${maskable ? '100%' : '82%'};height:${maskable ? '100%' : '82%'}">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div>
  </div>
</div></body></html>`;

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
try {
  for (const [name, size, maskable] of [
    ['lantern-192.png', 192, false],
    ['lantern-512.png', 512, false],
    ['lantern-maskable-512.png', 512, true],
  ] as const) {
    const context = await browser.newContext({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const tab = await context.newPage();
    await tab.setContent(page(size, maskable));
    writeFileSync(out(name), await tab.screenshot({ omitBackground: !maskable, clip: { x: 0, y: 0, width: size, height: size } }));
    await context.close();
  }
} finally {
  await browser.close();
}
