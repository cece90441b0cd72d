// Role and continuation-binding behaviour every store shares.
import { expect, it } from 'vitest';
import type { RoleRecord } from '../../src/store/types.js';
import type { ContractContext } from './contract.js';

export function roleContract(c: ContractContext): void {
  const role = (name: string, descriptor: Record<string, unknown> = { cluster: ['monitor'] }): RoleRecord => ({
    name,
    descriptor,
    createdAt: c.now(),
    updatedAt: c.now(),
  });

  it('puts a role, reporting it created, then replaces it keeping created_at', async () => {
    const first = role('reader', { cluster: [], indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    expect(await c.store().roles.put(first)).toEqual({ created: true });
    expect(await c.store().roles.get('reader')).toEqual(first);
    const later = c.advance(1000);
    const second = { ...role('reader', { cluster: ['all'] }), createdAt: later, updatedAt: later };
    expect(await c.store().roles.put(second)).toEqual({ created: false });
    expect(await c.store().roles.get('reader')).toEqual({ ...second, createdAt: first.createdAt });
  });

  it('lists roles ordered by name (bytewise) and deletes, answering whether one was deleted', async () => {
    for (const name of ['zeta', 'Alpha', 'beta']) await c.store().roles.put(role(name));
    expect((await c.store().roles.list()).map((r) => r.name)).toEqual(['Alpha', 'beta', 'zeta']);
    expect(await c.store().roles.delete('beta')).toBe(true);
    expect(await c.store().roles.delete('beta')).toBe(false);
    expect(await c.store().roles.get('beta')).toBeNull();
  });

  it('keeps the descriptor JSON as given, key order included', async () => {
    const descriptor = { run_as: ['x'], cluster: ['monitor'], metadata: { 'ü': "it's" } };
    await c.store().roles.put(role('ordered', descriptor));
    expect(Object.keys((await c.store().roles.get('ordered'))!.descriptor)).toEqual(['run_as', 'cluster', 'metadata']);
  });
}

export function continuationContract(c: ContractContext): void {
  const binding = (owner: string, ttl = 60_000) => ({ owner, expiresAt: c.now() + ttl });

  it('binds an id to its owner and shows the binding to another connection', async () => {
    expect(await c.store().continuations.bind('scroll', 'd1', binding('alice'), c.now())).toEqual(binding('alice'));
    const other = await c.peer();
    expect(await other.continuations.get('scroll', 'd1', c.now())).toEqual(binding('alice'));
    // Kinds are separate namespaces.
    expect(await other.continuations.get('pit', 'd1', c.now())).toBeNull();
  });

  it('never hands a live binding to another owner, from any connection; its owner may renew it', async () => {
    await c.store().continuations.bind('pit', 'd2', binding('alice'), c.now());
    const other = await c.peer();
    expect(await other.continuations.bind('pit', 'd2', binding('mallory'), c.now())).toEqual(binding('alice'));
    expect((await c.store().continuations.get('pit', 'd2', c.now()))?.owner).toBe('alice');
    expect(await other.continuations.bind('pit', 'd2', binding('alice', 120_000), c.now())).toEqual(binding('alice', 120_000));
  });

  it('treats an expired binding as absent, lets a new owner take the id, and housekeeping removes expired ones', async () => {
    await c.store().continuations.bind('async_search', 'd3', binding('alice', 1000), c.now());
    await c.store().continuations.bind('async_search', 'd4', binding('alice', 1000), c.now());
    await c.store().continuations.bind('async_search', 'd5', binding('bob', 10_000), c.now());
    c.advance(1000);
    expect(await c.store().continuations.get('async_search', 'd3', c.now())).toBeNull();
    expect(await c.store().continuations.bind('async_search', 'd3', binding('bob'), c.now())).toEqual(binding('bob'));
    expect(await c.store().continuations.deleteExpired(c.now(), 10)).toBe(1);
    expect(await c.store().continuations.deleteExpired(c.now(), 10)).toBe(0);
    expect(await c.store().continuations.get('async_search', 'd5', c.now())).not.toBeNull();
  });

  it('forgets a binding on delete', async () => {
    await c.store().continuations.bind('scroll', 'd6', binding('alice'), c.now());
    expect(await c.store().continuations.delete('scroll', 'd6')).toBe(true);
    expect(await c.store().continuations.delete('scroll', 'd6')).toBe(false);
    expect(await c.store().continuations.get('scroll', 'd6', c.now())).toBeNull();
  });

  it('lets exactly one of many owners racing for a new id over two connections win', async () => {
    const other = await c.peer();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? c.store() : other).continuations.bind('scroll', 'race', binding(`owner-${i}`), c.now())));
    const owners = new Set(results.map((r) => r.owner));
    expect(owners.size).toBe(1);
    expect((await c.store().continuations.get('scroll', 'race', c.now()))?.owner).toBe([...owners][0]);
  });
}
