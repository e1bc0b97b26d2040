import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applicableRoles, decodeSetup, encodeSetup, setupParam, type Setup } from '../../src/lib/setupLink';

const setup: Setup = {
  v: 1,
  view: 'data',
  selected: 'production.csv',
  datasets: [
    { name: 'training.csv', roles: { prediction_id: 'id', is_fraud: 'label', amount: 'feature' } },
    { name: 'production ü "x".csv', roles: { '"; DROP TABLE x; --': 'segment', score: 'score' } },
  ],
  analyses: { drift: { method: 'psi', threshold: 0.2 } },
};
const sections = { drift: z.object({ method: z.enum(['psi', 'ks']), threshold: z.number().min(0) }) };
const encodeRaw = (value: unknown) => 'setup=' + Buffer.from(JSON.stringify(value)).toString('base64url');

describe('setup links', () => {
  it('round-trips a setup through the URL fragment, names and column names unchanged', () => {
    const hash = '#' + encodeSetup(setup);
    expect(hash).toMatch(/^#setup=[A-Za-z0-9_-]+$/);
    const decoded = decodeSetup(setupParam(hash)!, sections);
    expect(decoded).toEqual({ ok: true, setup, ignored: [] });
  });

  it('finds no setup in a plain fragment', () => {
    expect(setupParam('')).toBeNull();
    expect(setupParam('#other=1')).toBeNull();
  });

  it('drops settings of analyses this build does not have, and says which', () => {
    const decoded = decodeSetup(encodeRaw({ ...setup, analyses: { ...setup.analyses, shap: { rows: 100 } } }).slice(6), sections);
    expect(decoded.ok && decoded.ignored).toEqual(['shap']);
    expect(decoded.ok && decoded.setup.analyses).toEqual(setup.analyses);
  });

  it.each([
    ['not base64 JSON', 'setup=%%%', /not a Lantern setup/],
    ['cut short', encodeSetup(setup).slice(0, 40), /not a Lantern setup/],
    ['another version', encodeRaw({ ...setup, v: 2 }), /different version/],
    ['an unknown role', encodeRaw({ ...setup, datasets: [{ name: 'a.csv', roles: { x: 'owner' } }] }), /datasets\.0\.roles\.x/],
    ['a view id with markup', encodeRaw({ ...setup, view: '<img src=x>' }), /view is invalid/],
    ['bad settings of a known analysis', encodeRaw({ ...setup, analyses: { drift: { method: 'eval', threshold: -1 } } }), /drift settings/],
    ['an array instead of an object', encodeRaw([1, 2]), /invalid/],
    ['too long', 'setup=' + 'A'.repeat(70_000), /too long/],
  ])('refuses %s with a reason', (_, hash, reason) => {
    const decoded = decodeSetup(setupParam(hash) ?? '', sections);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });

  it('applies roles only to columns the dropped file has', () => {
    expect(applicableRoles(setup.datasets[0]!, ['prediction_id', 'amount', 'other'])).toEqual({
      roles: { prediction_id: 'id', amount: 'feature' },
      missing: ['is_fraud'],
    });
  });
});
