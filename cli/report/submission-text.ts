/** A quarter's report submission in words: one line for the progress view and the run report alike. */
import type { QuarterPart } from './readers.js';

const LISTED = 5;

function reportText(part: QuarterPart, withStatus = true): string {
  if (!part.report) return 'the report';
  return `"${part.report.name}" (${part.report.id}${withStatus ? `, ${part.report.status}` : ''})`;
}

function ids(listed: string[], count: number): string {
  if (count === 0) return '';
  const shown = listed.slice(0, LISTED).join(', ');
  return `: ${shown}${count > Math.min(listed.length, LISTED) ? `, … ${count - Math.min(listed.length, LISTED)} more` : ''}`;
}

/** What PrepareSubmission found, or how the quarter ended (not for `failed`, which the views say their own way). */
export function describeQuarter(part: QuarterPart): string {
  const batches = part.batches;
  switch (part.outcome) {
    case 'ready':
      return `${part.quarter}: ${reportText(part)} holds ${batches?.held ?? 0} batch(es); ${batches?.added ? `added ${batches.added}` : 'it holds all of the quarter\u2019s'}; submitting`;
    case 'dry-run':
      return (
        `${part.quarter}: dry run: ${reportText(part)} holds ${batches?.held ?? 0} batch(es)${ids(batches?.heldIds ?? [], batches?.held ?? 0)}; ` +
        `would add ${batches?.added ?? 0} of the quarter's ${batches?.inQuarter ?? 0}${ids(batches?.addedIds ?? [], batches?.added ?? 0)}; nothing patched or submitted`
      );
    case 'submitted':
      return `${part.quarter}: ${reportText(part, false)} submitted to the registry${part.taskId != null ? ` (task ${part.taskId})` : ''}; ${batches?.added ?? 0} batch(es) added, ${batches?.inQuarter ?? 0} of the quarter in it`;
    case 'already-submitted':
      return `${part.quarter}: already submitted (${part.report ? reportText(part) : 'recorded'}): nothing sent`;
    case 'quarter-incomplete':
      return `${part.quarter}: not complete yet, so not submitted: ${(part.missing ?? []).slice(0, LISTED).join('; ')}${(part.missing?.length ?? 0) > LISTED ? `; … ${(part.missing?.length ?? 0) - LISTED} more` : ''}`;
    case 'in-doubt':
      return `${part.quarter}: ${reportText(part)} not submitted: ${part.cause ?? 'an earlier submit has an unknown outcome'}; it was alerted once; check the report in Mangrove, then \`batch-autopilot submit-report --quarter ${part.quarter}\` if it is still to be submitted`;
    case 'submitting-elsewhere':
      return `${part.quarter}: ${reportText(part)} is being submitted (by another run, or in Mangrove's app): nothing sent; the next run looks again`;
    default:
      return `${part.quarter}: ${part.outcome}`;
  }
}
