// The CSV the Cloud UI offers for a new API key: one header line and one row, RFC 4180 quoting.

export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly api_key: string;
  readonly encoded: string;
  readonly expiration?: number | undefined;
}

export const CSV_COLUMNS = ['id', 'name', 'api_key', 'encoded', 'expiration'] as const;

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A name a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function apiKeyCsv(key: NewApiKey): string {
  const expiration = key.expiration === undefined ? '' : new Date(key.expiration).toISOString();
  const row = [key.id, safeText(key.name), key.api_key, key.encoded, expiration].map(field);
  return `${CSV_COLUMNS.join(',')}\r\n${row.join(',')}\r\n`;
}

export const csvFileName = (key: NewApiKey) => `api-key-${key.name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60) || key.id}.csv`;
