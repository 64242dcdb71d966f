/** The Bot Framework activity as `/api/messages` accepts it: enough checked to route it safely, the rest passed through. */
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
