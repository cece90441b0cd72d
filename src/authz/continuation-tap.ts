// Reads the continuation id (`_scroll_id`, `id`, `pit_id`) from the top level of the upstream's
// answer while passing every byte through untouched. One streaming tokenizer: each byte is looked
// at once, whatever the chunking, so the cost is linear in the answer and bounded by SNIFF_BYTES.
// Only a top-level field counts, never an id quoted inside a document or a nested object.
import { Transform, type TransformCallback } from 'node:stream';

/** The answer's head that is read; Elasticsearch writes the id first. */
export const SNIFF_BYTES = 64 * 1024;
/** Longest id kept (ids are base64 of a few hundred bytes; PIT ids grow with the shard count). */
const MAX_ID_BYTES = 16 * 1024;

export type IdFields = ReadonlySet<string>;

const enum State {
  /** Outside strings, between tokens. */
  Between,
  /** Inside a string that is not kept (a nested key, any value we do not want). */
  SkipString,
  /** Inside a top-level key. */
  Key,
  /** After a wanted top-level key, before its value. */
  AfterKey,
  /** Inside the wanted value string. */
  Value,
}

/**
 * A push tokenizer over the JSON answer's bytes. Escapes are kept verbatim in keys and values: an
 * id with an escape is not one Elasticsearch writes, and a key spelled with an escape is not taken.
 */
export class TopLevelIdScanner {
  private state = State.Between;
  private depth = 0;
  private escaped = false;
  private expectingKey = false;
  private key: number[] = [];
  private value: number[] = [];
  private seen = 0;
  private done = false;
  found: string | undefined;

  constructor(private readonly fields: IdFields) {}

  /** Whether more input can still change the answer. */
  get finished(): boolean {
    return this.done;
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && !this.done; i++) this.byte(chunk[i] as number);
    this.seen += chunk.length;
    if (this.seen >= SNIFF_BYTES) this.done = true;
  }

  private byte(b: number): void {
    switch (this.state) {
      case State.SkipString:
      case State.Key:
      case State.Value:
        return this.inString(b);
      case State.AfterKey:
        if (b === 0x3a /* : */ || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) return;
        if (b === 0x22) {
          this.state = State.Value;
          this.value = [];
          return;
        }
        // Not a string value: not an id; go on with the structure.
        this.state = State.Between;
        return this.between(b);
      case State.Between:
        return this.between(b);
    }
  }

  private between(b: number): void {
    if (b === 0x7b /* { */ || b === 0x5b /* [ */) {
      this.depth++;
      this.expectingKey = b === 0x7b && this.depth === 1;
    } else if (b === 0x7d || b === 0x5d) {
      this.depth--;
      if (this.depth <= 0) this.done = true;
    } else if (b === 0x2c /* , */) {
      if (this.depth === 1) this.expectingKey = true;
    } else if (b === 0x22 /* " */) {
      if (this.depth === 1 && this.expectingKey) {
        this.state = State.Key;
        this.key = [];
      } else {
        this.state = State.SkipString;
      }
      this.expectingKey = false;
    }
  }

  private inString(b: number): void {
    if (this.escaped) {
      this.escaped = false;
      this.keep(b);
      return;
    }
    if (b === 0x5c /* \ */) {
      this.escaped = true;
      this.keep(b);
      return;
    }
    if (b !== 0x22) {
      this.keep(b);
      return;
    }
    if (this.state === State.Key) {
      const name = Buffer.from(this.key).toString('latin1');
      this.state = this.fields.has(name) ? State.AfterKey : State.Between;
    } else if (this.state === State.Value) {
      this.found = Buffer.from(this.value).toString('utf8');
      this.done = true;
    } else {
      this.state = State.Between;
    }
  }

  private keep(b: number): void {
    if (this.state === State.Key) {
      if (this.key.length < 32) this.key.push(b);
    } else if (this.state === State.Value) {
      if (this.value.length >= MAX_ID_BYTES) this.done = true;
      else this.value.push(b);
    }
  }
}

/**
 * Passes the answer through and calls `onId` once with the top-level id, if the head has one; the
 * chunk that completes the id goes on only once `onId` has settled (the binding is stored).
 */
export function continuationTapStream(fields: IdFields, onId: (id: string) => void | Promise<void>): Transform {
  const scanner = new TopLevelIdScanner(fields);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (!scanner.finished) {
        scanner.push(chunk);
        if (scanner.finished && scanner.found !== undefined) {
          Promise.resolve()
            .then(() => onId(scanner.found as string))
            .then(
              () => callback(null, chunk),
              () => callback(null, chunk),
            );
          return;
        }
      }
      callback(null, chunk);
    },
  });
}
