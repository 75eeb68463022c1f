/**
 * One event of a run as the reports read it: the local interpreter's event log shape, which
 * `history-events` also builds from a deployed execution's history. Any field may be missing.
 */
export type RunEvent = Record<string, unknown> & {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  index?: number;
};

/**
 * Which ledger-month an event belongs to, from its state's input (every state of a branch carries
 * the ledger and the plan's window): `<ledger id or ref>@<window label>`, or '' outside any branch.
 * The Map iteration index cannot say it: groups, ledgers and months are three Maps deep, and the
 * local interpreter gives every nested event the outermost index.
 */
export function itemKeyOf(value: unknown): string {
  const input = (value ?? {}) as { ledger?: { id?: unknown; ref?: unknown } | null; plan?: { window?: { label?: unknown } }; window?: { label?: unknown } };
  const ledger = input.ledger?.id ?? input.ledger?.ref;
  const label = input.plan?.window?.label ?? input.window?.label;
  return typeof ledger === 'string' && typeof label === 'string' ? `${ledger}@${label}` : '';
}
