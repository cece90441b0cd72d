// The audit file: one JSON line per event, written with a synchronous write(2) so the line is in
// the kernel (it survives a kill -9 of esgate) before the response it describes is sent. Reopened
// on SIGHUP for logrotate. A failed write is counted and logged, and esgate keeps serving.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { AUDIT_EVENTS, type AuditEventName, type Config } from '../config/schema.js';

export interface AuditCounters {
  linesWritten: number;
  writeErrors: number;
}

export function auditFile(config: Config): string {
  return config.audit.path === '' ? path.resolve(config.data_dir, 'audit.json') : path.resolve(config.audit.path);
}

/** The events written after include/exclude, as Elasticsearch's logfile.events.* settings. */
export function auditedEvents(events: Config['audit']['events']): ReadonlySet<AuditEventName> {
  const included = events.include.includes('_all') ? [...AUDIT_EVENTS] : (events.include as AuditEventName[]);
  const excluded = new Set<string>(events.exclude.includes('_all') ? AUDIT_EVENTS : events.exclude);
  return new Set(included.filter((name) => !excluded.has(name)));
}

export class AuditLog {
  private fd: number;
  readonly counters: AuditCounters = { linesWritten: 0, writeErrors: 0 };

  constructor(
    readonly file: string,
    readonly events: ReadonlySet<AuditEventName>,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.fd = AuditLog.open(file);
  }

  private static open(file: string): number {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    return openSync(file, 'a', 0o600);
  }

  wants(event: AuditEventName): boolean {
    return this.events.has(event);
  }

  /** Writes one event line now; returns once the kernel has it. */
  write(record: Readonly<Record<string, unknown>>): void {
    const line = `${JSON.stringify(record)}\n`;
    try {
      const bytes = Buffer.from(line, 'utf8');
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
      this.counters.linesWritten++;
    } catch (err) {
      this.counters.writeErrors++;
      this.logger.error({ err, file: this.file }, 'audit line not written');
    }
  }

  /** SIGHUP: logrotate moved the file; new lines go to a new file at the same path. */
  reopen(): void {
    try {
      const next = AuditLog.open(this.file);
      const previous = this.fd;
      this.fd = next;
      closeSync(previous);
    } catch (err) {
      this.logger.error({ err, file: this.file }, 'audit file not reopened; writing to the previous one');
    }
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
