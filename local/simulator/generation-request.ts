import * as z from 'zod';
import { notFound, parseJsonBody, validationError, type ApiResponse } from './responses.js';
import { formatFieldPath } from '../../functions/shared/zod-issues.js';

const requiredOr = (message: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : message);

const dateTime = z.iso.datetime({
  offset: true,
  error: requiredOr('must be an ISO-8601 date-time with a time and a zone, e.g. 2025-01-01T00:00:00Z'),
});

// Validated one field at a time, so that a bad field does not hide the problems of the others.
const fieldSchemas = {
  start_time: dateTime,
  end_time: dateTime,
  data_point_ids: z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of data point ids' }).optional(),
  skipped_data_point_type_ids: z
    .array(z.int({ error: 'must be an integer' }), { error: 'must be an array of data point type ids' })
    .optional(),
  batch_amounts: z
    .array(
      z.object(
        {
          batch_id: z.string({ error: requiredOr('must be a string') }),
          primary_output_amount: z.number({ error: requiredOr('must be a number') }),
          allocation_group: z.string({ error: requiredOr('must be a string') }),
        },
        { error: 'must be an object' },
      ),
      { error: 'must be an array' },
    )
    .optional(),
};

type Fields = { [K in keyof typeof fieldSchemas]: z.output<(typeof fieldSchemas)[K]> };

export interface GenerationBody extends Fields {
  startMs: number;
  endMs: number;
}

export interface Catalog {
  hasDataPoint(id: string): boolean;
  hasDataPointType(id: number): boolean;
  hasBatch(id: string): boolean;
}

/** The body of generate_preview and batch_generations: 400 for bad JSON, 422 listing every problem, 404 for an unknown batch. */
export function parseGenerationBody(
  rawBody: string,
  catalog: Catalog,
): { ok: true; body: GenerationBody } | { ok: false; response: ApiResponse } {
  const reject = (response: ApiResponse) => ({ ok: false, response }) as const;
  const json = parseJsonBody(rawBody);
  if (!json.ok) return json;
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    return reject(validationError(['request body must be a JSON object']));
  }
  const raw = json.value as Record<string, unknown>;

  const problems: string[] = [];
  const field = <K extends keyof Fields>(key: K): Fields[K] | undefined => {
    const result = fieldSchemas[key].safeParse(raw[key]);
    if (result.success) return result.data as Fields[K];
    problems.push(...result.error.issues.map((issue) => `${formatFieldPath([key, ...issue.path])} ${issue.message}`));
    return undefined;
  };
  const start_time = field('start_time');
  const end_time = field('end_time');
  const data_point_ids = field('data_point_ids');
  const skipped_data_point_type_ids = field('skipped_data_point_type_ids');
  const batch_amounts = field('batch_amounts');

  if (start_time && end_time && Date.parse(end_time) <= Date.parse(start_time)) problems.push('end_time must be after start_time');
  const unknownPoints = (data_point_ids ?? []).filter((id) => !catalog.hasDataPoint(id));
  if (unknownPoints.length > 0) problems.push(`data_point_ids contains unknown data points: ${unknownPoints.join(', ')}`);
  const unknownTypes = (skipped_data_point_type_ids ?? []).filter((id) => !catalog.hasDataPointType(id));
  if (unknownTypes.length > 0) problems.push(`skipped_data_point_type_ids contains unknown data point types: ${unknownTypes.join(', ')}`);

  if (problems.length > 0 || !start_time || !end_time) return reject(validationError(problems));
  if ((batch_amounts ?? []).some((amount) => !catalog.hasBatch(amount.batch_id))) return reject(notFound());

  const body: GenerationBody = {
    start_time,
    end_time,
    data_point_ids,
    skipped_data_point_type_ids,
    batch_amounts,
    startMs: Date.parse(start_time),
    endMs: Date.parse(end_time),
  };
  return { ok: true, body };
}
