// Reads a password without echoing it: raw mode on a terminal, a plain line from a pipe.
import type { Readable, Writable } from 'node:stream';
import { CliError, EXIT_DATA } from './errors.js';

export interface Io {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Lines read from a non-terminal stdin, shared across prompts of one command. */
const pipedLines = new WeakMap<object, AsyncIterator<string>>();

async function* lines(stream: Readable): AsyncGenerator<string> {
  let buffered = '';
  for await (const chunk of stream) {
    buffered += String(chunk);
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
  if (next.done) throw new Error('no input: standard input ended before a password was given');
  return next.value;
}

function readRaw(io: Io): Promise<string> {
  const { stdin } = io;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('interrupted'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

export async function promptNewPassword(io: Io, username: string): Promise<string> {
  const first = await promptSecret(io, `Enter password for [${username}]: `);
  const second = await promptSecret(io, `Re-enter password for [${username}]: `);
  if (first !== second) throw new CliError(EXIT_DATA, 'Passwords do not match');
  return first;
}
