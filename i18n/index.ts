/** Message catalogues: every text the bot says, one JSON file per language, with `{name}` placeholders. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDocument } from '../storage/jsonDb.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const CatalogueSchema = z.record(z.string(), z.string());
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** The full locale tag used on activities for each language (botbuilder's prompts pick their culture from it). */
export const LOCALE_TAGS: Record<string, string> = { en: 'en-US', es: 'es-ES', zh: 'zh-CN', fa: 'fa-IR' };

/** The language every other catalogue is checked against and falls back to. */
export const BASE_LANGUAGE = 'en';

/** Loaded catalogues; null remembers a language without one, so turns in it never touch the disk again. */
const catalogues = new Map<string, Catalogue | null>();

/** Loads (once) the catalogue of `lang`, or undefined when the language has none. */
export function catalogue(lang: string, dir = DIR): Catalogue | undefined {
  const key = `${dir}:${lang}`;
  let loaded = catalogues.get(key);
  if (loaded === undefined) {
    const file = path.join(dir, `${lang}.json`);
    loaded = existsSync(file) ? parseDocument(file, readFileSync(file, 'utf8'), CatalogueSchema, { kind: 'source' }) : null;
    catalogues.set(key, loaded);
  }
  return loaded ?? undefined;
}

/** The keys English has and `lang`'s catalogue lacks: its customers get those messages in English. */
export function missingMessages(lang: string, dir = DIR): string[] {
  const own = catalogue(lang, dir) ?? {};
  return Object.keys(catalogue(BASE_LANGUAGE, dir) ?? {}).filter((key) => own[key] === undefined);
}

/**
 * The messages of `lang` whose `{name}` placeholders are not the English message's: a typo ("{balanc}") would reach
 * customers as written, and a dropped one loses what the message says.
 */
export function mismatchedPlaceholders(lang: string, dir = DIR): string[] {
  const names = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join(' ');
  const base = catalogue(BASE_LANGUAGE, dir) ?? {};
  const own = catalogue(lang, dir) ?? {};
  return Object.keys(own).filter((key) => base[key] !== undefined && names(own[key] as string) !== names(base[key] as string));
}

/** Values substituted into `{name}` placeholders. */
export type Vars = Record<string, string | number>;

/** `template` with its `{name}` placeholders filled from `vars`; a name `vars` lacks stays as written. */
export function fill(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Languages whose texts write numbers in their own digits, "0" to "9" in order. */
const NATIVE_DIGITS: Record<string, string> = { fa: '۰۱۲۳۴۵۶۷۸۹' };
/** Longest value whose digits are the bot's to write (a date with its weekday and time is about 30 characters). */
const SHORT_VALUE = 40;

/**
 * A value as `lang` writes it: a number, date, time or count in the language's own digits. Persian texts wrote their
 * fixed numbers in Persian digits and every filled-in one in Latin ("نفر 2 صف", "ظرف ۵ تا ۷ روز… تا 1 دسامبر").
 * Values with Latin letters, "@" or "/" (ticket ids, e-mail addresses, links) stay as they are, to be typed back, and
 * so do long ones: someone's own words (an agent's answer), not a number the bot wrote.
 */
function localDigits(lang: string, value: string | number): string | number {
  const digits = NATIVE_DIGITS[lang];
  const text = String(value);
  if (!digits || !/[0-9]/.test(text) || /[A-Za-z@/]/.test(text) || text.length > SHORT_VALUE) return value;
  return text.replace(/[0-9]/g, (d) => digits[Number(d)]!);
}

/** The text for `key` in `lang` (falling back to English), with placeholders filled. */
export function t(lang: string, key: string, vars: Vars = {}): string {
  const template = catalogue(lang)?.[key] ?? catalogue(BASE_LANGUAGE)?.[key];
  if (template === undefined) throw new Error(`Missing message "${key}"`);
  if (!NATIVE_DIGITS[lang]) return fill(template, vars);
  return fill(template, Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, localDigits(lang, value)])));
}

/** Whether `key` exists in the base catalogue. */
export function hasMessage(key: string): boolean {
  return catalogue(BASE_LANGUAGE)?.[key] !== undefined;
}

/** A translator bound to one language. */
export type Translate = (key: string, vars?: Vars) => string;

/** Binds `t` to a language. */
export function translator(lang: string): Translate {
  return (key, vars) => t(lang, key, vars);
}

/**
 * Sentences joined as their language writes them: a space between them, none after Chinese full-width punctuation
 * ("…情况。 已为您创建工单" read as a typo to Chinese customers).
 */
export function joinSentences(...sentences: string[]): string {
  return sentences.filter(Boolean).reduce((text, next) => (text ? `${text}${/[。！？）」]$/.test(text) ? '' : ' '}${next}` : next), '');
}
