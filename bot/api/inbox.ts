/**
 * The misunderstood-utterance inbox (leads and admins): GET /api/inbox lists fallback and low-confidence customer
 * messages grouped by similarity; POST /api/inbox/assign adds utterances to an intent of the language's corpus file;
 * POST /api/inbox/ignore dismisses them. Decided utterances leave the inbox. Retraining is `npm run -s nlu -- train`.
 */
import path from 'node:path';
import type { Server } from 'restify';
import { z } from 'zod';
import { filterShape, lastDays, periodShape, refinePeriod, resolvePeriod } from '../../metrics/query.js';
import { CorpusEditError, type CorpusEditor } from '../../nlu/corpusEditor.js';
import { groupInbox, InboxCollector, utteranceKey } from '../../nlu/inbox.js';
import type { Clock } from '../../storage/clock.js';
import type { InboxStore } from '../../storage/inboxStore.js';
import { DataFileError } from '../../storage/jsonDb.js';
import type { TurnLog } from '../../storage/turnLog.js';
import { commandFor, type Config, PROJECT_ROOT } from '../config.js';
import { HttpError, parseOr400, parseQuery } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';

/** Dependencies of the inbox routes. */
export interface InboxRoutesDeps {
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
  clock: Clock;
  turnLog: TurnLog;
  store: InboxStore;
  editor: CorpusEditor;
  /** Languages the bot serves (the inbox offers their corpora's intents). */
  languages: readonly string[];
  scoreMax: number;
  /** The command that retrains the model, as this server's operator types it (see retrainCommand). */
  retrain: string;
  similarity: number;
}

/** The command that retrains this server's model from its corpora (the running server keeps its model until restarted). */
export function retrainCommand(config: Config): string {
  return commandFor(config, 'npm run -s nlu -- train', ['DATA_DIR', 'CORPUS_DIR', 'FAQ_DIR', 'LANGUAGES']);
}

const Lang = z.string().regex(/^[a-z]{2,3}$/, { error: 'must be a language code such as en' });
const ListQuerySchema = z
  .object({
    ...periodShape,
    // A tag ("es-ES") names its language, as the metrics' locale filter takes it: the dashboard passes that filter on.
    lang: z
      .string()
      .regex(/^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i, { error: 'must be a language code such as en' })
      .transform((tag) => tag.split(/[-_]/)[0]!.toLowerCase())
      .optional(),
    channel: filterShape.channel,
    limit: z.coerce.number({ error: 'must be a number' }).int().min(1, { error: 'must be at least 1' }).max(500, { error: 'must be at most 500' }).default(100),
  })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, false));

const Texts = z
  .array(z.string().trim().min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' }).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: 'must not contain control characters' }), {
    error: 'must be a list of texts',
  })
  .min(1, { error: 'must hold at least one text' })
  .max(100, { error: 'must hold at most 100 texts' });
const AssignSchema = z.object({ lang: Lang, intent: z.string().min(1).max(100), texts: Texts }).strict();
const IgnoreSchema = z.object({ lang: Lang, texts: Texts }).strict();

/** Registers /api/inbox, /api/inbox/assign and /api/inbox/ignore. */
export function registerInboxRoutes(server: Server, deps: InboxRoutesDeps): void {
  const { logger, inFlight, auth, clock, turnLog, store, editor, retrain } = deps;
  const relative = (file: string) => path.relative(PROJECT_ROOT, file) || file;

  server.get(
    '/api/inbox',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'lead');
      const q = parseQuery(ListQuerySchema, req.query);
      // As assigning does: an unserved language is a mistake to name, not an empty list.
      if (q.lang && !deps.languages.includes(q.lang)) throw new HttpError(400, 'unknown_language', `Invalid query: lang must be one of ${deps.languages.join(', ')}.`);
      const period = resolvePeriod(q, clock.now(), lastDays(clock.now(), 30));
      // Only the candidates are kept in memory, never the whole log of the period.
      const collector = new InboxCollector(deps.scoreMax, (r) => (!q.lang || r.locale === q.lang) && (!q.channel || r.channel === q.channel));
      for await (const r of turnLog.read(period)) collector.add(r);
      const groups = groupInbox(collector.hits, { similarity: deps.similarity, decided: (lang, key) => store.isDecided(lang, key) });
      const intents: Record<string, string[]> = {};
      for (const lang of deps.languages) {
        try {
          intents[lang] = await editor.intents(lang);
        } catch (error) {
          if (!(error instanceof CorpusEditError)) throw error; // a served language without a corpus offers nothing
        }
      }
      res.json({ ...period, lang: q.lang ?? null, channel: q.channel ?? null, total: groups.length, utterances: groups.reduce((n, g) => n + g.count, 0), groups: groups.slice(0, q.limit), intents, retrain });
    }),
  );

  server.post(
    '/api/inbox/assign',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'lead');
      const body = parseOr400(AssignSchema, req.body ?? {}, 'assignment');
      let result;
      try {
        result = await editor.add(body.lang, body.intent, body.texts);
      } catch (error) {
        if (error instanceof CorpusEditError) throw new HttpError(400, error.kind, error.message);
        // A corpus file a developer broke: the lead got "Something went wrong", the cause only in the server's log.
        if (error instanceof DataFileError) throw new HttpError(500, 'corpus_unreadable', `Nothing was added: ${error.message}`);
        throw error;
      }
      const at = clock.now().toISOString();
      // A text already under another intent stays in the inbox: the lead should see that the corpus disagrees.
      const decided = body.texts.filter((t) => !result.skipped.some((s) => s.text === t && s.reason === 'other_intent'));
      await store.record(decided.map((text) => ({ lang: body.lang, key: utteranceKey(text), text, action: 'assigned' as const, intent: body.intent, by: p.user.username, at })));
      logger.info({ lang: body.lang, intent: body.intent, added: result.added.length, by: p.user.username }, 'Inbox utterances added to the corpus');
      res.json({
        lang: body.lang,
        intent: body.intent,
        file: relative(result.file),
        added: result.added,
        skipped: result.skipped,
        retrain,
        message: result.added.length
          ? `Added ${result.added.length} utterance${result.added.length === 1 ? '' : 's'} to ${body.intent} in ${relative(result.file)}. Run "${retrain}" and restart the bot to use them.`
          : 'Nothing was added: every text is already in the corpus.',
      });
    }),
  );

  server.post(
    '/api/inbox/ignore',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'lead');
      const body = parseOr400(IgnoreSchema, req.body ?? {}, 'request');
      const at = clock.now().toISOString();
      await store.record(body.texts.map((text) => ({ lang: body.lang, key: utteranceKey(text), text, action: 'ignored' as const, intent: null, by: p.user.username, at })));
      res.json({ lang: body.lang, ignored: body.texts.length });
    }),
  );
}
