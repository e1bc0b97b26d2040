import { VERSION_TIMING_NAME } from '../offline/precachePlan';

/**
 * Offline support as the user sees it: whether this build is kept on the device, and whether a new
 * version is waiting. The service worker (src/offline/serviceWorker.ts) does the work.
 */
export type OfflineStatus =
  /** Served by the dev server, or the browser has no service workers here (file://, plain http to a remote host). */
  | 'unavailable'
  | 'preparing'
  | 'ready'
  /** A complete new version is installed and waits for a reload. */
  | 'update-ready'
  /** Another tab switched to a new version; this one keeps running the old one until reloaded. */
  | 'updated-elsewhere'
  | 'failed';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export class OfflineSupport {
  status: OfflineStatus = $state('unavailable');
  error: string | null = $state(null);
  private registration: ServiceWorkerRegistration | undefined;
  private reloadOnChange = false;

  /**
   * Takes a version that was already installed and waiting when this page started (announced to an
   * earlier page, or installed while Lantern was last open): the user reloaded or opened the app, and
   * nothing is loaded yet. Returns true when it does; the page must then start nothing and reloads once
   * the new version controls it. Called before the app mounts because Chromium activates a skip-waiting
   * version only when the old worker has no work left: skipWaiting() asks the old worker to stop as soon as
   * it is idle, but only once, and any request that wakes it again (the app booting, its engine's wasm, a
   * favicon fetch, hence the inline favicon in index.html) puts it back on the 30 s idle timer
   * (content/browser/service_worker/service_worker_registration.cc, IsReadyToActivate; ..._version.cc,
   * SkipWaiting re-arms only for the first pending request).
   * Read with `getRegistration()`, not `register()`: register() resolves only after any update job in
   * flight, install included, so its `waiting` may be a version that arrived after this page started,
   * which must be announced, not applied behind the user's back.
   */
  async takeWaitingVersion(): Promise<boolean> {
    if (import.meta.env.MODE !== 'production' || !('serviceWorker' in navigator)) return false;
    const container = navigator.serviceWorker;
    if (container.controller === null) return false;
    const waiting = (await container.getRegistration('./').catch(() => undefined))?.waiting;
    if (!waiting) return false;
    container.addEventListener('controllerchange', () => location.reload());
    // Replaced by a newer version meanwhile: the reload finds that one waiting, or the active one.
    waiting.addEventListener('statechange', () => waiting.state === 'redundant' && location.reload());
    waiting.postMessage({ type: 'skip-waiting' });
    return true;
  }

  /**
   * Registers the build's service worker (dist/sw.js, next to index.html, so its scope is the app's folder).
   * `isIdle` tells whether the page holds nothing the user would lose on a reload (no dataset, no load).
   */
  async start(isIdle: () => boolean = () => false): Promise<void> {
    // MODE, not DEV: a build run under Vitest (NODE_ENV=test) still has DEV set.
    if (import.meta.env.MODE !== 'production' || !('serviceWorker' in navigator)) return;
    const container = navigator.serviceWorker;
    const hadController = container.controller !== null;
    this.status = 'preparing';
    // A new version took over (message from src/offline/serviceWorker.ts): asked for here, or a reload let
    // the browser activate it while the old one served this page, or another tab asked. An idle page
    // follows at once; a page holding the user's work says so and keeps running until reloaded.
    const served = servedVersion();
    const follow = (version: string) => {
      if (version === served) return; // this page already runs it
      if (this.reloadOnChange || isIdle()) location.reload();
      else this.status = 'updated-elsewhere';
    };
    container.addEventListener('message', (event: MessageEvent<{ type?: string; version?: string } | undefined>) => {
      if (event.data?.type === 'activated' && event.data.version !== undefined) follow(event.data.version);
    });
    container.startMessages();
    // The message above misses a page that was not yet a client when it was sent (decision 0500): such a
    // page compares the version that served it with its controller's, at start and on every switch.
    const compareWithController = async () => {
      const version = served === undefined ? null : await this.version();
      if (version !== null) follow(version);
    };
    container.addEventListener('controllerchange', () => void compareWithController());
    try {
      // `updateViaCache: 'none'`: the browser fetches sw.js past the HTTP cache on every check, whatever the
      // host's cache headers say, so a deploy is seen at the next check.
      const registration = await container.register('sw.js', { scope: './', updateViaCache: 'none' });
      this.registration = registration;
      this.watch(registration);
      await container.ready;
      if (this.status === 'preparing') this.status = registration.waiting && hadController ? 'update-ready' : 'ready';
      await compareWithController();
    } catch (error) {
      this.fail(error);
      return;
    }
    setInterval(() => void this.checkForUpdate(), UPDATE_CHECK_MS);
  }

  private watch(registration: ServiceWorkerRegistration): void {
    const track = (worker: ServiceWorker | null) => {
      if (!worker) return;
      const settle = () => {
        // A worker that installs while another one controls the page is an update waiting for a reload.
        if (worker.state === 'installed' && navigator.serviceWorker.controller) this.status = 'update-ready';
        if (worker.state === 'redundant' && this.status === 'preparing')
          this.fail(new Error('the service worker could not store this version'));
      };
      settle();
      worker.addEventListener('statechange', settle);
    };
    track(registration.installing);
    track(registration.waiting);
    registration.addEventListener('updatefound', () => track(registration.installing));
  }

  /** Asks the server whether a new build exists; a failure while offline is expected and changes nothing. */
  async checkForUpdate(): Promise<void> {
    try {
      await this.registration?.update();
    } catch {
      // Offline or the host is unreachable: the installed version keeps working, so there is nothing to report.
    }
  }

  /** Switches to the waiting version and reloads once it controls the page. */
  applyUpdate(): void {
    const waiting = this.registration?.waiting;
    if (!waiting) {
      location.reload();
      return;
    }
    this.reloadOnChange = true;
    waiting.postMessage({ type: 'skip-waiting' });
  }

  /** The build version the active service worker serves (for tests and the about line). */
  async version(): Promise<string | null> {
    const controller = navigator.serviceWorker?.controller;
    if (!controller) return null;
    const channel = new MessageChannel();
    const reply = new Promise<string>((resolve) => (channel.port1.onmessage = (e) => resolve(String(e.data))));
    controller.postMessage({ type: 'version' }, [channel.port2]);
    return reply;
  }

  private fail(error: unknown): void {
    this.status = 'failed';
    this.error = error instanceof Error ? error.message : String(error);
  }
}

/** The version of the service worker that served this page (its Server-Timing stamp), if one did. */
function servedVersion(): string | undefined {
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return navigation?.serverTiming.find((entry) => entry.name === VERSION_TIMING_NAME)?.description || undefined;
}
