// The confused-deputy inventory (docs/inner-requests.json): every Elasticsearch API field where the
// cluster parses a query, template, script, percolator document or stored job has a row, and every
// row is covered here. Its probe names the index `@`: with `secret`, a caller who manages the
// cluster and owns `logs-*` is refused and nothing reaches the cluster; the twin (an allowed index,
// or the superuser for what only a reader of every index may do) is forwarded.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { send } from '../authz-http/support.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly ndjson?: boolean;
  readonly twin: 'team' | 'elastic';
  readonly as_user?: 'team' | 'indexer' | 'wide';
  /** The probe's own answer when the inner request reaches nothing it should not (no-inner-request, trust-boundary). */
  readonly expect_status?: number;
  readonly target_free?: boolean;
}

interface Row {
  readonly id: string;
  readonly handling: 'authorize' | 'refuse-unless-all' | 'trust-boundary' | 'denied-by-default' | 'no-inner-request';
  readonly es_source: readonly string[];
  readonly probe?: Probe;
  readonly readme?: string;
}

const inventory = JSON.parse(readFileSync(new URL('../../docs/inner-requests.json', import.meta.url), 'utf8')) as { rows: Row[] };
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

const PASSWORDS = { team: 'team-password', indexer: 'indexer-password', wide: 'wide-password' } as const;
let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await buildTestApp();
  const roles: Record<string, unknown> = {
    // Every cluster privilege but `all`, and everything on logs-*: the deputy's would-be master.
    team: { cluster: ['manage'], indices: [{ names: ['logs-*'], privileges: ['all'] }] },
    indexer: { indices: [{ names: ['logs-*'], privileges: ['read', 'index'] }] },
    wide: { indices: [{ names: ['*'], privileges: ['read'] }] },
  };
  for (const [name, json] of Object.entries(roles)) await t.ctx.roles.put(name, parseRoleDescriptor(name, json, { allowDescription: true }));
  for (const [name, password] of Object.entries(PASSWORDS)) await t.ctx.users.create({ username: name, password, roles: [name] });
  base = await t.listen();
});
afterAll(() => t.close());

function request(probe: Probe, target: string) {
  const headers = { 'content-type': probe.ndjson === true ? 'application/x-ndjson' : 'application/json' };
  const path = probe.path.replaceAll('@', target);
  return probe.body === undefined ? { method: probe.method, path } : { method: probe.method, path, body: probe.body.replaceAll('@', target), headers };
}

describe('the inventory of inner requests', () => {
  it('has a row for each of the instances issue 10 names, each with its source in Elasticsearch', () => {
    const ids = new Set(inventory.rows.map((r) => r.id));
    for (const id of ['percolator.index', 'percolator.bulk', 'percolator.update', 'stored.transform_dest', 'stored.ilm', 'stored.slm', 'template.phrase_collate', 'query.painless_execute']) expect(ids.has(id), id).toBe(true);
    for (const row of inventory.rows) expect(row.es_source.length, row.id).toBeGreaterThan(0);
  });

  it('states every trust boundary in the README', () => {
    for (const row of inventory.rows.filter((r) => r.handling === 'trust-boundary')) {
      expect(row.readme, row.id).toBeDefined();
      expect(README, row.id).toContain(row.readme as string);
    }
  });

  it.each(inventory.rows.map((row) => [row.id, row] as const))('%s is covered', async (_id, row) => {
    const probe = row.probe;
    expect(probe, `${row.id} has no probe`).toBeDefined();
    if (probe === undefined) return;
    const as = probe.as_user ?? 'team';
    const before = t.upstream.requests.length;
    const res = await send(base, t.basic(as, PASSWORDS[as]), request(probe, 'secret'));
    if (probe.expect_status !== undefined) {
      expect(res.status, res.text).toBe(probe.expect_status);
      expect(t.upstream.requests.length).toBe(before + 1);
      return;
    }
    expect([400, 403], res.text).toContain(res.status);
    expect(t.upstream.requests.length, `${row.id}: refused but forwarded`).toBe(before);
    const twinAuth = probe.twin === 'elastic' ? t.basic() : t.basic(probe.twin, PASSWORDS[probe.twin]);
    const twin = await send(base, twinAuth, request(probe, probe.target_free === true ? 'secret' : 'logs-2'));
    expect(twin.status, `${row.id} twin: ${twin.text}`).toBeLessThan(300);
    expect(t.upstream.requests.length, `${row.id}: twin not forwarded`).toBe(before + 1);
  });
});
