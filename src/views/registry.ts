import type { Component } from 'svelte';
import DatasetView from '../components/data/DatasetView.svelte';
import DriftView from '../components/drift/DriftView.svelte';
import PerformanceView from '../components/performance/PerformanceView.svelte';
import ExplainView from '../components/explain/ExplainView.svelte';
import OverviewView from '../components/overview/OverviewView.svelte';
import ChecksView from '../components/checks/ChecksView.svelte';
import VersionsView from '../components/versions/VersionsView.svelte';
import ValidationView from '../components/validation/ValidationView.svelte';
import HistoryView from '../components/history/HistoryView.svelte';
import OpsView from '../components/ops/OpsView.svelte';
import ConsoleView from '../components/console/ConsoleView.svelte';

/**
 * The analysis views the app shows as tabs. Each analysis adds one entry; a view receives nothing as
 * props and reads the workspace state it needs.
 */
export interface AnalysisView {
  id: string;
  label: string;
  component: Component;
}

export const analysisViews: AnalysisView[] = [
  { id: 'overview', label: 'Overview', component: OverviewView },
  { id: 'data', label: 'Data', component: DatasetView },
  { id: 'drift', label: 'Drift', component: DriftView },
  { id: 'performance', label: 'Performance', component: PerformanceView },
  { id: 'explain', label: 'Explain', component: ExplainView },
  { id: 'versions', label: 'Versions', component: VersionsView },
  { id: 'validation', label: 'Validation', component: ValidationView },
  { id: 'operations', label: 'Operations', component: OpsView },
  { id: 'console', label: 'SQL', component: ConsoleView },
  { id: 'checks', label: 'Checks', component: ChecksView },
  { id: 'history', label: 'History', component: HistoryView },
];
