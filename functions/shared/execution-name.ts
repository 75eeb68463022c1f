/**
 * Deterministic Step Functions execution names. A STANDARD state machine refuses a second execution
 * with the same name for 90 days, so "this ledger set, this month" is started once, whoever asks.
 */
import { createHash } from 'node:crypto';

export type ExecutionKind = 'manual' | 'scheduled' | 'dryrun';

/** Execution names allow 80 characters; [A-Za-z0-9_-] keeps them usable in CloudWatch Logs too. */
const MAX_NAME = 80;

/** Room for the readable part; the hash, kind and period take the rest of the 80. */
const MAX_SLUG = 32;

/**
 * A readable slug of the ledger set plus a short hash of the exact set: the slug alone folds
 * `二酸化炭素` and `除去量` both to `x`, and "Biochar – Site A" and "Biochar - Site A" together.
 */
export function ledgerSetSlug(ledgers: readonly string[]): string {
  const unique = [...new Set(ledgers.map((ledger) => ledger.trim()))].sort();
  const readable = unique.map((ledger) => ledger.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'x').join('--');
  const slug = readable.length <= MAX_SLUG ? readable : `${readable.slice(0, MAX_SLUG).replace(/-+$/, '')}`;
  const hash = createHash('sha256').update(unique.join('\n')).digest('hex').slice(0, 8);
  return `${slug}-${hash}`;
}

/** `period` is the month (`YYYY-MM`) a manual run generates, or the day (`YYYY-MM-DD`) a scheduled reconciliation fired. */
export function executionName(kind: ExecutionKind, ledgers: readonly string[], period: string, suffix?: string): string {
  const name = [kind, ledgerSetSlug(ledgers), period, suffix].filter(Boolean).join('-');
  if (name.length > MAX_NAME) throw new RangeError(`execution name "${name}" is longer than ${MAX_NAME} characters`);
  return name;
}

/** `arn:…:stateMachine:Name` + execution name → `arn:…:execution:Name:executionName`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
