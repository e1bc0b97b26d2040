import { defineConfig } from 'vite';

// Builds the probe page alone into scripts/coi-probe/dist (see README.md).
export default defineConfig({ base: './', build: { outDir: 'dist', target: 'es2022', assetsInlineLimit: 0 }, logLevel: 'warn' });
