import { describe, expect, it } from 'vitest';
import { SectionRegistry, type RestoreContext } from '../../src/persistence/sections';

function context(warnings: string[]): RestoreContext {
  return { tableData: async () => null, warn: (m) => warnings.push(m) };
}

describe('SectionRegistry', () => {
  it('saves every section with its version and restores in registration order', async () => {
    const registry = new SectionRegistry();
    const order: string[] = [];
    let threshold = 0.2;
    registry.register({ key: 'workspace', version: 1, save: () => ({ view: 'data' }), restore: () => void order.push('workspace') });
    registry.register<{ threshold: number }>({
      key: 'drift',
      version: 2,
      save: () => ({ threshold }),
      restore: (d) => {
        order.push('drift');
        threshold = d.threshold;
      },
    });
    const saved = registry.saveAll();
    expect(saved).toEqual({ workspace: { version: 1, data: { view: 'data' } }, drift: { version: 2, data: { threshold: 0.2 } } });
    threshold = 0.5;
    await registry.restoreAll(saved, context([]));
    expect(order).toEqual(['workspace', 'drift']);
    registry.register({ key: 'first', version: 1, restoreFirst: true, save: () => 0, restore: () => void order.push('first') });
    await registry.restoreAll(registry.saveAll(), context([]));
    expect(order.slice(2)).toEqual(['first', 'workspace', 'drift']);
    expect(threshold).toBe(0.2);
    expect(() => registry.register({ key: 'drift', version: 1, save: () => 0, restore: () => undefined })).toThrow(/twice/);
  });

  it('migrates older data, keeps defaults for newer or broken data, and carries unknown sections over', async () => {
    const registry = new SectionRegistry();
    const warnings: string[] = [];
    let value = 'default';
    let resets = 0;
    registry.register<{ v: string }>({
      key: 'perf',
      version: 3,
      save: () => ({ v: value }),
      restore: (d) => {
        if (typeof d.v !== 'string') throw new Error('bad shape');
        value = d.v;
      },
      migrate: (d, from) => ({ v: `${(d as { old: string }).old} from v${from}` }),
      reset: () => {
        resets++;
        value = 'default';
      },
    });
    await registry.restoreAll({ perf: { version: 1, data: { old: 'x' } } }, context(warnings));
    expect(value).toBe('x from v1');
    await registry.restoreAll({ perf: { version: 4, data: { v: 'future' } } }, context(warnings));
    expect(value).toBe('default');
    await registry.restoreAll({ perf: { version: 3, data: { v: 7 } } }, context(warnings));
    expect(warnings).toEqual([expect.stringMatching(/newer Lantern/), expect.stringMatching(/could not be restored \(bad shape\)/)]);
    await registry.restoreAll({}, context(warnings));
    expect(resets).toBe(3);
    expect(registry.saveAll({ shap: { version: 1, data: { k: 1 } } })).toEqual({
      shap: { version: 1, data: { k: 1 } },
      perf: { version: 3, data: { v: 'default' } },
    });
  });
});
