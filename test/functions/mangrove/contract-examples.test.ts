import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  acceptedTaskSchema,
  asyncTaskSchema,
  batchSchema,
  errorBodySchema,
  ledgerSchema,
  listSchema,
  previewResponseSchema,
  requiredInputSchema,
} from '../../../functions/mangrove/schemas.js';
import { PRODUCT_VERSION } from '../../../functions/mangrove/version.js';

// The contract's documented example responses, copied from the API notes into our own fixtures.
const examples = JSON.parse(readFileSync(new URL('../../fixtures/mangrove-examples.json', import.meta.url), 'utf8')) as Record<
  string,
  { body: unknown }
>;
const body = (key: string): unknown => {
  const example = examples[key];
  if (!example) throw new Error(`fixture has no example "${key}"`);
  return example.body;
};

describe('documented example responses parse with the client schemas', () => {
  it.each([
    ['GET /ledgers', listSchema(ledgerSchema)],
    ['GET /ledgers/{id}', ledgerSchema],
    ['GET /ledgers/{id}/required_inputs', listSchema(requiredInputSchema)],
    ['POST /ledgers/{id}/generate_preview', previewResponseSchema],
    ['POST /ledgers/{id}/batch_generations', acceptedTaskSchema],
    ['GET /async_tasks/{id} (running)', asyncTaskSchema],
    ['GET /async_tasks/{id} (complete)', asyncTaskSchema],
    ['GET /ledgers/{id}/batches?sort=-created_at (cookbook)', listSchema(batchSchema)],
    ['GET /batches (reference, full list item with info envelope)', listSchema(batchSchema)],
    ['error: generic (404)', errorBodySchema],
    ['error: validation (422, report submit)', errorBodySchema],
  ] as const)('%s', (key, schema) => {
    const result = schema.safeParse(body(key));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('keeps fields the contract does not name (tolerant reader)', () => {
    const reference = listSchema(batchSchema).parse(body('GET /batches (reference, full list item with info envelope)'));
    expect(reference.data[0]).toHaveProperty('model_run.state', 'complete');
    expect(reference.info?.next_page).toBeNull();
  });

  it('treats a list without info as one page', () => {
    const cookbook = listSchema(batchSchema).parse(body('GET /ledgers/{id}/batches?sort=-created_at (cookbook)'));
    expect(cookbook.info).toBeUndefined();
    expect(cookbook.data.map((batch) => batch.tracking_id)).toEqual(['Jan-2025-001']);
  });

  it('rejects a ledger whose latest_model is missing rather than guessing', () => {
    const { latest_model: _dropped, ...ledger } = body('GET /ledgers/{id}') as Record<string, unknown>;
    const result = ledgerSchema.safeParse(ledger);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['latest_model']);
  });
});

describe('product version', () => {
  it('matches package.json (it goes into the User-Agent)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PRODUCT_VERSION).toBe(manifest.version);
  });
});
