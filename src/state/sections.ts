import type { Engine } from '../client/engine';
import type { SectionRegistry } from '../persistence';
import type { ChecksState } from './checks.svelte';
import type { Dataset } from './dataset.svelte';
import type { DriftState } from './drift.svelte';
import { savedHistorySchema, type HistoryState, type SavedHistory } from './history.svelte';
import type { Explanation } from './explain.svelte';
import type { PerformanceState } from './performance.svelte';
import type { ValidationState } from './validation.svelte';
import { migrateSettings, type DatasetRefs, type SettingsArea } from './settings/area';
import { checksArea } from './settings/checks';
import { consoleArea } from './settings/console';
import { opsArea } from './settings/ops';
import type { OpsState } from './ops.svelte';
import type { ConsoleState } from './console.svelte';
import { driftArea } from './settings/drift';
import { fromBase64, savedModel, savedModelSchema, type SavedModel } from './settings/model';
import { performanceArea } from './settings/performance';
import { versionsArea } from './settings/versions';
import { validationArea } from './settings/validation';
import type { SetupLink } from './setupLink.svelte';
import type { VersionsState } from './versions.svelte';
import { workspaceSection, type WorkspaceSectionHost } from './workspaceSection.svelte';

/**
 * What the sections save and restore: the workspace root passes itself. A structural type, so this file
 * never imports the root (which calls it).
 */
export interface SectionHost extends WorkspaceSectionHost {
  readonly explain: Explanation;
  readonly drift: DriftState;
  readonly performance: PerformanceState;
  readonly checks: ChecksState;
  readonly versions: VersionsState;
  readonly validation: ValidationState;
  readonly history: HistoryState;
  readonly console: ConsoleState;
  readonly ops: OpsState;
}

/**
 * Registers every part of the workspace that is saved (autosave, reopen, `.lantern` files) with the
 * persistence session's registry, and the analysis settings that may travel in a setup link with the
 * setup link. Called once, by the workspace root's constructor: one list, in one place, in restore order.
 */
export function registerWorkspaceSections(workspace: SectionHost, engine: Engine, sections: SectionRegistry, setupLink: SetupLink): void {
  const refs = (by: DatasetRefs['by']): DatasetRefs<Dataset> => ({ datasets: workspace.datasets, by });

  /**
   * One area's settings, registered with the workspace and, unless they carry values from the data, with
   * setup links: one definition of each area, used by both.
   */
  function settingsArea<S, H>(area: SettingsArea<S, H, Dataset>, state: H): void {
    sections.register<S>({
      key: area.key,
      version: area.version,
      save: () => area.capture(state, refs('table')),
      restore: (saved) => area.apply(state, area.schema.parse(saved), refs('table')),
      migrate: (saved, from) => migrateSettings(area, saved, from),
      reset: () => area.reset(state),
    });
    if (area.inLink)
      setupLink.register<S>({
        key: area.key,
        schema: area.schema,
        capture: () => area.capture(state, refs('name')),
        apply: (settings) => area.apply(state, settings, refs('name')),
      });
  }

  // Datasets first (restoreFirst): every other section names their tables.
  sections.register(workspaceSection(workspace, engine));
  // The model before the checks: the checks restored after it run attribution drift with it.
  const explain = workspace.explain;
  sections.register<SavedModel>({
    key: 'model',
    version: 1,
    save: () => savedModel(explain.modelFile),
    restore: async (saved) => {
      const { model } = savedModelSchema.parse(saved);
      if (model) await explain.loadModelFile(new Blob([fromBase64(model.base64) as Uint8Array<ArrayBuffer>]), model.name);
      else explain.unloadModel();
    },
    reset: () => explain.unloadModel(),
  });
  settingsArea(driftArea, workspace.drift);
  settingsArea(performanceArea<Dataset>(), workspace.performance);
  settingsArea(checksArea<Dataset>(), workspace.checks);
  settingsArea(versionsArea<Dataset>(), workspace.versions);
  // After the model: a validation restored after it measures robustness with it.
  settingsArea(validationArea<Dataset>(), workspace.validation);
  // The batch profiles themselves (small by design) with the reference and the limits.
  const history = workspace.history;
  sections.register<SavedHistory>({
    key: 'history',
    version: 1,
    save: () => history.save(),
    restore: (saved, context) => history.restore(savedHistorySchema.parse(saved), (m) => context.warn(m)),
    reset: () => history.reset(),
  });
  settingsArea(consoleArea, workspace.console);
  settingsArea(opsArea<Dataset>(), workspace.ops);
}
