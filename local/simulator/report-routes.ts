import * as z from 'zod';
import type { FaultInjector } from './faults.js';
import { listItems, type ListFields } from './list-query.js';
import { NOT_SUBMITTABLE } from './reports.js';
import { messageError, notFound, ok, parseJsonBody, validationError, type ApiResponse } from './responses.js';
import type { RouteMatch } from './routes.js';
import type { SimulatorState } from './state.js';
import { formatFieldPath } from '../../functions/shared/zod-issues.js';

// The sort and filter fields Mangrove documents for reports.
const REPORT_FIELDS: ListFields<Record<string, unknown>> = {
  sort: ['id', 'name', 'status', 'created_at', 'updated_at'],
  filter: ['project_id', 'status'],
  value: (report, field) => String(report[field]),
};

const patchSchema = z.object({
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  batch_ids: z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of batch ids' }).optional(),
});

/** `/reports` routes; a report's id that is unknown answers 404 as every other route does. */
export function reportRoute(state: SimulatorState, faults: FaultInjector, match: RouteMatch, query: URLSearchParams, rawBody: string, nowMs: number): ApiResponse {
  const { reports } = state;
  if (match.route === 'GET /reports') return listItems(reports.all().map((report) => reports.view(report)), query, REPORT_FIELDS);
  const report = reports.get(match.id ?? '');
  if (!report) return notFound();
  switch (match.route) {
    case 'PATCH /reports/:id': {
      const json = parseJsonBody(rawBody);
      if (!json.ok) return json.response;
      const wrapper = json.value as { report?: unknown } | null;
      // Rails' `params.require(:report)`.
      if (typeof wrapper?.report !== 'object' || wrapper.report === null) return messageError(400, 'param is missing or the value is empty: report');
      const parsed = patchSchema.safeParse(wrapper.report);
      if (!parsed.success) return validationError(parsed.error.issues.map((issue) => `${formatFieldPath(['report', ...issue.path])} ${issue.message}`));
      const unknown = (parsed.data.batch_ids ?? []).filter((id) => !state.batch(id));
      if (unknown.length > 0) return validationError([`report.batch_ids contains unknown batches: ${unknown.join(', ')}`]);
      // The contract says only drafts can be updated and leaves the error undocumented: this 422 is the simulator's.
      if (report.status !== 'draft') return validationError([`Report is ${report.status}: only draft reports can be updated`]);
      reports.change(report, { name: parsed.data.name, batchIds: parsed.data.batch_ids }, nowMs);
      return ok(reports.view(report));
    }
    case 'POST /reports/:id/submit': {
      const problems = reports.submissionProblems(report);
      if (problems.length > 0) return validationError([NOT_SUBMITTABLE, ...problems]);
      return ok(reports.submit(report, faults.takeForcedOutcome(), nowMs), 202);
    }
    default:
      return ok(reports.view(report));
  }
}
