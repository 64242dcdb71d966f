/** Agents' markdown for channels that show text as typed: SMS showed "**bold**" with its asterisks. */

/** Channels whose clients show message text literally (Web Chat, Teams, Slack, Telegram and email render markdown). */
const PLAIN_TEXT_CHANNELS = new Set(['sms', 'console']);

/**
 * Emphasis and code spans, only where the marks hug words ("**late**", "_today_", "`T-000123`").
 * remove-markdown was tried and dropped: it deletes text between "<" and ">" ("orders < $50 ship in > 3 days") and
 * the stars of "2*3*4", and an agent's words must reach the customer whole. Strike-through stays: without its
 * marks, "~~closed~~ open" would say the opposite.
 */
const INLINE_MARKS = [
  /(?<![\w*])\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*(?![\w*])/g,
  /(?<![\w_])__(?=\S)([^_\n]+?)(?<=\S)__(?![\w_])/g,
  /(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])/g,
  /(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])/g,
  /`([^`\n]+)`/g,
];
/** `[label](address)`: the customer cannot click the label, so the address follows it. */
const LINK = /(?<!!)\[([^\]\n]+)\]\(([^)\s]+)\)/g;

/**
 * Channels whose markdown joins lines the way paragraphs are joined: Web Chat showed an agent's three lines, typed with
 * Shift+Enter, as one run-on paragraph. A line break there is sent as markdown's hard break (two spaces before it).
 */
const JOINED_LINE_CHANNELS = new Set(['directline', 'webchat', 'msteams']);
/** A single line break, not one of a blank line's pair. */
const SINGLE_BREAK = /(?<!\n)[ \t]*\r?\n(?!\r?\n)/g;

/** The text as the channel should receive it: unchanged where markdown is rendered, else without its markup. */
export function textForChannel(channelId: string | undefined, text: string): string {
  if (channelId && JOINED_LINE_CHANNELS.has(channelId)) return text.replace(SINGLE_BREAK, '  \n');
  if (!channelId || !PLAIN_TEXT_CHANNELS.has(channelId)) return text;
  let plain = text.replace(LINK, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`));
  for (const mark of INLINE_MARKS) plain = plain.replace(mark, '$1');
  return plain.replace(/^#{1,6}\s+/gm, '');
}
