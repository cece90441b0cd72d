import { describe, expect, it } from 'vitest';
import { describeExpiry, expirationValue, expiryState, formatDate } from '../../console/src/expiry.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const DAY = 86_400_000;

describe('API key expiry display', () => {
  it('says never for keys without an expiration', () => {
    expect(describeExpiry({}, NOW)).toBe('never expires');
    expect(describeExpiry({ expiration: null }, NOW)).toBe('never expires');
    expect(expiryState({}, NOW)).toBe('active');
  });

  it('counts whole days, hours and minutes left', () => {
    expect(describeExpiry({ expiration: NOW + 90 * DAY }, NOW)).toBe('expires in 90 days');
    expect(describeExpiry({ expiration: NOW + 90 * DAY - 5000 }, NOW)).toBe('expires in 90 days');
    expect(describeExpiry({ expiration: NOW + DAY + 1 }, NOW)).toBe('expires in 1 day');
    expect(describeExpiry({ expiration: NOW + 5 * 3_600_000 + 10 }, NOW)).toBe('expires in 5 hours');
    expect(describeExpiry({ expiration: NOW + 61_000 }, NOW)).toBe('expires in 2 minutes');
    expect(describeExpiry({ expiration: NOW + 1 }, NOW)).toBe('expires in 1 minute');
  });

  it('marks expired keys (at the expiration instant too) and says how long ago', () => {
    expect(expiryState({ expiration: NOW }, NOW)).toBe('expired');
    expect(describeExpiry({ expiration: NOW - 1000 }, NOW)).toBe('expired today');
    expect(describeExpiry({ expiration: NOW - 3 * DAY }, NOW)).toBe('expired 3 days ago');
  });

  it('puts invalidation before expiry', () => {
    expect(describeExpiry({ expiration: NOW - DAY, invalidated: true }, NOW)).toBe('invalidated');
    expect(expiryState({ invalidated: true }, NOW)).toBe('invalidated');
  });

  it('formats dates in UTC and a dash for none', () => {
    expect(formatDate(NOW)).toBe('2026-12-01 12:00:00 UTC');
    expect(formatDate(undefined)).toBe('—');
  });
});

describe('expiration choice', () => {
  it('sends presets as Elasticsearch time values and nothing for Never', () => {
    expect(expirationValue('90d', '', NOW)).toEqual({ value: '90d' });
    expect(expirationValue('365d', '', NOW)).toEqual({ value: '365d' });
    expect(expirationValue('never', '', NOW)).toEqual({});
  });

  it('turns a date into the seconds until the start of that day in local time', () => {
    const at = new Date(2027, 0, 31).getTime();
    expect(expirationValue('date', '2027-01-31', NOW)).toEqual({ value: `${Math.ceil((at - NOW) / 1000)}s` });
  });

  it('refuses a missing, malformed or past date', () => {
    expect(expirationValue('date', '', NOW).error).toBe('choose an expiration date');
    expect(expirationValue('date', '31/01/2027', NOW).error).toBe('choose an expiration date');
    expect(expirationValue('date', '2020-01-01', NOW).error).toBe('the expiration date must be in the future');
  });
});
