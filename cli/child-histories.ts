/**
 * The child executions of a run's Distributed Map (one per group of ledgers) and their histories:
 * a deployed run's parent history holds only the map run, its children hold every ledger's steps.
 * Read incrementally, as the parent's is: a child is read until it has ended and been read once more.
 */
import { ListExecutionsCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { historySince } from './aws.js';

interface Child {
  events: HistoryEvent[];
  lastId: number;
  ended: boolean;
}

export class ChildHistories {
  readonly #children = new Map<string, Child>();

  constructor(private readonly sfn: SFNClient) {}

  /**
   * Reads what is new in the children of every map run the parent's history has started; returns
   * each child whose history grew, with its whole history (a history converts as a whole).
   */
  async poll(parentHistory: HistoryEvent[]): Promise<Array<{ executionArn: string; events: HistoryEvent[] }>> {
    const mapRuns = parentHistory.flatMap((event) => (event.mapRunStartedEventDetails?.mapRunArn ? [event.mapRunStartedEventDetails.mapRunArn] : []));
    const grown: Array<{ executionArn: string; events: HistoryEvent[] }> = [];
    for (const mapRunArn of mapRuns) {
      for (const { executionArn, status } of await this.#list(mapRunArn)) {
        if (!executionArn) continue;
        const child = this.#children.get(executionArn) ?? { events: [], lastId: 0, ended: false };
        this.#children.set(executionArn, child);
        if (child.ended) continue;
        const fresh = await historySince(this.sfn, executionArn, child.lastId);
        // Its last read: once it has ended, nothing more can come.
        child.ended = status !== 'RUNNING' && status !== 'PENDING_REDRIVE';
        if (fresh.length === 0) continue;
        child.events.push(...fresh);
        child.lastId = Math.max(child.lastId, ...fresh.map((event) => event.id ?? 0));
        grown.push({ executionArn, events: child.events });
      }
    }
    return grown;
  }

  /** Every child's history read so far. */
  histories(): HistoryEvent[][] {
    return [...this.#children.values()].map((child) => child.events);
  }

  async #list(mapRunArn: string) {
    const executions = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }));
      executions.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return executions;
  }
}
