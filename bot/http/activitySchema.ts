/** The Bot Framework activity as `/api/messages` accepts it: enough checked to route it safely, the rest passed through. */
import type { Activity } from 'botbuilder';
import { z } from 'zod';

// Every field the bot reads or copies into a reply is typed: "isGroup": "yes" passed, then the reply failed to
// serialise and the customer heard nothing, with 200 to the channel.
// Optional fields may be null: channels send `"name": null` where they have none.
const account = z.looseObject({
  id: z.string().min(1, 'must not be empty').max(512),
  name: z.string().max(512).nullish(),
  role: z.string().max(64).nullish(),
  aadObjectId: z.string().max(256).nullish(),
});

/** Deepest nesting of objects and arrays an activity may have: channels use a few levels; 15,000 overflowed the stack. */
export const MAX_ACTIVITY_DEPTH = 64;

/** Whether `value` nests objects and arrays no deeper than `max` levels (walked without recursion). */
export function nestsWithin(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return false;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return true;
}

/** The refinement both activity schemas carry: a deeply nested `channelData` failed a Direct Line post with a 500. */
export const shallowEnough = [(a: unknown) => nestsWithin(a, MAX_ACTIVITY_DEPTH), { error: `must not nest objects and arrays more than ${MAX_ACTIVITY_DEPTH} levels deep` }] as const;

/** An incoming activity (unknown fields are kept: channels send plenty). */
export const IncomingActivitySchema = z.looseObject({
  type: z.string({ error: 'is required (for example "message")' }).min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string({ error: 'is required' }).min(1).max(64),
  // Where replies that are not returned inline go, and a person's messages later: without it, a request for a person
  // failed inside the turn ("Sorry, something went wrong") with 200 to the channel. Every channel sends it.
  serviceUrl: z
    .unknown()
    .refine((v) => v !== undefined, "is required (the channel's address for replies)")
    .pipe(z.string().max(2048).regex(/^https?:\/\/\S+$/i, 'must be an http(s) address')),
  from: account,
  // The bot's own account, which replies and handoffs are addressed from: without it a complaint was lost to a
  // failed handoff, with 200 to the channel.
  recipient: z.unknown().refine((v) => v !== undefined, 'is required (the bot\'s account on the channel)').pipe(account),
  conversation: z.looseObject({
    id: z.string().min(1).max(512),
    isGroup: z.boolean().nullish(),
    name: z.string().max(512).nullish(),
    conversationType: z.string().max(64).nullish(),
    tenantId: z.string().max(256).nullish(),
  }),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
  text: z.string().optional(),
  locale: z.string().max(32).optional(),
  timestamp: z.string().optional(),
  deliveryMode: z.enum(['normal', 'notification', 'expectReplies', 'ephemeral']).optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256) })).max(50).optional(),
  value: z.unknown().optional(),
  name: z.string().max(256).optional(),
}).refine(...shallowEnough);
export type IncomingActivity = z.infer<typeof IncomingActivitySchema>;

/**
 * The validated activity as botbuilder expects it: its ISO timestamps as Dates, the strings kept as `raw…` (what
 * CloudAdapter does to a request body before a turn).
 */
export function toActivity(incoming: IncomingActivity): Activity {
  const activity = { ...incoming } as Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}
