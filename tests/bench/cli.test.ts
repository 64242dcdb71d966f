import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BenchArgsError, emitResults, JSON_TO_STDOUT, parseBenchArgs, parseLogBenchArgs } from '../../bench/cli.js';

describe('npm run bench options', () => {
  it('has the documented defaults', () => {
    expect(parseBenchArgs([])).toEqual({ duration: 10, concurrency: 20, rounds: 2, wrk: false });
  });

  it('sends the figures to standard output for a bare --json, last or before another option', () => {
    expect(parseBenchArgs(['--json']).json).toBe(JSON_TO_STDOUT);
    expect(parseBenchArgs(['--json', '--wrk'])).toMatchObject({ json: JSON_TO_STDOUT, wrk: true });
  });

  it('writes the figures to a named file in either spelling', () => {
    expect(parseBenchArgs(['--json', 'out.json']).json).toBe('out.json');
    expect(parseBenchArgs(['--json=out.json', '--turns', '100000'])).toMatchObject({ json: 'out.json', turns: 100_000 });
  });

  it.each([
    [['--duration', 'abc'], '--duration must be a number of seconds'],
    [['--concurrency', '0'], '--concurrency must be above 0'],
    [['--rounds', '1.5'], '--rounds must be a whole number'],
    [['--turns=-5'], '--turns must be above 0'],
    [['--json='], '--json needs a file name'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with a message naming the option', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe('npm run bench:log options', () => {
  it('has the documented defaults and takes --json like the turn benchmark', () => {
    expect(parseLogBenchArgs([])).toEqual({ turns: 2000, max: 1_000_000 });
    expect(parseLogBenchArgs(['--max', '100000', '--json'])).toEqual({ turns: 2000, max: 100_000, json: JSON_TO_STDOUT });
  });

  it('refuses what it cannot use', () => {
    expect(() => parseLogBenchArgs(['--max', 'lots'])).toThrow('--max must be a number');
    expect(() => parseLogBenchArgs(['--duration', '5'])).toThrow("Unknown option '--duration'");
  });
});

describe('benchmark results', () => {
  const written = { stdout: '', stderr: '' };
  const capture = () => {
    written.stdout = '';
    written.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((written.stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((written.stderr += String(chunk)), true));
  };
  afterEach(() => vi.restoreAllMocks());

  it('print the table alone without --json', async () => {
    capture();
    await emitResults(undefined, ['ratio 0.40×'], { ratio: 0.4 });
    expect(written).toEqual({ stdout: 'ratio 0.40×\n', stderr: '' });
  });

  it('leave standard output to the JSON for a bare --json', async () => {
    capture();
    await emitResults(JSON_TO_STDOUT, ['ratio 0.40×'], { ratio: 0.4 });
    expect(JSON.parse(written.stdout)).toEqual({ ratio: 0.4 });
    expect(written.stderr).toBe('ratio 0.40×\n');
  });

  it('write the JSON to the named file and the table to standard output', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-cli-'));
    try {
      capture();
      await emitResults(path.join(dir, 'out.json'), ['ratio 0.40×'], { ratio: 0.4 });
      expect(written.stdout).toBe('ratio 0.40×\n');
      expect(JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8'))).toEqual({ ratio: 0.4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
