import { describe, expect, it } from 'vitest';
import { LanternError } from '../../src/lib/errors';
import { BackgroundProfiles, type EngineCalls, type Profiled } from '../../src/state/backgroundProfiles';

/** A fake engine: profile jobs wait until finished or cancelled (a cancel rejects as the worker does). */
const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
const calls: string[] = [];
let n = 0;
const fakeEngine: EngineCalls<unknown> = {
  newJobId: (prefix: string) => `${prefix}-${++n}`,
  profile: (jobId: string, table: string) =>
    new Promise((resolve, reject) => {
      calls.push(`profile ${table}`);
      pending.set(jobId, { resolve, reject });
    }),
  cancel: async (jobId: string) => {
    calls.push(`cancel ${jobId}`);
    pending.get(jobId)?.reject(new LanternError('cancelled', 'Cancelled.'));
    pending.delete(jobId);
  },
};

const dataset = (table: string): Profiled<unknown> => ({ table, profile: null, profileError: null });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('BackgroundProfiles', () => {
  it('cancels summaries in flight for work the user started, hides that cancel, and restarts them after', async () => {
    const [a, b] = [dataset('ds_1'), dataset('ds_2')];
    const profiles = new BackgroundProfiles(fakeEngine, () => [a, b]);
    void profiles.profile(a);
    void profiles.profile(b);
    let release!: () => void;
    const work = profiles.ahead(() => new Promise<string>((r) => (release = () => r('report'))));
    await settle();
    expect(calls).toEqual(['profile ds_1', 'profile ds_2', 'cancel profile-1', 'cancel profile-2']);
    // A dataset loaded meanwhile waits too.
    const c = dataset('ds_3');
    void profiles.profile(c);
    expect([a.profileError, b.profileError, pending.size]).toEqual([null, null, 0]);
    release();
    expect(await work).toBe('report');
    await settle();
    expect(calls.slice(4)).toEqual(['profile ds_1', 'profile ds_2']);
    for (const [, p] of pending) p.resolve([{ name: 'x' }]);
    await settle();
    expect([a.profile, b.profile]).toEqual([[{ name: 'x' }], [{ name: 'x' }]]);
  });

  it('reports real failures, and the errors of work run ahead reach its caller', async () => {
    calls.length = 0;
    const a = dataset('ds_9');
    const profiles = new BackgroundProfiles(fakeEngine, () => [a]);
    void profiles.profile(a);
    await settle();
    const [, job] = [...pending].at(-1)!;
    job.reject(new Error('out of memory'));
    await settle();
    expect(a.profileError).toBe('out of memory');
    await expect(profiles.ahead(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('runs other background jobs only while nothing runs ahead, cancelling and restarting them for it', async () => {
    calls.length = 0;
    const profiles = new BackgroundProfiles(fakeEngine, () => []);
    let starts = 0;
    const exportJob = (jobId: string) =>
      new Promise<string>((resolve, reject) => {
        starts++;
        calls.push(`export ${jobId}`);
        pending.set(jobId, { resolve: () => resolve(`bytes of ${jobId}`), reject });
      });
    // Started while idle, then cancelled by a report, restarted when the report ends.
    const saved = profiles.background(exportJob);
    await settle();
    let release!: () => void;
    const report = profiles.ahead(() => new Promise<void>((r) => (release = r)));
    await settle();
    expect(calls).toEqual(['export background-' + n, `cancel background-${n}`]);
    expect(starts).toBe(1);
    // A second job asked for during the report waits for it.
    const later = profiles.background(exportJob);
    await settle();
    expect(starts).toBe(1);
    release();
    await report;
    await settle();
    expect(starts).toBe(3);
    for (const [, p] of pending) p.resolve(undefined);
    expect(await saved).toMatch(/^bytes of background-/);
    expect(await later).toMatch(/^bytes of background-/);
    // Its own failures reach the caller.
    await expect(profiles.background(async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
  });
});
