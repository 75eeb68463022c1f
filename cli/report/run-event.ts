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
  const state = (value ?? {}) as { plan?: { window?: { label?: unknown } }; window?: { label?: unknown } };
  const label = state.plan?.window?.label ?? state.window?.label;
  const ledger = ledgerKeyOf(value);
  return ledger && typeof label === 'string' ? `${ledger}@${label}` : '';
}

/** Which ledger a state's input or output names: its id, or the reference it was given; '' for none. */
export function ledgerKeyOf(value: unknown): string {
  const ledger = ((value ?? {}) as { ledger?: { id?: unknown; ref?: unknown } | null }).ledger;
  const key = ledger?.id ?? ledger?.ref;
  return typeof key === 'string' ? key : '';
}
