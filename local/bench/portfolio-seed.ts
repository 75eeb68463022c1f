/**
 * The demo project plus `count` bench ledgers, each a copy of Net Carbon Removal fed by the same
 * readings. Most have a model of their own; in every ten, three share one model (as a project's
 * removal and its co-products do), so one generation writes all three and they cannot run apart.
 */
import { demoSeed, DEMO_LEDGERS, type SimulatorSeed } from '../simulator/index.js';

/** Of every ten ledgers, how many share one model. */
const SHARED_PER_TEN = 3;

export function portfolioSeed(count: number): { seed: SimulatorSeed; ledgerIds: string[]; models: number } {
  const seed = demoSeed();
  const template = seed.models[0];
  const terms = template?.outputs.find((output) => output.ledgerId === DEMO_LEDGERS.netCarbonRemoval)?.terms;
  const ncr = seed.ledgers.find((ledger) => ledger.id === DEMO_LEDGERS.netCarbonRemoval);
  if (!template || !terms || !ncr) throw new Error('the demo seed no longer has its Net Carbon Removal model');
  const ledgerIds = Array.from({ length: count }, (_, index) => `lgr_bench${String(index + 1).padStart(4, '0')}`);
  const modelOf = (index: number) => (index % 10 < SHARED_PER_TEN ? `mdl_benchshared${Math.floor(index / 10) + 1}` : `mdl_bench${index + 1}`);
  const outputs = new Map<string, string[]>();
  ledgerIds.forEach((ledgerId, index) => outputs.set(modelOf(index), [...(outputs.get(modelOf(index)) ?? []), ledgerId]));
  return {
    ledgerIds,
    models: outputs.size,
    seed: {
      ...seed,
      models: [
        ...seed.models,
        ...[...outputs].map(([id, written]) => ({ ...template, id, name: `Bench model ${id.slice(4)}`, outputs: written.map((ledgerId) => ({ ledgerId, terms })) })),
      ],
      ledgers: [...seed.ledgers, ...ledgerIds.map((id, index) => ({ ...ncr, id, name: `Bench ledger ${index + 1}`, modelId: modelOf(index) }))],
    },
  };
}
