/**
 * When to autosave: `delayMs` after the last change (debounce), never while the tab is hidden, except
 * once at the moment it becomes hidden (the Page Lifecycle's last reliable moment to save, so a change
 * made just before closing a tab is kept); a change made while hidden waits until the tab is visible.
 */
export class AutosaveTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waiting = false;

  constructor(
    private readonly save: () => void,
    private readonly isHidden: () => boolean,
    readonly delayMs = 800,
  ) {}

  /** A change to save: (re)starts the quiet period. */
  changed(): void {
    this.waiting = true;
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.isHidden()) return; // saved when the tab is visible again
      this.fire();
    }, this.delayMs);
  }

  /** Call on `visibilitychange`. */
  visibilityChanged(): void {
    if (!this.waiting) return;
    if (this.isHidden()) {
      this.cancelTimer();
      this.fire();
    } else this.changed();
  }

  /** Forgets a waiting change (it is being saved by other means, or must not be saved). */
  cancel(): void {
    this.waiting = false;
    this.cancelTimer();
  }

  get isWaiting(): boolean {
    return this.waiting;
  }

  private fire(): void {
    this.waiting = false;
    this.save();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
