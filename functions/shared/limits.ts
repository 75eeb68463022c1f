/**
 * The product's limits, each stated once: the execution input schema, the deployment config,
 * ResolveRun, the CDK constructs and the CLI all read them from here.
 */

/** A backfill runs one execution per month; a single run spanning more is almost surely a typo. */
export const MAX_WINDOW_MONTHS = 12;
/** `backfill` starts one execution per month; past five years a range is a typo, not a plan. */
export const MAX_BACKFILL_MONTHS = 60;
/** A scheduled reconciliation looks at this many months back, the previous month included. */
export const DEFAULT_LOOKBACK_MONTHS = 3;
export const LOOKBACK_MONTHS = { min: 1, max: 12 } as const;
/** From this day of the month on, a previous month still waiting for its data is overdue. */
export const DEFAULT_GENERATE_BY_DAY = 10;
/**
 * Ledgers named in one execution input. Measured by `npm run bench` at 500; what bounds it is the
 * parent's state after GroupLedgers (the plan's list of references plus every resolved ledger,
 * ~150 B each) and the groups' summaries, far below 256 KB at this count.
 */
export const MAX_LEDGERS_PER_RUN = 500;
/** A ledger's id or exact name in an input or the config; Mangrove's names are shorter in practice. */
export const MAX_LEDGER_REF_CHARS = 64;
/**
 * Mangrove parameters one execution input may pass through. Every child's plan carries them, beside
 * the run's 500 ledger references, within the 256 KB the run's state may hold.
 */
export const MAX_DATA_POINT_IDS = 100;
export const MAX_BATCH_AMOUNTS = 50;
export const MAX_SKIPPED_DATA_POINT_TYPES = 50;
/** A Mangrove id (`in_…`, `bat_…`) or an allocation group's name. */
export const MAX_ID_CHARS = 64;
/** A report's name pattern (or id) in an input or the config. */
export const MAX_REPORT_NAME_CHARS = 120;
/** Quarters one run may submit: a 12-month window touches at most five. */
export const MAX_QUARTERS_PER_RUN = 5;
/** Ledger-months a quarter not yet complete lists as missing (the rest are counted; `status` shows them all). */
export const MAX_MISSING_LISTED = 20;
/** Batch ids a quarter's submission outcome lists (the rest are counted; the report in Mangrove has them all). */
export const MAX_BATCH_IDS_LISTED = 20;
/** Email subscriptions the stack makes on the alert topic; more belong on a mailing list. */
export const MAX_ALERT_EMAILS = 10;
/** A ledger's name as a group summary's failure carries it (the alert's "Ledger:" line). */
export const MAX_LISTED_NAME_CHARS = 48;
/**
 * Child executions of one run at a time. A child makes at most one Mangrove request at a time and
 * mostly waits; 40 of them peak well under the 750 requests a minute the client leaves itself of
 * Mangrove's 1,000 (the rest is kept for other users of the token), and the client's pacer holds the
 * line when they bunch up.
 */
export const MAX_CONCURRENT_GROUPS = 40;
/**
 * Ledger-months one child execution works through. Each ends in an outcome the child holds until
 * SummarizeGroup: ~1.2 KB, plus ~0.45 KB for every ledger its model writes (the preview and the
 * verification name each one). A child keeps them within 150 KB of its 256 KB; co-written ledgers
 * beyond it are split into more children, which the ledger-month records keep from generating
 * anything twice.
 */
export const MAX_ITEMS_PER_GROUP = 120;
export const OUTCOME_BYTES = { base: 1_200, perWrittenLedger: 450 } as const;
export const MAX_GROUP_OUTCOME_BYTES = 150_000;
/**
 * Failures a group's summary names (the rest are counted). The run holds every group's summary,
 * ~0.35 KB each without its cause; the causes share what is left of 256 KB at 500 groups (measured
 * by test/functions/summarize-group.test.ts), so a run of few groups keeps whole messages.
 */
export const MAX_FAILURES_LISTED_PER_GROUP = 1;
export const FAILURE_CAUSE_BUDGET_CHARS = 30_000;
export const MAX_FAILURE_CAUSE_CHARS = 2_000;
/**
 * References GroupLedgers names in full when they cannot be generated (the rest are counted), and
 * the characters of each cause (the first names the ledgers that exist).
 */
export const MAX_UNRESOLVED_LISTED = 5;
export const MAX_UNRESOLVED_CAUSE_CHARS = 400;
/** Sections one failure alert lists in full; the rest are counted, and the run's history has them all. */
export const MAX_FAILURES_IN_ALERT = 20;
/**
 * One poll (Wait entered/exited, Task entered/scheduled/started/succeeded/exited, Choice
 * entered/exited) writes ~10 history events. A group's ledger-months run one after another in one
 * child execution, so their polls share its history; 2,000 polls (~20,000 events) keep it clear of
 * the 25,000-event limit.
 */
export const MAX_POLLS = 2_000;
/** The state machine's own timeout; a group's ledger-months run one after another within it. */
export const EXECUTION_TIMEOUT_MINUTES = 24 * 60;
/** Per ledger, besides waiting for its task: the other steps, retries and backoff. */
export const PER_LEDGER_OVERHEAD_MINUTES = 15;
/** The cookbook's own 2–5 s guidance is accepted; the default is its middle. */
export const POLL_INTERVAL_SECONDS = { min: 2, max: 3_600 } as const;
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Waits grow by this factor after each poll that finds the task still running… */
export const POLL_GROWTH = 1.5;
/** …up to this cap. */
export const DEFAULT_MAX_POLL_INTERVAL_SECONDS = 60;
export const MAX_WAIT_MINUTES = { min: 1, max: 24 * 60 } as const;
/**
 * Batches listed per ledger in VerifyBatches' result: a 12-month window makes 12 monthly batches;
 * the cap keeps a run's results far below Step Functions' 256 KB payload limit, which no Catch sees.
 */
export const MAX_BATCHES_REPORTED = 24;
