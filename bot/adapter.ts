/** The Bot Framework adapter: CloudAdapter with JWT auth when an app id is configured, and the turn error handler. */
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ConversationState,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { t } from '../i18n/index.js';
import type { Config } from './config.js';
import { CachingBotFrameworkAuthentication } from './connectorCache.js';
import type { Logger } from './logger.js';
import { markTurn, turnInfo } from './turnInfo.js';

/**
 * CloudAdapter taking an activity the route has already validated. `CloudAdapter.process` would check the raw
 * request again with zod schemas it builds per call (about 2% of a turn's CPU) and answer failures in its own
 * format; the route answers in ours (`{ error: { code, message } }`).
 */
export class SupportAdapter extends CloudAdapter {
  /** Authenticates `authHeader` and runs the turn; resolves to the invoke response (expectReplies, invokes), if any. */
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** Creates the adapter. Without `MicrosoftAppId` it accepts unauthenticated requests (local use). */
export function createAdapter(config: Config): SupportAdapter {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const auth = new ConfigurationBotFrameworkAuthentication(
    { MicrosoftAppId: config.MicrosoftAppId, MicrosoftAppTenantId: config.MicrosoftAppTenantId },
    credentials,
  );
  return new SupportAdapter(new CachingBotFrameworkAuthentication(auth));
}

/** Logs the failure, apologises to the customer, and resets the conversation's state so it cannot loop on the error. */
export function turnErrorHandler(logger: Logger, conversationState: ConversationState) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    logger.error({ err: error, conversationId: context.activity.conversation?.id, channel: context.activity.channelId }, 'Unhandled error in turn');
    try {
      markTurn(context, 'error', 'error');
      await context.sendActivity(t(turnInfo(context).locale, 'error.apology'));
      await conversationState.delete(context);
    } catch (inner) {
      logger.error({ err: inner }, 'Could not apologise after a turn error');
    }
  };
}
