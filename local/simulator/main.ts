// `npm run simulator`: the simulator as a standalone process, driven over HTTP (see README.md).
import { parseArgs } from 'node:util';
import { DEMO_READONLY_TOKEN, DEMO_TOKEN, demoSeed } from './demo-seed.js';
import { loadSeedFile } from './seed.js';
import { startSimulator } from './server.js';

const USAGE = `Usage: npm run simulator -- [--port 4010] [--seed file.json] [--rate-limit 1000] [--pending-ms 1000] [--per-batch-ms 1500]`;

function integerFlag(values: Record<string, string | boolean | undefined>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new Error(`--${name} must be a non-negative integer, got ${String(raw)}`);
  return Number(raw);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      'rate-limit': { type: 'string' },
      'pending-ms': { type: 'string' },
      'per-batch-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const seed = values.seed ? loadSeedFile(values.seed) : demoSeed();
  const simulator = await startSimulator({
    seed,
    port: integerFlag(values, 'port', 4010),
    rateLimitPerMinute: integerFlag(values, 'rate-limit', 1000),
    // Slower than the library default so a person watching the demo sees each batch go by.
    taskTiming: { pendingMs: integerFlag(values, 'pending-ms', 1000), perBatchMs: integerFlag(values, 'per-batch-ms', 1500) },
  });

  console.log(`Mangrove simulator listening on ${simulator.url}`);
  console.log(`  read-write token: ${DEMO_TOKEN}`);
  console.log(`  read-only token:  ${DEMO_READONLY_TOKEN}`);
  console.log(`  project: ${seed.project.name} (${seed.project.timeZone ?? 'UTC'})`);
  for (const ledger of seed.ledgers) console.log(`  ledger ${ledger.id}  ${ledger.name}${ledger.modelId ? '' : ' (no model)'}`);
  for (const report of seed.reports ?? []) console.log(`  report ${report.id}  ${report.name} (${report.status ?? 'draft'})`);
  console.log(`  admin API: ${simulator.origin}/__admin/ (faults, tasks/fail-next, tasks/stall-next, reports/:id, reset, requests)`);
  console.log('Ctrl-C to stop.');

  process.once('SIGINT', () => {
    void simulator.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  console.error(USAGE);
  process.exit(1);
});
