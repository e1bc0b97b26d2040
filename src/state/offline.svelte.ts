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
    container.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type !== 'activated') return;
      if (this.reloadOnChange || isIdle()) location.reload();
      else this.status = 'updated-elsewhere';
    });
    container.startMessages();
    try {
      const registration = await container.register('sw.js', { scope: './' });
      this.registration = registration;
      // A version that finished installing while Lantern was last open is taken now, on this reload: the
      // page has just started, so nothing the user loaded is lost.
      if (registration.waiting && hadController) {
        this.registration = registration;
        this.applyUpdate();
        return;
      }
      this.watch(registration);
      await container.ready;
      if (this.status === 'preparing') this.status = registration.waiting && hadController ? 'update-ready' : 'ready';
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

export const offline = new OfflineSupport();
