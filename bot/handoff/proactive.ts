/**
 * Proactive messages (an agent's words, the hand-back) go through this one seam, so the composition root can pick
 * the adapter by channel: the public CloudAdapter for channels, an internal one for the built-in Direct Line.
 */
import { type CloudAdapter, type ConversationReference, TurnContext } from 'botbuilder';
import { ReferenceSchema, type StoredReference } from '../../storage/reference.js';

/** What a handoff or ticket keeps of the turn's conversation, to reach the customer there later. */
export function referenceOf(context: TurnContext): StoredReference {
  return ReferenceSchema.parse(TurnContext.getConversationReference(context.activity));
}

/** Runs `logic` in a proactive turn of the referenced conversation (middleware included). */
export interface ProactiveMessenger {
  send(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/**
 * A messenger over one CloudAdapter; `botAppId` is MicrosoftAppId ('' in open local mode). Given `serviceUrl`, it
 * sends there whatever URL the reference holds (a channel service on this server knows its own address).
 */
export function cloudAdapterMessenger(adapter: CloudAdapter, botAppId: string, serviceUrl?: () => string): ProactiveMessenger {
  return {
    send: (reference, logic) => adapter.continueConversationAsync(botAppId, serviceUrl ? { ...reference, serviceUrl: serviceUrl() } : reference, logic),
  };
}

/** A messenger for the conversations a channel service owns (e.g. the built-in Direct Line). */
export interface MessengerRoute {
  owns(reference: Partial<ConversationReference>): boolean;
  messenger: ProactiveMessenger;
}

/**
 * Sends through the first route that owns the reference, else through `fallback` (the public CloudAdapter). What a
 * proactive turn sends answers no message: botbuilder gives it the id of the turn's made-up continuation event as
 * replyToId, and Web Chat held each of an agent's messages back for five seconds, waiting for that event to arrive.
 */
export function routedMessenger(fallback: ProactiveMessenger, ...routes: MessengerRoute[]): ProactiveMessenger {
  return {
    send: (reference, logic) =>
      (routes.find((r) => r.owns(reference))?.messenger ?? fallback).send(reference, (context) => {
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        return logic(context);
      }),
  };
}
