/**
 * The adapter behind the built-in Direct Line: a CloudAdapter with Bot Framework authentication off (the Direct Line
 * token check is the authentication here), whose outgoing connector calls carry an in-process key so the connector
 * routes can tell them from anyone else's.
 */
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Middleware,
  TurnContext,
} from 'botbuilder';

type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;
type Credentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>;
type WebResource = Parameters<Credentials['signRequest']>[0];

/**
 * Header the connector routes expect: `Authorization: Bearer <internal key>`, and only on a call to `ownUrl` (this
 * server's connector routes): a conversation reference pointed elsewhere would hand the key to whoever listens there.
 */
function internalCredentials(key: string, ownUrl: () => string): CredentialsFactory {
  const credentials: Credentials = {
    signRequest: async (webResource: WebResource) => {
      if (!webResource.url.startsWith(ownUrl())) throw new Error(`The built-in Direct Line calls only this server (${ownUrl()}), not ${new URL(webResource.url).origin}`);
      webResource.headers.set('authorization', `Bearer ${key}`);
      return webResource;
    },
  };
  return {
    isValidAppId: async () => true,
    isAuthenticationDisabled: async () => true,
    createCredentials: async () => credentials,
  } as unknown as CredentialsFactory;
}

/** A CloudAdapter for Direct Line traffic: no JWT check inbound, the internal key on every outbound call. */
export function createDirectLineAdapter(internalKey: string, ownUrl: () => string): CloudAdapter {
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, internalCredentials(internalKey, ownUrl)));
}

/**
 * Shows "typing…" in Web Chat as soon as a customer message arrives; the bot's first reply replaces it.
 * (botbuilder's ShowTypingMiddleware waits half a second first, longer than most of our turns take.) Not while a person
 * has the chat: the bot says nothing then, and every customer message showed five seconds of dots nobody was typing.
 */
export class TypingIndicatorMiddleware implements Middleware {
  constructor(private readonly withPerson: (conversationId: string) => Promise<boolean> = async () => false) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === ActivityTypes.Message && !(await this.withPerson(context.activity.conversation.id))) {
      // Straight to the adapter, as ShowTypingMiddleware does: through the context it would mark the turn as
      // answered, and a prompt does not repeat its question in a turn that has answered (a wrong order number or
      // survey score would get no reply at all).
      const typing = TurnContext.applyConversationReference(
        { type: ActivityTypes.Typing, relatesTo: context.activity.relatesTo },
        TurnContext.getConversationReference(context.activity),
      );
      await context.adapter.sendActivities(context, [typing]);
    }
    await next();
  }
}
