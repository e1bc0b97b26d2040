// Service worker entry: the precache manifest is written into this file by the build (scripts/vite/precachePlugin.ts).
import type { PrecacheManifest } from '../src/offline/precachePlan';
import { runServiceWorker } from '../src/offline/serviceWorker';

declare const self: ServiceWorkerGlobalScope;
declare const __LANTERN_PRECACHE__: PrecacheManifest;

runServiceWorker(self, __LANTERN_PRECACHE__);
