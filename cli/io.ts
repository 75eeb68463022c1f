/** Where a command writes, and how: the process wrapper (bin/cli.ts) and the tests both build one. */
import picocolors from 'picocolors';
import type { AwsDeps } from './aws.js';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal: progress may redraw one line in place. */
  interactive: boolean;
  /** Colour the output; bin/cli.ts turns it on only for a terminal without NO_COLOR. */
  color?: boolean;
}

export type Paint = ReturnType<typeof picocolors.createColors>;

/** NO_COLOR (https://no-color.org): present and not empty means no colour, whatever else says. */
export function colorWanted(io: Pick<CommandIo, 'env' | 'color'>): boolean {
  return Boolean(io.color) && !io.env.NO_COLOR;
}

export function paintFor(io: Pick<CommandIo, 'env' | 'color'>): Paint {
  return picocolors.createColors(colorWanted(io));
}

/** What every command's action gets. */
export interface CommandContext {
  io: CommandIo;
  aws: AwsDeps;
  paint: Paint;
  /** The command's exit code: 0 succeeded, 1 the run failed. */
  exit(code: number): void;
  /** The state machine the command talks to, for AWS error messages. */
  target(stateMachineArn: string): void;
}
