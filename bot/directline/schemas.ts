/** zod schemas for every body the Direct Line and connector routes accept. */
import { z } from 'zod';
import { shallowEnough } from '../http/activitySchema.js';

/** Longest text one activity may carry; the chat refuses long messages politely well before this (MAX_MESSAGE_CHARS). */
export const MAX_ACTIVITY_TEXT = 50_000;

/** User ids clients may choose: short, printable, no separators that could confuse logs or URLs. */
export const UserIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:@-]+$/, { error: 'may contain only letters, digits and . _ : @ -' });

const account = z.looseObject({
  id: UserIdSchema.optional(),
  name: z.string().max(256).optional(),
  role: z.string().max(32).optional(),
});

/** Links a client may attach: web or inline data, never script URLs (an agent console will render them later). */
const safeUrl = z
  .string()
  .max(1_000_000)
  .refine((u) => /^(https?:|data:)/i.test(u), { error: 'must be an http(s) or data: URL' });

const attachment = z.looseObject({
  contentType: z.string({ error: 'is required' }).min(1).max(256),
  contentUrl: safeUrl.optional(),
  thumbnailUrl: safeUrl.optional(),
  name: z.string().max(256).optional(),
  content: z.unknown().optional(),
});

/** Activity types a Direct Line client may send (conversation updates are the service's own business). */
const CLIENT_TYPES = ['message', 'event', 'typing', 'invoke', 'messageReaction'] as const;

/** An activity posted by a client to `/v3/directline/conversations/{id}/activities`. */
export const ClientActivitySchema = z.looseObject({
  type: z.enum(CLIENT_TYPES, { error: `is required and must be one of ${CLIENT_TYPES.join(', ')}` }),
  text: z.string().max(MAX_ACTIVITY_TEXT, { error: `must be at most ${MAX_ACTIVITY_TEXT} characters` }).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(32).optional(),
  from: account.optional(),
  attachments: z.array(attachment).max(10).optional(),
  entities: z.array(z.looseObject({ type: z.string().max(128) })).max(20).optional(),
  channelData: z.unknown().optional(),
  value: z.unknown().optional(),
  name: z.string().max(256).optional(),
  replyToId: z.string().max(256).optional(),
}).refine(...shallowEnough);
export type ClientActivity = z.infer<typeof ClientActivitySchema>;

/** Body of `POST /v3/directline/conversations` (all optional; directlinejs sends `{ user: { id }, locale }`). */
export const StartConversationSchema = z.looseObject({
  user: z.looseObject({ id: UserIdSchema.optional(), name: z.string().max(256).optional() }).optional(),
  locale: z.string().max(32).optional(),
});

/** Body of `POST /v3/directline/tokens/generate`. */
export const GenerateTokenSchema = z.looseObject({
  user: z.looseObject({ id: UserIdSchema, name: z.string().max(256).optional() }).optional(),
  trustedOrigins: z.array(z.string().max(512)).max(20).optional(),
});

/** An activity the bot sends through the connector routes (the adapter fills in the rest). */
export const BotActivitySchema = z.looseObject({
  type: z.string({ error: 'is required' }).min(1).max(64),
  text: z.string().max(MAX_ACTIVITY_TEXT).optional(),
  replyToId: z.string().max(256).optional(),
});

/**
 * Body of `POST /api/webchat/token`, all optional: the page's locale, the last token it had (to stay the same user) and
 * whether to carry on with that token's conversation when it is still open (a reload, a second tab).
 */
export const WebChatTokenSchema = z.looseObject({
  locale: z.string().max(32).optional(),
  previousToken: z.string().max(2048).optional(),
  resume: z.boolean().optional(),
});

/** A watermark query parameter: a non-negative whole number. */
export const WatermarkSchema = z
  .string()
  .regex(/^\d{1,12}$/, { error: 'must be a whole number' })
  .transform(Number)
  .optional();

/** Conversation ids as this service mints them (also guards path parameters). */
export const ConversationIdSchema = z.string().regex(/^[\w-]{8,64}$/);
