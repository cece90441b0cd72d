// Canonical is not JSON.stringify(JSON.parse(…)): that rounds 64-bit integers and big decimals and
// reorders integer-like keys. The cluster must receive the same document, only its spelling changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../authz-http/support.js';
import { parseCanonicalJson } from '../../src/authz/strict-json.js';
import { forwardingApp, lastBody, type ForwardingApp } from './support-forwarding.js';

let f: ForwardingApp;
beforeAll(async () => {
  f = await forwardingApp();
});
afterAll(() => f.t.close());

function deep(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

const PRECISE = [
  '{"query":{"term":{"id":9007199254740993}}',
  ',"big":18446744073709551615,"huge":1e400,"tiny":-1.5e-400,"neg0":-0,"dec":0.10000000000000000555',
  ',"order":{"b":1,"2":2,"a":3,"1":4}',
  ',"text":"caf\\u00e9 \\ud83d\\ude00 \\" \\\\ \\n tab\\t nul-free \\u2028","raw":"café 😀"',
  `,"deep":${deep(150)}}`,
].join('');

describe('the canonical body is lossless', () => {
  it('keeps 64-bit integers, huge and tiny numbers, -0, key order, escapes and deep nesting', async () => {
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/logs-1/_search', body: PRECISE.replace(/,/g, ' , ') });
    expect(sent.status, sent.text).toBe(200);
    const arrived = lastBody(f.t);
    expect(arrived).toContain('"id":9007199254740993');
    expect(arrived).toContain('"big":18446744073709551615');
    expect(arrived).toContain('"huge":1e400');
    expect(arrived).toContain('"tiny":-1.5e-400');
    expect(arrived).toContain('"neg0":-0');
    expect(arrived).toContain('"dec":0.10000000000000000555');
    expect(arrived).toContain('"order":{"b":1,"2":2,"a":3,"1":4}');
    // Escapes are decoded and written once, canonically: the same code points.
    const text = (JSON.parse(arrived) as { text: string }).text;
    expect(text).toBe('café 😀 " \\ \n tab\t nul-free \u2028');
    expect(arrived).toContain(deep(150));
    // Re-reading the forwarded text gives the same text: it is a fixed point.
    expect(parseCanonicalJson(arrived).canonical).toBe(arrived);
  });

  it('refuses a lone surrogate escape pair that is not well formed only where JSON allows it: kept as escapes', () => {
    const { canonical } = parseCanonicalJson('{"s":"\\ud800x"}');
    expect(canonical).toBe('{"s":"\\ud800x"}');
  });

  it('refuses nesting deeper than the reader allows, never walks past what it read', async () => {
    const before = f.t.upstream.requests.length;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/logs-1/_search', body: deep(1200) });
    expect(sent.status, sent.text).toBe(400);
    expect(sent.json.error.type).toBe('x_content_parse_exception');
    expect(f.t.upstream.requests.length).toBe(before);
  });

  it('finds a lookup however deep it is nested', async () => {
    const before = f.t.upstream.requests.length;
    const lookup = '{"terms":{"u":{"index":"secret","id":"1","path":"p"}}}';
    const body = `{"query":${'{"bool":{"must":'.repeat(400)}${lookup}${'}}'.repeat(400)}}`;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/logs-1/_search', body });
    expect(sent.status, sent.text).toBe(403);
    expect(f.t.upstream.requests.length).toBe(before);
  });
});
