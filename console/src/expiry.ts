// How an API key's lifetime is shown and chosen. Pure functions of a key and "now" (unit-tested).

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface KeyLifetime {
  /** Epoch milliseconds; absent for keys that never expire. */
  readonly expiration?: number | null | undefined;
  readonly invalidated?: boolean | undefined;
}

export type ExpiryState = 'active' | 'expired' | 'invalidated';

export function expiryState(key: KeyLifetime, now: number): ExpiryState {
  if (key.invalidated === true) return 'invalidated';
  if (typeof key.expiration === 'number' && key.expiration <= now) return 'expired';
  return 'active';
}

/** "never", "expires in 90 days", "expires in 5 hours", "expired 3 days ago", "invalidated". */
export function describeExpiry(key: KeyLifetime, now: number): string {
  const state = expiryState(key, now);
  if (state === 'invalidated') return 'invalidated';
  if (typeof key.expiration !== 'number') return 'never expires';
  const left = key.expiration - now;
  if (state === 'expired') {
    const days = Math.floor(-left / DAY);
    return days === 0 ? 'expired today' : `expired ${plural(days, 'day')} ago`;
  }
  if (left < HOUR) return `expires in ${plural(Math.max(1, Math.ceil(left / 60_000)), 'minute')}`;
  if (left < DAY) return `expires in ${plural(Math.floor(left / HOUR), 'hour')}`;
  // Rounded: a 90-day key reads "90 days" right after it was generated, as in the Cloud UI.
  return `expires in ${plural(Math.round(left / DAY), 'day')}`;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The Cloud UI's choices; three months is its default, as here. */
export const EXPIRATION_PRESETS = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days (three months)' },
  { value: '365d', label: '1 year' },
  { value: 'never', label: 'Never' },
  { value: 'date', label: 'On a date…' },
] as const;
export type ExpirationPreset = (typeof EXPIRATION_PRESETS)[number]['value'];
export const DEFAULT_EXPIRATION: ExpirationPreset = '90d';

/**
 * The create API's `expiration` (an Elasticsearch time value) for a choice; undefined for never.
 * A date (YYYY-MM-DD) means the start of that day in the browser's time zone, counted in seconds.
 */
export function expirationValue(preset: ExpirationPreset, date: string, now: number): { value?: string; error?: string } {
  if (preset === 'never') return {};
  if (preset !== 'date') return { value: preset };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return { error: 'choose an expiration date' };
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  if (!Number.isFinite(at) || at <= now) return { error: 'the expiration date must be in the future' };
  return { value: `${Math.ceil((at - now) / 1000)}s` };
}

export function formatDate(epochMs: number | null | undefined): string {
  if (typeof epochMs !== 'number') return '—';
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
