import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { COMMAND_HELP } from '../../src/cli/help';
import packageJson from '../../package.json' with { type: 'json' };

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const COMMANDS = [
  'investigate',
  'inspect',
  'drift',
  'metrics',
  'slices',
  'check',
  'compare',
  'report',
  'explain',
  'validate',
  'profile',
  'history',
  'ops',
  'sql',
];

describe('lantern help', () => {
  it('prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `${packageJson.version}\n`, err: '' });
  });

  it('has help for every command the usage lists, and no help for a command that does not exist', async () => {
    expect(Object.keys(COMMAND_HELP).sort()).toEqual([...COMMANDS].sort());
    const { out } = await run(['--help']);
    for (const name of COMMANDS) expect(out).toContain(`  ${name} `);
    const unknown = await run(['help', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown command "nope"');
  });

  it.each(COMMANDS)('%s: --help, -h and help <command> print its usage and examples on stdout, exit 0', async (name) => {
    const viaFlag = await run([name, '--help']);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.err).toBe('');
    expect(viaFlag.out).toContain(`Usage: lantern ${name} `);
    expect(viaFlag.out).toContain('Examples:');
    expect(viaFlag.out).toMatch(/Exit codes: 0 /);
    // Every example is a call of this command, and its flags are ones the usage line names.
    const examples = viaFlag.out.split('Examples:\n')[1]!.split('\n\n')[0]!.split('\n');
    const usage = viaFlag.out.split('Examples:')[0]!;
    for (const example of examples) {
      expect(example.trim().startsWith(`lantern ${name} `)).toBe(true);
      for (const flag of example.split('#')[0]!.match(/--[a-z-]+/g) ?? []) expect(usage).toContain(flag);
    }
    expect(await run([name, '-h'])).toEqual(viaFlag);
    expect(await run(['help', name])).toEqual(viaFlag);
    // Help wins over other flags, even ones that would be a usage error.
    expect(await run([name, '--reference', 'x.csv', '--bogus', '--help'])).toEqual(viaFlag);
  });
});
