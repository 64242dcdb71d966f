/**
 * The customer's own words in an email: the reply without the quoted thread, the signature and the salutation and
 * sign-off around it. An email client sends all of it, and the bot read all of it: a reply quoting the thread was
 * refused as too long, a menu answer with the quoted menu below it took a number from the quote, "Thanks,\nPat" under a
 * request for a person was answered "You're welcome!".
 */

/** A line where the quoted thread begins: "> …", "On … wrote:", "-----Original Message-----", an Outlook header. */
const QUOTE_START = [
  /^\s*>/,
  /^\s*On\b.{0,300}\bwrote:?\s*$/i,
  /^\s*El\b.{0,300}\bescribi[oó]:?\s*$/i,
  /^\s*在.{0,300}写道[:：]?\s*$/,
  /^\s*-{2,}\s*(?:Original|Forwarded|Mensaje original|Mensaje reenviado)\b.*-*\s*$/i,
  /^\s*(?:From|De|发件人|از)\s*[:：]\s*\S/i,
];

/** A line where the signature begins: the "-- " delimiter, or a mobile client's "Sent from my …". */
const SIGNATURE_START = [/^\s*--\s*$/, /^\s*(?:Sent from my|Get Outlook for|Enviado desde mi)\b/i, /^\s*发自我的/];

/** A paragraph that only signs off ("Thanks,", "Best regards", "Saludos", "谢谢", "با تشکر"), with a name line after it. */
const SIGN_OFF =
  /^\s*(?:thanks|thank you|many thanks|thanks again|regards|best|best regards|kind regards|warm regards|cheers|sincerely|gracias|muchas gracias|saludos|un saludo|atentamente|谢谢|多谢|此致|祝好|ممنون|با تشکر|با سپاس)\s*[,.!،，。!]?\s*$/iu;

/** A first line that only greets ("Hi,", "Hello Brightcart team,", "Dear support,", "Hola,"). */
const SALUTATION = /^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hola|buenos d[ií]as|buenas tardes|estimad[oa]s?|您好|你好|سلام)\b[^\n.?!？]{0,40}[,，،:]\s*$/iu;

/** The words of an email the customer wrote this time; `text` itself when nothing would be left. */
export function ownWords(text: string): string {
  const lines = text.split(/\r?\n/);
  const end = lines.findIndex((line) => QUOTE_START.some((re) => re.test(line)) || SIGNATURE_START.some((re) => re.test(line)));
  const kept = (end < 0 ? lines : lines.slice(0, end)).join('\n').trim();
  const paragraphs = kept.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  // The sign-off and the name below it, when they close the message.
  const last = paragraphs.at(-1)?.split('\n') ?? [];
  if (paragraphs.length > 1 && last.length <= 3 && SIGN_OFF.test(last[0] ?? '')) paragraphs.pop();
  const first = paragraphs[0]?.split('\n') ?? [];
  if (SALUTATION.test(first[0] ?? '') && (first.length > 1 || paragraphs.length > 1)) {
    if (first.length > 1) paragraphs[0] = first.slice(1).join('\n');
    else paragraphs.shift();
  }
  const words = paragraphs.join('\n\n').trim();
  return words || text.trim();
}
