/** What the stores keep of a conversation so the bot can message the customer later, on their own channel. */
import { z } from 'zod';

const AccountSchema = z.looseObject({ id: z.string(), name: z.string().optional() });

/** Enough of a Bot Framework ConversationReference to message the customer proactively on their own channel. */
export const ReferenceSchema = z.looseObject({
  activityId: z.string().optional(),
  user: AccountSchema.optional(),
  bot: AccountSchema,
  conversation: z.looseObject({ id: z.string() }),
  channelId: z.string(),
  serviceUrl: z.string(),
  locale: z.string().optional(),
});
export type StoredReference = z.infer<typeof ReferenceSchema>;
