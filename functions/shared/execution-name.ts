/**
 * Deterministic Step Functions execution names. A STANDARD state machine refuses a second execution
 * with the same name for 90 days, so "this ledger set, this month" is started once, whoever asks.
 */
import { createHash } from 'node:crypto';

export type ExecutionKind = 'manual' | 'scheduled' | 'dryrun';

/** Execution names allow 80 characters; [A-Za-z0-9_-] keeps them usable in CloudWatch Logs too. */
const MAX_NAME = 80;

export function ledgerSetSlug(ledgers: readonly string[]): string {
  const unique = [...new Set(ledgers.map((ledger) => ledger.trim()))].sort();
  const slug = unique.map((ledger) => ledger.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'x').join('--');
  // Long or many names: a stable short hash of the exact set keeps the name unique and short.
  if (slug.length <= 48) return slug;
  return `ledgers-${createHash('sha256').update(unique.join('\n')).digest('hex').slice(0, 12)}`;
}

export function executionName(kind: ExecutionKind, ledgers: readonly string[], month: string, suffix?: string): string {
  const name = [kind, ledgerSetSlug(ledgers), month, suffix].filter(Boolean).join('-');
  if (name.length > MAX_NAME) throw new RangeError(`execution name "${name}" is longer than ${MAX_NAME} characters`);
  return name;
}

/** `arn:…:stateMachine:Name` + execution name → `arn:…:execution:Name:executionName`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
