/** The operator CLI's dispatcher; bin/cli.ts is only its process wrapper, so tests call this directly. */
import { isUsageError, RUN_USAGE, runCommand, type CommandIo } from './run-command.js';

const USAGE = `Usage: batch-autopilot <command> [options]

Commands:
  run      run the workflow locally (see: batch-autopilot run --help)

${RUN_USAGE}`;

/** Returns the exit code: 0 succeeded, 1 the run failed, 2 bad usage or config. */
export async function cli(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return 0;
      case undefined:
        io.stderr(`${USAGE}\n`);
        return 2;
      default:
        io.stderr(`batch-autopilot: unknown command "${command}" (commands: run)\n`);
        return 2;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`batch-autopilot: ${message}\n`);
    return isUsageError(error) ? 2 : 1;
  }
}
