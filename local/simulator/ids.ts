const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Friendly ids (`bat_` + 12 lowercase alphanumerics) from a seeded PRNG (mulberry32): ids look
 * random, as Mangrove's do, yet a reset simulator hands out the same sequence, so runs reproduce.
 */
export function createFriendlyIdGenerator(prefix: string, taken: ReadonlySet<string>): () => string {
  let state = 0x6d616e67;
  const nextRandom = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    for (;;) {
      let id = prefix;
      for (let i = 0; i < 12; i++) id += ALPHABET[Math.floor(nextRandom() * ALPHABET.length)];
      if (!taken.has(id)) return id;
    }
  };
}
