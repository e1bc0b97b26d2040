/**
 * Lantern's Content-Security-Policy, in one place (see docs/decisions/0501-privacy-csp.md). The build
 * writes it into index.html as a meta tag; hosts that can send headers should send `header` as well,
 * because a meta policy does not reach workers (their policy comes from their own response) and cannot
 * carry frame-ancestors.
 */
const directives: [string, ...string[]][] = [
  ['default-src', "'self'"],
  // 'wasm-unsafe-eval' lets DuckDB-WASM and parquet-wasm compile WebAssembly; no JS eval is allowed.
  ['script-src', "'self'", "'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['connect-src', "'self'"],
  // Svelte scoped styles ship as a file, but Observable Plot puts a <style> element in each chart.
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  ['font-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];

const join = (list: [string, ...string[]][]) => list.map((d) => d.join(' ')).join('; ');

export const contentSecurityPolicy = {
  meta: join(directives),
  header: join([...directives, ['frame-ancestors', "'self'"]]),
};
