/**
 * Every catalogue key the code names literally exists in the English catalogue (catalogue.test.ts checks that the
 * other languages have the same keys). A typo such as `t('giftcard.askNumbr')` was otherwise found by the first
 * customer to reach it, who was told "Sorry, something went wrong".
 *
 * Scanned: the key argument of `t('k')` and `t(lang, 'k')`, `translator(lang)('k')` and `this.tr(context)('k')`,
 * `phrases(t, 'k')` and `isPhrase(t, 'k', text)`, `wordValue(lang, 'k', text)`, `this.word('k')`,
 * `new ScalePrompt(id, scale, 'k')`, and `catalogue(lang)?.['k']` or `messages['k']`. Every quoted string in that
 * argument counts, so both keys of `cond ? 'a' : 'b'` are checked.
 * Out of scope: keys built at run time (template literals such as `ticket.${state}`), and keys that reach the
 * translator through a variable, a table or a return value (`cancelKey`, `WEBCHAT_STRINGS`); the tests that run those
 * paths catch those.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

/** Where a call that takes a key starts (just before its opening bracket), and which argument is the key. */
const KEY_CALLS: Array<{ start: RegExp; key: number | 'language first?' }> = [
  { start: /\bt(?=\()/g, key: 'language first?' },
  { start: /\b(?:translator|this\.tr)\((?:[^()]|\([^()]*\))*\)(?=\()/g, key: 0 },
  { start: /\b(?:phrases|isPhrase|wordValue)(?=\()/g, key: 1 },
  { start: /\bthis\.word(?=\()/g, key: 0 },
  { start: /\bnew ScalePrompt(?=\()/g, key: 2 },
  { start: /(?:\bcatalogue\([^()]*\)\??\.?|\bmessages\??\.?)(?=\[)/g, key: 0 },
];

const SOURCE_DIRS = ['bot', 'dialogs', 'i18n', 'metrics', 'nlu', 'scripts', 'storage'];
const QUOTED = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g;
const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The top-level arguments of the call whose opening bracket is at `open`. */
function argumentsAt(source: string, open: number): string[] {
  const args: string[] = [];
  const stack = [CLOSING[source[open]!]!];
  let from = open + 1;
  for (let i = from; i < source.length && stack.length; i += 1) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // Skip the string (template literals too: their `${…}` holds no key this test can check).
      for (i += 1; i < source.length && source[i] !== c; i += source[i] === '\\' ? 2 : 1);
    } else if (CLOSING[c]) {
      stack.push(CLOSING[c]);
    } else if (c === stack.at(-1)) {
      stack.pop();
      if (!stack.length) args.push(source.slice(from, i));
    } else if (c === ',' && stack.length === 1) {
      args.push(source.slice(from, i));
      from = i + 1;
    }
  }
  return args;
}

/** The quoted strings of an argument, less those compared with something (the condition of `a === 'x' ? 'k1' : 'k2'`). */
const quoted = (text: string): string[] =>
  [...text.matchAll(QUOTED)]
    .filter((m) => !/[!=]==?\s*$/.test(text.slice(0, m.index)) && !/^\s*[!=]==?/.test(text.slice(m.index + m[0].length)))
    .map((m) => m[1] ?? m[2] ?? '');

/** The literal keys a source file passes to the catalogue, with their line numbers. */
function literalKeys(source: string): Array<{ key: string; line: number }> {
  const found: Array<{ key: string; line: number }> = [];
  for (const { start, key } of KEY_CALLS) {
    for (const match of source.matchAll(start)) {
      const open = match.index + match[0].length;
      const args = argumentsAt(source, open);
      // t(key, vars) binds a language already; t(lang, key, vars) names it first, by a variable or a language code.
      const index = key === 'language first?' ? (args.length > 1 && quoted(args[0]!).every((q) => /^[a-z]{2}$/.test(q)) ? 1 : 0) : key;
      const line = source.slice(0, open).split('\n').length;
      for (const literal of quoted(args[index] ?? '')) found.push({ key: literal, line });
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe('catalogue keys named in the code', () => {
  const en = JSON.parse(readFileSync(path.join(ROOT, 'i18n', 'en.json'), 'utf8')) as Record<string, string>;
  const uses = SOURCE_DIRS.flatMap(sourceFiles).flatMap((file) => literalKeys(readFileSync(path.join(ROOT, file), 'utf8')).map((use) => ({ ...use, file })));

  it('are found where the code names them, in every form it uses', () => {
    // The scanner itself, on one line of each form: a form it stopped recognising would pass every key unchecked.
    const sample = [
      "t('a.one'); t(lang, 'a.two', { n: 1 }); t(turnInfo(context).locale, kind === 'not.a.key' ? 'a.three' : 'a.four');",
      "translator(turnInfo(context).locale)('a.five'); this.tr(step.context)('a.six', { x: 'not.a.key' });",
      "phrases(t, 'a.seven'); isPhrase(translator(l), 'a.eight', text); wordValue(lang, 'a.nine', text); this.word('a.ten');",
      "new ScalePrompt(ID, this.scale(1, 5), 'a.eleven'); catalogue(lang)?.['a.twelve']; messages['a.thirteen']; t('en', 'a.fourteen');",
      'format(`a.${dynamic}`); t(`a.${dynamic}`); at(\'not.a.key\');',
    ].join('\n');
    expect(literalKeys(sample).map((u) => u.key).sort()).toEqual(
      ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen'].map((n) => `a.${n}`).sort(),
    );
    // And on the real sources: a scan that found next to nothing would prove nothing.
    expect(new Set(uses.map((u) => u.key)).size).toBeGreaterThan(100);
  });

  it('all exist in i18n/en.json', () => {
    const missing = uses.filter((u) => en[u.key] === undefined).map((u) => `${u.file}:${u.line} ${u.key}`);
    expect(missing).toEqual([]);
  });
});
