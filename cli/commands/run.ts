/**
 * `batch-autopilot run`: the whole workflow on this machine. With no API URL and no token it runs
 * against the embedded simulator (the demo project); with them, against Mangrove itself.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_API_BASE_URL } from '../../functions/mangrove/client.js';
import { runDefaultsSchema, type ExecutionInput, type RunDefaults } from '../../functions/shared/run-plan.js';
import { checkPlan, executionInputFromFlags, RUN_INPUT_OPTIONS, UsageError } from '../execution-input.js';
import { InMemoryGenerationClaims } from '../../functions/shared/generation-claims.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { DEMO_TOKEN, startSimulator, type Simulator } from '../../local/simulator/index.js';
import { localDefinition } from '../../local/runner/definition.js';
import { createProgressView } from '../report/progress-view.js';
import { runLocally, type Alert } from '../../local/runner/run-locally.js';
import { buildRunReport, renderRunReport } from '../report/run-report.js';

export const RUN_USAGE = `Usage: batch-autopilot run [options]

Runs the workflow locally: the synthesized state machine in a local Step Functions interpreter.
With neither --api-url nor MANGROVE_API_TOKEN it uses the embedded Mangrove simulator (demo project).

  --ledger <id|name>        ledger to generate for (repeatable; required)
  --month YYYY-MM           one calendar month
  --from YYYY-MM --to YYYY-MM   a range of whole months
                            (none of these: the previous month)
  --time-zone <IANA>        whose months (default UTC)
  --dry-run                 preview only; generate nothing
  --force                   generate even if batches exist in the window
  --auto-discover-data-points   let Mangrove pick manual-select inputs' data points
  --data-point <in_…>       data point for manual-select inputs (repeatable)
  --skip-data-point-type <id>   data point type to exclude (repeatable)
  --api-url <url>           Mangrove API base URL (default ${DEFAULT_API_BASE_URL} when MANGROVE_API_TOKEN is set)
  --auth-scheme bearer|raw  how the token is sent (default bearer)
  --poll-interval <s>       seconds between task status checks (default 30; on the simulator every wait lasts 0.7 s)
  --max-wait <min>          give up waiting for the task after this long (default 120)
  --json                    print one JSON summary on stdout
Environment: MANGROVE_API_TOKEN (never printed).
Exit: 0 succeeded (incl. nothing to generate / already generated), 1 run failed, 2 bad usage or config.`;

/** Simulator timing for the demo: slow enough to watch progress, fast enough to finish in seconds. */
const DEMO_TASK_TIMING = { pendingMs: 600, perBatchMs: 500 };
const DEMO_WAIT_MS = 700;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
}

export async function runCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...RUN_INPUT_OPTIONS,
      'api-url': { type: 'string' },
      'auth-scheme': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${RUN_USAGE}\n`);
    return 0;
  }

  const input: ExecutionInput = executionInputFromFlags(values);
  const apiUrl = values['api-url'] ?? io.env.MANGROVE_API_URL;
  const token = io.env.MANGROVE_API_TOKEN;
  if (apiUrl && !token) throw new UsageError('MANGROVE_API_TOKEN is not set: a real Mangrove API needs a token (leave out --api-url to use the embedded simulator)');
  const authScheme = values['auth-scheme'] ?? 'bearer';
  if (authScheme !== 'bearer' && authScheme !== 'raw') throw new UsageError(`--auth-scheme: expected bearer or raw, got "${authScheme}"`);
  const useSimulator = !apiUrl && !token;

  const defaults: RunDefaults = runDefaultsSchema.parse({
    ledgers: [],
    timeZone: 'UTC',
    pollIntervalSeconds: 30,
    maxWaitMinutes: 120,
    autoDiscoverDataPoints: false,
  });
  if (!input.ledgers) throw new UsageError('--ledger: expected at least one ledger id (lgr_…) or exact name');
  checkPlan(input, defaults, Date.now());

  let simulator: Simulator | undefined;
  try {
    if (useSimulator) simulator = await startSimulator({ taskTiming: DEMO_TASK_TIMING });
    const baseUrl = simulator ? simulator.url : (apiUrl ?? DEFAULT_API_BASE_URL);
    const say = values.json ? io.stderr : io.stdout;
    say(`Batch Autopilot: local run against ${simulator ? `the embedded Mangrove simulator (${baseUrl}, demo project)` : `Mangrove at ${baseUrl}`}\n`);

    // The deployed definition; its Lambdas' settings play no part, the steps run in-process with the runtime below.
    const definition = localDefinition();
    const executionName = `local-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    const view = createProgressView(say, io.interactive && !values.json, () => (input.ledgers?.length ?? 0) > 1);
    const started = Date.now();
    // One process, one run: claims in memory keep the same rules as the DynamoDB table in AWS.
    const claims = new InMemoryGenerationClaims();
    const result = await runLocally({
      definition,
      input,
      executionName,
      runtime: {
        tokens: new StaticTokenSource(simulator ? DEMO_TOKEN : (token as string)),
        client: { baseUrl, authScheme },
        defaults: () => defaults,
        claims: () => claims,
      },
      waitMs: simulator ? DEMO_WAIT_MS : undefined,
      retryIntervalMs: simulator ? 200 : undefined,
      onEvent: (event) => view.onEvent(event),
      onAlert: (alert) => {
        view.finish();
        io.stderr(formatAlert(alert));
      },
    });
    view.finish();

    const report =
      result.status === 'SUCCEEDED'
        ? buildRunReport('succeeded', result.events)
        : buildRunReport('failed', result.events, { error: result.error, cause: result.cause });
    if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(`${renderRunReport(report, Date.now() - started)}\n`);
    if (result.status === 'FAILED') io.stderr(`batch-autopilot: run failed: ${report.error}: ${report.cause}\n`);
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await simulator?.close();
  }
}

function formatAlert(alert: Alert): string {
  const rule = '-'.repeat(72);
  return `\n${rule}\nALERT (would be published to the SNS alert topic)\nSubject: ${alert.subject}\n\n${alert.message}\n${rule}\n`;
}
