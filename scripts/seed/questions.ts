/**
 * How a simulated customer recognises what the bot asked: patterns made from the bot's own message catalogue
 * (a `{placeholder}` matches anything), so the customers follow the bot in every language it speaks.
 */
import { catalogue } from '../../i18n/index.js';

/** A bot question (or notice) the customers react to. */
export type Kind =
  | 'faqHelp' | 'anythingElse' | 'csat' | 'nps' | 'comment' | 'verify' | 'askNumber' | 'offerHuman' | 'fallback' | 'category' | 'description'
  | 'complaintOrder' | 'which' | 'queued' | 'closed' | 'askMessage' | 'accepted' | 'handBack';

const KEYS: Array<[Kind, string[]]> = [
  ['queued', ['handoff.queuePosition']],
  ['accepted', ['handoff.accepted']],
  ['handBack', ['handoff.handBack']],
  ['csat', ['survey.csat', 'survey.csatRetry']],
  ['nps', ['survey.nps', 'survey.npsRetry']],
  ['comment', ['survey.comment']],
  ['faqHelp', ['faq.didThatHelp']],
  ['anythingElse', ['wrapup.anythingElse', 'handoff.noMessage']],
  ['verify', ['order.askVerification', 'order.verificationRetry']],
  ['askNumber', ['order.askNumber', 'order.badFormat', 'order.notFound']],
  ['offerHuman', ['fallback.offerHuman']],
  ['fallback', ['fallback.reply']],
  ['category', ['complaint.askCategory']],
  ['description', ['complaint.askDescription']],
  ['complaintOrder', ['complaint.askOrder', 'complaint.askOrderRetry']],
  ['which', ['router.which']],
  ['closed', ['handoff.closed']],
  ['askMessage', ['handoff.askMessage']],
];

const patterns = new Map<string, Array<[Kind, RegExp]>>();
/** The bot's questions in `lang` as patterns made from its catalogue ({placeholders} match anything). */
export function questionPatterns(lang: string): Array<[Kind, RegExp]> {
  let list = patterns.get(lang);
  if (!list) {
    const own = catalogue(lang) ?? {};
    const base = catalogue('en') ?? {};
    list = KEYS.flatMap(([kind, keys]) =>
      keys.map((key): [Kind, RegExp] => {
        const template = own[key] ?? base[key] ?? key;
        const source = template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?');
        return [kind, new RegExp(source)];
      }),
    );
    patterns.set(lang, list);
  }
  return list;
}

