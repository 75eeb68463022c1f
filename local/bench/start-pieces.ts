/**
 * `npm start`'s pieces in the order it runs them, each timed, for the bench's split (run in a child:
 * `node --import tsx/esm local/bench/start-pieces.ts [--real-waits]`). Prints one JSON line.
 * `--real-waits` keeps the definition's own Wait seconds (first poll after 5 s), not the demo's
 * 0.7 s, to set beside the cookbook script polling at that same 5 s.
 */
const loadedMs = performance.now();
const { cli } = await import('../../cli/main.js');
const { readCdkJsonConfig, runDefaultsOf } = await import('../../lib/config.js');
const { loadLocalDefinition } = await import('../runner/definition-cache.js');
const { runLocally } = await import('../runner/run-locally.js');
const { DEMO_TASK_TIMING, DEMO_TOKEN, DEMO_WAIT_MS, startSimulator } = await import('../simulator/index.js');
const { startLocalRecordStore } = await import('../record-store/local-record-store.js');
const { StaticTokenSource } = await import('../../functions/shared/token-source.js');
void cli;
const importedMs = performance.now();

const config = readCdkJsonConfig();
const definition = await loadLocalDefinition(config);
const definedMs = performance.now();

const realWaits = process.argv.includes('--real-waits');
const simulator = await startSimulator({ taskTiming: DEMO_TASK_TIMING });
const memory = await startLocalRecordStore();
const result = await runLocally({
  definition,
  input: { from: '2025-01', to: '2025-03' },
  executionName: `bench-start-${process.pid}`,
  runtime: {
    tokens: new StaticTokenSource(DEMO_TOKEN),
    client: { baseUrl: simulator.url, authScheme: config.authScheme },
    defaults: () => runDefaultsOf(config),
    records: () => memory.records,
  },
  waitMs: realWaits ? undefined : DEMO_WAIT_MS,
  retryIntervalMs: realWaits ? undefined : 200,
});
await memory.close();
await simulator.close();
const ranMs = performance.now();
if (result.status !== 'SUCCEEDED') throw new Error(`the run failed: ${result.error}`);
console.log(JSON.stringify({ loaderS: loadedMs / 1000, importsS: (importedMs - loadedMs) / 1000, definitionS: (definedMs - importedMs) / 1000, runS: (ranMs - definedMs) / 1000 }));
