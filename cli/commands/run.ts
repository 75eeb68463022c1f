/**
 * `batch-autopilot run`: the whole workflow on this machine, with the defaults the stack deploys
 * (cdk.json). With no API URL and no token it runs against the embedded simulator (the demo
 * project); with them, against Mangrove itself.
 */
import { Command, Option } from 'commander';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import type { CommandContext } from '../io.js';
import { addLocalRunFlags, LOCAL_RUN_ENVIRONMENT, runOnThisMachine, type LocalRunFlags } from '../local-run.js';
import { addRunFlags, checkPlan, executionInputFromFlags, month, once, type RunFlags } from '../options.js';

type RunOptions = RunFlags & LocalRunFlags;

export function runCommand(context: CommandContext): Command {
  const command = new Command('run')
    .summary('run the workflow on this machine (embedded simulator, or Mangrove with MANGROVE_API_TOKEN)')
    .description('Run the whole workflow on this machine: the deployed state machine definition in a local interpreter.')
    .addOption(new Option('--month <YYYY-MM>', 'one calendar month (none of --month/--from/--to: the previous month)').argParser(once('--month', month('--month'))))
    .addOption(new Option('--from <YYYY-MM>', 'first month of a range (with --to; at most 12 months)').argParser(once('--from', month('--from'))))
    .addOption(new Option('--to <YYYY-MM>', 'last month of the range').argParser(once('--to', month('--to'))));
  addLocalRunFlags(addRunFlags(command, true))
    .addHelpText(
      'after',
      `
${LOCAL_RUN_ENVIRONMENT}
Exit codes: 0 succeeded (also "nothing to generate" and "already generated"), 1 the run failed, 2 bad usage or configuration.`,
    )
    .action(async (options: RunOptions) => context.exit(await run(options, context)));
  return command;
}

async function run(options: RunOptions, context: CommandContext): Promise<number> {
  const config = readCdkJsonConfig();
  const defaults = runDefaultsOf(config);
  const input = executionInputFromFlags(options);
  const plan = checkPlan(input, defaults, context.aws.now(), options);
  return runOnThisMachine({ command: 'run', config, defaults, input, plan }, options, context);
}
