/** What the HTTP test helpers hand back: status, headers and the body parsed as JSON (text when it is not JSON). */
export interface ParsedResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** Reads a fetch response whole; CSV and other text stay text. */
export async function readResponse(res: Response): Promise<ParsedResponse> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}
