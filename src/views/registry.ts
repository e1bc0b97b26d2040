import type { Component } from 'svelte';
import DatasetView from '../components/data/DatasetView.svelte';
import PerformanceView from '../components/performance/PerformanceView.svelte';

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
  { id: 'data', label: 'Data', component: DatasetView },
  { id: 'performance', label: 'Performance', component: PerformanceView },
];
