// logging.format: text — pino's JSON lines turned into one readable line each, for people at a
// terminal: `2026-01-31T10:00:00.000Z INFO  request method=GET path=/ status=200 …`.
import { Writable } from 'node:stream';

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, printed in the line's head or not at all. */
const HEAD_FIELDS = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'reqId']);
const BARE = /^[^\s"=]+$/;

function formatValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/** One text line (without its newline) for one pino JSON line; lines that are not JSON pass as they are. */
export function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString() : String(entry['time'] ?? '');
  const level = LEVELS[entry['level'] as number] ?? String(entry['level']);
  const parts = [time, level, typeof entry['msg'] === 'string' ? entry['msg'] : ''];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(entry)) {
    if (HEAD_FIELDS.has(key) || value === undefined) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const err = value as { type?: string; message?: string; code?: unknown; stack?: string };
      parts.push(`err=${formatValue(`${err.type ?? 'Error'}: ${err.message ?? ''}`)}`);
      if (err.code !== undefined) parts.push(`err.code=${formatValue(err.code)}`);
      // An unexpected failure keeps its stack, indented under its line.
      stack = err.stack?.split('\n').slice(1).join('\n');
      continue;
    }
    parts.push(`${key}=${formatValue(value)}`);
  }
  const line = parts.join(' ');
  return stack ? `${line}\n${stack}` : line;
}

/** A pino destination that writes text lines to `destination`. */
export function textLogStream(destination: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = pending + String(chunk);
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      const out = lines.filter((line) => line !== '').map((line) => `${textLine(line)}\n`).join('');
      if (out === '') callback();
      else destination.write(out, callback);
    },
  });
}
