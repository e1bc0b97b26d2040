import { decodeProfile, encodeProfile } from '../../lib/profiles/codec';
import type { Profile } from '../../lib/profiles/format';
import { batchesOf, historyReport, type HistoryReport, type HistorySettings, type NamedProfile } from '../../lib/profiles/history';
import { profileTable, type ProfileOptions } from '../../lib/profiles/profileTable';
import type { CallContext, Scheduler } from '../scheduler';

export type { Profile, HistoryReport, HistorySettings, NamedProfile };

/** Profiles: a loaded table into a profile, profile files in and out, and the history of batches. */
export function profilesApi(scheduler: Scheduler) {
  return {
    /** The profile of a loaded table (the same query `lantern profile` runs). */
    profileDataset(ctx: CallContext, table: string, options: Omit<ProfileOptions, 'signal'>): Promise<Profile> {
      return scheduler.run(ctx, ({ db, signal }) => profileTable(db, table, { ...options, signal }));
    },

    /** A profile file's bytes, checked against the format (a damaged or foreign file throws a clear message). */
    readProfile(ctx: CallContext, bytes: Uint8Array): Promise<Profile> {
      return scheduler.run(ctx, () => Promise.resolve(decodeProfile(bytes)));
    },

    /** A profile as the file `lantern profile` writes (gzip JSON), for saving and downloading. */
    encodeProfile(ctx: CallContext, profile: Profile): Promise<Uint8Array> {
      return scheduler.run(ctx, () => Promise.resolve(encodeProfile(profile)));
    },

    /** Every batch against the reference: drift per column, quality, metrics, volume and regressions. */
    historyReport(
      ctx: CallContext,
      reference: NamedProfile,
      batches: NamedProfile[],
      settings: Partial<HistorySettings>,
    ): Promise<HistoryReport> {
      return scheduler.run(ctx, () => Promise.resolve(historyReport(reference, batchesOf(batches), settings)));
    },
  };
}
