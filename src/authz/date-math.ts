// Date math index names (`<logs-{now/d}>`, `<logs-{now-1d/d{yyyy.MM}}>`, `<x-{now/d{yyyy.MM.dd|+01:00}}>`)
// resolved with an injected time, as Elasticsearch resolves them before authorizing: privileges are
// checked against the resolved name. What esgate cannot resolve exactly is a 400, never a guess.
import { unsupportedDateMath } from '../errors/authz-request.js';

const DEFAULT_FORMAT = 'uuuu.MM.dd';
const DAY = 86_400_000;

interface Fields {
  year: number;
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function toFields(ms: number): Fields {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

function fromFields(f: Fields): number {
  return Date.UTC(f.year, f.month, f.day, f.hour, f.minute, f.second);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** java.time's plusMonths: the day is clamped to the target month's length. */
function addMonths(ms: number, months: number): number {
  const f = toFields(ms);
  const total = f.year * 12 + f.month + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  return fromFields({ ...f, year, month, day: Math.min(f.day, daysInMonth(year, month)) }) + (ms % 1000);
}

function add(ms: number, amount: number, unit: string): number {
  switch (unit) {
    case 'y':
      return addMonths(ms, amount * 12);
    case 'M':
      return addMonths(ms, amount);
    case 'w':
      return ms + amount * 7 * DAY;
    case 'd':
      return ms + amount * DAY;
    case 'h':
    case 'H':
      return ms + amount * 3_600_000;
    case 'm':
      return ms + amount * 60_000;
    default:
      return ms + amount * 1000; // 's'
  }
}

function round(ms: number, unit: string): number {
  const f = toFields(ms);
  switch (unit) {
    case 'y':
      return Date.UTC(f.year, 0, 1);
    case 'M':
      return Date.UTC(f.year, f.month, 1);
    case 'w': {
      const day = Date.UTC(f.year, f.month, f.day);
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0, ISO weeks
      return day - weekday * DAY;
    }
    case 'd':
      return Date.UTC(f.year, f.month, f.day);
    case 'h':
    case 'H':
      return Date.UTC(f.year, f.month, f.day, f.hour);
    case 'm':
      return Date.UTC(f.year, f.month, f.day, f.hour, f.minute);
    default:
      return Date.UTC(f.year, f.month, f.day, f.hour, f.minute, f.second);
  }
}

function offsetMinutes(zone: string, whole: string): number {
  if (zone === 'UTC' || zone === 'Z' || zone === 'GMT' || zone === 'Etc/UTC') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) throw unsupportedDateMath(whole, `time zone [${zone}] is not supported by esgate (use UTC or an offset such as +01:00)`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const TOKEN = /^(uuuu|yyyy|yy|MM|dd|HH|mm|ss)/;

function format(ms: number, pattern: string, whole: string): string {
  const f = toFields(ms);
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const token = TOKEN.exec(pattern.slice(i))?.[0];
    if (token === undefined) {
      const ch = pattern[i] as string;
      if (/[A-Za-z']/.test(ch)) throw unsupportedDateMath(whole, `date format [${pattern}] is not supported by esgate`);
      out += ch;
      i++;
      continue;
    }
    if (token === 'uuuu' || token === 'yyyy') out += pad(f.year, 4);
    else if (token === 'yy') out += pad(f.year % 100, 2);
    else if (token === 'MM') out += pad(f.month + 1, 2);
    else if (token === 'dd') out += pad(f.day, 2);
    else if (token === 'HH') out += pad(f.hour, 2);
    else if (token === 'mm') out += pad(f.minute, 2);
    else out += pad(f.second, 2);
    i += token.length;
  }
  return out;
}

/** `now`, `now-1d/d`, `now+1M/M`, … evaluated at `now` in the zone given by `offset` (minutes). */
function evaluate(math: string, now: number, offset: number, whole: string): number {
  if (!math.startsWith('now')) throw unsupportedDateMath(whole, `only [now] based expressions are supported, got [${math}]`);
  let ms = now + offset * 60_000;
  const ops = math.slice(3);
  const re = /([+-])(\d+)([yMwdhHms])|\/([yMwdhHms])/y;
  let at = 0;
  while (at < ops.length) {
    re.lastIndex = at;
    const m = re.exec(ops);
    if (!m) throw unsupportedDateMath(whole, `cannot parse [${math}]`);
    if (m[4] !== undefined) ms = round(ms, m[4]);
    else ms = add(ms, (m[1] === '-' ? -1 : 1) * Number(m[2]), m[3] as string);
    at = re.lastIndex;
  }
  return ms;
}

/** Resolves one name; names not wrapped in `<…>` come back unchanged. */
export function resolveDateMath(name: string, now: number): string {
  if (!name.startsWith('<') || !name.endsWith('>') || name.length < 2) return name;
  const inner = name.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\') {
      if (i + 1 >= inner.length) throw unsupportedDateMath(name, 'dangling escape [\\]');
      out += inner[++i];
    } else if (ch === '}') {
      throw unsupportedDateMath(name, 'unexpected [}]');
    } else if (ch === '{') {
      const close = inner.indexOf('}', i);
      const formatOpen = inner.indexOf('{', i + 1);
      if (close < 0) throw unsupportedDateMath(name, 'missing [}]');
      let math: string;
      let pattern = DEFAULT_FORMAT;
      let offset = 0;
      if (formatOpen >= 0 && formatOpen < close) {
        math = inner.slice(i + 1, formatOpen);
        const spec = inner.slice(formatOpen + 1, close);
        if (inner[close + 1] !== '}') throw unsupportedDateMath(name, 'missing [}] after the date format');
        const bar = spec.indexOf('|');
        pattern = bar < 0 ? spec : spec.slice(0, bar);
        if (bar >= 0) offset = offsetMinutes(spec.slice(bar + 1), name);
        if (pattern === '') throw unsupportedDateMath(name, 'empty date format');
        i = close + 1;
      } else {
        math = inner.slice(i + 1, close);
        i = close;
      }
      out += format(evaluate(math, now, offset, name), pattern, name);
    } else {
      out += ch;
    }
  }
  return out;
}
