import { registerSection } from '../../persistence';
import { checksState } from '../checks.svelte';
import type { Dataset } from '../dataset.svelte';
import { perfState } from '../performance.svelte';
import { setupLink } from '../setupLink.svelte';
import { workspace } from '../workspace.svelte';
import { migrateSettings, type DatasetRefs, type SettingsArea } from './area';
import { checksArea } from './checks';
import { driftArea } from './drift';
import { fromBase64, savedModel, savedModelSchema, type SavedModel } from './model';
import { performanceArea } from './performance';

const refs = (by: DatasetRefs['by']): DatasetRefs<Dataset> => ({ datasets: workspace.datasets, by });

/**
 * One area's settings, registered with the workspace (autosave, reopen, .lantern files) and, unless they
 * carry values from the data, with setup links: one definition of each area, used by both.
 */
export function registerSettingsArea<S, H>(area: SettingsArea<S, H, Dataset>, state: () => H): void {
  registerSection<S>({
    key: area.key,
    version: area.version,
    save: () => area.capture(state(), refs('table')),
    restore: (saved) => area.apply(state(), area.schema.parse(saved), refs('table')),
    migrate: (saved, from) => migrateSettings(area, saved, from),
    reset: () => area.reset(state()),
  });
  if (area.inLink)
    setupLink.register<S>({
      key: area.key,
      schema: area.schema,
      capture: () => area.capture(state(), refs('name')),
      apply: (settings) => area.apply(state(), settings, refs('name')),
    });
}

// The model first: the checks restored after it run attribution drift with it.
registerSection<SavedModel>({
  key: 'model',
  version: 1,
  save: () => savedModel(workspace.explain.modelFile),
  restore: async (saved) => {
    const { model } = savedModelSchema.parse(saved);
    if (model) await workspace.explain.loadModelFile(new Blob([fromBase64(model.base64) as Uint8Array<ArrayBuffer>]), model.name);
    else workspace.explain.unloadModel();
  },
  reset: () => workspace.explain.unloadModel(),
});
registerSettingsArea(driftArea, () => workspace.drift);
registerSettingsArea(performanceArea<Dataset>(), () => perfState);
registerSettingsArea(checksArea<Dataset>(), () => checksState);
