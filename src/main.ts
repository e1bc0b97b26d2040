import './zodJitless';
import { mount } from 'svelte';
import { browserEngine } from './client/engine';
import { ShapPool } from './client/shapPool';
import App from './components/App.svelte';
import { openLanternDexie } from './persistence';
import { workspaceContext } from './state/context';
import { Workspace } from './state/workspace.svelte';
import './app.css';

// The composition root: the one place the page's engine, SHAP pool and storage are made. Workers start
// on first use, so nothing here starts DuckDB before the user needs it.
const workspace = new Workspace({ engine: browserEngine(), shap: new ShapPool(), openStorage: openLanternDexie });

const target = document.getElementById('app')!;
// A new version the user already reloaded for is switched to before anything starts (see takeWaitingVersion).
if (await workspace.offline.takeWaitingVersion()) target.textContent = 'Updating Lantern…';
else {
  mount(App, { target, context: workspaceContext(workspace) });
  void workspace.offline.start(() => workspace.datasets.length === 0 && workspace.jobs.length === 0);
}
