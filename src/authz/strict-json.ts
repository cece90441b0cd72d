// The one JSON reader for every body whose targets esgate reads, and the writer of what goes
// upstream instead of the client's bytes. It reads strictly (duplicate keys, trailing content and
// bad syntax are 400s, as with Elasticsearch's Jackson and its strict duplicate detection) and, in
// the same pass, writes the canonical text: no whitespace, no comments, strings re-escaped, numbers
// with their exact digits, keys in their order. The cluster then parses only what esgate parsed,
// so no difference between two JSON readers (comment ends, escapes, BOMs) can hide a target.
import { xContentParseException } from '../errors/request.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deepest nesting accepted (Jackson's StreamReadConstraints default); deeper bodies are a 400. */
export const MAX_JSON_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const enum State {
  Value,
  ObjectFirst,
  ObjectKey,
  ObjectNext,
  ArrayFirst,
  ArrayNext,
  /** Inside a string (a key or a value), scanned a slice at a time. */
  String,
  /** A long string with escapes, decoded a chunk at a time. */
  Decode,
  /** A key was read: the colon comes next. */
  AfterKey,
}

/** A string being read: where it started, whether it has escapes, and chunk boundaries for decoding. */
interface PendingString {
  readonly quote: number;
  readonly key: boolean;
  simple: boolean;
  /** Positions between escapes, about DECODE_CHUNK apart, where the raw text may be cut. */
  readonly cuts: number[];
  end: number;
  next: number;
  readonly decoded: string[];
  readonly written: string[];
}

/** Escaped strings longer than this are decoded (and written) a chunk at a time. */
const DECODE_CHUNK = 256 * 1024;

interface Frame {
  readonly object: { [key: string]: JsonValue } | null;
  readonly array: JsonValue[] | null;
  key: string;
}

/** Characters read between two yields to the event loop when a body is parsed asynchronously. */
export const JSON_SLICE_CHARS = 512 * 1024;

class Reader {
  i = 0;
  /** Canonical text already written, and where the next verbatim run of input starts. */
  private readonly pieces: string[] = [];
  private copyFrom = 0;
  /** Input characters that are not written (whitespace, comments) or are rewritten (escapes). */
  private edited = false;

  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw xContentParseException(`[1:${this.i + 1}] ${message}`);
  }

  /** Ends the verbatim run before `at`: what follows up to the next resume() is not copied. */
  private cut(at: number): void {
    if (at > this.copyFrom) this.pieces.push(this.text.slice(this.copyFrom, at));
    this.edited = true;
  }

  private resume(at: number): void {
    this.copyFrom = at;
  }

  canonical(): string {
    if (!this.edited) return this.text.slice(0, this.i);
    this.cut(this.i);
    this.copyFrom = this.i;
    return this.pieces.join('');
  }

  /** Skips whitespace and comments (Jackson's: `//` ends at CR or LF, `/* *\/` does not nest). */
  skip(): void {
    const t = this.text;
    const start = this.i;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else if (c === 47 /* / */ && t.charCodeAt(this.i + 1) === 47) {
        let end = this.i + 2;
        while (end < t.length && t.charCodeAt(end) !== 10 && t.charCodeAt(end) !== 13) end++;
        this.i = end;
      } else if (c === 47 && t.charCodeAt(this.i + 1) === 42 /* * */) {
        const end = t.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('Unexpected end-of-input in a comment');
        this.i = end + 2;
      } else if (c === 47) {
        this.fail("Unexpected character ('/'): maybe a (non-standard) comment?");
      } else break;
    }
    if (this.i > start) {
      this.cut(start);
      this.resume(this.i);
    }
  }

  // ---- iterative parsing: an explicit stack, so a large body can be read in slices ----------
  private readonly stack: Frame[] = [];
  private state = State.Value;
  root: JsonValue | undefined;
  done = false;

  /** Reads until the document is complete or `until` characters are consumed; true when complete. */
  run(until: number): boolean {
    const t = this.text;
    while (!this.done && this.i < until) {
      switch (this.state) {
        case State.Value: {
          this.skip();
          const c = t.charCodeAt(this.i);
          if (c === 123 /* { */ || c === 91 /* [ */) {
            if (this.stack.length >= MAX_JSON_DEPTH) this.fail(`nesting depth exceeds the maximum allowed (${MAX_JSON_DEPTH})`);
            this.i++;
            if (c === 123) {
              this.stack.push({ object: Object.create(null) as { [key: string]: JsonValue }, array: null, key: '' });
              this.state = State.ObjectFirst;
            } else {
              this.stack.push({ object: null, array: [], key: '' });
              this.state = State.ArrayFirst;
            }
          } else if (c === 34 /* " */) {
            this.beginString(false);
          } else {
            this.emit(this.scalar(c));
          }
          break;
        }
        case State.String:
          this.scanString(until);
          break;
        case State.Decode:
          this.decodeChunk();
          // A chunk is a slice of work of its own: let the caller yield (sliced reading only).
          if (until !== Infinity && this.state === State.Decode) return false;
          break;
        case State.AfterKey: {
          const key = this.pendingKey;
          const frame = this.stack[this.stack.length - 1] as Frame;
          if (Object.prototype.hasOwnProperty.call(frame.object, key)) this.fail(`Duplicate field '${key}'`);
          this.skip();
          if (t.charCodeAt(this.i) !== 58) this.fail('Unexpected character: was expecting a colon to separate field name and value');
          this.i++;
          frame.key = key;
          this.state = State.Value;
          break;
        }
        case State.ObjectFirst:
          this.skip();
          if (t.charCodeAt(this.i) === 125) {
            this.i++;
            this.close();
          } else this.state = State.ObjectKey;
          break;
        case State.ObjectKey: {
          this.skip();
          if (t.charCodeAt(this.i) !== 34) this.fail('Unexpected character: was expecting double-quote to start field name');
          this.beginString(true);
          break;
        }
        case State.ObjectNext: {
          this.skip();
          const c = t.charCodeAt(this.i++);
          if (c === 125) this.close();
          else if (c === 44) this.state = State.ObjectKey;
          else this.fail('Unexpected character: was expecting comma to separate Object entries');
          break;
        }
        case State.ArrayFirst:
          this.skip();
          if (t.charCodeAt(this.i) === 93) {
            this.i++;
            this.close();
          } else this.state = State.Value;
          break;
        case State.ArrayNext: {
          this.skip();
          const c = t.charCodeAt(this.i++);
          if (c === 93) this.close();
          else if (c === 44) this.state = State.Value;
          else this.fail('Unexpected character: was expecting comma to separate Array entries');
          break;
        }
      }
    }
    return this.done;
  }

  private scalar(c: number): JsonValue {
    const t = this.text;
    if (c === 116 && t.startsWith('true', this.i)) return (this.i += 4), true;
    if (c === 102 && t.startsWith('false', this.i)) return (this.i += 5), false;
    if (c === 110 && t.startsWith('null', this.i)) return (this.i += 4), null;
    NUMBER.lastIndex = this.i;
    const found = NUMBER.exec(t);
    if (found === null) this.fail(Number.isNaN(c) ? 'Unexpected end-of-input' : `Unexpected character (${JSON.stringify(t[this.i])})`);
    this.i = NUMBER.lastIndex;
    // The tree holds a double (classification never reads exact numbers); the canonical text keeps the digits.
    return Number(found[0]);
  }

  /** A value is complete: it goes into its parent, or it is the document. */
  private emit(value: JsonValue): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) {
      this.root = value;
      this.done = true;
    } else if (frame.object !== null) {
      frame.object[frame.key] = value;
      this.state = State.ObjectNext;
    } else {
      (frame.array as JsonValue[]).push(value);
      this.state = State.ArrayNext;
    }
  }

  private close(): void {
    const frame = this.stack.pop() as Frame;
    this.emit(frame.object ?? (frame.array as JsonValue[]));
  }

  private pending: PendingString | null = null;
  private pendingKey = '';

  private beginString(key: boolean): void {
    const quote = this.i++;
    this.pending = { quote, key, simple: true, cuts: [], end: 0, next: 0, decoded: [], written: [] };
    this.state = State.String;
  }

  /** Scans the string up to `until`; escapes and raw surrogate pairs are stepped over whole, never cut. */
  private scanString(until: number): void {
    const t = this.text;
    const str = this.pending as PendingString;
    let lastCut = str.cuts.length === 0 ? str.quote : (str.cuts[str.cuts.length - 1] as number);
    while (this.i < until) {
      const c = t.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('Unexpected end-of-input in a string');
      if (c < 0x20) this.fail('Illegal unquoted character in a string');
      if (c === 34) return this.finishString(this.i++);
      if (this.i - lastCut >= DECODE_CHUNK) {
        str.cuts.push(this.i);
        lastCut = this.i;
      }
      if (c === 92) {
        str.simple = false;
        this.i += t.charCodeAt(this.i + 1) === 117 /* u */ ? 6 : 2;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        // A lone surrogate cannot come from UTF-8, but a string given as text might hold one.
        const next = t.charCodeAt(this.i + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) this.fail('Invalid UTF-16 surrogate in a string');
        this.i += 2;
      } else this.i++;
    }
  }

  private finishString(end: number): void {
    const str = this.pending as PendingString;
    const start = str.quote + 1;
    // Without escapes the input is already canonical: JSON.stringify would write the same characters.
    if (str.simple) return this.completeString(this.text.slice(start, end));
    str.end = end;
    str.next = start;
    if (end - start <= DECODE_CHUNK) {
      this.decodeChunk();
      return;
    }
    this.state = State.Decode;
  }

  /** Decodes (and writes canonically) the next chunk of an escaped string; the last one completes it. */
  private decodeChunk(): void {
    const str = this.pending as PendingString;
    const cut = str.cuts.find((at) => at > str.next) ?? str.end;
    const raw = this.text.slice(str.next, cut);
    let decoded: string;
    try {
      decoded = JSON.parse(`"${raw}"`) as string;
    } catch {
      return this.fail('Unrecognized character escape');
    }
    str.decoded.push(decoded);
    str.written.push(JSON.stringify(decoded).slice(1, -1));
    str.next = cut;
    if (cut < str.end) return;
    this.cut(str.quote);
    this.pieces.push(`"${str.written.join('')}"`);
    this.resume(str.end + 1);
    this.completeString(str.decoded.length === 1 ? (str.decoded[0] as string) : str.decoded.join(''));
  }

  private completeString(value: string): void {
    const key = (this.pending as PendingString).key;
    this.pending = null;
    if (key) {
      this.pendingKey = value;
      this.state = State.AfterKey;
    } else {
      this.emit(value);
    }
  }

}

export interface CanonicalJson {
  readonly value: JsonValue;
  /** The text that goes upstream: what `value` was read from, written canonically. */
  readonly canonical: string;
}

function finish(reader: Reader, text: string): CanonicalJson {
  const canonical = reader.canonical();
  reader.skip();
  if (reader.i < text.length) reader.fail('Unexpected content after the end of the document');
  return { value: reader.root as JsonValue, canonical };
}

/** Parses one JSON document and writes it canonically; duplicate keys, trailing content and bad syntax are 400s. */
export function parseCanonicalJson(text: string): CanonicalJson {
  const reader = new Reader(text);
  if (!reader.run(Infinity)) reader.fail('Unexpected end-of-input');
  return finish(reader, text);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** parseCanonicalJson for large bodies: reads JSON_SLICE_CHARS at a time and lets other requests run between slices. */
export async function parseCanonicalJsonAsync(text: string): Promise<CanonicalJson> {
  const reader = new Reader(text);
  for (;;) {
    if (reader.run(reader.i + JSON_SLICE_CHARS)) break;
    await nextTurn();
  }
  return finish(reader, text);
}

/** Parses one JSON document; duplicate keys, trailing content and bad syntax are 400s. */
export function parseStrictJson(text: string): JsonValue {
  return parseCanonicalJson(text).value;
}

export function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
