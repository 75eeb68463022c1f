import type { ModelTerm } from './seed.js';

/**
 * The simulated model: value = Σ over terms of coefficient × Π over the term's factors of
 * aggregate(values of that data point type in the month), aggregate `sum` or `mean`.
 * A term with a skipped type contributes 0. The caller guarantees every other factor has values.
 */
export function evaluateTerms(
  terms: readonly ModelTerm[],
  valuesByType: ReadonlyMap<number, readonly number[]>,
  skippedTypeIds: ReadonlySet<number>,
): number {
  let total = 0;
  for (const term of terms) {
    if (term.factors.some((factor) => skippedTypeIds.has(factor.dataPointTypeId))) continue;
    let product = term.coefficient;
    for (const factor of term.factors) {
      const values = valuesByType.get(factor.dataPointTypeId) ?? [];
      const sum = values.reduce((a, b) => a + b, 0);
      product *= factor.aggregate === 'sum' ? sum : sum / values.length;
    }
    total += product;
  }
  return roundTo3(total);
}

export function roundTo3(value: number): number {
  // `+ 0` turns a rounded -0 into 0 so JSON and equality stay plain.
  return Math.round(value * 1000) / 1000 + 0;
}
