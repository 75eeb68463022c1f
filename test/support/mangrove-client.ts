/** The Mangrove client as the simulator-backed client tests drive it: on a virtual clock, errors checked by type. */
import { expect } from 'vitest';
import { MangroveClient, type MangroveClientOptions } from '../../functions/mangrove/client.js';
import type { MangroveError } from '../../functions/mangrove/errors.js';

export interface VirtualClock {
  now(): number;
  advance(ms: number): void;
}

export interface Harness {
  client: MangroveClient;
  /** Each backoff/rate-limit wait the client asked for, in ms. */
  sleeps: number[];
}

/** A client whose sleeps advance `clock` instantly instead of waiting. */
export function clientHarness(baseUrl: string, token: string, clock: VirtualClock, overrides: Partial<MangroveClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const client = new MangroveClient({
    baseUrl,
    token,
    now: clock.now,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

/** What `promise` rejects with, asserted to be a `type`. */
export async function rejection<E extends MangroveError>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${type.name}, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
