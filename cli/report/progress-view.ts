/**
 * The live view of a run: one line as each step ends, one per failure or retry, a progress line
 * while Mangrove's task runs. Reads only the run's events, through the state contract, so an output
 * of another definition version, a cut-short one or none at all shows less, never crashes the view.
 */
import * as z from 'zod';
import { readableCause } from '../../functions/shared/error-cause.js';
import { read } from '../../functions/shared/state-contract.js';
import type { Paint } from '../io.js';
import {
  alertPart,
  at,
  failurePart,
  generationPart,
  inputsPart,
  groupingPart,
  groupSummaryPart,
  ledgerPart,
  planPart,
  previewPart,
  quarterPart,
  recordsPart,
  recoveryPart,
  statusPart,
  submissionStatusPart,
  submitPart,
  verificationPart,
} from './readers.js';
import { describeQuarter } from './submission-text.js';
import { describeRecordMonths } from './records-text.js';
import { describeRetry, type RetryPlanner } from './retries.js';
import { itemKeyOf, type RunEvent } from './run-event.js';

/** A step's line from its result in the state output (`$.<key>`); undefined when it does not fit. */
function line<T extends z.core.$ZodType>(key: string, part: T, describe: (value: z.infer<T>) => string): (output: unknown) => string | undefined {
  const holder = at(key, part);
  return (output) => {
    const value = read(holder, output)?.[key];
    return value === undefined ? undefined : describe(value);
  };
}

const forcePart = z.object({ plan: z.object({ force: z.boolean() }) });

const STEP_LINES: Record<string, (output: unknown) => string | undefined> = {
  ResolveRun: line('plan', planPart, (plan) => {
    // A reconciliation runs each ledger's months; a manual run one window per ledger.
    const months = (plan.slots ?? []).filter((slot) => slot.month !== null).length;
    const items = months > 0 ? `, reconciling ${plan.ledgers.length} ledger(s) × ${months} month(s)` : `, ${plan.ledgers.length} ledger(s)`;
    return `window ${plan.window.label} (${plan.window.startTime} to ${plan.window.endTime})${items}${plan.dryRun ? ', dry run' : ''}`;
  }),
  GroupLedgers: line('grouping', groupingPart, (grouping) => {
    const ledgers = grouping.groups.flatMap((group) => group.ledgers);
    const named = ledgers.length > 0 && ledgers.length <= 3 ? `: ${ledgers.map((ledger) => `"${ledger.name}" (${ledger.id}), model ${ledger.modelId}`).join('; ')}` : '';
    const unresolvedTotal = grouping.unresolvedTotal ?? grouping.unresolved.length;
    const unresolved = unresolvedTotal > 0 ? `; ${unresolvedTotal} cannot be generated` : '';
    return `${ledgers.length} ledger(s) in ${grouping.groups.length} group(s) by model${named}${unresolved}`;
  }),
  // Executions of the definition before GroupLedgers resolved each ledger in its own branch.
  FindLedger: line('ledger', ledgerPart, (ledger) => `"${ledger.name}" (${ledger.id}), model ${ledger.modelId}`),
  SummarizeGroup: line('summary', groupSummaryPart, (summary) => {
    const counts = Object.entries(summary.outcomes).map(([outcome, count]) => `${count} ${outcome}`);
    return `group of ${summary.ledgers} ledger(s): ${counts.join(', ')}${summary.batchesGenerated > 0 ? `; ${summary.batchesGenerated} batch(es)` : ''}`;
  }),
  ReadLedgerMonths: (output) => {
    const records = read(at('records', recordsPart), output)?.records;
    if (!records) return undefined;
    // The branch ends here unless the run is forced; say which, since the next line would not.
    const forced = read(forcePart, output)?.plan.force === true;
    const ending = records.allGenerated ? (forced ? '; forced, so Mangrove is asked again' : '; nothing to ask Mangrove') : '';
    return `records: ${describeRecordMonths(records.months)}${ending}`;
  },
  CheckRequiredInputs: line('inputs', inputsPart, (inputs) =>
    `${inputs.requiredInputs} required input(s)` +
    (inputs.manualSelectInputs.length > 0 ? `; manual-select ${inputs.manualSelectInputs.join(', ')}: data points ${inputs.dataPoints}` : ''),
  ),
  PreviewGeneration: line('preview', previewPart, (preview) => {
    const counts = preview.ledgers.length > 0 ? `: ${preview.ledgers.map((entry) => `${entry.name} ${entry.count}`).join(', ')}` : '';
    // Nothing to generate is recorded as waiting for data; past the generate-by day it alerts once.
    const noData = preview.total > 0 ? '' : preview.overdueAlert ? '; no data yet, past the generate-by day: alerting once' : '; no data yet';
    return `${preview.total} batch(es) would be generated${counts}${noData}`;
  }),
  StartGeneration: line('generation', generationPart, (generation) => {
    if (generation.outcome === 'started') return `task ${generation.taskId ?? '?'} started`;
    if (generation.outcome === 'generating-elsewhere') return `another run (${generation.heldBy ?? 'unknown'}) is generating this window${generation.taskId ? ` as task ${generation.taskId}` : ''}; not sent`;
    return `already generated (${(generation.existingBatches ?? []).map((entry) => `${entry.count} batch(es) on ${entry.ledgerId}`).join(', ')}); not sent`;
  }),
  VerifyBatches: line('verification', verificationPart, (verification) =>
    `${verification.ledgers.map((entry) => `${entry.name} ${entry.found}/${entry.expected}`).join(', ')} batches found`,
  ),
  PrepareSubmission: line('prepared', quarterPart, describeQuarter),
  SubmitReport: line('submit', submitPart, (submit) =>
    submit.taskId !== null ? `submit accepted: task ${submit.taskId}` : 'no clear answer to the submit: watching the report’s status (it is never sent twice)',
  ),
  DescribeFailure: line('alert', alertPart, () => 'alert written'),
  DescribeSuccess: line('success', z.object({ send: z.boolean() }), (report) => (report.send ? 'success report written' : 'nothing generated or submitted: no report')),
};

/** Steps that repeat in a loop: a progress line that changes, not a line per poll. */
const PROGRESS_LINES: Record<string, (output: unknown) => string | undefined> = {
  GetSubmissionStatus: line('submissionStatus', submissionStatusPart, (status) => `submission ${status.state}`),
  GetGenerationStatus: line('status', statusPart, (status) => `generation ${status.state} ${status.progress ?? 0}%${status.description ? `: ${status.description}` : ''}`),
  FindGeneratedBatches: line('recovery', recoveryPart, (recovery) =>
    `watching the ledger: ${recovery.found.map((entry) => `${entry.ledgerId} ${entry.found}/${entry.expected}`).join(', ')} batches so far`,
  ),
};

export interface ProgressViewOptions {
  write: (text: string) => void;
  /** A terminal: the progress line redraws in place. */
  interactive: boolean;
  multipleLedgers: () => boolean;
  paint: Paint;
  /** Rewrites workflow wording (field names) for the reader. */
  terms?: (text: string) => string;
  /** Predicts retries at the failure (local runs, which know the definition). */
  retries?: RetryPlanner;
  /** What NotifyFailure's line says it did. */
  alertLine?: string;
}

export interface ProgressView {
  onEvent(event: RunEvent): void;
  /** Ends a pending progress line and shows a failure still waiting to be classified. */
  finish(): void;
}

type Failure = RunEvent & { Error?: unknown; Cause?: unknown };

export function createProgressView(options: ProgressViewOptions): ProgressView {
  const { write, interactive, paint } = options;
  const terms = options.terms ?? ((text: string) => text);
  let progressShown = '';
  // A task failure is a retry or a failure only once the next event says which.
  let pending: { key: string; event: Failure } | undefined;
  const caught = new Set<string>();
  const predicted = new Set<string>();
  const shownFailures = new Set<string>();
  // From ResolveRun's output: a reconciliation runs several months per ledger.
  let monthsPerLedger = 1;

  const keyOf = (event: RunEvent): string => `${itemKeyOf(event.state?.input)}|${event.state?.name ?? ''}`;
  const prefix = (event: RunEvent): string => {
    const input = event.state?.input as { ledger?: { name?: unknown; ref?: unknown }; plan?: { window?: { label?: unknown } } } | undefined;
    const ledger = input?.ledger?.name ?? input?.ledger?.ref;
    if (typeof ledger !== 'string' || !(options.multipleLedgers() || monthsPerLedger > 1)) return '';
    const label = input?.plan?.window?.label;
    return `[${monthsPerLedger > 1 && typeof label === 'string' ? `${ledger} ${label}` : ledger}] `;
  };
  const clearProgress = (): void => {
    if (progressShown && interactive) write('\n');
    progressShown = '';
  };
  const say = (text: string): void => {
    clearProgress();
    write(`${text}\n`);
  };
  const failureText = (event: Failure): string => `${String(event.Error ?? 'error')}: ${terms(readableCause(typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause ?? '')))}`;
  const showFailed = (event: Failure): void => {
    shownFailures.add(`${keyOf(event)}|${String(event.Error)}`);
    say(`${paint.red('✗')} ${prefix(event)}${event.state?.name ?? 'a step'}: ${failureText(event)}`);
  };
  const showRetry = (event: Failure, retry: Parameters<typeof describeRetry>[0]): void => {
    say(`${paint.yellow('↻')} ${prefix(event)}${event.state?.name ?? 'a step'}: ${failureText(event)}; ${describeRetry(retry)}`);
  };
  const flush = (): void => {
    if (pending) showFailed(pending.event);
    pending = undefined;
  };

  const onExited = (event: RunEvent, key: string): void => {
    const name = event.state?.name ?? '';
    const output = event.state?.output;
    if (name === 'ResolveRun' && event.index === undefined) monthsPerLedger = read(at('plan', planPart), output)?.plan?.slots?.length ?? 1;
    // A caught failure leaves its state with the Catch's output, not a result: nothing to tick.
    if (caught.delete(key)) return;
    if (name === 'GroupLedgers') {
      // A reference that cannot be generated is an outcome of its own, known before any group runs.
      const unresolved = read(at('grouping', groupingPart), output)?.grouping?.unresolved ?? [];
      for (const entry of unresolved) {
        const failure = read(failurePart, entry);
        if (failure) showFailed({ ...event, state: { name: failure.step, type: 'Task', input: { ledger: failure.ledger } }, Error: failure.error, Cause: failure.cause ?? '' });
      }
    }
    const failure = read(failurePart, output);
    if (failure) {
      const id = `${itemKeyOf(event.state?.input)}|${failure.step}|${failure.error}`;
      // The state's input names the item (its ledger reference) for the prefix.
      if (!shownFailures.has(id)) showFailed({ ...event, state: { name: failure.step, type: 'Task', input: event.state?.input }, Error: failure.error, Cause: failure.cause ?? '' });
      return;
    }
    const progress = PROGRESS_LINES[name];
    if (progress) {
      const text = progress(output);
      if (text === undefined) return;
      const shown = `  ${prefix(event)}${text}`;
      if (shown === progressShown) return;
      write(interactive ? `\r\x1b[2K${shown}` : `${shown}\n`);
      progressShown = shown;
      return;
    }
    if (event.state?.type !== 'Task') return;
    const detail = name === 'NotifyFailure' || name === 'NotifySuccess' ? (options.alertLine ?? 'alert published') : STEP_LINES[name]?.(output);
    say(`${paint.green('✓')} ${prefix(event)}${name}${detail ? `: ${terms(detail)}` : ''}`);
  };

  return {
    onEvent(event) {
      const key = keyOf(event);
      if (pending) {
        if (event.type === 'StateRetried' && key === pending.key) {
          showRetry(pending.event, readRetry(event));
          pending = undefined;
          return;
        }
        if (event.type === 'StateCaught' && key === pending.key) caught.add(key);
        flush();
      }
      switch (event.type) {
        case 'StateEntered':
          options.retries?.entered(key, event.state?.name ?? '');
          return;
        case 'StateFailed': {
          if (event.state?.type !== 'Task') return;
          const plan = options.retries?.failed(key, event.state.name, String(event.Error));
          if (plan) {
            predicted.add(key);
            showRetry(event, plan);
          } else pending = { key, event };
          return;
        }
        case 'StateRetried':
          if (!predicted.delete(key)) showRetry(event, readRetry(event));
          return;
        case 'StateCaught':
          caught.add(key);
          return;
        case 'StateExited':
          onExited(event, key);
          return;
        default:
      }
    },
    finish() {
      flush();
      clearProgress();
    },
  };
}

const retryEventSchema = z.object({
  retry: z.object({
    attempt: z.number().optional(),
    maxAttempts: z.number().optional(),
    delayMs: z.number().nullable().optional(),
    retrier: z.object({ MaxAttempts: z.number().optional() }).loose().optional(),
  }),
});

/** The interpreter's `retry: {retrier, attempt}` or the history reader's `{attempt, delayMs}`. */
function readRetry(event: RunEvent): Parameters<typeof describeRetry>[0] {
  const retry = read(retryEventSchema, event)?.retry;
  if (!retry) return {};
  return { attempt: retry.attempt, maxAttempts: retry.maxAttempts ?? retry.retrier?.MaxAttempts, delayMs: retry.delayMs ?? null };
}
