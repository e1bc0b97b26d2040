/** What one tab tells the others: a workspace was saved or deleted, or the list changed. */
export type TabMessage = { type: 'saved'; id: string; generation: number } | { type: 'deleted'; id: string } | { type: 'list' };

const CHANNEL = 'lantern-workspaces';

/**
 * Coordination between tabs of the app: a Web Lock per open workspace (the tab holding it is the only
 * one that saves it) and a BroadcastChannel telling other tabs that the list or a workspace changed.
 * Locks are released when a tab closes or crashes, so a reload of another tab can take over.
 */
export class TabCoordinator {
  private readonly channel: BroadcastChannel | null;
  private releaseLock: (() => void) | null = null;

  constructor(onMessage: (message: TabMessage) => void) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    this.channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => onMessage(event.data));
  }

  /** Takes the workspace's lock if no other tab holds it; true if this tab now owns the workspace. */
  async acquire(workspaceId: string): Promise<boolean> {
    const locks = navigator.locks;
    // Without Web Locks the store's generation check still refuses a stale save.
    if (!locks) return true;
    return new Promise<boolean>((resolve) => {
      void locks.request(`lantern-workspace-${workspaceId}`, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => {
          this.releaseLock = release;
        });
      });
    });
  }

  async release(): Promise<void> {
    this.releaseLock?.();
    this.releaseLock = null;
  }

  announce(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
    void this.release();
  }
}
