// A real destination for pino that keeps every line, parsed, so tests read what was written.
import { Writable } from 'node:stream';

export interface LogSink extends Writable {
  readonly lines: Array<Record<string, unknown>>;
  readonly text: () => string;
}

export function logSink(): LogSink {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      raw.push(text);
      for (const line of text.split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  }) as LogSink;
  Object.assign(sink, { lines, text: () => raw.join('') });
  return sink;
}
