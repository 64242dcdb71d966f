/** The Bot Framework activity as `/api/messages` accepts it: enough checked to route it safely, the rest passed through. */
import type { Activity } from 'botbuilder';
import { z } from 'zod';

const account = z.looseObject({ id: z.string().min(1, 'must not be empty').max(512), name: z.string().max(512).optional() });

/** An incoming activity (unknown fields are kept: channels send plenty). */
export const IncomingActivitySchema = z.looseObject({
  type: z.string({ error: 'is required (for example "message")' }).min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string({ error: 'is required' }).min(1).max(64),
  serviceUrl: z.string().max(2048).optional(),
  from: account,
  recipient: account.optional(),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  text: z.string().optional(),
  locale: z.string().max(32).optional(),
  timestamp: z.string().optional(),
  deliveryMode: z.enum(['normal', 'notification', 'expectReplies', 'ephemeral']).optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256) })).max(50).optional(),
  value: z.unknown().optional(),
  name: z.string().max(256).optional(),
});
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
