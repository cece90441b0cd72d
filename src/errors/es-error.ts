// The one error type esgate answers with; rendered to Elasticsearch's error body in one place.
export type HeaderValues = Readonly<Record<string, string | readonly string[]>>;

export interface EsCause {
  readonly type: string;
  readonly reason: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface EsErrorOptions {
  /** Response headers; also rendered in the body's `header` field, as Elasticsearch does. */
  readonly headers?: HeaderValues;
  /** Rendered after `reason` (Elasticsearch's `es.*` exception metadata, without the prefix). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly causedBy?: EsCause;
  /** Internal cause for the log, never rendered. */
  readonly cause?: unknown;
}

export class EsError extends Error {
  readonly status: number;
  readonly type: string;
  readonly reason: string;
  readonly headers: HeaderValues | undefined;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  readonly causedBy: EsCause | undefined;

  constructor(status: number, type: string, reason: string, options: EsErrorOptions = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EsError';
    this.status = status;
    this.type = type;
    this.reason = reason;
    this.headers = options.headers;
    this.metadata = options.metadata;
    this.causedBy = options.causedBy;
  }

  /** Elasticsearch's body: {"error":{"root_cause":[…],type,reason,…},"status":N}. */
  toBody(): Record<string, unknown> {
    const rootCause = this.renderCause(false);
    return { error: { root_cause: [rootCause], ...this.renderCause(true) }, status: this.status };
  }

  private renderCause(withCausedBy: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.type, reason: this.reason };
    if (this.metadata) {
      for (const [key, value] of Object.entries(this.metadata)) {
        // Elasticsearch renders a one-element metadata list as a plain string.
        out[key] = Array.isArray(value) && value.length === 1 ? value[0] : value;
      }
    }
    if (withCausedBy && this.causedBy) {
      out['caused_by'] = { type: this.causedBy.type, reason: this.causedBy.reason, ...this.causedBy.metadata };
    }
    if (this.headers) {
      const header: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(this.headers)) {
        header[name] = Array.isArray(value) && value.length === 1 ? value[0] : value;
      }
      out['header'] = header;
    }
    return out;
  }
}

/**
 * Errors Elasticsearch's REST layer writes as a flat body ({"error":"text","status":N}), such as an
 * unknown route or method; clients see this shape and so must we.
 */
export class EsPlainError extends Error {
  readonly status: number;
  readonly headers: HeaderValues | undefined;

  constructor(status: number, message: string, headers?: HeaderValues) {
    super(message);
    this.name = 'EsPlainError';
    this.status = status;
    this.headers = headers;
  }

  toBody(): Record<string, unknown> {
    return { error: this.message, status: this.status };
  }
}
