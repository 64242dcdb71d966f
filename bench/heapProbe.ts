/** Reads a child process's live heap through the inspector protocol: a full collection first, then the heap in use. */
import WebSocket from 'ws';

/** Connected to a process started with `--inspect=127.0.0.1:0` (its "Debugger listening on ws://…" line). */
export class HeapProbe {
  private nextId = 0;

  private constructor(private readonly ws: WebSocket) {}

  static async connect(url: string): Promise<HeapProbe> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new HeapProbe(ws);
  }

  private call(method: string, params: object = {}): Promise<{ result?: { value?: unknown } }> {
    const id = (this.nextId += 1);
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { id?: number; result: { result?: { value?: unknown } } };
        if (message.id !== id) return;
        this.ws.off('message', onMessage);
        resolve(message.result);
      };
      this.ws.on('message', onMessage);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** MB of heap still reachable after a full garbage collection: what RSS alone cannot tell from a lazy collector. */
  async liveHeapMb(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    const reply = await this.call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed' });
    return Number(reply.result?.value) / 2 ** 20;
  }

  close(): void {
    this.ws.close();
  }
}
