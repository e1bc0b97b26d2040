import { config } from 'zod';

// Zod v4 probes `new Function` when it builds an object schema (core/schemas.js $ZodObjectJIT, util.js
// allowsEval). Lantern's CSP has no 'unsafe-eval', so the probe fails and is reported as a violation.
// jitless skips the probe. This module is main.ts's first import: schemas are built at module load.
config({ jitless: true });
