import './zodJitless';
import { mount } from 'svelte';
import App from './components/App.svelte';
import { offline } from './state/offline.svelte';
import { workspace } from './state/workspace.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });
void offline.start(() => workspace.datasets.length === 0 && workspace.jobs.length === 0);
