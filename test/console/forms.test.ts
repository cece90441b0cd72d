import { describe, expect, it } from 'vitest';
import { createApiKeyBody } from '../../console/src/api-key-form.js';
import { parseJsonObject, nameList } from '../../console/src/json-field.js';
import { roleBody, roleFormOf } from '../../console/src/role-form.js';
import { listQuery } from '../../console/src/views/api-key-query.js';

const NOW = Date.UTC(2026, 11, 1);
const FORM = { name: ' ci ', preset: '90d' as const, date: '', roleDescriptors: '', metadata: '' };

describe('generate API key form', () => {
  it('sends the name and the default 90-day expiration', () => {
    expect(createApiKeyBody(FORM, NOW)).toEqual({ body: { name: 'ci', expiration: '90d' }, errors: [] });
  });

  it('sends no expiration for Never, and the JSON fields when given', () => {
    const { body } = createApiKeyBody({ ...FORM, preset: 'never', roleDescriptors: '{"r":{"cluster":["monitor"]}}', metadata: '{"team":"a"}' }, NOW);
    expect(body).toEqual({ name: 'ci', role_descriptors: { r: { cluster: ['monitor'] } }, metadata: { team: 'a' } });
  });

  it('lists every problem at once and sends nothing', () => {
    const result = createApiKeyBody({ ...FORM, name: '', preset: 'date', roleDescriptors: '{', metadata: '[1]' }, NOW);
    expect(result.body).toBeUndefined();
    expect(result.errors).toEqual(['name is required', 'choose an expiration date', expect.stringMatching(/^role descriptors: /), 'metadata must be a JSON object']);
  });
});

describe('JSON and list fields', () => {
  it('reads empty as absent and names the field in a syntax error', () => {
    expect(parseJsonObject('metadata', '  ')).toEqual({ ok: true, value: undefined });
    expect(parseJsonObject('metadata', 'nope')).toMatchObject({ ok: false, error: expect.stringMatching(/^metadata: /) });
  });

  it('splits names on commas and spaces', () => {
    expect(nameList(' read, write  monitor,,')).toEqual(['read', 'write', 'monitor']);
  });
});

describe('role form', () => {
  it('builds the role body and drops empty index rows', () => {
    const form = { cluster: ['monitor'], indices: [{ names: 'logs-*, metrics', privileges: 'read', allowRestricted: false }, { names: '', privileges: '', allowRestricted: false }], runAs: 'bob', metadata: '' };
    expect(roleBody(form, null)).toEqual({
      body: { cluster: ['monitor'], indices: [{ names: ['logs-*', 'metrics'], privileges: ['read'], allow_restricted_indices: false }], run_as: ['bob'], metadata: {} },
      errors: [],
    });
  });

  it('refuses a half-filled index row', () => {
    const form = { cluster: [], indices: [{ names: 'logs', privileges: '', allowRestricted: false }], runAs: '', metadata: '' };
    expect(roleBody(form, null).errors).toEqual(['index row 1 needs both names and privileges']);
  });

  it('keeps what the form does not edit (field security, applications) and drops transient metadata', () => {
    const stored = {
      cluster: ['all'],
      indices: [{ names: ['a'], privileges: ['read'], field_security: { grant: ['x'] } }],
      applications: [{ application: 'kibana', privileges: ['all'], resources: ['*'] }],
      transient_metadata: { enabled: true },
    };
    const { body } = roleBody(roleFormOf(stored), stored);
    expect(body).toEqual({
      cluster: ['all'],
      indices: [{ names: ['a'], privileges: ['read'], field_security: { grant: ['x'] }, allow_restricted_indices: false }],
      applications: stored.applications,
      run_as: [],
      metadata: {},
    });
  });
});

describe('API key list query', () => {
  it('matches everything, newest first, by default', () => {
    expect(listQuery('', false, 'creation:desc')).toEqual({ size: 100, sort: [{ creation: { order: 'desc' } }], query: { match_all: {} } });
  });

  it('filters by a case-insensitive name substring with wildcard characters escaped, and active keys only', () => {
    const query = listQuery(' ci*x ', true, 'name:asc');
    expect(query['sort']).toEqual([{ name: { order: 'asc' } }]);
    expect(query['query']).toEqual({
      bool: {
        must: [
          { wildcard: { name: { value: '*ci\\*x*', case_insensitive: true } } },
          { term: { invalidated: false } },
          { bool: { should: [{ range: { expiration: { gt: 'now' } } }, { bool: { must_not: { exists: { field: 'expiration' } } } }] } },
        ],
      },
    });
  });
});
