import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

/** Runs `npm run -s nlu -- …` as a user would (without npm's own output), never throwing on a non-zero exit. */
async function nlu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'nlu/cli.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run nlu', () => {
  it('prints its usage on --help and succeeds', async () => {
    const r = await nlu('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:/);
  });

  it('fails on an unknown command, naming it, so scripts notice a typo', async () => {
    const r = await nlu('trian');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown command "trian"');
    expect(r.stdout).toBe('');
  });

  it('fails without a command', async () => {
    const r = await nlu();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage:/);
  });
});
