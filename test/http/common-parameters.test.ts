// Elasticsearch's common parameters on esgate's own answers: filter_path, pretty, format=yaml,
// human and error_trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterPath } from '../../src/http/response-format.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('common parameters on esgate’s answers', () => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ url, headers: { authorization: t.basic() } });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('pretty-prints as Elasticsearch (Jackson: `"key" : value`, one element per line, newline at the end)', async () => {
    const res = await get('/_security/_authenticate?pretty');
    expect(res.body).toBe(
      [
        '{',
        '  "username" : "elastic",',
        '  "roles" : [',
        '    "superuser"',
        '  ],',
        '  "full_name" : null,',
        '  "email" : null,',
        '  "metadata" : {',
        '    "_reserved" : true',
        '  },',
        '  "enabled" : true,',
        '  "authentication_realm" : {',
        '    "name" : "reserved",',
        '    "type" : "reserved"',
        '  },',
        '  "lookup_realm" : {',
        '    "name" : "reserved",',
        '    "type" : "reserved"',
        '  },',
        '  "authentication_type" : "realm"',
        '}',
        '',
      ].join('\n'),
    );
    expect((await get('/_security/_authenticate?pretty=false')).body.startsWith('{"username"')).toBe(true);
  });

  it('filters with filter_path: names, wildcards, ** and exclusions', async () => {
    expect((await get('/_security/_authenticate?filter_path=username,authentication_realm.name')).json()).toEqual({ username: 'elastic', authentication_realm: { name: 'reserved' } });
    expect((await get('/_security/_authenticate?filter_path=*_realm.type')).json()).toEqual({ authentication_realm: { type: 'reserved' }, lookup_realm: { type: 'reserved' } });
    expect((await get('/_security/_authenticate?filter_path=**.type')).json()).toEqual({ authentication_realm: { type: 'reserved' }, lookup_realm: { type: 'reserved' } });
    const excluded = (await get('/_security/_authenticate?filter_path=-metadata,-*_realm')).json();
    expect(Object.keys(excluded)).toEqual(['username', 'roles', 'full_name', 'email', 'enabled', 'authentication_type']);
    expect((await get('/_security/_authenticate?filter_path=nothing')).json()).toEqual({});
  });

  it('filters inside arrays and applies to errors too', () => {
    expect(filterPath({ api_keys: [{ id: 'a', name: 'x' }, { id: 'b', name: 'y' }], total: 2 }, 'api_keys.id')).toEqual({ api_keys: [{ id: 'a' }, { id: 'b' }] });
  });

  it('answers YAML for format=yaml', async () => {
    const res = await get('/_security/_authenticate?format=yaml&filter_path=username,roles');
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(res.body).toBe('---\nusername: elastic\nroles:\n  - superuser\n');
  });

  it('accepts human and error_trace without sending a stack trace', async () => {
    const ok = await get('/_security/_authenticate?human=true');
    expect(ok.statusCode).toBe(200);
    const error = await get('/_security/user/nobody?error_trace=true&pretty');
    expect(error.statusCode).toBe(404);
    const failed = await t.app.inject({ method: 'DELETE', url: '/_security/user/elastic?error_trace=true&filter_path=error.type,status', headers: { authorization: t.basic() } });
    expect(failed.json()).toEqual({ error: { type: 'illegal_argument_exception' }, status: 400 });
    expect(failed.body).not.toContain('stack_trace');
  });
});
