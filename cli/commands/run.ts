/**
 * `batch-autopilot run`: the whole workflow on this machine, with the defaults the stack deploys
 * (cdk.json). With no API URL and no token it runs against the embedded simulator (the demo
 * project); with them, against Mangrove itself.
 */
import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import { MangroveClient } from '../../functions/mangrove/client.js';
import { MangroveAuthError, MangroveNotFoundError, MangroveResponseError, UpstreamUnavailableError } from '../../functions/mangrove/errors.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { readCdkJsonConfig, runDefaultsOf, type BatchAutopilotConfig } from '../../lib/config.js';
import { startLocalRecordStore, type LocalRecordStore } from '../../local/record-store/local-record-store.js';
import { localDefinition } from '../../local/runner/definition.js';
import { runLocally, type Alert } from '../../local/runner/run-locally.js';
import { DEMO_TOKEN, startSimulator, type Simulator } from '../../local/simulator/index.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { addRunFlags, checkPlan, choice, executionInputFromFlags, inFlagTerms, month, once, type RunFlags } from '../options.js';
import { createProgressView } from '../report/progress-view.js';
import { retryPlanner } from '../report/retries.js';
import { buildRunReport, renderRunReport } from '../report/run-report.js';

/** Simulator timing for the demo: slow enough to watch progress, fast enough to finish in seconds. */
const DEMO_TASK_TIMING = { pendingMs: 600, perBatchMs: 500 };
const DEMO_WAIT_MS = 700;
const DEMO_RETRY_MS = 200;

interface RunOptions extends RunFlags {
  apiUrl?: string;
  authScheme?: 'bearer' | 'raw';
  json?: boolean;
  showAlert?: boolean;
}

export function runCommand(context: CommandContext): Command {
  const command = new Command('run')
    .summary('run the workflow on this machine (embedded simulator, or Mangrove with MANGROVE_API_TOKEN)')
    .description('Run the whole workflow on this machine: the deployed state machine definition in a local interpreter.')
    .addOption(new Option('--month <YYYY-MM>', 'one calendar month (none of --month/--from/--to: the previous month)').argParser(once('--month', month('--month'))))
    .addOption(new Option('--from <YYYY-MM>', 'first month of a range (with --to; at most 12 months)').argParser(once('--from', month('--from'))))
    .addOption(new Option('--to <YYYY-MM>', 'last month of the range').argParser(once('--to', month('--to'))));
  addRunFlags(command, true)
    .addOption(new Option('--api-url <url>', 'Mangrove API base URL (default: the embedded simulator; with MANGROVE_API_TOKEN, cdk.json "apiBaseUrl")').argParser(once('--api-url', httpUrl('--api-url'))))
    .addOption(new Option('--auth-scheme <scheme>', 'bearer (Authorization: Bearer <token>) or raw (default: cdk.json "authScheme")').argParser(once('--auth-scheme', choice('--auth-scheme', ['bearer', 'raw'] as const))))
    .option('--json', 'print one JSON summary on stdout (progress goes to stderr)')
    .option('--show-alert', 'print the alert a deployed run would publish, if the run fails')
    .addHelpText(
      'after',
      `
Environment: MANGROVE_API_TOKEN (never printed), MANGROVE_API_URL (as --api-url).
Exit codes: 0 succeeded (also "nothing to generate" and "already generated"), 1 the run failed, 2 bad usage or configuration.`,
    )
    .action(async (options: RunOptions) => context.exit(await run(options, context)));
  return command;
}

function httpUrl(flag: string): (raw: string) => string {
  return (raw) => {
    if (!/^https?:\/\/[^\s/]+/.test(raw)) throw new UsageError(flag, 'expected an http(s) URL such as https://app.gomangrove.com/api/v1', raw);
    return raw;
  };
}

async function run(options: RunOptions, context: CommandContext): Promise<number> {
  const { io, paint } = context;
  const config = readCdkJsonConfig();
  const defaults = runDefaultsOf(config);
  const input = executionInputFromFlags(options);
  const plan = checkPlan(input, defaults, context.aws.now(), options);
  const target = mangroveTarget(options, io.env, config);

  if (target) await checkMangrove(target, context);
  let simulator: Simulator | undefined;
  let store: LocalRecordStore | undefined;
  try {
    if (!target) simulator = await startSimulator({ taskTiming: DEMO_TASK_TIMING });
    // One process, one run: the ledger-month records in memory, kept by the same code as the table in AWS.
    store = await startLocalRecordStore();
    const { records } = store;
    const baseUrl = simulator ? simulator.url : (target?.baseUrl as string);
    const say = options.json ? io.stderr : io.stdout;
    say(`Batch Autopilot: local run against ${simulator ? `the embedded Mangrove simulator (${baseUrl}, demo project)` : `Mangrove at ${baseUrl}`}\n`);

    // The deployed definition; its Lambdas' settings play no part, the steps run in-process with the runtime below.
    const definition = localDefinition(config);
    const executionName = `local-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    const view = createProgressView({
      write: say,
      interactive: io.interactive && !options.json,
      multipleLedgers: () => plan.ledgers.length > 1,
      paint,
      terms: inFlagTerms,
      retries: retryPlanner(definition, simulator ? DEMO_RETRY_MS : undefined),
      alertLine: `alert kept local, not published${options.showAlert ? '' : ' (--show-alert prints it)'}`,
    });
    const started = Date.now();
    const alerts: Alert[] = [];
    const result = await runLocally({
      definition,
      input,
      executionName,
      runtime: {
        tokens: new StaticTokenSource(simulator ? DEMO_TOKEN : (target?.token as string)),
        client: { baseUrl, authScheme: target?.authScheme ?? config.authScheme },
        defaults: () => defaults,
        records: () => records,
      },
      waitMs: simulator ? DEMO_WAIT_MS : undefined,
      retryIntervalMs: simulator ? DEMO_RETRY_MS : undefined,
      onEvent: (event) => view.onEvent(event),
      onAlert: (alert) => alerts.push(alert),
    });
    view.finish();

    const report =
      result.status === 'SUCCEEDED'
        ? buildRunReport('succeeded', result.events)
        : buildRunReport('failed', result.events, { error: result.error, cause: result.cause });
    if (options.showAlert) for (const alert of alerts) io.stderr(formatAlert(alert));
    const rendered = renderRunReport(report, Date.now() - started, { paint, terms: inFlagTerms });
    if (options.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      io.stderr(`${rendered.split('\n').at(-1)}\n`);
    } else io.stdout(`${rendered}\n`);
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await store?.close();
    await simulator?.close();
  }
}

interface MangroveTarget {
  baseUrl: string;
  /** What set the URL, for messages: the flag, the environment or cdk.json. */
  source: string;
  token: string;
  authScheme: 'bearer' | 'raw';
}

/** Mangrove itself when a URL or a token is given; undefined means the embedded simulator. */
function mangroveTarget(options: RunOptions, env: NodeJS.ProcessEnv, config: BatchAutopilotConfig): MangroveTarget | undefined {
  const token = env.MANGROVE_API_TOKEN;
  const fromEnv = env.MANGROVE_API_URL ? httpUrl('MANGROVE_API_URL')(env.MANGROVE_API_URL) : undefined;
  const [baseUrl, source] = options.apiUrl ? [options.apiUrl, '--api-url'] : fromEnv ? [fromEnv, 'MANGROVE_API_URL'] : [config.apiBaseUrl, 'cdk.json apiBaseUrl'];
  if (!token && (options.apiUrl || fromEnv)) {
    throw new UsageError('MANGROVE_API_TOKEN', `not set: Mangrove at ${baseUrl} needs a token (leave out ${source} to use the embedded simulator)`);
  }
  if (!token) return undefined;
  return { baseUrl, source, token, authScheme: options.authScheme ?? config.authScheme };
}

/**
 * One read before the run. A wrong URL or token is the caller's to fix, and inside the workflow it
 * would be retried by every layer for a minute before saying so; here it is one line after the
 * client's own retries.
 */
async function checkMangrove(target: MangroveTarget, context: CommandContext): Promise<void> {
  const client = new MangroveClient({ baseUrl: target.baseUrl, token: target.token, authScheme: target.authScheme, sleep: context.aws.sleep });
  try {
    await client.listLedgers();
  } catch (error) {
    if (error instanceof UpstreamUnavailableError && error.status === null) {
      throw new UsageError(target.source, `cannot reach Mangrove (${error.message.replace(/^.*got no response: /, '')})`, target.baseUrl);
    }
    if (error instanceof MangroveAuthError) throw new UsageError('MANGROVE_API_TOKEN', `refused by Mangrove at ${target.baseUrl} (HTTP ${error.status}); check the token and --auth-scheme`);
    if (error instanceof MangroveNotFoundError || error instanceof MangroveResponseError) {
      throw new UsageError(target.source, `does not answer as Mangrove's API base URL does (e.g. https://app.gomangrove.com/api/v1): ${error.message}`, target.baseUrl);
    }
    throw error;
  }
}

function formatAlert(alert: Alert): string {
  const rule = '-'.repeat(72);
  return `\n${rule}\nALERT (a deployed run publishes this to the SNS alert topic)\nSubject: ${alert.subject}\n\n${alert.message}\n${rule}\n`;
}
