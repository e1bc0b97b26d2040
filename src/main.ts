import './zodJitless';
import { mount } from 'svelte';
import App from './components/App.svelte';
import { offline } from './state/offline.svelte';
import { workspace } from './state/workspace.svelte';
import './app.css';

const target = document.getElementById('app')!;
// A new version the user already reloaded for is switched to before anything starts (see takeWaitingVersion).
if (await offline.takeWaitingVersion()) target.textContent = 'Updating Lantern…';
else {
  mount(App, { target });
  void offline.start(() => workspace.datasets.length === 0 && workspace.jobs.length === 0);
}
