import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutosaveTimer } from '../../src/persistence/autosave';

describe('AutosaveTimer', () => {
  let hidden = false;
  let saves = 0;
  let timer: AutosaveTimer;
  beforeEach(() => {
    vi.useFakeTimers();
    hidden = false;
    saves = 0;
    timer = new AutosaveTimer(
      () => saves++,
      () => hidden,
      800,
    );
  });
  afterEach(() => vi.useRealTimers());

  it('saves once, a quiet period after the last of several changes', () => {
    timer.changed();
    vi.advanceTimersByTime(500);
    timer.changed();
    vi.advanceTimersByTime(799);
    expect(saves).toBe(0);
    vi.advanceTimersByTime(1);
    expect(saves).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(saves).toBe(1);
  });

  it('saves a waiting change at once when the tab becomes hidden, then pauses until it is visible', () => {
    timer.changed();
    hidden = true;
    timer.visibilityChanged();
    expect(saves).toBe(1);
    timer.changed();
    vi.advanceTimersByTime(60_000);
    expect(saves).toBe(1);
    hidden = false;
    timer.visibilityChanged();
    vi.advanceTimersByTime(800);
    expect(saves).toBe(2);
  });

  it('does nothing on visibility changes when nothing waits, and forgets a cancelled change', () => {
    hidden = true;
    timer.visibilityChanged();
    hidden = false;
    timer.visibilityChanged();
    timer.changed();
    timer.cancel();
    vi.advanceTimersByTime(10_000);
    expect(saves).toBe(0);
    expect(timer.isWaiting).toBe(false);
  });
});
