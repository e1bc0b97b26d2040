import { mount } from 'svelte';
import { config as zodConfig } from 'zod';
import App from './components/App.svelte';
import { offline } from './state/offline.svelte';
import './app.css';

// Zod probes `new Function` to speed up parsing; under Lantern's CSP (no 'unsafe-eval') the probe fails
// and is reported as a violation. jitless skips it (zod v4 core/util.js allowsEval).
zodConfig({ jitless: true });

mount(App, { target: document.getElementById('app')! });
void offline.start();
