/** The demo project with `count` more ledgers, each written by a model of its own (one group each). */
import { demoSeed, DEMO_LEDGERS, type SimulatorSeed } from '../simulator/index.js';

export function portfolioSeed(count: number): { seed: SimulatorSeed; ledgerIds: string[] } {
  const seed = demoSeed();
  const template = seed.models[0];
  const outputTerms = template?.outputs.find((output) => output.ledgerId === DEMO_LEDGERS.netCarbonRemoval)?.terms;
  const ncr = seed.ledgers.find((ledger) => ledger.id === DEMO_LEDGERS.netCarbonRemoval);
  if (!template || !outputTerms || !ncr) throw new Error('the demo seed no longer has its Net Carbon Removal model');
  const ledgerIds = Array.from({ length: count }, (_, index) => `lgr_bench${String(index + 1).padStart(4, '0')}`);
  return {
    ledgerIds,
    seed: {
      ...seed,
      models: [
        ...seed.models,
        ...ledgerIds.map((ledgerId, index) => ({ ...template, id: `mdl_bench${index + 1}`, name: `Bench model ${index + 1}`, outputs: [{ ledgerId, terms: outputTerms }] })),
      ],
      ledgers: [...seed.ledgers, ...ledgerIds.map((id, index) => ({ ...ncr, id, name: `Bench ledger ${index + 1}`, modelId: `mdl_bench${index + 1}` }))],
    },
  };
}
