// Elasticsearch's time values ("20m", "1d", "500ms") and byte sizes ("100mb").
const TIME_UNITS: Readonly<Record<string, number>> = {
  nanos: 1e-6,
  micros: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const TIME_VALUE = /^(-?\d+)\s*(nanos|micros|ms|s|m|h|d)$/;

/** Parses an Elasticsearch time value into milliseconds; `null` when it is not one. */
export function parseTimeValue(value: string): number | null {
  const match = TIME_VALUE.exec(value.trim());
  if (!match) return null;
  const [, amount, unit] = match;
  const factor = TIME_UNITS[unit ?? ''];
  if (amount === undefined || factor === undefined) return null;
  return Math.floor(Number(amount) * factor);
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

const BYTE_SIZE = /^(\d+)\s*(b|kb|mb|gb)$/i;

/** Parses an Elasticsearch byte size ("100mb") into bytes; `null` when it is not one. */
export function parseByteSize(value: string): number | null {
  const match = BYTE_SIZE.exec(value.trim());
  if (!match) return null;
  const [, amount, unit] = match;
  const factor = BYTE_UNITS[(unit ?? '').toLowerCase()];
  if (amount === undefined || factor === undefined) return null;
  return Number(amount) * factor;
}
