/**
 * One event of a run as the reports read it: the local interpreter's event log shape, which
 * `history-events` also builds from a deployed execution's history. Any field may be missing.
 */
export type RunEvent = Record<string, unknown> & {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  index?: number;
};
