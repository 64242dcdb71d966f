/**
 * Dialog cases: each is a conversation of steps, a customer message (or activity) and what the bot's replies must
 * show. Adding a path to a dialog = adding a case here.
 */
import type { Activity } from 'botbuilder';
import { t } from '../../i18n/index.js';

/** What one turn's replies must satisfy. */
export interface Expect {
  /** Each pattern must match one of the reply texts. */
  says?: Array<RegExp | string>;
  /** No reply text may match these. */
  never?: Array<RegExp | string>;
  /** Button titles offered (in order). */
  buttons?: string[];
  /** Exact number of message replies. */
  replies?: number;
}

export interface Step {
  user: string | Partial<Activity>;
  expect: Expect;
}

export interface DialogCase {
  name: string;
  channelId?: string;
  steps: Step[];
}

const en = (key: string, vars?: Record<string, string | number>) => t('en', key, vars);
/** A catalogue text as a pattern, with its placeholders free. */
const msg = (key: string) => new RegExp(en(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\w+\\\}/g, '.*'));

// Seeded orders (data/orders.json): 10231 processing (maya.patel@example.com, 10001); 10435 shipped with UPS
// (ivan.silva@example.com, 02139); 10622 delivered.
export const CASES: DialogCase[] = [
  {
    name: 'a detail of the damage said with a noun ("a big crack") joins the ticket just filed',
    steps: [
      { user: 'the mug in order 10622 arrived broken, the handle came off', expect: { says: [/ticket T-\d{6}/] } },
      // It opened a new complaint: "What is it about?"
      { user: 'it arrived with a big crack', expect: { says: [msg('complaint.followUp')], never: [msg('complaint.askCategory')] } },
    ],
  },
  {
    name: 'thanks or a greeting said in anger is heard as a complaint, not thanked back or greeted',
    steps: [
      { user: 'how long does shipping take?', expect: { says: [/business days/] } },
      // "You're welcome!"
      { user: 'thanks for nothing', expect: { says: [msg('complaint.askCategory')], never: [msg('thanks.reply')] } },
    ],
  },
  {
    name: '"really annoyed" (a greeting to the classifier: "really" alone reads as one) opens a complaint',
    steps: [{ user: 'really annoyed', expect: { says: [msg('complaint.askCategory')], never: [/How can I help/] } }],
  },
  {
    name: 'an order number and postcode said aloud (voice typing) are read as numbers',
    channelId: 'sms',
    steps: [
      { user: 'where is my order', expect: { says: [msg('order.askNumber')] } },
      { user: 'um its one oh four three five', expect: { says: [/I found order 10435/], never: [msg('order.badFormat')] } },
      { user: 'oh two one three nine', expect: { says: [/on its way with UPS/] } },
    ],
  },
  {
    name: 'an email said aloud verifies the order',
    channelId: 'sms',
    steps: [
      { user: 'where is order 10435', expect: { says: [/I found order 10435/] } },
      // It read as a question about our contact details.
      { user: 'the email is ivan dot silva at example dot com', expect: { says: [/on its way with UPS/], never: [/support@/] } },
    ],
  },
  {
    name: 'on SMS the answers go in plain punctuation, one segment in 160 characters rather than 70',
    channelId: 'sms',
    steps: [{ user: 'how long does shipping take?', expect: { says: [/takes 3-5 business days, express takes 1-2/], never: [/–/] } }],
  },
  {
    name: 'on Web Chat the answers keep their typography',
    steps: [{ user: 'how long does shipping take?', expect: { says: [/takes 3–5 business days, express takes 1–2/] } }],
  },
  {
    name: 'an order number given with another question about it, at "what is your order number?", answers that question',
    steps: [
      { user: 'where is my order', expect: { says: [msg('order.askNumber')] } },
      // It got the order's delivery estimate, not whether it can still be cancelled.
      { user: 'can i cancel order 10231', expect: { says: [/I found order 10231/] } },
      { user: '10001', expect: { says: [msg('order.cancel.possible')], never: [/is being prepared/] } },
    ],
  },
  {
    name: '"stop" at a question stops the flow; "y" and "n" answer a yes-or-no question',
    steps: [
      // "stop" reads as goodbye and as cancelling alike, and was taken for a wrong order number.
      { user: 'where is my order', expect: { says: [msg('order.askNumber')] } },
      { user: 'stop', expect: { says: [msg('interrupt.cancelled')], never: [msg('order.badFormat')] } },
      // "n" at "Did that answer your question?" got "Sorry, I didn't quite get that" and the whole menu.
      { user: 'how do returns work?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'n', expect: { says: [msg('faq.sorry')], never: [msg('fallback.reply')] } },
      { user: 'how much is shipping?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'y', expect: { says: [msg('faq.glad')], never: [msg('fallback.reply')] } },
    ],
  },
  {
    name: 'thanks and a question at "Did that answer your question?": the question is answered',
    steps: [
      { user: 'how much is shipping?', expect: { says: [msg('faq.didThatHelp')] } },
      // Read as thanks (1.00) as a whole: "Great, glad that helped!" and the question dropped.
      { user: 'ok thanks, and how do I return something?', expect: { says: [/within 30 days/], never: [msg('faq.glad')] } },
    ],
  },
  {
    name: 'a number inside a sentence is no choice: "its been 2 weeks" does not answer "(2) No"',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: '02139', expect: { says: [/on its way with UPS/, msg('wrapup.anythingElse')] } },
      // It ended the chat: "Thanks for chatting… Take care!" and the survey, to an upset customer.
      { user: 'its been 2 weeks!!', expect: { never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    name: 'a number inside a sentence is no category: "2 of my 4 mugs were broken" is no wrong item',
    steps: [
      { user: 'i want to complain', expect: { says: [msg('complaint.askCategory')] } },
      { user: '2 of my 4 mugs were broken', expect: { never: [msg('complaint.empathy.wrong_item')] } },
      { user: '10452', expect: { says: [msg('complaint.empathy.damaged')], never: [msg('complaint.empathy.wrong_item')] } },
    ],
  },
  {
    name: 'a reply that is only a number still picks the choice of that place',
    steps: [
      { user: 'i want to complain', expect: { says: [msg('complaint.askCategory')] } },
      { user: '2', expect: { never: [msg('complaint.askCategoryRetry')] } },
    ],
  },
  {
    name: 'a yes with another question at "did that answer your question?" answers the question',
    steps: [
      { user: 'how do returns work', expect: { says: [msg('faq.didThatHelp')] } },
      // "Great, glad that helped!", and the question was never answered.
      { user: 'ok but can i pay with paypal?', expect: { says: [/Mastercard, American Express, Discover, PayPal/], never: [msg('faq.glad')] } },
    ],
  },
  {
    name: 'a yes with another question on the same subject gets that answer',
    steps: [
      { user: 'how long does the refund take', expect: { says: [/Refunds go back/] } },
      { user: 'ok and do i have to pay for the return shipping?', expect: { says: [/Returns are free/], never: [msg('faq.glad')] } },
    ],
  },
  {
    name: 'a yes that asks nothing new is a yes',
    steps: [
      { user: 'how long does the refund take', expect: { says: [/Refunds go back/] } },
      { user: 'ok thanks, that answers it', expect: { says: [msg('faq.glad')], never: [/Refunds go back/] } },
    ],
  },
  {
    name: 'yes to a lone offer of a person takes it',
    steps: [
      { user: 'status of order 10435', expect: { says: [/I found order 10435/] } },
      { user: 'someone@else.com', expect: { says: [msg('order.verificationRetry')] } },
      { user: '99999', expect: { says: [msg('order.verificationFailed')], buttons: ['Talk to a person'] } },
      // "Hi! What can I help you with?" and the menu.
      { user: 'yes please', expect: { says: [/get a person from our team/], never: [msg('greeting.again'), msg('greeting.reply')] } },
    ],
  },
  {
    name: 'yes to a menu of several picks none of them',
    steps: [
      { user: 'hello there', expect: { says: [msg('greeting.reply')] } },
      { user: 'yes', expect: { never: [/get a person from our team/, msg('order.askNumber')] } },
    ],
  },
  {
    name: 'a complaint right after an order was verified offers that order; "no thats all thanks" is no story',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: '02139', expect: { says: [/on its way with UPS/] } },
      { user: 'that is not acceptable, i want to complain', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'late delivery', expect: { says: [/what happened with the late delivery/] } },
      // "Which order is this about?", as if the order had never come up.
      { user: 'no thats all thanks', expect: { says: [/Is this about order 10435\?/], never: [msg('complaint.askOrder')] } },
      { user: 'yes', expect: { says: [/ticket T-\d{6}/] } },
    ],
  },
  {
    name: 'a status question without a number after an order was verified is about that order; "my other order" is not',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: '02139', expect: { says: [/on its way with UPS/] } },
      // "What's your order number?" again.
      { user: 'and when will it arrive exactly?', expect: { says: [/order 10435 is on its way with UPS/], never: [msg('order.askNumber')] } },
      { user: 'and where is my other order?', expect: { says: [msg('order.askNumber')] } },
    ],
  },
  {
    name: 'a refund question after a cancelled order was verified is answered from that order',
    steps: [
      { user: 'where is my order 10894', expect: { says: [/I found order 10894/] } },
      { user: 'wei.smith@example.com', expect: { says: [/Order 10894 was cancelled on/] } },
      // The returns policy ("once your return arrives at our warehouse"), which a cancellation has nothing to do with.
      { user: 'has the refund been processed?', expect: { says: [/Order 10894 was cancelled on .* A refund of/], never: [/warehouse/] } },
    ],
  },
  {
    name: '"how do i return it" after a delivered order was verified gives that order\'s return window',
    steps: [
      { user: 'where is 10622', expect: { says: [/I found order 10622/] } },
      { user: '30301', expect: { says: [msg('order.askMissing')] } },
      { user: 'how do i return it?', expect: { says: [/Order 10622 was delivered on .* you can return it until/] } },
    ],
  },
  {
    name: 'a short message ending in a cancel phrase cancels: "actually forget it", "wait i dont have that, nevermind"',
    steps: [
      { user: 'i want to complain', expect: { says: [msg('complaint.askCategory')] } },
      // "Please choose one of the options…" again.
      { user: 'actually forget it', expect: { says: [msg('interrupt.cancelled')], never: [msg('complaint.askCategoryRetry')] } },
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: 'wait i dont have that, nevermind', expect: { says: [msg('interrupt.cancelled')], never: [msg('order.verificationNeeded')] } },
    ],
  },
  {
    name: 'the same question asked again gets a person offered, not the same exchange',
    steps: [
      { user: 'i see two charges of $94 on my card', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'no', expect: { says: [msg('faq.sorry')] } },
      // The same answer and "did that answer your question?" again, with no way forward.
      { user: 'i see two charges of $94 on my card', expect: { says: [msg('faq.again')], never: [msg('faq.didThatHelp')], buttons: ['Talk to a person'] } },
      { user: 'ok', expect: { says: [/get a person from our team/] } },
    ],
  },
  {
    name: 'a number the order system does not know does not replace the order a complaint named',
    steps: [
      { user: 'i want to complain about order 10843', expect: { says: [msg('complaint.askCategory')] } },
      // "Thanks, I'll put order 75011 on the complaint."
      { user: '75011', expect: { says: [msg('complaint.askCategoryRetry')], never: [/order 75011/] } },
    ],
  },
  {
    name: 'another order at the verification question is a new request, not a wrong answer',
    steps: [
      { user: 'where is my order 10435', expect: { says: [/I found order 10435/] } },
      // "That doesn't match…", and a second order number locked 10435 before 10401 was looked up.
      { user: 'where is my order 10231', expect: { says: [/I found order 10231/], never: [msg('order.verificationRetry')] } },
      { user: '10001', expect: { says: [/Order 10231 is being prepared/] } },
    ],
  },
  {
    name: 'a postcode inside a sentence answers the verification question',
    steps: [
      { user: 'where is my order 10435', expect: { says: [/I found order 10435/] } },
      // "That doesn't match what we have on file": only the bare postcode matched.
      { user: 'my zip is 02139', expect: { says: [/order 10435 is on its way with UPS/], never: [msg('order.verificationRetry')] } },
    ],
  },
  {
    name: 'a story that reads as small talk is still the complaint\'s description',
    steps: [
      { user: 'i want to complain', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'late delivery', expect: { says: [/what happened with the late delivery/] } },
      { user: "it's 2 weeks late", expect: { says: [msg('complaint.askOrder')] } },
    ],
  },
  {
    name: '"1 more thing" at "anything else?" is a yes, not a goodbye',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: '02139', expect: { says: [msg('wrapup.anythingElse')] } },
      // Read as goodbye (0.90) once the digit was no choice: "Take care!" and the survey.
      { user: '1 more thing', expect: { says: [msg('wrapup.askWhat')], never: [msg('goodbye.reply')] } },
    ],
  },
  {
    name: 'a no with a question of its own at "anything else?" is no goodbye',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: '02139', expect: { says: [msg('wrapup.anythingElse')] } },
      // "Thanks for chatting… Take care!" and the survey, with the question unheard.
      { user: 'no, but what time today will it come?', expect: { never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    name: 'a no that names an order at "anything else?" is a new request, not a goodbye',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      // "Thanks for chatting… Take care!" and the survey: the no ended the chat and the order went unheard.
      { user: 'no my order 10435 hasnt arrived', expect: { never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    // Read as None and as thanks, these were taken for sign-offs: "Take care!" and the survey, the problem unheard.
    name: 'an order named at "anything else?" in words the classifier reads as nothing is a question about it',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: 'still no sign of 10231', expect: { says: [/I found order 10231/], never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    name: 'a thank-you that says an order is still missing, at "anything else?", is a question about it',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: 'no, 10231 is still missing, thanks', expect: { says: [/I found order 10231/], never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    // Third regression round: neutral goodbyes, zip codes and amounts were taken for questions about an order.
    name: 'a goodbye naming an order, or a number that is no order of ours, at "anything else?" ends the chat',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: "no, that's all for order 10231", expect: { says: [msg('goodbye.reply')], never: [/I found order/] } },
    ],
  },
  {
    // Fourth regression round: a mistyped number was taken for no order and the chat ended; so did a goodbye that
    // told of a missing parcel.
    name: 'a mistyped order or a goodbye that tells of a problem, at "anything else?", is a question about the order',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: 'still no sign of 10232', expect: { says: [/10232/], never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    name: 'a goodbye that tells of a missing parcel at "anything else?" is a question about it',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: "thanks bye, 10231 hasn't arrived", expect: { says: [/I found order 10231/], never: [msg('goodbye.reply'), msg('survey.csat')] } },
    ],
  },
  {
    // "all good" read as a negative goodbye, and 90210 was taken for an order.
    name: 'a goodbye naming a number, with no complaint in it, at "anything else?" ends the chat',
    steps: [
      { user: 'thanks', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: 'no, all good at 90210 now', expect: { says: [msg('goodbye.reply')], never: [/90210/] } },
    ],
  },
  {
    name: 'a thank-you naming an amount at "anything else?" ends the chat',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      { user: 'no thanks, I spent $10231 this year lol', expect: { says: [msg('goodbye.reply')], never: [/order 10231/] } },
    ],
  },
  {
    name: 'a sign-off that names an order at "anything else?" still ends the chat',
    steps: [
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      // "Sorry, I didn't quite get that" once the order number alone made any reply a new request.
      { user: 'no, that was all about order 10231, thanks', expect: { says: [msg('goodbye.reply')], never: [/didn't quite get that/] } },
    ],
  },
  {
    name: 'a late order with a question about when gets its status first, not only a ticket',
    steps: [
      // "I've opened ticket T-…, we'll reply within 24 working hours", and no word of the new estimate.
      { user: 'my order 10809 is taking forever, will it arrive by saturday?', expect: { says: [/I found order 10809/], never: [/ticket T-\d{6}/] } },
      { user: 'kai.li@example.com', expect: { says: [/10809/], never: [/ticket T-\d{6}/] } },
    ],
  },
  {
    name: 'a natural yes ("yes it is") to "is this about order 10435?" takes it',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: '02139', expect: { says: [/on its way/] } },
      { user: 'i want to complain', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'late delivery', expect: { says: [/what happened/] } },
      { user: 'it was meant to come last week', expect: { says: [/Is this about order 10435\?/] } },
      { user: 'yes it is', expect: { says: [/ticket T-\d{6}/], never: [msg('complaint.askOrderRetry')] } },
    ],
  },
  {
    name: 'a message opening with a cancel phrase cancels: "never mind, i\'ll find it later"',
    steps: [
      { user: 'can you track my package', expect: { says: [msg('order.askNumber')] } },
      { user: "never mind, i'll find it later", expect: { says: [msg('interrupt.cancelled')], never: [msg('order.badFormat')] } },
    ],
  },
  {
    name: 'another subject without a question mark at "did that answer your question?" is answered',
    steps: [
      { user: 'how long does shipping take?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'ok what about returns', expect: { says: [/return most items within 30 days/], never: [msg('faq.glad')] } },
    ],
  },
  {
    // Telegram's Start button sends "/start": it read as the contact FAQ and asked "which of these did you mean?".
    name: 'chat commands: "/start" and "/menu@ShopBot" greet and offer the menu',
    channelId: 'telegram',
    steps: [
      { user: '/start', expect: { says: [msg('greeting.reply')], replies: 1 } },
      { user: '/menu@ShopBot', expect: { says: [msg('greeting.again')], never: [/did you mean/] } },
      // Words after the command are the request: "/help where is my order 10231" got only a hello.
      { user: '/help where is my order 10231', expect: { says: [/I found order 10231/] } },
    ],
  },
  {
    // Messenger's Get Started button posts back "GET_STARTED": it got "Sorry, I didn't quite get that".
    name: 'Messenger\'s Get Started payload greets and offers the menu',
    channelId: 'facebook',
    steps: [{ user: 'GET_STARTED', expect: { says: [msg('greeting.reply')], replies: 1 } }],
  },
  {
    name: 'greeting offers the menu',
    steps: [
      { user: 'hello there', expect: { says: [msg('greeting.reply')], buttons: ['Track an order', 'Returns & refunds', 'Make a complaint', 'Talk to a person'] } },
      // Once it has said who it is, the bot does not say it again.
      { user: 'hi', expect: { says: [msg('greeting.again')], never: [msg('greeting.reply')] } },
    ],
  },
  {
    name: 'order status with the number in the utterance, verified by postcode',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/], never: [/UPS/] } },
      { user: '02139', expect: { says: [/order 10435 is on its way with UPS \(tracking number UPS\d+\) and should arrive Thursday, 26 November \(tomorrow\)/] } },
    ],
  },
  {
    name: 'order status asked for, wrong format first, verified by email in any case',
    steps: [
      { user: 'can you track my package', expect: { says: [msg('order.askNumber')] } },
      { user: 'it is abc', expect: { says: [msg('order.badFormat')] } },
      { user: '#10231', expect: { says: [/I found order 10231/] } },
      { user: 'Maya.Patel@Example.com', expect: { says: [/Order 10231 is being prepared/, /\(in \d days\)/] } },
    ],
  },
  {
    name: 'an email or postcode given with the order number is not asked for again; a wrong one reveals nothing',
    steps: [
      // Asked for "the email address or the postcode" as if unheard.
      { user: 'my email is ivan.silva@example.com, where is order 10435??', expect: { says: [/order 10435 is on its way with UPS/], never: [/I found order/] } },
    ],
  },
  {
    name: 'a wrong email with the order number is a try, and says it does not match',
    steps: [
      // Passed over without a word ("I found order 10435… please type the email"), a third guess in all.
      { user: 'where is order 10435? lucas.silva@example.com', expect: { says: [msg('order.verificationRetry')], never: [/on its way/] } },
      { user: 'someone@else.com', expect: { says: [msg('order.verificationFailed')], never: [/on its way/] } },
    ],
  },
  {
    name: 'an email after the order number verifies it, and is no subject of its own',
    steps: [
      // "You can email us at support@…": the address made the message read as contact.
      { user: 'where is order 10435, email ivan.silva@example.com', expect: { says: [/order 10435 is on its way with UPS/], never: [/email us/] } },
    ],
  },
  {
    name: 'a zip code named as one beside the order number verifies it and is no second order',
    steps: [
      // "Now for your other question: Track an order." and "I couldn't find an order with the number 02139".
      { user: 'Hi, order 10435 - when will it arrive? my zip is 02139', expect: { says: [/order 10435 is on its way with UPS/], never: [/other question|couldn't find|I found order/] } },
    ],
  },
  {
    name: 'a wrong zip code named as one is asked again, not looked up as an order',
    steps: [{ user: 'where is order 10435, zip code 98101', expect: { says: [/I found order 10435/], never: [/couldn't find|98101|UPS/] } }],
  },
  {
    name: 'a postcode given with the order number must match whole',
    steps: [{ user: 'where is my order 10435? zip 021390', expect: { says: [/I found order 10435/], never: [/UPS/] } }],
  },
  {
    name: 'a verification left for another subject is taken up by the email or postcode sent after it',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: 'what are your opening hours?', expect: { never: [/UPS/] } },
      // It was looked up as an order number: "I couldn't find an order with the number 02139".
      { user: '02139', expect: { says: [/order 10435 is on its way with UPS/], never: [/couldn't find/] } },
    ],
  },
  {
    name: 'after another task the bot comes back to the order whose detail it was waiting for',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: 'do you ship to canada?', expect: { says: [msg('faq.didThatHelp')], never: [/UPS/] } },
      // The shipping answer was the end of it: the order was never mentioned again.
      { user: 'yes', expect: { says: [msg('faq.glad'), /Now for your other question: Track an order/, /I found order 10435/], never: [msg('wrapup.anythingElse')] } },
      { user: '02139', expect: { says: [/order 10435 is on its way with UPS/] } },
    ],
  },
  {
    name: 'coming back to an order asks its own question again, and the tries spent before stay spent',
    steps: [
      { user: 'can i still cancel order 10231?', expect: { says: [/I found order 10231/] } },
      { user: '99999', expect: { says: [msg('order.verificationRetry')] } },
      { user: 'how long do refunds take?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'yes thanks', expect: { says: [/Now for your other question: Cancel an order/, /I found order 10231/] } },
      // The second wrong answer of the conversation ends it, as it would have without the refund question.
      { user: '88888', expect: { says: [msg('order.verificationFailed')], never: [msg('order.verificationRetry'), /hasn't shipped/] } },
    ],
  },
  {
    name: 'a cancellation question is answered after coming back to its order',
    steps: [
      { user: 'can i still cancel order 10231?', expect: { says: [/I found order 10231/] } },
      { user: 'how long do refunds take?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'no', expect: { says: [/Now for your other question: Cancel an order/, /I found order 10231/] } },
      { user: '10001', expect: { says: [/Order 10231 hasn't shipped yet, so you can still cancel/] } },
    ],
  },
  {
    name: 'a "hello?" at the verification question hears the question again, not the greeting menu',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: 'hello?', expect: { says: [msg('order.verificationNeeded')], never: [msg('greeting.again'), msg('greeting.reply')] } },
      { user: '02139', expect: { says: [/on its way with UPS/] } },
    ],
  },
  {
    name: 'a thank-you at the verification question is no task: the bot does not come back to the order',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: 'thanks', expect: { says: [msg('wrapup.anythingElse')], never: [/I found order|Now for your other question/] } },
      { user: 'no', expect: { never: [/I found order|Now for your other question/] } },
    ],
  },
  {
    name: 'a cancelled side task drops the way back to the order',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: 'do you ship to canada?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'cancel', expect: { says: [msg('interrupt.cancelled')] } },
      { user: 'how long do refunds take?', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'yes', expect: { says: [msg('faq.glad')], never: [/I found order|Now for your other question/] } },
    ],
  },
  {
    name: 'a detail sent after another subject that does not match is the first of the two tries',
    steps: [
      { user: 'where is 10435', expect: { says: [/I found order 10435/] } },
      { user: 'thanks', expect: { never: [/UPS/] } },
      { user: '11111', expect: { says: [msg('order.verificationRetry')], never: [/UPS|couldn't find|I found order/] } },
      { user: '22222', expect: { says: [msg('order.verificationFailed')], never: [/UPS/] } },
    ],
  },
  {
    name: 'a wrong verification answer twice ends the flow without revealing anything',
    steps: [
      { user: 'status of order 10435', expect: { says: [/I found order 10435/] } },
      { user: 'someone@else.com', expect: { says: [msg('order.verificationRetry')], never: [/UPS|on its way|arrive/] } },
      { user: '99999', expect: { says: [msg('order.verificationFailed')], never: [/UPS|on its way|arrive|tracking/] , buttons: ['Talk to a person'] } },
      // The right postcode after the flow has ended was looked up as an order number ("I couldn't find an order with
      // the number 02139"); it is no third try either.
      { user: '02139', expect: { says: [msg('order.lateDetail'), /order 10435/], never: [/UPS|on its way|couldn't find/], buttons: ['Talk to a person'] } },
      { user: 'ivan.silva@example.com', expect: { says: [msg('order.lateDetail'), /order 10435/], never: [/UPS|on its way/] } },
      // In a few words of its own it is the same detail: it got "Sorry, I didn't quite get that".
      { user: "oh wait it's ivan.silva@example.com", expect: { says: [msg('order.lateDetail'), /order 10435/], never: [/UPS|on its way|didn't quite get/] } },
      // Asking about the order again buys no more tries, even with the right postcode in the message.
      { user: 'where is my order 10435? postcode 02139', expect: { says: [msg('order.locked'), /order 10435/], never: [/UPS|on its way|I found order/] } },
      // Another order is checked as usual, and a lone number that is an order is that order.
      { user: '10231', expect: { says: [/I found order 10231/] } },
    ],
  },
  {
    name: 'a reply to the verification question that is no email or postcode spends no try',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      // Told "that doesn't match" before, and a second aside ended the flow.
      { user: 'why is it taking so long??', expect: { says: [msg('order.verificationNeeded')], never: [msg('order.verificationRetry'), /UPS/], buttons: ['Talk to a person'], replies: 1 } },
      { user: 'hmm let me look for it', expect: { says: [msg('order.verificationNeeded')], never: [msg('order.verificationFailed')] } },
      { user: '02139', expect: { says: [/order 10435 is on its way with UPS/] } },
    ],
  },
  {
    name: 'a new question instead of the verification answer goes to its own dialog',
    steps: [
      { user: 'status of order 10435', expect: { says: [/I found order 10435/] } },
      { user: 'how do i return something for a refund', expect: { says: [/Refunds go back/], never: [msg('order.verificationRetry')] } },
    ],
  },
  {
    name: 'three replies that are no verification answer end the flow with a person on offer, revealing nothing',
    steps: [
      { user: 'status of order 10435', expect: { says: [/I found order 10435/] } },
      { user: 'what?', expect: { says: [msg('order.verificationNeeded')] } },
      { user: 'i dont know', expect: { says: [msg('order.verificationNeeded')] } },
      { user: 'hang on a sec', expect: { says: [msg('order.verificationGiveUp')], never: [/UPS|on its way|arrive|tracking/], buttons: ['Talk to a person'] } },
    ],
  },
  {
    name: 'an unknown order is retried once, then a person is offered',
    steps: [
      // The "not found" message is the question for another number: no second "what's your order number?".
      { user: 'where is order 55555', expect: { says: [/couldn't find an order with the number 55555/], never: [msg('order.askNumber')], replies: 1 } },
      { user: '55556', expect: { says: [/still can't find order 55556/], buttons: ['Talk to a person'] } },
    ],
  },
  {
    name: 'a customer without the order number is told where to find it and offered a person, not an FAQ',
    steps: [
      { user: 'where is my package', expect: { says: [msg('order.askNumber')] } },
      { user: "I don't have my order number", expect: { says: [msg('order.noNumber')], never: [msg('faq.didThatHelp')], buttons: ['Talk to a person'] } },
    ],
  },
  {
    name: 'three answers without an order number end the flow politely',
    steps: [
      { user: 'where is my parcel', expect: { says: [msg('order.askNumber')] } },
      { user: '12', expect: { says: [msg('order.badFormat')] } },
      { user: 'ORD', expect: { says: [msg('order.badFormat')] } },
      { user: 'hmm', expect: { says: [msg('order.giveUpFormat')] } },
    ],
  },
  {
    name: 'cancel stops a running flow',
    steps: [
      { user: 'track my order please', expect: { says: [msg('order.askNumber')] } },
      { user: 'cancel', expect: { says: [msg('interrupt.cancelled')] } },
    ],
  },
  {
    name: 'complaint asked step by step files a ticket with the SLA of its priority',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')], buttons: ['Damaged item', 'Wrong item', 'Late delivery', 'Customer service', 'Billing', 'Something else'] } },
      { user: 'Wrong item', expect: { says: [/tell me what happened with the wrong item/] } },
      { user: 'I ordered a blue lamp and a green kettle came in the box', expect: { says: [msg('complaint.askOrder')] } },
      { user: 'skip', expect: { says: [/I'm sorry you received the wrong item/, /ticket T-\d{6}/, /within 24 working hours \(by Friday, 27 November at 10:00 Eastern Time\)/] } },
    ],
  },
  {
    name: 'an order number given instead of the complaint category is noted, not taken for an order status question',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      // Read as order status before: the complaint was dropped and the customer asked to verify the order.
      { user: "it's order 10231", expect: { says: [/put order 10231 on the complaint/], never: [/I found order/], buttons: ['Damaged item', 'Wrong item', 'Late delivery', 'Customer service', 'Billing', 'Something else'] } },
      { user: 'the courier left it in the rain and everything is soaked', expect: { says: [/arrived damaged/, /ticket T-\d{6}/], never: [msg('complaint.askOrder')] } },
    ],
  },
  {
    name: 'a category answer that names the order files the ticket without asking for the order again',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'order 10231 came with the lid snapped off', expect: { says: [/arrived damaged/, /ticket T-\d{6}/], never: [msg('complaint.askOrder')] } },
    ],
  },
  {
    name: 'a complaint category told in words instead of a button is understood, and the words are the story',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'hmm', expect: { says: [msg('complaint.askCategoryRetry')] } },
      { user: 'the vase I got was cracked all the way down', expect: { says: [msg('complaint.askOrder')], never: [msg('complaint.askCategory')] } },
      { user: 'skip', expect: { says: [/I'm really sorry your item arrived damaged/, /ticket T-\d{6}/] } },
    ],
  },
  {
    name: 'a complaint that fits no category is filed as "something else" after one retry, not asked for ever',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'hmm', expect: { says: [msg('complaint.askCategoryRetry')] } },
      { user: 'hard to say', expect: { says: [msg('complaint.askDescriptionOther')], never: [/something else/i] } },
      { user: 'my parcel locker code never worked so I could not collect it', expect: { says: [msg('complaint.askOrder')] } },
      { user: "I don't have the number", expect: { says: [msg('complaint.empathy.other'), /ticket T-\d{6}/], never: [msg('complaint.askOrderRetry')] } },
    ],
  },
  {
    name: 'a new question instead of a complaint category goes to its own dialog',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'actually, where is my order 10435?', expect: { says: [/I found order 10435/], never: [msg('complaint.askCategoryRetry')] } },
    ],
  },
  {
    name: 'a furious one-line complaint is filed at high priority, without further questions, and brings in a person',
    steps: [
      {
        user: 'My order 10622 arrived completely smashed and I am absolutely furious about it',
        expect: { says: [/arrived damaged/, /ticket T-\d{6}/, /within 4 working hours/, /bringing in a person/, /number \d+ in the queue/], never: [msg('wrapup.anythingElse')] },
      },
    ],
  },
  {
    name: '"what can you do?" and "menu" get what the bot does and the menu, not "sorry, I didn\'t get that"',
    steps: [
      { user: 'What can you do?', expect: { says: [msg('help.reply')], never: [msg('fallback.reply')], buttons: ['Track an order', 'Returns & refunds', 'Make a complaint', 'Talk to a person'] } },
      { user: 'what are my options', expect: { says: [msg('help.reply')], never: [msg('faq.didThatHelp')] } },
      // Two of them in a row are not two misunderstandings: no offer of a person.
      { user: 'menu', expect: { says: [msg('help.reply')], never: [msg('fallback.offerHuman')] } },
    ],
  },
  {
    name: 'two misunderstandings in a row offer a person',
    steps: [
      { user: 'qwzx plorf', expect: { says: [msg('fallback.reply')] } },
      { user: 'zzkv brrp', expect: { says: [msg('fallback.offerHuman')], buttons: ['Yes', 'No'] } },
      { user: 'no', expect: { says: [msg('fallback.declined')] } },
    ],
  },
  {
    // Three answered turns between two misunderstandings still got "I'm still not understanding" and the offer.
    name: 'misunderstandings with an understood request between them are not "in a row"',
    steps: [
      { user: 'qwzx plorf', expect: { says: [msg('fallback.reply')] } },
      { user: 'how long does shipping take', expect: { says: [/Standard shipping/] } },
      { user: 'yes', expect: { never: [msg('fallback.reply')] } },
      { user: 'zzkv brrp', expect: { says: [msg('fallback.reply')], never: [msg('fallback.offerHuman')] } },
      { user: 'blorptang', expect: { says: [msg('fallback.offerHuman')] } },
    ],
  },
  {
    // It got "which of these did you mean? Say hello, Returns & refunds or Something else".
    name: '"actually nevermind, back to bot please" inside a flow stops the flow',
    steps: [
      { user: 'how do I get an invoice', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'actually nevermind, back to bot please', expect: { says: [msg('interrupt.cancelled')], never: [msg('router.which')] } },
    ],
  },
  {
    // A leave phrase that is a goodbye still ends the chat: cancelling the flow kept the customer and lost the survey.
    name: '"end the chat" inside a flow ends the chat, with the survey',
    steps: [
      { user: 'where is my order', expect: { says: [/order number/] } },
      { user: 'end the chat', expect: { says: [/Thanks for chatting/, /rate this chat/], never: [msg('interrupt.cancelled')] } },
    ],
  },
  {
    // Read as contact details (0.98): the customer got our email address and "did that answer your question?".
    name: 'a question about which email the bot means is answered, and the verification question stays open',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: 'which email? i have two, my work one and personal', expect: { says: [msg('order.verificationHelp')], never: [/support@/, msg('faq.didThatHelp')] } },
      { user: 'ivan.silva@example.com', expect: { says: [/UPS/] } },
    ],
  },
  {
    // A question about our email, or about changing one's own, is a question, not doubt about the one asked for.
    name: 'at the verification question, a question that names an email but asks something else is answered',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: 'what is your support email address?', expect: { says: [/support@/], never: [msg('order.verificationHelp')] } },
    ],
  },
  {
    name: 'at the verification question, "what postcode?" and "I don\'t know my email" hear what is meant',
    steps: [
      { user: 'where is my order 10435?', expect: { says: [/I found order 10435/] } },
      { user: 'what postcode?', expect: { says: [msg('order.verificationHelp')] } },
      { user: "I don't know my email", expect: { says: [msg('order.verificationHelp')] } },
    ],
  },
  {
    name: 'out-of-scope questions are not guessed',
    steps: [{ user: "what's the weather like in Lisbon tomorrow?", expect: { says: [msg('fallback.reply')] } }],
  },
  {
    name: 'empty, emoji-only and oversized messages are answered, not crashed on',
    steps: [
      { user: '   ', expect: { says: [msg('input.empty')] } },
      { user: '😀😀😀', expect: { says: [msg('fallback.reply')] } },
      { user: 'x'.repeat(10_240), expect: { says: [/too long/] } },
      { user: { type: 'message', text: '', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/a.png' }] }, expect: { says: [msg('input.attachmentOnly')] } },
    ],
  },
  {
    // Teams' messageBack and Adaptive Card submits send a value and no text: it got no reply at all.
    name: 'a button press or card submit with a value and no text is read as its text, or answered',
    channelId: 'msteams',
    steps: [
      { user: { type: 'message', value: { text: 'how long does shipping take' } }, expect: { says: [/Standard shipping/] } },
      { user: { type: 'message', value: 'can I pay with paypal' }, expect: { says: [/PayPal/] } },
      // "Did that answer your question?" is still open.
      { user: { type: 'message', value: { rating: 4 } }, expect: { says: [msg('input.emptyWaiting')] } },
    ],
  },
  {
    // A sticker at the verification question got "What can I help you with?", though the question still waited.
    name: 'an empty message or an attachment alone while a question is open asks for the answer, which still counts',
    steps: [
      { user: 'where is my order 10435', expect: { says: [/I found order 10435/] } },
      { user: { type: 'message', text: '', attachments: [{ contentType: 'image/webp', contentUrl: 'https://example.invalid/sticker.webp' }] }, expect: { says: [msg('input.attachmentWaiting')] } },
      { user: '   ', expect: { says: [msg('input.emptyWaiting')] } },
      { user: '02139', expect: { says: [/UPS/] } },
    ],
  },
  {
    // The words were answered and the photo dropped without a word: the customer took it that the team had it.
    name: 'a photo sent with words: the words are answered, and the bot says it could not open the photo',
    channelId: 'telegram',
    steps: [
      // The note opens the first reply: sent after it, it hid the question's buttons and took the next words away.
      {
        user: { type: 'message', text: 'my mug arrived broken, photo attached', attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://example.invalid/p.jpg' }] },
        expect: { says: [new RegExp(`^${en('input.attachmentIgnored').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\S`)], never: [msg('input.attachmentOnly'), new RegExp(`^${en('input.attachmentIgnored').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)] },
      },
    ],
  },
  {
    name: 'Teams repeats each message as an HTML attachment: that is no file; a file Teams uploads is one',
    channelId: 'msteams',
    steps: [
      { user: { type: 'message', text: 'how long does shipping take', attachments: [{ contentType: 'text/html', content: '<p>how long does shipping take</p>' }] }, expect: { says: [/Standard shipping/], never: [msg('input.attachmentIgnored')] } },
      {
        user: {
          type: 'message',
          text: 'can I pay with paypal, screenshot attached',
          attachments: [
            { contentType: 'application/vnd.microsoft.teams.file.download.info', contentUrl: 'https://example.invalid/shot.png', name: 'shot.png' },
            { contentType: 'text/html', content: '<p>can I pay with paypal, screenshot attached</p>' },
          ],
        },
        expect: { says: [msg('input.attachmentIgnored')] },
      },
      // The reply is a card with no text (the complaint categories): the note went missing.
      { user: { type: 'message', text: 'I want to make a complaint', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/c.png' }] }, expect: { says: [msg('input.attachmentIgnored')] } },
    ],
  },
  {
    name: 'activities the bot does not handle get no reply',
    steps: [
      { user: { type: 'typing' }, expect: { replies: 0 } },
      { user: { type: 'event', name: 'something.custom', value: { a: 1 } }, expect: { replies: 0 } },
      { user: { type: 'messageReaction', reactionsAdded: [{ type: 'like' }] }, expect: { replies: 0 } },
    ],
  },
  {
    name: 'a new conversation is greeted',
    // With the greeting's menu: the first thing a customer saw had no buttons.
    steps: [
      {
        user: { type: 'conversationUpdate', membersAdded: [{ id: 'user-1', name: 'Customer' }] },
        expect: { says: [/I can check an order/], buttons: ['Track an order', 'Returns & refunds', 'Make a complaint', 'Talk to a person'] },
      },
      { user: 'Returns & refunds', expect: { says: [/return most items within 30 days/] } },
    ],
  },
  {
    name: 'a resolved flow asks for anything else; "no" ends the chat and the survey follows (CSAT, NPS, comment)',
    steps: [
      { user: 'status of order 10231', expect: { says: [/I found order 10231/] } },
      { user: '10001', expect: { says: [/being prepared/, msg('wrapup.anythingElse')], buttons: ['Yes', 'No'] } },
      { user: 'no', expect: { says: [/Thanks for chatting/, /rate this chat, from 1/], buttons: ['1', '2', '3', '4', '5', 'Skip'] } },
      { user: 'eleven', expect: { says: [msg('survey.csatRetry')] } },
      { user: '4', expect: { says: [/recommend Brightcart to a friend/], buttons: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'Skip'] } },
      { user: '9', expect: { says: [msg('survey.comment')], buttons: ['Skip'] } },
      { user: 'quick and friendly, thanks', expect: { says: [msg('survey.thanks')] } },
    ],
  },
  {
    name: '"yes" to anything else asks what',
    steps: [
      { user: 'I would like to make a complaint, my delivery came a day late', expect: { says: [msg('complaint.askOrder')] } },
      { user: 'order 10622', expect: { says: [/ticket T-\d{6}/, /within 24 working hours \(by Friday, 27 November at 10:00 Eastern Time\)/, msg('wrapup.anythingElse')] } },
      { user: 'yes', expect: { says: [msg('wrapup.askWhat')] } },
    ],
  },
  {
    name: 'the survey can be skipped and is never offered twice',
    steps: [
      { user: 'bye', expect: { says: [/Thanks for chatting/, /rate this chat/] } },
      { user: 'skip', expect: { says: [msg('survey.skipped')] } },
      { user: 'hello', expect: { says: [msg('greeting.reply')] } },
      { user: 'goodbye', expect: { says: [/Thanks for chatting/], never: [/rate this chat/], replies: 1 } },
    ],
  },
  {
    name: 'a question instead of a rating leaves the survey and is answered',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: 'actually, where is my order 10435?', expect: { says: [/I found order 10435/] } },
    ],
  },
  {
    name: 'a request with a number word in it is no rating',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      // Stored as a rating of 1, then "how likely are you to recommend…?".
      { user: 'wait actually one more thing, where is order 10231', expect: { says: [/I found order 10231/], never: [/recommend/] } },
    ],
  },
  {
    name: 'a rating that opens the reply stays a rating though the reply names an order',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      // Lost when every reply naming an order left the survey.
      { user: '5, order 10435 came fast', expect: { says: [/recommend/] } },
      { user: '9, order 10435 arrived on time', expect: { says: [msg('survey.comment')] } },
    ],
  },
  {
    name: 'a one-word opinion as the survey comment is the comment, not a request for a person',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '1', expect: { says: [/recommend/] } },
      { user: '0', expect: { says: [msg('survey.comment')] } },
      // Read as a request for a person: "Of course, I'll get a person…", and the comment was lost.
      { user: 'useless', expect: { says: [msg('survey.thanks')], never: [/get a person/] } },
    ],
  },
  {
    name: 'a sign-off with an "ok" in it ends the chat at "anything else?", and "ya" is a yes',
    steps: [
      { user: 'how do returns work', expect: { says: [msg('faq.didThatHelp')] } },
      // Read as goodbye (1.0): "Thanks for chatting… Take care!" and the survey, the answer unconfirmed.
      { user: 'ya', expect: { says: [msg('faq.glad'), msg('wrapup.anythingElse')] } },
      // botbuilder found a yes in "ok": "Sure, what else can I help you with?".
      { user: 'ok thx bye', expect: { says: [msg('goodbye.reply')], never: [msg('wrapup.askWhat')] } },
    ],
  },
  {
    name: 'a yes with thanks at "anything else?" is still a yes',
    steps: [
      { user: 'how do returns work', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      // Ended the chat with the survey after 4515811.
      { user: 'yes thank you', expect: { says: [msg('wrapup.askWhat')], never: [msg('goodbye.reply')] } },
    ],
  },
  {
    name: 'a yes with "one more question" at "anything else?" is a yes though it reads as goodbye',
    steps: [
      { user: 'how do returns work', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      // Ended the chat with the survey after c5c9136.
      { user: 'yes, one more question', expect: { says: [msg('wrapup.askWhat')], never: [msg('goodbye.reply')] } },
    ],
  },
  {
    name: 'a yes with a goodbye at "anything else?" ends the chat',
    steps: [
      { user: 'how do returns work', expect: { says: [msg('faq.didThatHelp')] } },
      { user: 'yes', expect: { says: [msg('wrapup.anythingElse')] } },
      // "Sure, what else can I help you with?" after 164a53b.
      { user: 'yes thanks bye', expect: { says: [msg('goodbye.reply')], never: [msg('wrapup.askWhat')] } },
    ],
  },
  {
    name: 'asking where a verified order is "again" tells its status again',
    steps: [
      { user: 'where is order 10435', expect: { says: [msg('order.askVerification')] } },
      { user: '02139', expect: { says: [/on its way with UPS/] } },
      // Read as None (0.47): "Sorry, I didn't quite get that".
      { user: 'where is 10435 again?', expect: { says: [/on its way with UPS/], never: [msg('fallback.reply')] } },
    ],
  },
  {
    name: 'asking about the same order again at the verification question spends no try',
    steps: [
      { user: 'where is my order 10231', expect: { says: [msg('order.askVerification')] } },
      // "That doesn't match what we have on file": the order's number read as a wrong postcode, one of two tries gone.
      { user: 'whats the status of 10231', expect: { says: [msg('order.verificationNeeded')], never: [/doesn't match/] } },
      { user: '00000', expect: { says: [/doesn't match/] } },
      { user: '10001', expect: { says: [/10231/], never: [/doesn't match/] } },
    ],
  },
  {
    name: 'a yes or an ok at the verification question hears what is needed instead of ending the chat',
    steps: [
      { user: 'where is order 10231?', expect: { says: [msg('order.askVerification')] } },
      // Read as goodbye (1.0): "Thanks for chatting… Take care!" and the survey.
      { user: 'ya', expect: { says: [msg('order.verificationNeeded')], never: [msg('goodbye.reply')] } },
      { user: 'maya.patel@example.com', expect: { says: [/10231/] } },
    ],
  },
  {
    name: 'a question about the same order with a day or a count in it at the verification question spends no try',
    steps: [
      { user: 'where is my order 10231?', expect: { says: [msg('order.askVerification')] } },
      // "That doesn't match", then the order locked (84dfef2): "3" and "5th" read as details.
      { user: 'whats the status of 10231? I ordered it 3 days ago', expect: { says: [msg('order.verificationNeeded')], never: [/doesn't match/] } },
      { user: 'maya.patel@example.com', expect: { says: [/10231/], never: [/doesn't match/] } },
    ],
  },
  {
    name: 'a wrong email or postcode given with the order number spends a try, and two lock the order',
    steps: [
      { user: 'where is order 10231?', expect: { says: [msg('order.askVerification')] } },
      // Cost nothing after 1f6f42d: any number of guesses could follow.
      { user: '10231 wrong@example.com', expect: { says: [/doesn't match/] } },
      { user: '10231 88888', expect: { never: [/10231 is/, msg('order.verificationNeeded')] } },
      { user: 'where is order 10231?', expect: { never: [msg('order.askVerification')] } },
    ],
  },
  {
    name: 'an answer to the verification question that repeats the order number with the email verifies',
    steps: [
      { user: 'where is order 10231?', expect: { says: [msg('order.askVerification')] } },
      // Asked for the email or postcode again (c99877e), the right one in the message.
      { user: '10231 maya.patel@example.com', expect: { says: [/10231/], never: [msg('order.verificationNeeded'), /doesn't match/] } },
    ],
  },
  {
    name: 'the email named for the order at the verification question verifies, not the contact answer',
    steps: [
      { user: 'where is order 10231?', expect: { says: [msg('order.askVerification')] } },
      { user: 'the email for 10231 is maya.patel@example.com', expect: { says: [/10231/], never: [/support@brightcart/] } },
    ],
  },
  {
    name: 'an order number in the story of a complaint is not asked for again',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'Late delivery', expect: { says: [/what happened/i] } },
      // "Which order is this about?" followed, the number just given.
      { user: 'order 10435 was supposed to arrive monday and it is still not here', expect: { says: [/T-\d{6}/], never: [msg('complaint.askOrder')] } },
    ],
  },
  {
    name: 'a long complaint that names no category is not asked what happened once the category is picked',
    steps: [
      {
        user: 'I am really disappointed. I ordered a desk lamp and mugs, order 10435, more than a week ago as a birthday present and the whole thing has been confusing and stressful for my family.',
        expect: { says: [msg('complaint.askCategory')] },
      },
      // "Please tell me what happened with the late delivery, in a sentence or two."
      { user: 'Late delivery', expect: { says: [/T-\d{6}/], never: [/what happened/i] } },
    ],
  },
  {
    name: 'a late parcel with "I want to complain" in it is a complaint, not an order-status question',
    steps: [
      // "What's your order number?": read as order status (0.93).
      { user: "my parcel was supposed to be here by Friday and the tracking hasn't moved, I want to complain", expect: { says: [msg('complaint.askOrder')] } },
      { user: '10435', expect: { says: [/delivery is late/, /T-\d{6}/] } },
    ],
  },
  {
    name: 'saying it is no complaint is no complaint: a late parcel question stays an order-status question',
    steps: [
      // Opened a complaint after 29063f6.
      { user: "my parcel was supposed to be here by Friday and the tracking hasn't moved, I don't want to complain, I just want to know where it is", expect: { never: [msg('complaint.askOrder'), /T-\d{6}/] } },
    ],
  },
  {
    name: 'of two numbers in a complaint, the one that is our order is its order',
    steps: [
      // "Which order is this about?": only the first number (12345) was checked.
      { user: 'I want to complain, you charged me 12345 dollars for order 10231', expect: { says: [/T-\d{6}/], never: [msg('complaint.askOrder')] } },
    ],
  },
  {
    name: 'a number in a complaint\'s opening that is no order of ours is not taken for one',
    steps: [
      // Filed on order "12345" at once, never asked which order.
      { user: 'I want to complain, you charged me 12345 dollars for a blanket', expect: { never: [/T-\d{6}/] } },
    ],
  },
  {
    name: 'a long opening that tells nothing wrong is no story: what happened is still asked',
    steps: [
      { user: 'Hi, my name is Sarah and I have been a loyal customer of yours for more than ten years now. I want to complain.', expect: { says: [msg('complaint.askCategory')] } },
      // The ticket was filed with the greeting as its description (ef00596).
      { user: 'Damaged item', expect: { says: [/what happened/i] } },
    ],
  },
  {
    name: 'a late parcel told in everyday words is a late-delivery complaint',
    steps: [
      // "What is it about?": no word of the late list in "supposed to be here by last Friday", "tracking has not moved".
      {
        user: 'I am really disappointed. I ordered a desk lamp and mugs, order 10435, more than a week ago and it was supposed to be here by last Friday. The tracking has not moved for days and nobody has told me anything.',
        expect: { says: [/delivery is late/, /T-\d{6}/], never: [msg('complaint.askCategory')] },
      },
    ],
  },
  {
    name: 'a number in the story of a complaint that is no order of ours is not taken for one',
    steps: [
      { user: 'I want to make a complaint', expect: { says: [msg('complaint.askCategory')] } },
      { user: 'Billing', expect: { says: [/what happened/i] } },
      // Filed with order "12345" (0cc6ebd), never asked which order.
      { user: 'you charged me 12345 dollars instead of 123.45, refund me', expect: { says: [msg('complaint.askOrder')] } },
    ],
  },
  {
    name: 'a survey comment that tells how the chat went is kept though it speaks of agents',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '2', expect: { says: [/recommend/] } },
      { user: '3', expect: { says: [msg('survey.comment')] } },
      // Queued again ("Of course, I'll get a person…") with the comment lost.
      { user: 'the human agent sorted it out but it took ages to get to one', expect: { says: [msg('survey.thanksOfferPerson')], never: [/queue/] } },
    ],
  },
  {
    name: 'a short opinion of an agent as the survey comment is the comment',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '5', expect: { says: [/recommend/] } },
      { user: '10', expect: { says: [msg('survey.comment')] } },
      // "Of course, I'll get a person…" on a chat an agent had just resolved.
      { user: 'very helpful agent', expect: { says: [msg('survey.thanks')], never: [/queue/] } },
    ],
  },
  {
    name: 'a short request for a person as the survey comment gets one',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '3', expect: { says: [/recommend/] } },
      { user: '5', expect: { says: [msg('survey.comment')] } },
      { user: 'agent please', expect: { says: [msg('handoff.intro.requested')], never: [msg('survey.thanks')] } },
    ],
  },
  {
    name: 'an opinion that goes on to ask for a person at the survey gets one',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '1', expect: { says: [/recommend/] } },
      { user: '0', expect: { says: [msg('survey.comment')] } },
      // Kept as a comment: "Thank you for your feedback!".
      { user: 'useless bot, get me a person', expect: { says: [/get a person/], never: [msg('survey.thanks')] } },
    ],
  },
  {
    name: 'a rating on the wrong scale is asked again, not read as a new subject; "4 out of 5" and "9 out of 10" are ratings',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      // Read as a complaint (0.80) before, and the survey gave way to the complaint flow.
      { user: 'maybe an 8', expect: { says: [msg('survey.csatRetry')], never: [msg('complaint.askCategory')] } },
      { user: '4 out of 5', expect: { says: [/recommend/] } },
      // botbuilder's recognizers read this as the fraction 0.9.
      { user: '9 out of 10', expect: { says: [msg('survey.comment')] } },
    ],
  },
  {
    name: '"meh" rates the chat a 3',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      // Asked again for a number before.
      { user: 'meh', expect: { says: [/recommend/], never: [msg('survey.csatRetry')] } },
    ],
  },
  {
    name: 'a short opinion of the chat asked for a rating is asked again as a number, and a question still leaves the survey',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      // Read as shipping (0.92) before: the survey gave way to the express-delivery answer.
      { user: 'quick and helpful', expect: { says: [msg('survey.csatRetry')], never: [/Express delivery/] } },
      // Read as a thank-you: "You're welcome!" and the survey was gone.
      { user: 'great, thanks', expect: { says: [msg('survey.csatRetry')] } },
      // Read as order status (0.93): "What's your order number?", and the survey was gone.
      { user: 'great bot but slow delivery', expect: { says: [msg('survey.csatRetry')], never: [msg('order.askNumber')] } },
      { user: '5', expect: { says: [/recommend/] } },
      // Began a complaint before.
      { user: 'terrible', expect: { says: [msg('survey.npsRetry')], never: [msg('complaint.askCategory')] } },
      // A question the classifier reads clearly (1.0): a borderline one ("is there a fee for returns?", 0.81) made this
      // case fail whenever new corpus lines moved it below the topic-switch score.
      { user: 'what is your return policy?', expect: { says: [/return/i], never: [msg('survey.npsRetry')] } },
    ],
  },
  {
    name: 'a survey comment that asks for a person gets one, instead of thanks for the feedback',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '1', expect: { says: [/recommend/] } },
      { user: '0', expect: { says: [msg('survey.comment')] } },
      // "i want to speak to someone" read as handoff at 0.66 only, and the whole as None: "Thank you for your feedback!"
      { user: 'you never answered my question about my parcel, i want to speak to someone', expect: { says: [msg('handoff.intro.requested')], never: [msg('survey.thanks')] } },
    ],
  },
  {
    name: 'the recommendation question takes its own labels, and asks again for a likelihood in words',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      // "pretty good" is a 4 as "good" is; it was asked again as a number.
      { user: 'pretty good', expect: { says: [/recommend/] } },
      // Read as a thank-you: "You're welcome!", "anything else?", and the survey was gone.
      { user: 'very likely', expect: { says: [msg('survey.npsRetry')], never: [/welcome/i] } },
      { user: 'probably not', expect: { says: [msg('survey.npsRetry')] } },
      // The question's own top label ("10 (definitely)") was refused.
      { user: 'definitely', expect: { says: [msg('survey.comment')] } },
    ],
  },
  {
    name: 'a complaint told in words no category names is filed as it was told, not dropped for an FAQ',
    steps: [
      { user: 'I would like to make a complaint about the website', expect: { says: [msg('complaint.askCategory')] } },
      // Read as contact details (0.999): the opening-hours answer, and no ticket.
      { user: 'the website is really slow and the checkout page crashed twice', expect: { says: [msg('complaint.askOrder')], never: [/24\/7/] } },
      { user: 'skip', expect: { says: [/ticket T-\d+/] } },
    ],
  },
  {
    name: 'a new question with an "ok" in it, given for the offer of a person, is answered rather than queued',
    steps: [
      { user: 'qwzx plorf', expect: { says: [msg('fallback.reply')] } },
      { user: 'zzkv brrp', expect: { says: [msg('fallback.offerHuman')] } },
      // Its "ok" read as yes: the customer was put in the queue and the question dropped.
      { user: 'ok, and what time do you open? is there a phone number?', expect: { says: [/\+1 800 555 0142|08:00/], never: [/in the queue/] } },
    ],
  },
  {
    name: 'an order number given after the cancellation policy asks whether that order can still be cancelled',
    steps: [
      { user: 'I want to cancel my order', expect: { says: [/cancel an order free of charge/, msg('faq.didThatHelp')] } },
      { user: '10435', expect: { says: [/I found order 10435/] } },
      // It told the delivery status instead.
      { user: '02139', expect: { says: [/Order 10435 has already shipped with UPS, so it can't be cancelled/] } },
    ],
  },
  {
    name: 'a rating written as a fraction is taken',
    steps: [
      { user: 'bye now', expect: { says: [/rate this chat/] } },
      { user: '4/5', expect: { says: [/recommend/] } },
      { user: '9/10', expect: { says: [msg('survey.comment')] } },
    ],
  },
  {
    name: 'on SMS, choices are numbered text and a number answers',
    channelId: 'sms',
    steps: [
      { user: 'hi', expect: { says: [/1\. Track an order/, /4\. Talk to a person/], buttons: [] } },
      { user: '1', expect: { says: [msg('order.askNumber')] } },
    ],
  },
];
