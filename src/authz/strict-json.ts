// A JSON reader that agrees with Elasticsearch's (Jackson with strict duplicate detection and
// comments allowed) on what a body names: JSON.parse keeps the last of two equal keys where
// Elasticsearch refuses the body, a difference a crafted `_bulk` line could use to hide an index.
import { xContentParseException } from '../errors/request.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

class Reader {
  i = 0;
  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw xContentParseException(`[1:${this.i + 1}] ${message}`);
  }

  skip(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else if (c === 47 /* / */ && t[this.i + 1] === '/') {
        const end = t.indexOf('\n', this.i);
        this.i = end < 0 ? t.length : end + 1;
      } else if (c === 47 && t[this.i + 1] === '*') {
        const end = t.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('Unexpected end-of-input in a comment');
        this.i = end + 2;
      } else return;
    }
  }

  value(depth: number): JsonValue {
    if (depth > 200) this.fail('nesting too deep');
    this.skip();
    const c = this.text[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't' && this.text.startsWith('true', this.i)) return (this.i += 4), true;
    if (c === 'f' && this.text.startsWith('false', this.i)) return (this.i += 5), false;
    if (c === 'n' && this.text.startsWith('null', this.i)) return (this.i += 4), null;
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const found = m.exec(this.text);
    if (!found) this.fail(c === undefined ? 'Unexpected end-of-input' : `Unexpected character (${JSON.stringify(c)})`);
    this.i = m.lastIndex;
    return Number(found[0]);
  }

  object(depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = Object.create(null) as { [key: string]: JsonValue };
    this.i++;
    this.skip();
    if (this.text[this.i] === '}') return this.i++, out;
    for (;;) {
      this.skip();
      if (this.text[this.i] !== '"') this.fail('Unexpected character: was expecting double-quote to start field name');
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`Duplicate field '${key}'`);
      this.skip();
      if (this.text[this.i] !== ':') this.fail("Unexpected character: was expecting a colon to separate field name and value");
      this.i++;
      out[key] = this.value(depth + 1);
      this.skip();
      const c = this.text[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail('Unexpected character: was expecting comma to separate Object entries');
    }
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.i++;
    this.skip();
    if (this.text[this.i] === ']') return this.i++, out;
    for (;;) {
      out.push(this.value(depth + 1));
      this.skip();
      const c = this.text[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail('Unexpected character: was expecting comma to separate Array entries');
    }
  }

  string(): string {
    const start = ++this.i;
    const t = this.text;
    let simple = true;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('Unexpected end-of-input in a string');
      if (c < 0x20) this.fail('Illegal unquoted character in a string');
      if (c === 34) break;
      if (c === 92) {
        simple = false;
        this.i += t[this.i + 1] === 'u' ? 6 : 2;
        continue;
      }
      this.i++;
    }
    const raw = t.slice(start, this.i++);
    if (simple) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return this.fail('Unrecognized character escape');
    }
  }
}

/** Parses one JSON document; duplicate keys, trailing content and bad syntax are 400s. */
export function parseStrictJson(text: string): JsonValue {
  const reader = new Reader(text);
  const value = reader.value(0);
  reader.skip();
  if (reader.i < text.length) reader.fail('Unexpected content after the end of the document');
  return value;
}

export function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
