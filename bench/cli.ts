/**
 * The benchmarks' command line: options checked before anything starts (a mistyped option gets one clear line, not a
 * stack trace), and results printed as a table and, with `--json`, as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Where `--json` sends the figures: a file, or standard output when no file is named. */
export const JSON_TO_STDOUT = '-';

const positiveInt = (name: string) =>
  z.coerce.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be above 0`);

const BenchArgsSchema = z.object({
  duration: z.coerce.number({ message: '--duration must be a number of seconds' }).positive('--duration must be above 0 seconds'),
  concurrency: positiveInt('--concurrency'),
  rounds: positiveInt('--rounds'),
  turns: positiveInt('--turns').optional(),
  json: z.string().min(1, '--json needs a file name, or nothing for standard output').optional(),
  wrk: z.boolean(),
});

/** The benchmark's options, validated. */
export type BenchArgs = z.infer<typeof BenchArgsSchema>;

const LogBenchArgsSchema = z.object({
  turns: positiveInt('--turns'),
  max: positiveInt('--max'),
  json: BenchArgsSchema.shape.json,
});

/** `npm run bench:log` options, validated. */
export type LogBenchArgs = z.infer<typeof LogBenchArgsSchema>;

/** A command line the benchmark cannot run with; the message says which option and why. */
export class BenchArgsError extends Error {}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/**
 * Parses `argv` with `options` and checks the values with `schema`. `--json` may stand alone (the figures go to
 * standard output) or name a file (`--json results.json`, `--json=results.json`).
 */
function parseChecked<T>(argv: string[], options: Options, schema: z.ZodType<T>): T {
  // node:util's parseArgs has no optional option values: a bare --json becomes --json=- before it looks.
  const args = argv.map((arg, i) => (arg === '--json' && (argv[i + 1] === undefined || argv[i + 1]?.startsWith('--')) ? `--json=${JSON_TO_STDOUT}` : arg));
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args, options }));
  } catch (error) {
    throw new BenchArgsError((error as Error).message);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new BenchArgsError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** Reads `npm run bench`'s command line. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  return parseChecked(
    argv,
    {
      duration: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '2' },
      turns: { type: 'string' },
      json: { type: 'string' },
      wrk: { type: 'boolean', default: false },
    },
    BenchArgsSchema,
  );
}

/** Reads `npm run bench:log`'s command line. */
export function parseLogBenchArgs(argv: string[]): LogBenchArgs {
  return parseChecked(argv, { json: { type: 'string' }, turns: { type: 'string', default: '2000' }, max: { type: 'string', default: '1000000' } }, LogBenchArgsSchema);
}

/** Runs a benchmark's options through `parse`; a bad command line ends the process with its message (exit 2). */
export function argsOrExit<T>(name: string, parse: (argv: string[]) => T): T {
  try {
    return parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchArgsError)) throw error;
    process.stderr.write(`npm run ${name}: ${error.message}\n`);
    process.exit(2);
  }
}

/**
 * Prints a benchmark's table, and its figures as JSON where `--json` asked: on standard output (the table then goes
 * to standard error, so the output parses) or to the named file.
 */
export async function emitResults(json: string | undefined, table: string[], results: object): Promise<void> {
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const toStdout = json === JSON_TO_STDOUT;
  (toStdout ? process.stderr : process.stdout).write(`${table.join('\n')}\n`);
  if (toStdout) process.stdout.write(text);
  else if (json) await writeFile(json, text);
}
