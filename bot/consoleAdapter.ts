/** A Bot Framework adapter for the terminal: the same middleware and dialogs, with stdin/stdout as the channel. */
import { randomUUID } from 'node:crypto';
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';

/** Channel id of the terminal; it has no buttons, so choices are rendered as numbered text. */
export const CONSOLE_CHANNEL = 'console';

/** Runs turns from text lines and writes the bot's replies through `write`. */
export class ConsoleAdapter extends BotAdapter {
  private readonly reference: ConversationReference;

  constructor(
    private readonly write: (line: string) => void,
    options: { conversationId?: string; userId?: string; locale?: string } = {},
  ) {
    super();
    this.reference = {
      channelId: CONSOLE_CHANNEL,
      serviceUrl: 'console://local',
      conversation: { id: options.conversationId ?? `console-${randomUUID()}`, isGroup: false, conversationType: 'personal', name: 'console' },
      user: { id: options.userId ?? 'console-user', name: 'You' },
      bot: { id: 'bot', name: 'Bot' },
      locale: options.locale ?? 'en',
    };
  }

  private activity(partial: Partial<Activity>): Partial<Activity> {
    return {
      id: randomUUID(),
      timestamp: new Date(),
      channelId: this.reference.channelId,
      serviceUrl: this.reference.serviceUrl,
      conversation: this.reference.conversation,
      from: this.reference.user,
      recipient: this.reference.bot,
      locale: this.reference.locale,
      ...partial,
    };
  }

  /** Runs one turn for a line the customer typed. */
  async receive(text: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, this.activity({ type: ActivityTypes.Message, text })), logic);
  }

  /** Starts the conversation the way channels do, so the bot greets first. */
  async start(logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = this.activity({ type: ActivityTypes.ConversationUpdate, membersAdded: [this.reference.user!] });
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) {
      if (a.type === ActivityTypes.Message) {
        if (a.text) this.write(a.text);
        const actions = a.suggestedActions?.actions ?? [];
        if (actions.length) this.write(actions.map((x, i) => `  ${i + 1}. ${x.title}`).join('\n'));
      } else if (a.type === 'delay') {
        await new Promise((r) => setTimeout(r, Number(a.value) || 0));
      }
    }
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('The terminal cannot edit a message once written');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The terminal cannot delete a message once written');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
