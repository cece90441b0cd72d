// Shared set-up for the "forward exactly what was authorized" regressions: a reader of `logs-*`,
// a writer of `logs-*`, and a superuser, over a real socket in front of the recording upstream.
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

export interface ForwardingApp {
  readonly t: TestApp;
  readonly base: string;
  readonly reader: string;
  readonly writer: string;
  readonly elastic: string;
}

export async function forwardingApp(): Promise<ForwardingApp> {
  const t = await buildTestApp();
  await t.ctx.roles.put('logs_reader', parseRoleDescriptor('logs_reader', { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read', 'view_index_metadata'] }] }, { allowDescription: true }));
  await t.ctx.roles.put('logs_writer', parseRoleDescriptor('logs_writer', { indices: [{ names: ['logs-*'], privileges: ['read', 'write', 'create_index', 'manage'] }] }, { allowDescription: true }));
  await t.ctx.users.create({ username: 'rdeniro', password: 'taxidriver', roles: ['logs_reader'] });
  await t.ctx.users.create({ username: 'scribe', password: 'scribe-password', roles: ['logs_writer'] });
  const base = await t.listen();
  return { t, base, reader: t.basic('rdeniro', 'taxidriver'), writer: t.basic('scribe', 'scribe-password'), elastic: t.basic() };
}

/** The body the upstream received last, as text. */
export function lastBody(t: TestApp): string {
  return t.upstream.requests.at(-1)?.body.toString('utf8') ?? '';
}
