// Reads a password without echoing it: raw mode on a terminal, a plain line from a pipe.
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CliError, EXIT_DATA, EXIT_INTERRUPTED } from './errors.js';

export interface Io {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Lines read from a non-terminal stdin, shared across prompts of one command. */
const pipedLines = new WeakMap<object, AsyncIterator<string>>();

async function* lines(stream: Readable): AsyncGenerator<string> {
  let buffered = '';
  // Decode as a stream, so a multi-byte character split across two chunks stays whole.
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    buffered += chunk as string;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      yield buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  if (buffered !== '') yield buffered;
}

export async function promptSecret(io: Io, question: string): Promise<string> {
  io.stderr.write(question);
  if (io.stdin.isTTY === true && io.stdin.setRawMode) {
    return readRaw(io);
  }
  let iterator = pipedLines.get(io.stdin);
  if (iterator === undefined) {
    iterator = lines(io.stdin);
    pipedLines.set(io.stdin, iterator);
  }
  const next = await iterator.next();
  io.stderr.write('\n');
  if (next.done) throw new CliError(EXIT_DATA, 'no input: standard input ended before a password was given');
  return next.value;
}

function readRaw(io: Io): Promise<string> {
  const { stdin } = io;
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve, reject) => {
    let value: string[] = [];
    const finish = (error: Error | null, rest = '') => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      // A pasted "pw<Enter>pw<Enter>" arrives as one chunk: what follows this line belongs to the next prompt.
      if (rest !== '') stdin.unshift(Buffer.from(rest, 'utf8'));
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value.join(''));
    };
    const onData = (chunk: Buffer | string) => {
      const chars = [...(typeof chunk === 'string' ? chunk : decoder.write(chunk))];
      for (let i = 0; i < chars.length; i++) {
        const char = chars[i] as string;
        if (char === '\r' || char === '\n') {
          const skip = char === '\r' && chars[i + 1] === '\n' ? 2 : 1;
          return finish(null, chars.slice(i + skip).join(''));
        }
        if (char === '\u0003') return finish(new CliError(EXIT_INTERRUPTED, 'interrupted'));
        if (char === '\u0004' && value.length === 0) return finish(new CliError(EXIT_DATA, 'no input: standard input ended before a password was given'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value.push(char);
      }
      return undefined;
    };
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

export async function promptNewPassword(io: Io, username: string): Promise<string> {
  const first = await promptSecret(io, `Enter password for [${username}]: `);
  const second = await promptSecret(io, `Re-enter password for [${username}]: `);
  if (first !== second) throw new CliError(EXIT_DATA, 'Passwords do not match');
  return first;
}
