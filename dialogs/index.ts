/** The dialog registry: add a dialog here (one line) and the router starts it for the intents it declares. */
import { ComplaintDialog } from './complaintDialog.js';
import { EscalationDialog } from './escalationDialog.js';
import { FallbackDialog } from './fallbackDialog.js';
import { FaqDialog } from './faqDialog.js';
import { MainDialog } from './mainDialog.js';
import { OrderStatusDialog } from './orderStatusDialog.js';
import type { DialogServices } from './services.js';
import { SmallTalkDialog } from './smallTalkDialog.js';
import { SurveyDialog } from './surveyDialog.js';
import { TicketStatusDialog } from './ticketStatusDialog.js';
import { WrapUpDialog } from './wrapUpDialog.js';

/** Builds the router with every routed dialog. */
export function createMainDialog(services: DialogServices): MainDialog {
  const routes = [
    new SmallTalkDialog(services),
    new TicketStatusDialog(services),
    new FaqDialog(services),
    new OrderStatusDialog(services),
    new ComplaintDialog(services),
    new EscalationDialog(services),
  ];
  return new MainDialog(routes, new FallbackDialog(services), new WrapUpDialog(services), new SurveyDialog(services), services.intentLabels);
}
