import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const URL = '/_security/oauth2/token';

describe('DELETE /_security/oauth2/token', () => {
  let t: TestApp;
  const json = (method: 'POST' | 'DELETE', payload: unknown) =>
    t.app.inject({ method, url: URL, headers: { authorization: t.basic(), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const passwordGrant = async (username = 'alice') =>
    (await json('POST', { grant_type: 'password', username, password: 'alice-password' })).json() as { access_token: string; refresh_token: string };
  const status = async (token: string) => (await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } })).statusCode;
  const counts = (invalidated: number, previously: number) => ({ invalidated_tokens: invalidated, previously_invalidated_tokens: previously, error_count: 0 });

  beforeAll(async () => {
    t = await buildTestApp();
    for (const username of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
      await t.ctx.users.create({ username, password: 'alice-password', roles: [] });
    }
  });
  afterAll(() => t.close());

  it('invalidates an access token, effective on the next request with token expired', async () => {
    const { access_token } = await passwordGrant();
    expect(await status(access_token)).toBe(200);
    const res = await json('DELETE', { token: access_token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(counts(1, 0));
    const after = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${access_token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.reason).toBe('token expired');
    expect((await json('DELETE', { token: access_token })).json()).toEqual(counts(0, 1));
  });

  it('invalidates a refresh token and leaves its access token valid', async () => {
    const pair = await passwordGrant();
    expect((await json('DELETE', { refresh_token: pair.refresh_token })).json()).toEqual(counts(1, 0));
    expect(await status(pair.access_token)).toBe(200);
    expect((await json('DELETE', { refresh_token: pair.refresh_token })).json()).toEqual(counts(0, 1));
  });

  it.each([
    ['an unknown token', { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['an undecodable token', { token: '!!not a token!!' }],
    ['an unknown refresh token', { refresh_token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
  ])('answers 404 with zero counts for %s', async (_label, payload) => {
    const res = await json('DELETE', payload);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(counts(0, 0));
  });

  it('invalidates every active token of a user, counting the access and the refresh token of each', async () => {
    const first = await passwordGrant('bob');
    const second = await passwordGrant('bob');
    const unrelated = await passwordGrant('carol');
    const res = await json('DELETE', { username: 'bob' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(counts(4, 0));
    expect(await status(first.access_token)).toBe(401);
    expect(await status(second.access_token)).toBe(401);
    expect(await status(unrelated.access_token)).toBe(200);
    expect((await json('POST', { grant_type: 'refresh_token', refresh_token: first.refresh_token })).json().error_description).toBe(
      'token has been invalidated',
    );
    expect((await json('DELETE', { username: 'bob' })).json()).toEqual(counts(0, 0));
  });

  it('counts a token invalidated earlier among previously_invalidated_tokens', async () => {
    const pair = await passwordGrant('dave');
    await json('DELETE', { token: pair.access_token });
    expect((await json('DELETE', { username: 'dave' })).json()).toEqual(counts(1, 1));
  });

  it('invalidates by realm_name, and by realm_name and username together', async () => {
    const erin = await passwordGrant('erin');
    const frank = await passwordGrant('frank');
    const elastic = (await json('POST', { grant_type: 'client_credentials' })).json().access_token as string;
    expect((await json('DELETE', { realm_name: 'default_native', username: 'erin' })).json()).toEqual(counts(2, 0));
    expect(await status(frank.access_token)).toBe(200);
    const byRealm = (await json('DELETE', { realm_name: 'default_native' })).json();
    expect(byRealm.invalidated_tokens).toBeGreaterThanOrEqual(2);
    expect(await status(frank.access_token)).toBe(401);
    expect(await status(erin.access_token)).toBe(401);
    // elastic is in the reserved realm.
    expect(await status(elastic)).toBe(200);
    expect((await json('DELETE', { realm_name: 'reserved' })).json()).toEqual(counts(1, 0));
    expect(await status(elastic)).toBe(401);
  });

  it('answers 200 with zero counts when a user has no tokens', async () => {
    const res = await json('DELETE', { username: 'nobody-at-all' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(counts(0, 0));
  });

  it('refuses token and refresh_token together as Elasticsearch parser does', async () => {
    const res = await json('DELETE', { token: 'a', refresh_token: 'b' });
    expect(res.statusCode).toBe(400);
    const top = { type: 'x_content_parse_exception', reason: 'Failed to build [invalidate_token] after last required field arrived' };
    expect(res.json()).toEqual({
      error: { root_cause: [top], ...top, caused_by: { type: 'illegal_argument_exception', reason: 'only one of [token, refresh_token] may be sent per request' } },
      status: 400,
    });
  });

  it.each([
    [
      'a token with a username',
      { token: 'a', username: 'bob' },
      'Validation Failed: 1: token string must not be provided when realm name or username is specified;2: token type must not be provided when realm name or username is specified;',
    ],
    [
      'a refresh token with a realm name',
      { refresh_token: 'a', realm_name: 'default_native' },
      'Validation Failed: 1: token string must not be provided when realm name or username is specified;2: token type must not be provided when realm name or username is specified;',
    ],
    ['nothing', {}, 'Validation Failed: 1: token string must be provided when not specifying a realm name or a username;'],
    ['empty strings only', { token: '', username: '' }, 'Validation Failed: 1: token string must be provided when not specifying a realm name or a username;'],
  ])('answers a validation 400 for %s', async (_label, payload, reason) => {
    const res = await json('DELETE', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'action_request_validation_exception', reason });
  });

  it('answers x_content_parse_exception for an unknown field', async () => {
    const res = await json('DELETE', { user: 'bob' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toBe('[1:2] [invalidate_token] unknown field [user]');
  });

  it('stops the tokens of a user that is disabled, and of one that is deleted', async () => {
    await t.ctx.users.create({ username: 'gone', password: 'alice-password', roles: [] });
    const disabled = await passwordGrant('frank');
    const deleted = await passwordGrant('gone');
    await t.ctx.users.setEnabled('frank', false);
    await t.ctx.users.delete('gone');
    for (const token of [disabled.access_token, deleted.access_token]) {
      const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.additional_unsuccessful_credentials).toBe('oauth2 token: invalid token');
    }
    await t.ctx.users.setEnabled('frank', true);
    expect(await status(disabled.access_token)).toBe(200);
  });
});
