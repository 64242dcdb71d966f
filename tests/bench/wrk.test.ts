import { describe, expect, it } from 'vitest';
import { parseWrk, wrkMs } from '../../bench/wrk.js';

/** The shape of `wrk --latency` output (Debian wrk 4.1), with figures made up for the test. */
const REPORT = `Running 10s test @ http://127.0.0.1:40111/api/messages
  2 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.40ms   18.02ms 250.11ms   90.00%
    Req/Sec   480.12     60.33   610.00     71.00%
  Latency Distribution
     50%   17.25ms
     75%   24.90ms
     90%   38.00ms
     99%  120.50ms
  9601 requests in 10.01s, 9.80MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    959.14
Transfer/sec:      0.98MB
`;

describe('wrk report', () => {
  it('reads the rate, the median and p99, and counts every kind of error', () => {
    expect(parseWrk(REPORT)).toEqual({ requestsPerSecond: 959.14, p50Ms: 17.25, p99Ms: 120.5, errors: 7 });
  });

  it('has no errors when wrk reports none', () => {
    const clean = REPORT.replace(/ {2}Socket errors.*\n/, '').replace(/ {2}Non-2xx.*\n/, '');
    expect(parseWrk(clean).errors).toBe(0);
  });

  it('converts every duration unit wrk prints', () => {
    expect(wrkMs('850.00us')).toBeCloseTo(0.85);
    expect(wrkMs('7.13ms')).toBe(7.13);
    expect(wrkMs('1.02s')).toBe(1020);
    expect(wrkMs('2.00m')).toBe(120_000);
    expect(() => wrkMs('fast')).toThrow(/unreadable duration "fast"/);
  });

  it('names what is missing from an output it cannot read', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/no Requests\/sec/);
  });
});
