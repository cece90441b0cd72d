// Class 4: work paid by the requester, on the one event loop. A crafted 86-byte index expression
// made the containment check run for seconds; a large body was parsed in one go; the continuation
// sniffer re-scanned the growing head of an answer for every chunk. Each is now bounded: these
// tests watch the event loop's delay while such requests run. Bounds are generous or relative (a
// shared CI machine stretches every figure); `npm run bench` measures the real ones.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopLevelIdScanner } from '../../src/authz/continuation-tap.js';
import { prepareBody } from '../../src/authz/request-body.js';
import { send } from '../authz-http/support.js';
import { forwardingApp, type ForwardingApp } from './support-forwarding.js';

let f: ForwardingApp;
beforeAll(async () => {
  f = await forwardingApp();
});
afterAll(() => f.t.close());

/** Longest single stall of the event loop (ms) while `work` runs, and how long the work took. */
async function stalls(work: () => Promise<void>): Promise<{ worst: number; elapsed: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const started = performance.now();
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return { worst: histogram.max / 1e6, elapsed: performance.now() - started };
}

async function worstStall(work: () => Promise<void>): Promise<number> {
  return (await stalls(work)).worst;
}

/** The crafted expression used to hold the loop for 5–9 s. */
const STALL_BOUND_MS = 1_000;
const CRAFTED = ['logs-*', ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `-*${c}*`)].join(',');

describe('crafted requests are bounded', () => {
  it('a crafted index expression is decided without holding the loop, and again from the cache', async () => {
    const stall = await worstStall(async () => {
      for (let i = 0; i < 10; i++) {
        const res = await send(f.base, f.reader, { method: 'GET', path: `/${CRAFTED}/_search` });
        expect([200, 403]).toContain(res.status);
      }
    });
    expect(stall).toBeLessThan(STALL_BOUND_MS);
  });

  it('an _msearch repeating crafted expressions shares their work', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(JSON.stringify({ index: CRAFTED.replace('logs-*', `logs-${i % 3}*`) }), '{}');
    const body = lines.join('\n') + '\n';
    const stall = await worstStall(async () => {
      const res = await send(f.base, f.reader, { method: 'POST', path: '/_msearch', body, headers: { 'content-type': 'application/x-ndjson' } });
      expect([200, 403]).toContain(res.status);
    });
    expect(stall).toBeLessThan(STALL_BOUND_MS);
  });

});

/** How many times the event loop turned (other work could run) while `work` ran. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}

describe('large bodies are read in slices, letting other requests run in between', () => {
  const doc = JSON.stringify({ message: 'x'.repeat(200), n: '12345678901234567890', tags: ['a', 'b', 'c'] });
  const pair = `{"index":{"_index":"logs-1"}}\n${doc}\n`;
  const bulk = Buffer.from(pair.repeat(Math.ceil((24 * 1024 * 1024) / pair.length)));
  const mget = Buffer.from(JSON.stringify({ docs: Array.from({ length: 300_000 }, (_, i) => ({ _index: 'logs-1', _id: `document-${i}` })) }));

  it('a 24 MB NDJSON body', async () => {
    const turns = await turnsDuring(() => prepareBody({ body: bulk, contentType: 'application/x-ndjson', query: new URLSearchParams() }, 'ndjson'));
    // One slice per 512 K characters (and per 4 MB decoded): read in one go, this was 0.
    expect(turns).toBeGreaterThanOrEqual(40);
  });

  it('a 16 MB JSON body', async () => {
    const turns = await turnsDuring(() => prepareBody({ body: mget, contentType: 'application/json', query: new URLSearchParams() }, 'json'));
    expect(turns).toBeGreaterThanOrEqual(25);
  });

  it('a large body still goes upstream whole and canonical', async () => {
    const res = await send(f.base, f.writer, { method: 'POST', path: '/_bulk', body: bulk, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    const arrived = f.t.upstream.requests.at(-1);
    expect(arrived?.bodyBytes).toBe(bulk.length);
  }, 60_000);
});

describe('the continuation sniffer is linear in the answer', () => {
  it('reads a top-level id from an answer delivered one byte at a time', () => {
    const answer = Buffer.from(JSON.stringify({ is_running: true, response: { hits: { hits: Array.from({ length: 4000 }, (_, i) => ({ _source: { id: `inner-${i}` } })) } }, id: 'FmRlZmF1bHQ=' }));
    const scanner = new TopLevelIdScanner(new Set(['id']));
    const started = performance.now();
    for (let i = 0; i < answer.length && !scanner.finished; i++) scanner.push(answer.subarray(i, i + 1));
    // The head is only 64 KiB: the id after a large response is not looked for.
    expect(answer.length).toBeGreaterThan(64 * 1024);
    expect(scanner.found).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('takes the top-level id, never one nested in a document, whatever the chunking', () => {
    const answer = Buffer.from('{"response":{"id":"nested","hits":[{"id":"doc"}]},"is_partial":true,"id":"top-level-id","x":"y"}');
    for (const size of [1, 2, 3, 7, 1000]) {
      const scanner = new TopLevelIdScanner(new Set(['id']));
      for (let i = 0; i < answer.length; i += size) scanner.push(answer.subarray(i, i + size));
      expect(scanner.found).toBe('top-level-id');
    }
  });

  it('ignores a key that only contains the wanted name, and string values that look like keys', () => {
    const scanner = new TopLevelIdScanner(new Set(['_scroll_id']));
    scanner.push(Buffer.from('{"note":"\\"_scroll_id\\":\\"fake\\"","x_scroll_id":"no","_scroll_id":"real"}'));
    expect(scanner.found).toBe('real');
  });
});

describe('one huge string is read in slices too (attacker review)', () => {
  const escaped = '\\u0041\\n'.repeat(2_000_000); // 16 MB of escapes
  const plain = 'a'.repeat(24 * 1024 * 1024);

  it.each([
    ['escaped', `{"query":{"match":{"f":"${escaped}"}}}`],
    ['plain', `{"query":{"match":{"f":"${plain}"}}}`],
  ])('a %s string of many megabytes', async (_kind, text) => {
    const body = Buffer.from(text);
    let prepared: Awaited<ReturnType<typeof prepareBody>>;
    const turns = await turnsDuring(async () => {
      prepared = await prepareBody({ body, contentType: 'application/json', query: new URLSearchParams() }, 'json');
    });
    expect(turns).toBeGreaterThanOrEqual(20);
    // Read exactly: the canonical text is what JSON.stringify writes for the same value.
    const expected = JSON.stringify(JSON.parse(text));
    expect(prepared!.parsed.bytes.toString('utf8')).toBe(expected);
  }, 60_000);

  it('keeps an escaped surrogate pair cut by a chunk boundary', async () => {
    const pair = '\\ud83d\\ude00';
    const text = `{"s":"${'x'.repeat(256 * 1024 - 3)}${pair.repeat(200_000)}"}`;
    const prepared = await prepareBody({ body: Buffer.from(text), contentType: 'application/json', query: new URLSearchParams() }, 'json');
    const arrived = JSON.parse(prepared!.parsed.bytes.toString('utf8')) as { s: string };
    expect(arrived.s).toBe((JSON.parse(text) as { s: string }).s);
  }, 60_000);
});
