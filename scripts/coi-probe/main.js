import * as duckdb from '@duckdb/duckdb-wasm';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import coiPthread from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

const params = new URLSearchParams(location.search);
let step = 'start';
async function run() {
  const out = { crossOriginIsolated: self.crossOriginIsolated, sab: typeof SharedArrayBuffer };
  const bundles = {
    mvp: { mainModule: ehWasm, mainWorker: ehWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
    coi: { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthread },
  };
  const bundle = params.get('force') === 'eh' ? bundles.eh : await duckdb.selectBundle(bundles);
  out.bundle = bundle.mainModule.split('/').pop();
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  const t0 = performance.now();
  step = 'await db.instantiate';
  out.step = step;
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  step = 'await db.open';
  out.step = step;
  await db.open({ maximumThreads: Number(params.get('max') ?? 4) });
  out.instantiateMs = Math.round(performance.now() - t0);
  step = 'out.version =';
  out.step = step;
  out.version = await db.getVersion();
  step = 'const c = await db.connect';
  out.step = step;
  const c = await db.connect();
  const q = async (sql) =>
    (await c.query(sql)).toArray().map((r) => JSON.parse(JSON.stringify(r.toJSON(), (k, v) => (typeof v === 'bigint' ? Number(v) : v))));
  step = 'await q("SET autoinstall';
  out.step = step;
  await q('SET autoinstall_known_extensions=false');
  await q('SET autoload_known_extensions=false');
  step = 'out.threadsDefault =';
  out.step = step;
  out.threadsDefault = (await q("SELECT current_setting('threads') AS t"))[0].t;
  out.hardwareConcurrency = navigator.hardwareConcurrency;
  const n = Number(params.get('rows') ?? 4000000);
  step = 'await q(`CREATE TABLE';
  out.step = step;
  await q(
    `CREATE TABLE t AS SELECT (i % 1000)::INTEGER AS g, hash(i) % 100000 / 7.0 AS x, (hash(i*3) % 50)::INTEGER AS k FROM range(${n}) r(i)`,
  );
  const sql = 'SELECT g, avg(x) a, stddev_samp(x) s, count(DISTINCT k) d, count(*) c FROM t GROUP BY g';
  out.timings = {};
  for (const th of (params.get('threads') ?? '1,2').split(',')) {
    try {
      await q(`SET threads=${th}`);
    } catch (e) {
      out.timings[th] = 'SET failed: ' + e.message;
      continue;
    }
    const got = (await q("SELECT current_setting('threads') AS t"))[0].t;
    const ms = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const r = await q(sql);
      ms.push(Math.round(performance.now() - s));
      if (r.length !== 1000) throw new Error('rows ' + r.length);
    }
    ms.sort((a, b) => a - b);
    out.timings[th] = { setting: String(got), medianMs: ms[2], all: ms };
  }
  // send + cancelSent
  try {
    await c.send('SELECT a.g, count(*) FROM t a JOIN t b USING (g) GROUP BY a.g');
    out.cancel = await c.cancelSent();
  } catch (e) {
    out.cancelError = String(e.message ?? e);
  }
  return out;
}
run()
  .then((o) => {
    o = JSON.parse(JSON.stringify(o, (k, v) => (typeof v === 'bigint' ? Number(v) : v)));
    window.result = o;
    document.getElementById('out').textContent = JSON.stringify(o);
  })
  .catch((e) => {
    window.result = { step, error: String((e && e.stack) || e) };
    document.getElementById('out').textContent = 'ERR ' + e;
  });
