import { describe, expect, it } from 'vitest';
import { apiKeyCsv, csvFileName } from '../../console/src/csv.js';

const KEY = { id: 'VuaCfGcBCdbkQm-e5aOx', name: 'ingest', api_key: 'ui2lp2axTNmsyakw9tvNnw', encoded: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==', expiration: Date.UTC(2027, 2, 1) };

describe('API key CSV', () => {
  it('has the Cloud UI columns and one row', () => {
    expect(apiKeyCsv(KEY)).toBe(
      'id,name,api_key,encoded,expiration\r\n' +
        'VuaCfGcBCdbkQm-e5aOx,ingest,ui2lp2axTNmsyakw9tvNnw,VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==,2027-03-01T00:00:00.000Z\r\n',
    );
  });

  it('leaves the expiration empty for keys that never expire', () => {
    expect(apiKeyCsv({ ...KEY, expiration: undefined }).split('\r\n')[1]).toMatch(/==,$/);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    const row = apiKeyCsv({ ...KEY, name: 'a "b", c\nd' }).split('\r\n').slice(1).join('\r\n');
    expect(row).toContain(',"a ""b"", c\nd",');
  });

  it('keeps a name that a spreadsheet would run as a formula from being one', () => {
    expect(apiKeyCsv({ ...KEY, name: '=HYPERLINK("x")' })).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(apiKeyCsv({ ...KEY, name: '@cmd' })).toContain(",'@cmd,");
  });

  it('names the file after the key, without path characters', () => {
    expect(csvFileName({ ...KEY, name: '../etc/passwd' })).toBe('api-key-_etc_passwd.csv');
    expect(csvFileName({ ...KEY, name: '日本' })).toBe('api-key-_.csv');
  });
});
