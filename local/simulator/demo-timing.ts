/** The demo's pace (`npm start`): slow enough to watch progress, fast enough to finish in seconds. */
export const DEMO_TASK_TIMING = { pendingMs: 600, perBatchMs: 400 };
/** Each Wait of a demo run, in ms: the local runner's stand-in for the definition's seconds. */
export const DEMO_WAIT_MS = 700;
