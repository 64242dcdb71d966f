/** The write loop the file-backed stores share: queued work is written by one drain at a time, in batches. */

/**
 * Runs `drain` whenever `kick()` is called and no drain is running; when a drain ends with work still pending
 * (queued after its last look but before it finished), it starts again, so nothing queued is ever left behind.
 */
export class Drainer {
  private running: Promise<void> | undefined;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly pending: () => boolean,
  ) {}

  kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.pending()) this.kick();
    });
  }

  /** The drain in progress, if any. */
  get current(): Promise<void> | undefined {
    return this.running;
  }
}
