// Shared steps of the API key tests: users with one role, creating keys, ApiKey headers.
import type { TestApp } from '../support/test-app.js';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
export const USER_PASSWORD = 'user-Secret-0815';
export const CHALLENGES = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'];

export async function userWithRole(t: TestApp, username: string, role: string, descriptor: Record<string, unknown>): Promise<void> {
  await t.ctx.roles.put(role, parseRoleDescriptor(role, descriptor, { allowDescription: false }));
  await t.ctx.users.create({ username, password: USER_PASSWORD, roles: [role] });
}

export function basicAs(t: TestApp, username?: string): Record<string, string> {
  return { ...JSON_HEADERS, authorization: username === undefined ? t.basic() : t.basic(username, USER_PASSWORD) };
}

export function apiKeyAs(encoded: string): Record<string, string> {
  return { ...JSON_HEADERS, authorization: `ApiKey ${encoded}` };
}

export interface Created {
  id: string;
  name: string;
  api_key: string;
  encoded: string;
  expiration?: number;
}

export async function createKey(t: TestApp, headers: Record<string, string>, body: Record<string, unknown>): Promise<Created> {
  const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers, payload: body });
  if (res.statusCode !== 200) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as Created;
}
