import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { apiKeyAs, basicAs, CHALLENGES, createKey, userWithRole, type Created } from './api-key-helpers.js';

const json = { 'content-type': 'application/json' };
const DAY = 86_400_000;

describe('POST|PUT /_security/api_key and ApiKey authentication', () => {
  let t: TestApp;
  const asElastic = () => ({ ...json, authorization: t.basic() });
  const asKey = (encoded: string) => ({ ...json, authorization: `ApiKey ${encoded}` });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('creates a key like the Elasticsearch docs example and the encoded value is base64 of id:api_key', async () => {
    const now = t.clock.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/api_key',
      headers: asElastic(),
      payload: {
        name: 'my-api-key',
        expiration: '1d',
        role_descriptors: { 'role-a': { cluster: ['all'], indices: [{ names: ['index-a*'], privileges: ['read'] }] } },
        metadata: { application: 'my-application', environment: { level: 1, trusted: true, tags: ['dev', 'staging'] } },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['id', 'name', 'expiration', 'api_key', 'encoded']);
    expect(body.name).toBe('my-api-key');
    expect(body.expiration).toBe(now + DAY);
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(body.api_key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.encoded).toHaveLength(60);
    expect(Buffer.from(body.encoded, 'base64').toString()).toBe(`${body.id}:${body.api_key}`);
  });

  it('authenticates with the encoded key and _authenticate shows the owner, no roles and the _es_api_key realm', async () => {
    const created = (
      await t.app.inject({ method: 'PUT', url: '/_security/api_key', headers: asElastic(), payload: { name: 'who-am-i' } })
    ).json();
    expect(created).not.toHaveProperty('expiration');
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: asKey(created.encoded) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      username: 'elastic',
      roles: [],
      full_name: null,
      email: null,
      // The owner's metadata as the key stored it: elastic is a reserved user.
      metadata: { _reserved: true },
      enabled: true,
      authentication_realm: { name: '_es_api_key', type: '_es_api_key' },
      lookup_realm: { name: '_es_api_key', type: '_es_api_key' },
      authentication_type: 'api_key',
      api_key: { id: created.id, name: 'who-am-i' },
    });
  });
});

describe('API key creation rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'own_user', 'own_keys', { cluster: ['manage_own_api_key'], indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    await userWithRole(t, 'monitor_user', 'monitor_only', { cluster: ['monitor'] });
  });
  afterAll(() => t.close());

  it.each([
    ['a missing name', {}, 'Validation Failed: 1: api key name is required;'],
    ['an empty name', { name: '' }, 'Validation Failed: 1: api key name is required;'],
    ['a name over 256 characters', { name: 'n'.repeat(257) }, 'Validation Failed: 1: api key name may not be more than 256 characters long;'],
    ['a name with surrounding whitespace', { name: ' k ' }, 'Validation Failed: 1: api key name may not begin or end with whitespace;'],
    ['a name starting with an underscore', { name: '_k' }, 'Validation Failed: 1: api key name may not begin with an underscore;'],
    ['metadata keys starting with _', { name: 'k', metadata: { _x: 1 } }, 'Validation Failed: 1: API key metadata keys may not start with [_];'],
    [
      'several problems at once, numbered',
      { name: '_ k ', metadata: { _x: 1 } },
      'Validation Failed: 1: api key name may not begin or end with whitespace;2: api key name may not begin with an underscore;3: API key metadata keys may not start with [_];',
    ],
  ])('answers 400 action_request_validation_exception for %s', async (_label, payload, reason) => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { root_cause: [{ type: 'action_request_validation_exception', reason }], type: 'action_request_validation_exception', reason }, status: 400 });
  });

  it('answers 400 parse_exception for an expiration that is not a time value', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t), payload: { name: 'k', expiration: '1w' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'parse_exception', reason: 'failed to parse setting [expiration] with value [1w] as a time value: unit is missing or unrecognized' });
  });

  it('validates role descriptors like roles and refuses a description', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t), payload: { name: 'k', role_descriptors: { r: { cluster: ['fly'] } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.reason).toMatch(/^unknown cluster privilege \[fly\]/);
    const description = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t), payload: { name: 'k', role_descriptors: { r: { description: 'x' } } } });
    expect(description.statusCode).toBe(400);
    expect(description.json().error).toMatchObject({ type: 'parse_exception', reason: 'failed to parse role [r]. unexpected field [description]' });
  });

  it('answers 400 when the body is missing or has unknown fields', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ type: 'parse_exception', reason: 'request body is required' });
    const unknown = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t), payload: { name: 'k', colour: 'red' } });
    expect(unknown.json().error).toMatchObject({ type: 'x_content_parse_exception', reason: '[api_key_request] unknown field [colour]' });
  });

  it('accepts refresh=true|false|wait_for like Elasticsearch and refuses other values', async () => {
    for (const refresh of ['true', 'false', 'wait_for']) {
      const res = await t.app.inject({ method: 'POST', url: `/_security/api_key?refresh=${refresh}`, headers: basicAs(t), payload: { name: `r-${refresh}` } });
      expect(res.statusCode).toBe(200);
    }
    const bad = await t.app.inject({ method: 'POST', url: '/_security/api_key?refresh=soon', headers: basicAs(t), payload: { name: 'r' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ type: 'illegal_argument_exception', reason: 'Unknown value for refresh: [soon].' });
  });

  it('rounds the expiration down to whole seconds; a sub-second expiration makes a key that is already expired', async () => {
    const key = await createKey(t, basicAs(t), { name: 'short', expiration: '1500ms' });
    expect(key.expiration).toBe(t.clock.now() + 1000);
    const instant = await createKey(t, basicAs(t), { name: 'instant', expiration: '999ms' });
    expect(instant.expiration).toBe(t.clock.now());
    t.clock.advance(1);
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(instant.encoded) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.additional_unsuccessful_credentials).toBe('API key: api key is expired');
  });

  it('lets a manage_own_api_key user create keys, owned by that user and its realm', async () => {
    const key = await createKey(t, basicAs(t, 'own_user'), { name: 'mine' });
    const res = await t.app.inject({ url: `/_security/api_key?id=${key.id}`, headers: basicAs(t) });
    expect(res.json().api_keys[0]).toMatchObject({ id: key.id, username: 'own_user', realm: 'default_native', realm_type: 'native' });
  });

  it('refuses creation with 403 to a user without an API key privilege', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t, 'monitor_user'), payload: { name: 'k' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/api_key/create] is unauthorized for user [monitor_user] with effective roles [monitor_only], this action is granted by the cluster privileges [manage_api_key,manage_security,all]',
    );
  });

  it('snapshots the owner’s role descriptors as limited_by, unaffected by later role changes', async () => {
    const key = await createKey(t, basicAs(t, 'own_user'), { name: 'snap' });
    await t.ctx.roles.put('own_keys', parseRoleDescriptor('own_keys', { cluster: ['manage_own_api_key', 'monitor'] }, { allowDescription: false }));
    const res = await t.app.inject({ url: `/_security/api_key?id=${key.id}&with_limited_by=true`, headers: basicAs(t) });
    expect(res.json().api_keys[0].limited_by).toEqual([
      {
        own_keys: {
          cluster: ['manage_own_api_key'],
          indices: [{ names: ['logs-*'], privileges: ['read'], allow_restricted_indices: false }],
          applications: [],
          run_as: [],
          metadata: {},
          transient_metadata: { enabled: true },
        },
      },
    ]);
  });
});

describe('derived API keys', () => {
  let t: TestApp;
  let parent: Created;
  beforeAll(async () => {
    t = await buildTestApp();
    parent = await createKey(t, basicAs(t), { name: 'parent' });
  });
  afterAll(() => t.close());

  const DERIVED = 'creating derived api keys requires an explicit role descriptor that is empty (has no privileges)';

  it.each([
    ['no role_descriptors', { name: 'child' }],
    ['empty role_descriptors', { name: 'child', role_descriptors: {} }],
    ['a descriptor with privileges', { name: 'child', role_descriptors: { r: { cluster: ['monitor'] } } }],
  ])('answers 400 to an API key creating a key with %s', async (_label, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: apiKeyAs(parent.encoded), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'illegal_argument_exception', reason: DERIVED });
  });

  it('lets an API key create a key whose descriptors grant nothing, owned by the same user', async () => {
    const child = await createKey(t, apiKeyAs(parent.encoded), { name: 'child', role_descriptors: { noop: {} } });
    const me = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(child.encoded) });
    expect(me.json()).toMatchObject({ username: 'elastic', api_key: { id: child.id, name: 'child' } });
    const get = await t.app.inject({ url: `/_security/api_key?id=${child.id}`, headers: basicAs(t) });
    expect(get.json().api_keys[0]).toMatchObject({ username: 'elastic', realm: 'reserved' });
    const privileges = await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: apiKeyAs(child.encoded), payload: { cluster: ['monitor'] } });
    expect(privileges.json()).toMatchObject({ has_all_requested: false, cluster: { monitor: false } });
  });
});

describe('ApiKey authentication failures', () => {
  let t: TestApp;
  let key: Created;
  beforeAll(async () => {
    t = await buildTestApp();
    key = await createKey(t, basicAs(t), { name: 'k', expiration: '1h' });
  });
  afterAll(() => t.close());

  const REASON = 'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
  function unsuccessful(message: string) {
    const cause = { type: 'security_exception', reason: REASON, additional_unsuccessful_credentials: message, header: { 'WWW-Authenticate': CHALLENGES } };
    return { error: { root_cause: [cause], ...cause }, status: 401 };
  }
  const encode = (text: string) => Buffer.from(text).toString('base64');

  it.each([
    ['an unknown id', () => encode('AAAAAAAAAAAAAAAAAAAA:whatever'), 'API key: unable to find apikey with id AAAAAAAAAAAAAAAAAAAA'],
    ['a wrong secret', () => encode(`${key.id}:wrong-secret-wrong-sec`), () => `API key: invalid credentials for API key [${key.id}]`],
    ['a value without a colon', () => encode('no-colon-here'), 'API key: invalid ApiKey value'],
    ['an empty id', () => encode(':secret'), 'API key: invalid ApiKey value'],
    ['a value that is not base64', () => 'not!base64', 'API key: Illegal base64 character 21'],
  ])('answers 401 naming the failure for %s', async (_label, value, message) => {
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: `ApiKey ${value()}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(unsuccessful(typeof message === 'function' ? message() : message));
    expect([res.headers['www-authenticate']].flat()).toEqual(CHALLENGES);
  });

  it('answers "missing authentication credentials" for "ApiKey " with nothing after it', async () => {
    const res = await t.app.inject({ url: '/', headers: { authorization: 'ApiKey ' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('missing authentication credentials for REST request [/]');
  });

  it('accepts the scheme in any letter case', async () => {
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `APIKEY ${key.encoded}` } });
    expect(res.statusCode).toBe(200);
  });

  it('sends X-Elastic-Api-Key-Expiration (ISO-8601 UTC) on esgate-written and proxied responses for an expiring key', async () => {
    const expected = new Date(key.expiration as number).toISOString();
    const own = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(key.encoded) });
    expect(own.headers['x-elastic-api-key-expiration']).toBe(expected);
    const proxied = await t.app.inject({ url: '/_cluster/health', headers: apiKeyAs(key.encoded) });
    expect(proxied.statusCode).toBe(200);
    expect(proxied.headers['x-elastic-api-key-expiration']).toBe(expected);
    const basic = await t.app.inject({ url: '/_cluster/health', headers: basicAs(t) });
    expect(basic.headers).not.toHaveProperty('x-elastic-api-key-expiration');
  });

  it('sends no expiration header for a key that never expires', async () => {
    const forever = await createKey(t, basicAs(t), { name: 'forever' });
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(forever.encoded) });
    expect(res.statusCode).toBe(200);
    expect(res.headers).not.toHaveProperty('x-elastic-api-key-expiration');
  });

  it('answers "api key is expired" once the fixed clock passes the expiration, and not a millisecond before', async () => {
    const k = await createKey(t, basicAs(t), { name: 'hour', expiration: '1h' });
    t.clock.advance(3_600_000);
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(k.encoded) })).statusCode).toBe(200);
    t.clock.advance(1);
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(k.encoded) });
    expect(res.json()).toEqual(unsuccessful('API key: api key is expired'));
  });

  it('answers "api key has been invalidated" on the very next request after invalidation, even for a cached key', async () => {
    const k = await createKey(t, basicAs(t), { name: 'soon-gone' });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(k.encoded) })).statusCode).toBe(200);
    const del = await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [k.id] } });
    expect(del.json().invalidated_api_keys).toEqual([k.id]);
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(k.encoded) });
    expect(res.json()).toEqual(unsuccessful('API key: api key has been invalidated'));
  });

  it('reports the invalidation before a wrong secret, as Elasticsearch validates in that order', async () => {
    const k = await createKey(t, basicAs(t), { name: 'order' });
    await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [k.id] } });
    const res = await t.app.inject({ url: '/', headers: { authorization: `ApiKey ${encode(`${k.id}:wrong`)}` } });
    expect(res.json().error.additional_unsuccessful_credentials).toBe('API key: api key has been invalidated');
  });

  it('keeps working when the owner is later disabled or deleted, as Elasticsearch does not check the owner of an API key', async () => {
    await userWithRole(t, 'leaver', 'leaver_role', { cluster: ['manage_own_api_key', 'monitor'] });
    const k = await createKey(t, basicAs(t, 'leaver'), { name: 'outlives-owner' });
    await t.ctx.users.setEnabled('leaver', false);
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(k.encoded) })).json().username).toBe('leaver');
    await t.ctx.users.delete('leaver');
    const res = await t.app.inject({ url: '/_cluster/health', headers: apiKeyAs(k.encoded) });
    expect(res.statusCode).toBe(200);
  });

  it('authenticates es-secondary-authorization with an API key and fails the request when that key is bad', async () => {
    const secondary = await createKey(t, basicAs(t), { name: 'secondary' });
    const ok = await t.app.inject({ url: '/_security/_authenticate', headers: { ...basicAs(t), 'es-secondary-authorization': `ApiKey ${secondary.encoded}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().authentication_type).toBe('realm');
    const bad = await t.app.inject({ url: '/_security/_authenticate', headers: { ...basicAs(t), 'es-secondary-authorization': `ApiKey ${encode(`${secondary.id}:nope`)}` } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toMatchObject({ reason: 'Failed to authenticate secondary user', caused_by: { reason: REASON } });
  });

  it('never returns or logs the secret', async () => {
    const k = await createKey(t, basicAs(t), { name: 'quiet' });
    await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(k.encoded) });
    const get = await t.app.inject({ url: `/_security/api_key?id=${k.id}`, headers: basicAs(t) });
    expect(get.body).not.toContain(k.api_key);
    const logs = t.logs.lines.map((line) => JSON.stringify(line)).join('\n');
    expect(logs).not.toContain(k.api_key);
    expect(logs).not.toContain(k.encoded);
  });
});
