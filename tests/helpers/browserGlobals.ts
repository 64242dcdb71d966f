/**
 * The two browser globals botframework-directlinejs needs in Node: WebSocket (from `ws`) and XMLHttpRequest (its
 * rxjs 5 ajax uses it). The XMLHttpRequest here is the small subset rxjs calls, implemented on Node's fetch, so
 * the client's own request, retry and error code paths run unchanged.
 */
import { WebSocket as NodeWebSocket } from 'ws';

type Handler = ((this: FetchXMLHttpRequest, event: unknown) => void) | null;

/** An XMLHttpRequest on top of fetch: async only; responseType '', 'text', 'json' or 'arraybuffer'. */
export class FetchXMLHttpRequest {
  readyState = 0;
  status = 0;
  statusText = '';
  response: unknown = null;
  responseText = '';
  responseType = '';
  timeout = 0;
  withCredentials = false;
  upload = {};
  onreadystatechange: Handler = null;
  onerror: Handler = null;
  ontimeout: Handler = null;
  private method = 'GET';
  private url = '';
  private readonly headers: Record<string, string> = {};
  private responseHeaders = new Headers();
  private readonly controller = new AbortController();

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders.get(name);
  }

  getAllResponseHeaders(): string {
    return [...this.responseHeaders].map(([k, v]) => `${k}: ${v}`).join('\r\n');
  }

  abort(): void {
    this.controller.abort();
  }

  send(body?: RequestInit['body']): void {
    let timedOut = false;
    const timer = this.timeout > 0 ? setTimeout(() => ((timedOut = true), this.controller.abort()), this.timeout) : undefined;
    fetch(this.url, { method: this.method, headers: this.headers, body: body ?? undefined, signal: this.controller.signal })
      .then(async (res) => {
        this.status = res.status;
        this.statusText = res.statusText;
        this.responseHeaders = res.headers;
        if (this.responseType === 'arraybuffer') {
          this.response = await res.arrayBuffer();
        } else {
          this.responseText = await res.text();
          this.response = this.responseType === 'json' ? safeJson(this.responseText) : this.responseText;
        }
        this.readyState = 4;
        this.onreadystatechange?.call(this, { type: 'readystatechange' });
      })
      .catch((error: unknown) => {
        this.readyState = 4;
        if (timedOut) this.ontimeout?.call(this, { type: 'timeout' });
        else if (!this.controller.signal.aborted) this.onerror?.call(this, error);
      })
      .finally(() => clearTimeout(timer));
  }
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Installs WebSocket and XMLHttpRequest on globalThis (once; harmless when they already exist). */
export function installBrowserGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.WebSocket ??= NodeWebSocket;
  g.XMLHttpRequest ??= FetchXMLHttpRequest;
}
