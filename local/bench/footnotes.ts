/** The rules behind the table's figures, each shown when a section it speaks of ran. */
export const FOOTNOTES: Array<{ sections: string[]; text: string }> = [
  {
    sections: ['calls', 'transitions', 'detection', 'portfolio'],
    text:
      'Calls, transitions, detection and the portfolio run the real definition (synthesized from the stack, cached) and the real steps in the local interpreter against the simulator over loopback HTTP, ' +
      'with the deployed defaults (cdk.json: first wait 5 s, ×1.5 to 60 s, 120 min deadline), on a virtual clock: each Wait lasts 1 real ms and moves the clock by the seconds the definition asked for, ' +
      'and the clock only moves when every branch is asleep, so parallel branches wait side by side. The simulator\'s tasks and its 1,000 requests/min/token limit run on that clock; the client\'s pacing sleeps on it too. Retry backoff is not simulated (1 ms).',
  },
  {
    sections: ['calls'],
    text:
      'Minimum calls, from first principles: GET /ledgers once per 100 ledgers in the account (one page finds every named ledger); per generation (one per model that writes) one required_inputs read, one preview, one POST batch_generations, ' +
      'and the polls the default schedule needs for its first poll at or after the task\'s end (demo task: 0.6 s + 0.4 s × 6 batches = 3 s → 1 poll at 5 s); per written ledger one verify read and one look for batches already there before the POST ' +
      '(Mangrove has no idempotency key: that read is what "never twice" costs; the cookbook minimum without it is 2 fewer). ' +
      'A quarter\'s submission: GET /ledgers once per 100 ledgers when the report\'s ledgers are named (the records are kept by id; ids cost nothing), one GET /reports page to find the report by name (GET /reports/{id} by id), one PATCH with the union, one POST submit, and the polls the schedule needs for the submission task; a quarter recorded submitted costs no call. The product reads the report once more, after claiming the quarter and before the PATCH, so that the union keeps a batch a person added meanwhile (Mangrove offers no ETag): one call over the minimum, on purpose.',
  },
  {
    sections: ['transitions'],
    text:
      'Transitions are the states entered (Map iterations included), what Standard workflows bill at $0.025 per 1,000; Lambda invocations are the Task states entered but the SNS publish. The schedule fires 10 times a month (cron days 1–10): ' +
      'in steady state the first fire generates the previous month and finds the two before it recorded, the other 9 find all three recorded; both kinds are measured (fires of 2025-04-02 and 2025-04-03 after one of 2025-03-02).',
  },
  {
    sections: ['detection'],
    text:
      'Detection: a task of the demo\'s January (2 batches) timed to last 15 s, 10 min or 2 h after the POST; latency = clock at the first poll that saw it complete − its end; transitions are the whole run\'s. ' +
      'The 2 h task ends exactly on the 120 min deadline, where the schedule puts its last poll (so a latency near 0 s there is the deadline poll, not luck).',
  },
  {
    sections: ['portfolio'],
    text:
      'Portfolio: the demo project plus N copies of Net Carbon Removal for January 2025; of every ten ledgers three share one model (one generation writes the three: 20 s + 3 × 100 s), the rest have their own (20 s + 100 s = 2 min). ' +
      'One execution naming all N. "Simulated" is the virtual clock from start to end; "real" the seconds it took here. Peak/min is the most requests in any 60 s of the virtual clock. A refused run shows the first line of its InvalidInputError.',
  },
  {
    sections: ['startup'],
    text:
      'npm start: `node bin/batch-autopilot.js run --from 2025-01 --to 2025-03` as a child; peak RSS from process.resourceUsage().maxRSS at the child\'s exit. The split comes from local/bench/start-pieces.ts, the same pieces in a child with timestamps: ' +
      'loader (node + tsx up to the first line), CLI imports (cli/main and what the run uses), definition (cache read, or synthesis on a miss), run (simulator, records and the workflow with the demo\'s 0.7 s waits, most of it the demo task itself). ' +
      'The ratio: start-pieces with the definition\'s real waits (first poll after 5 s) ÷ local/bench/cookbook-baseline.ts (the cookbook\'s calls with plain fetch, a fixed 5 s poll), both against a fresh simulator with the demo seed and timing, window 2025-01..03, alternated, median of 5.',
  },
  {
    sections: ['bundles'],
    text:
      'Bundles: each functions/<step>/handler.ts of functions/steps.ts built with esbuild as lib/step-lambda.ts has CDK build it (ESM, minified, source map, @aws-sdk/* external, node22, createRequire banner); KB = 1,000 bytes of the .mjs, the map beside it. ' +
      'Cold import: a fresh `node --enable-source-maps` (the Lambdas\' NODE_OPTIONS) timing `await import(bundle)` inside itself, minus the same for an empty module, median of 5 interleaved rounds; the SDK clients load on a step\'s first use, not at import.',
  },
];
