#!/usr/bin/env node
/** The operator CLI. `run` executes the workflow on this machine (simulator or real Mangrove). */
import { isUsageError, RUN_USAGE, runCommand } from '../local/runner/run-command.js';

const USAGE = `Usage: batch-autopilot <command> [options]

Commands:
  run      run the workflow locally (see: batch-autopilot run --help)

${RUN_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
    env: process.env,
    interactive: Boolean(process.stdout.isTTY),
  };
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`batch-autopilot: unknown command "${command}" (commands: run)\n`);
        return 2;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isUsageError(error)) {
      io.stderr(`batch-autopilot: ${message}\n`);
      return 2;
    }
    io.stderr(`batch-autopilot: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
