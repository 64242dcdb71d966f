/**
 * Multipart bodies kept in memory, capped. Without this, restify's body parser hands every multipart request (on any
 * route) to formidable, which writes the files to the temp directory, up to 200 MB each, and never deletes them.
 */
import type { Request } from 'restify';

/** One part of a multipart body. */
export interface BodyPart {
  field: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** What the parser leaves on the request. */
interface MultipartState {
  parts: BodyPart[];
  bytes: number;
  tooLarge: boolean;
}

const STATE = Symbol('multipart');

/** The stream formidable hands to part handlers. */
interface FormidablePart {
  name?: string | null;
  filename?: string | null;
  mime?: string | null;
  on(event: 'data', listener: (chunk: Buffer) => void): void;
}

/** restify bodyParser options that collect multipart parts in memory, at most `maxBytes` in all. */
export function inMemoryMultipart(maxBytes: number) {
  const collect = (part: FormidablePart, req: Request): void => {
    const holder = req as unknown as Record<symbol, MultipartState | undefined>;
    const state = (holder[STATE] ??= { parts: [], bytes: 0, tooLarge: false });
    const chunks: Buffer[] = [];
    const entry: BodyPart = {
      field: part.name ?? '',
      ...(part.filename ? { filename: part.filename } : {}),
      ...(part.mime ? { contentType: part.mime } : {}),
      data: Buffer.alloc(0),
    };
    state.parts.push(entry);
    part.on('data', (chunk) => {
      state.bytes += chunk.length;
      if (state.bytes > maxBytes) {
        // Keep reading (so the client gets an answer) but keep nothing.
        state.tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
      entry.data = Buffer.concat(chunks);
    });
  };
  // @types/restify declares these handlers without parameters; restify calls them with (part, req).
  const handler = collect as unknown as () => void;
  return { multipartHandler: handler, multipartFileHandler: handler };
}

/** The parts of the request's multipart body ([] when it had none); `tooLarge` when it went over the cap. */
export function multipartOf(req: Request): { parts: BodyPart[]; tooLarge: boolean } {
  const state = (req as unknown as Record<symbol, MultipartState | undefined>)[STATE];
  return state ? { parts: state.tooLarge ? [] : state.parts, tooLarge: state.tooLarge } : { parts: [], tooLarge: false };
}
