import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

let server: PreviewServer | undefined;

/** Builds the app once (unless E2E_SKIP_BUILD=1) and serves dist/ on loopback for every e2e test file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env['E2E_SKIP_BUILD'] !== '1') {
    // Vitest sets NODE_ENV=test, which would build Svelte in dev mode (slower, extra checks): the tests
    // must drive the same production build users get.
    const nodeEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({ logLevel: 'error', mode: 'production' });
    } finally {
      process.env['NODE_ENV'] = nodeEnv;
    }
  }
  server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  return async () => {
    await server?.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
