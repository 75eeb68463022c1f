/**
 * The fault drills: each row is a whole local run of the deployed definition against the simulator
 * with one fault injected. The README's "Failure modes" table is rendered from these rows, and the
 * drill test checks it is there verbatim, so the table a reader trusts is the table that runs.
 */
import { DEMO_LEDGERS, type Simulator } from '../../local/simulator/index.js';

export const DRILL_MONTH = '2025-03';

export interface DrillContext {
  /** Moves the steps' clock forward (the poll deadlines), without waiting. */
  advanceClock(ms: number): void;
}

export interface FaultDrill {
  /** The fault, as the README lists it. */
  fault: string;
  /** What the product does about it, in a few words. */
  handling: string;
  arrange?: (sim: Simulator) => void;
  input?: Record<string, unknown>;
  /** The token the steps use: the valid one unless a drill revokes or restricts it. */
  token?: 'valid' | 'revoked' | 'read-only';
  /** Stands in for a Lambda task (e.g. kills it); `invoke` runs the real step. */
  wrapTask?: (state: string, context: DrillContext, invoke: () => Promise<unknown>) => Promise<unknown>;
  /** Runs the same month once before the drilled run. */
  runBefore?: boolean;
  /** How the run ends: `succeeded`, or the error name its one alert reports. */
  outcome: 'succeeded' | string;
  /** Text the alert must carry so a person can act on it. */
  alertSays?: string[];
  /** Generation tasks Mangrove created in all (never more than one per month). */
  tasks: number;
  /** Net Carbon Removal batches inside the month after the run. */
  batches: number;
}

const NCR = DEMO_LEDGERS.netCarbonRemoval;
const HOUR = 3_600_000;

/** A Lambda that died, as Step Functions reports it: no error type, a plain cause. */
export function lambdaKilled(): Error {
  const error = new Error('The cause could not be determined because Lambda did not return an error type. Returned payload: Runtime exited with error: signal: killed');
  error.name = 'Lambda.Unknown';
  return error;
}

/** Each poll happens "an hour later": deadlines pass without real waiting. */
const hourPerPoll = (state: string, context: DrillContext, invoke: () => Promise<unknown>): Promise<unknown> => {
  if (state === 'GetGenerationStatus' || state === 'FindGeneratedBatches') context.advanceClock(HOUR);
  return invoke();
};

export const FAULT_DRILLS: FaultDrill[] = [
  {
    fault: '429 burst (3) with Retry-After',
    handling: 'client waits Retry-After, retries',
    arrange: (sim) => sim.faults.inject('GET /ledgers', { kind: 'status', status: 429, retryAfterSeconds: 2 }, 3),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '429 burst (3) without Retry-After',
    handling: 'client waits for RateLimit-Reset, or Step Functions retries with backoff',
    arrange: (sim) => sim.faults.inject('GET /async_tasks/:id', { kind: 'status', status: 429 }, 3),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '429 on the generation POST',
    handling: 'a 429 is a refusal: the POST is retried',
    arrange: (sim) => sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'status', status: 429, retryAfterSeconds: 1 }),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '503 burst (3), shorter than the client budget',
    handling: 'client retries with full-jitter backoff',
    arrange: (sim) => sim.faults.inject('GET /ledgers/:id/required_inputs', { kind: 'status', status: 503 }, 3),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '500 burst (12), longer than the client budget',
    handling: 'client gives up (UpstreamUnavailableError), Step Functions retries the step',
    arrange: (sim) => sim.faults.inject('GET /ledgers/:id/batches', { kind: 'status', status: 500 }, 12),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '502 burst (40) on polling, longer than every retry',
    handling: 'polling gives up; the ledger is watched instead and the batches found',
    arrange: (sim) => sim.faults.inject('GET /async_tasks/:id', { kind: 'status', status: 502 }, 40),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '503 burst (40) before generating, longer than every retry',
    handling: 'alert; nothing was started, the month can simply be run again',
    arrange: (sim) => sim.faults.inject('GET /ledgers/:id/required_inputs', { kind: 'status', status: 503 }, 40),
    outcome: 'UpstreamUnavailableError',
    alertSays: ['Mangrove was unreachable or failing through every retry', 'HTTP 503', 'Failed step: CheckRequiredInputs'],
    tasks: 0,
    batches: 0,
  },
  ...(
    [
      ['GET /ledgers', {}],
      ['GET /ledgers/:id', { ledgers: [NCR] }],
      ['GET /ledgers/:id/required_inputs', {}],
      ['GET /ledgers/:id/batches', {}],
      ['GET /async_tasks/:id', {}],
    ] as const
  ).map(
    ([route, input]): FaultDrill => ({
      fault: `hang past the client timeout on ${route}`,
      handling: 'request aborted after the timeout, retried',
      arrange: (sim) => sim.faults.inject(route, { kind: 'hang' }),
      input,
      outcome: 'succeeded',
      tasks: 1,
      batches: 1,
    }),
  ),
  {
    fault: 'hang on the generation POST (Mangrove took it)',
    handling: 'outcome unknown: no second POST; the ledger is watched and the batches found',
    arrange: (sim) => sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'hang', afterProcessing: true }),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'connection reset after the POST was sent',
    handling: 'outcome unknown: no second POST; the batches are found',
    arrange: (sim) => sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'reset', afterProcessing: true }),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: '503 on the generation POST (Mangrove did not act)',
    handling: 'outcome unknown: no second POST; no batches by the deadline → alert',
    arrange: (sim) => sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'status', status: 503 }),
    wrapTask: hourPerPoll,
    outcome: 'GenerationOutcomeUnknownError',
    alertSays: ['Failed step: StartGeneration', `Check "Net Carbon Removal" (${NCR}) for batches in ${DRILL_MONTH}`],
    tasks: 0,
    batches: 0,
  },
  {
    fault: 'malformed JSON once',
    handling: 'Step Functions retries the step once',
    arrange: (sim) => sim.faults.inject('GET /ledgers', { kind: 'malformed-json' }),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'malformed JSON every time',
    handling: 'alert naming the endpoint',
    arrange: (sim) => sim.faults.inject('GET /ledgers/:id/required_inputs', { kind: 'malformed-json' }, 10),
    outcome: 'MangroveResponseError',
    alertSays: ['GET /ledgers/{id}/required_inputs', 'not valid JSON'],
    tasks: 0,
    batches: 0,
  },
  {
    fault: 'malformed JSON on every poll',
    handling: 'polling gives up; the ledger is watched instead and the batches found',
    arrange: (sim) => sim.faults.inject('GET /async_tasks/:id', { kind: 'malformed-json' }, 10),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'a documented field missing (latest_model)',
    handling: 'alert naming the endpoint and the field',
    arrange: (sim) => sim.faults.inject('GET /ledgers', { kind: 'omit-field', field: 'latest_model' }, 10),
    outcome: 'MangroveResponseError',
    alertSays: ['GET /ledgers', 'data[0].latest_model'],
    tasks: 0,
    batches: 0,
  },
  {
    fault: '401: token revoked',
    handling: 'one forced re-read of the secret, then alert; no retry storm',
    token: 'revoked',
    outcome: 'MangroveAuthError',
    alertSays: ['401', 'the API token is missing, wrong or revoked', 'Put a valid token in the secret'],
    tasks: 0,
    batches: 0,
  },
  {
    fault: '403: token lacks Production Accounting write',
    handling: 'alert at the POST (refused, so nothing started)',
    token: 'read-only',
    outcome: 'MangroveAuthError',
    alertSays: ['403', 'Production Accounting read and write', 'Failed step: StartGeneration'],
    tasks: 0,
    batches: 0,
  },
  {
    fault: 'generation task failed',
    handling: "alert with Mangrove's error_message",
    arrange: (sim) => sim.faults.failNextTask('Missing Transport Distance for Mar 2025'),
    outcome: 'GenerationFailedError',
    alertSays: ['Missing Transport Distance for Mar 2025', 'Failed step: GetGenerationStatus'],
    tasks: 1,
    batches: 0,
  },
  {
    fault: 'task stuck in running past the deadline',
    handling: 'poll loop ends at maxWaitMinutes → alert',
    arrange: (sim) => sim.faults.stallNextTask(60),
    wrapTask: hourPerPoll,
    outcome: 'GenerationDeadlineExceededError',
    alertSays: ['was still running at the deadline', 'Look at the task in Mangrove'],
    tasks: 1,
    batches: 0,
  },
  {
    fault: 'task id answers 404',
    handling: 'the task is lost, not the month: the ledger is watched and the batches found',
    arrange: (sim) => sim.faults.inject('GET /async_tasks/:id', { kind: 'status', status: 404, body: { message: 'Record not found.' } }, 50),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'preview count ≠ batches created',
    handling: 'VerifyBatches fails → alert with expected and found',
    arrange: (sim) =>
      sim.faults.inject('POST /ledgers/:id/generate_preview', {
        kind: 'status',
        status: 200,
        body: {
          data: [
            { id: NCR, name: 'Net Carbon Removal', count: 2 },
            { id: DEMO_LEDGERS.biocharProduced, name: 'Biochar Produced', count: 1 },
          ],
        },
      }),
    outcome: 'VerificationFailedError',
    alertSays: [`"Net Carbon Removal" (${NCR}) expected 2 new batch(es) in ${DRILL_MONTH}, found 1 (Mar-2025-001)`],
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'the same month run twice in a row',
    handling: 'second run finds the batches: "already generated", no POST',
    runBefore: true,
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'a month boundary in a non-UTC zone (Europe/Berlin)',
    handling: 'window is the Berlin month in UTC instants; batches fall inside it',
    input: { timeZone: 'Europe/Berlin' },
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'StartGeneration Lambda killed after its POST',
    handling: 'not retried blindly: the ledger is watched and the batches found',
    wrapTask: async (state, _context, invoke) => {
      const result = await invoke();
      if (state === 'StartGeneration') throw lambdaKilled();
      return result;
    },
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
  {
    fault: 'StartGeneration Lambda killed before its POST',
    handling: 'the ledger is watched; no batches by the deadline → alert, month not skipped silently',
    wrapTask: async (state, context, invoke) => {
      if (state === 'StartGeneration') throw lambdaKilled();
      return hourPerPoll(state, context, invoke);
    },
    outcome: 'GenerationOutcomeUnknownError',
    alertSays: ['Failed step: StartGeneration', 'Lambda did not return an error type', `for batches in ${DRILL_MONTH}`],
    tasks: 0,
    batches: 0,
  },
  {
    fault: 'a read Lambda timed out mid-step (GetGenerationStatus)',
    handling: 'Step Functions retries the step (a read)',
    wrapTask: (() => {
      let killed = false;
      return async (state: string, _context: DrillContext, invoke: () => Promise<unknown>) => {
        if (state === 'GetGenerationStatus' && !killed) {
          killed = true;
          const error = new Error('Task timed out after 90.00 seconds');
          error.name = 'Sandbox.Timedout';
          throw error;
        }
        return invoke();
      };
    })(),
    outcome: 'succeeded',
    tasks: 1,
    batches: 1,
  },
];

export interface BadInputDrill {
  what: string;
  input: Record<string, unknown>;
  error: string;
  /** The message must name the field and say what was expected. */
  says: RegExp;
}

export const BAD_INPUT_DRILLS: BadInputDrill[] = [
  { what: 'malformed month', input: { month: '03-2025' }, error: 'InvalidInputError', says: /month: expected a month as YYYY-MM/ },
  { what: 'end before start', input: { startTime: '2025-03-31T00:00:00Z', endTime: '2025-03-01T00:00:00Z' }, error: 'InvalidInputError', says: /endTime: expected a date-time after startTime/ },
  { what: 'future window', input: { month: '2030-01' }, error: 'InvalidInputError', says: /month: expected a window that is over by now/ },
  { what: 'span beyond the maximum', input: { from: '2023-01', to: '2025-03' }, error: 'InvalidInputError', says: /to: expected at most 12 months/ },
  { what: 'unknown field', input: { month: '2025-03', dryrun: true }, error: 'InvalidInputError', says: /dryrun: unknown field/ },
  { what: 'wrong type', input: { month: 202503 }, error: 'InvalidInputError', says: /month: .*expected string/i },
  { what: 'empty ledger list', input: { month: '2025-03', ledgers: [] }, error: 'InvalidInputError', says: /ledgers: expected at least one ledger/ },
  { what: 'unknown ledger', input: { month: '2025-03', ledgers: ['Gross Removal'] }, error: 'LedgerNotFoundError', says: /no ledger is named "Gross Removal"\. Ledgers that exist: "Net Carbon Removal"/ },
  { what: 'ledger without a model', input: { month: '2025-03', ledgers: ['Lab Analyses'] }, error: 'LedgerHasNoModelError', says: /"Lab Analyses" \(lgr_labanalyses1\) has no model linked/ },
  {
    what: 'batch_amounts with a negative amount',
    input: { month: '2025-03', batchAmounts: [{ batchId: 'bat_abc', primaryOutputAmount: -5, allocationGroup: 'default' }] },
    error: 'InvalidInputError',
    says: /batchAmounts\[0\]\.primaryOutputAmount: expected an amount of 0 or more/,
  },
  {
    what: 'batch_amounts with a malformed batch id',
    input: { month: '2025-03', batchAmounts: [{ batchId: '12345', primaryOutputAmount: 5, allocationGroup: 'default' }] },
    error: 'InvalidInputError',
    says: /batchAmounts\[0\]\.batchId: expected a batch id like "bat_abc123"/,
  },
  { what: 'non-integer skipped_data_point_type_ids', input: { month: '2025-03', skippedDataPointTypeIds: ['3'] }, error: 'InvalidInputError', says: /skippedDataPointTypeIds\[0\]: .*expected number/i },
];

/** The README's "Failure modes" table, rendered from the drills. */
export function failureModesTable(): string {
  const rows = FAULT_DRILLS.map((drill) => {
    const ends = drill.outcome === 'succeeded' ? 'succeeds' : `one alert: \`${drill.outcome}\``;
    return `| ${drill.fault} | ${drill.handling} | ${ends} | ${drill.tasks} | ${drill.batches} |`;
  });
  return ['| fault | what the product does | the run | generation tasks | batches for the month |', '|---|---|---|---|---|', ...rows].join('\n');
}
