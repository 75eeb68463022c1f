#!/usr/bin/env node
/** The operator CLI's process wrapper: the streams, colour and exit code around cli/main.ts. */
import { cli } from '../cli/main.js';

// The AWS SDK warns on every Node 20 process that its 2027 releases will need Node 22: advice for
// whoever maintains the toolchain (engines says >=20.19), noise on every command an operator runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * A reader that went away (`… | head -2`) ends what it reads, not the run: the first EPIPE stops
 * writes to that stream, and the process still exits with the run's own code.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    open = false;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}

const forced = process.env.FORCE_COLOR;
process.exitCode = await cli(process.argv.slice(2), {
  stdout: writerTo(process.stdout),
  stderr: writerTo(process.stderr),
  env: process.env,
  interactive: Boolean(process.stdout.isTTY),
  // Colour only where both streams reach a terminal; FORCE_COLOR and NO_COLOR have the last word.
  color: forced !== undefined && forced !== '' ? forced !== '0' : Boolean(process.stdout.isTTY && process.stderr.isTTY),
});
