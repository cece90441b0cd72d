/** A CLI failure with its exit code (sysexits, as Elasticsearch's command-line tools use). */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const EXIT_USAGE = 64;
export const EXIT_DATA = 65;
export const EXIT_NO_USER = 67;
export const EXIT_CONFIG = 78;
/** 128 + SIGINT, as a shell reports Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
