/**
 * The live view of a run: one line as each step ends, a progress line while Mangrove's task runs.
 * Reads only the interpreter's events, so it shows what the state machine did, not what we hoped.
 */
import type { RunEvent } from './run-event.js';
import { readableCause } from '../../functions/shared/error-cause.js';

// Loosely typed on purpose: a view must never crash on an output shape it did not foresee (see safely()).
type Output = Record<string, any>;

/** Per task state: where its result sits in the state output, and how to say it in a line. */
const STEP_LINES: Record<string, (output: Output) => string> = {
  ResolveRun: ({ plan }) =>
    `window ${plan.window.label} (${plan.window.startTime} to ${plan.window.endTime}), ${plan.ledgers.length} ledger(s)${plan.dryRun ? ', dry run' : ''}`,
  FindLedger: ({ ledger }) => `"${ledger.name}" (${ledger.id}), model ${ledger.modelId}`,
  CheckRequiredInputs: ({ inputs }) =>
    `${inputs.requiredInputs} required input(s)` +
    (inputs.manualSelectInputs.length > 0 ? `; manual-select ${inputs.manualSelectInputs.join(', ')}: data points ${inputs.dataPoints}` : ''),
  PreviewGeneration: ({ preview }) =>
    `${preview.total} batch(es) would be generated: ${preview.ledgers.map((entry: Output) => `${entry.name} ${entry.count}`).join(', ')}`,
  StartGeneration: ({ generation }) => {
    if (generation.outcome === 'started') return `task ${generation.taskId} started`;
    if (generation.outcome === 'generating-elsewhere') return `another run (${generation.heldBy}) is generating this window${generation.taskId ? ` as task ${generation.taskId}` : ''}; not sent`;
    return `already generated (${generation.existingBatches.map((entry: Output) => `${entry.count} batch(es) on ${entry.ledgerId}`).join(', ')}); not sent`;
  },
  VerifyBatches: ({ verification }) =>
    verification.ledgers.map((entry: Output) => `${entry.name} ${entry.found}/${entry.expected}`).join(', ') + ' batches found',
  DescribeFailure: () => 'alert written',
};

export interface ProgressView {
  onEvent(event: RunEvent): void;
  /** Ends a pending progress line before other output. */
  finish(): void;
}

export function createProgressView(write: (text: string) => void, interactive: boolean, multipleLedgers: () => boolean): ProgressView {
  let progressShown = '';
  const clearProgress = (): void => {
    if (progressShown && interactive) write('\n');
    progressShown = '';
  };
  const prefix = (event: RunEvent): string => {
    if (!multipleLedgers() || event.index === undefined) return '';
    const input = event.state?.input as { ledgerRef?: string } | undefined;
    return input?.ledgerRef ? `[${input.ledgerRef}] ` : `[${event.index}] `;
  };

  return {
    onEvent(event) {
      const name = event.state?.name ?? '';
      if (event.type === 'StateExited' && name === 'GetGenerationStatus') {
        const status = (event.state?.output as Output).status;
        const line = `  ${prefix(event)}generation ${status.state} ${status.progress ?? 0}%${status.description ? `: ${status.description}` : ''}`;
        if (line === progressShown) return;
        if (interactive) write(`\r\x1b[2K${line}`);
        else write(`${line}\n`);
        progressShown = line;
        return;
      }
      const describe = STEP_LINES[name];
      if (event.type === 'StateExited' && describe) {
        clearProgress();
        write(`✓ ${prefix(event)}${name}: ${safely(() => describe(event.state?.output as Output))}\n`);
      } else if (event.type === 'StateFailed' && event.state?.type === 'Task') {
        clearProgress();
        write(`✗ ${prefix(event)}${name}: ${String(event.Error)}: ${readableCause(String(event.Cause ?? ''))}\n`);
      } else if (event.type === 'StateRetried') {
        clearProgress();
        write(`↻ ${prefix(event)}${name}: retrying\n`);
      }
    },
    finish: clearProgress,
  };
}

function safely(describe: () => string): string {
  try {
    return describe();
  } catch {
    return 'done';
  }
}
