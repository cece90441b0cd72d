// Process entry: argv → CLI command; the only place that calls process.exit.
import { runCli } from './cli/index.js';

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, process.env).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`esgate: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
