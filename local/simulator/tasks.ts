import { isoTimestamp } from './calendar.js';
import { settleTime, taskPhase, type TaskOutcome, type TaskSchedule, type TaskTiming } from './task-lifecycle.js';

export interface NewTask {
  type: string;
  args: Record<string, unknown>;
  /** The n of "Processing batch k of n". */
  batchCount: number;
  outcome: TaskOutcome;
  /** What the task does to the project when it leaves `running` for good, at that instant. */
  onSettle(outcome: TaskOutcome, atMs: number): void;
}

interface TaskRecord extends TaskSchedule, NewTask {
  id: number;
  settled: boolean;
}

/** Every async task of the project, whatever started it: one id sequence, one lifecycle. */
export class TaskBook {
  private readonly tasks: TaskRecord[] = [];
  private nextTaskId = 1;

  constructor(private readonly timing: TaskTiming) {}

  create(task: NewTask, nowMs: number): number {
    const id = this.nextTaskId++;
    this.tasks.push({ ...task, id, createdAtMs: nowMs, settled: false });
    return id;
  }

  /** Settles every task whose completion time has come, oldest first, each at its own time. */
  advance(nowMs: number): void {
    const due = this.tasks
      .filter((task) => !task.settled)
      .map((task) => ({ task, at: settleTime(task, this.timing) }))
      .filter((entry): entry is { task: TaskRecord; at: number } => entry.at !== null && entry.at <= nowMs)
      .sort((a, b) => a.at - b.at || a.task.id - b.task.id);
    for (const { task, at } of due) {
      task.settled = true;
      task.onSettle(task.outcome, at);
    }
  }

  view(id: number, nowMs: number): Record<string, unknown> | undefined {
    const task = this.tasks.find((candidate) => candidate.id === id);
    if (!task) return undefined;
    const phase = taskPhase(task, nowMs, this.timing);
    return {
      id: task.id,
      type: task.type,
      state: phase.state,
      progress: phase.progress,
      progress_description: phase.progress_description,
      started_at: phase.startedAtMs === null ? null : isoTimestamp(phase.startedAtMs),
      finished_at: phase.finishedAtMs === null ? null : isoTimestamp(phase.finishedAtMs),
      error_message: phase.error_message,
      result: null,
      args: structuredClone(task.args),
      created_at: isoTimestamp(task.createdAtMs),
    };
  }

  ids(): number[] {
    return this.tasks.map((task) => task.id);
  }
}
