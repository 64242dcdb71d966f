/** Days and times are told on the customer's clock when their client names its time zone (Web Chat's `localTimezone`). */
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

let env: TestCore;
beforeAll(async () => {
  // TEST_NOW is 25 November 15:00 UTC: 10:00 in New York (the shop's zone), already 26 November 02:00 in Sydney.
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

/** A conversation whose client says it is in `zone` (or says nothing). */
function customerIn(zone?: string): (text: string) => Promise<string[]> {
  const c = new Conversation(env.core);
  return async (text) => (await c.send({ type: 'message', text, ...(zone ? { localTimezone: zone } : {}) } as Partial<Activity>)).map((a) => a.text ?? '');
}

describe("the customer's time zone", () => {
  it('makes "today" and "tomorrow" theirs: a parcel due on their today was said to come "tomorrow"', async () => {
    const sydney = customerIn('Australia/Sydney');
    await sydney('where is order 10435');
    expect((await sydney('02139'))[0]).toContain('should arrive Thursday, 26 November (today)');
    const shop = customerIn();
    await shop('where is order 10435');
    expect((await shop('02139'))[0]).toContain('should arrive Thursday, 26 November (tomorrow)');
  });

  it("gives a ticket's promised time on their clock, with their zone's name", async () => {
    const [filed] = await customerIn('Australia/Sydney')('my order 10622 arrived with a cracked lid, I want to complain');
    expect(filed).toContain('(by Saturday, 28 November at 02:00 Australian Eastern Time)');
  });

  it('is the last zone the client named, and one the runtime does not know is ignored', async () => {
    const [filed] = await customerIn('Mars/Olympus')('my order 10622 arrived with a cracked lid, I want to complain');
    expect(filed).toContain('(by Friday, 27 November at 10:00 Eastern Time)');
    const later = new Conversation(env.core);
    await later.send({ type: 'message', text: 'hello', localTimezone: 'Asia/Tokyo' } as Partial<Activity>);
    // A later message without a zone keeps the one the conversation has.
    const [tokyo] = (await later.send('the mug in order 10622 arrived chipped, I want to complain')).map((a) => a.text ?? '');
    expect(tokyo).toContain('Japan Standard Time');
  });
});
