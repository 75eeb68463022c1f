import * as z from 'zod';
import { faultSchema, routeKeySchema, type FaultInjector } from './faults.js';
import { messageError, ok, parseJsonBody, type ApiResponse } from './responses.js';
import { formatFieldPath } from '../../functions/shared/zod-issues.js';
import type { RecordedRequest } from './recorded-request.js';

export interface AdminContext {
  faults: FaultInjector;
  requests: readonly RecordedRequest[];
  reset(): void;
  /** null deletes the report; false for an unknown report. */
  editReport(reportId: string, changes: ReportEdit | null): boolean;
}

const injectSchema = z.object({ route: routeKeySchema, fault: faultSchema, times: z.int().positive().optional() });
const failNextSchema = z.object({ message: z.string().min(1) });
const stallNextSchema = z.object({ atProgress: z.number().min(0).max(100).optional() });

const reportEditSchema = z.object({ name: z.string().min(1).optional(), status: z.string().min(1).optional() });
export type ReportEdit = z.infer<typeof reportEditSchema>;
const REPORT_PATH = /^\/reports\/([^/]+)$/;

const noContent: ApiResponse = { status: 204, body: undefined };

function parseBody<T>(schema: z.ZodType<T>, rawBody: string): { ok: true; value: T } | { ok: false; response: ApiResponse } {
  const json = parseJsonBody(rawBody);
  if (!json.ok) return json;
  const result = schema.safeParse(json.value);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => `${formatFieldPath(issue.path) || 'body'}: ${issue.message}`);
  return { ok: false, response: messageError(400, problems.join('; ')) };
}

/** The fault/admin API for a simulator run as its own process (`npm run simulator`); `path` is below `/__admin`. */
export function handleAdminRequest(context: AdminContext, method: string, path: string, rawBody: string): ApiResponse {
  const endpoint = `${method} ${path}`;
  const reportId = REPORT_PATH.exec(path)?.[1];
  if (reportId !== undefined && (method === 'PATCH' || method === 'DELETE')) {
    const parsed = method === 'PATCH' ? parseBody(reportEditSchema, rawBody) : ({ ok: true, value: null } as const);
    if (!parsed.ok) return parsed.response;
    return context.editReport(decodeURIComponent(reportId), parsed.value) ? noContent : messageError(404, `No report ${reportId}.`);
  }
  switch (endpoint) {
    case 'POST /faults': {
      const parsed = parseBody(injectSchema, rawBody);
      if (!parsed.ok) return parsed.response;
      context.faults.inject(parsed.value.route, parsed.value.fault, parsed.value.times);
      return noContent;
    }
    case 'DELETE /faults':
      context.faults.clear();
      return noContent;
    case 'POST /tasks/fail-next': {
      const parsed = parseBody(failNextSchema, rawBody);
      if (!parsed.ok) return parsed.response;
      context.faults.failNextTask(parsed.value.message);
      return noContent;
    }
    case 'POST /tasks/stall-next': {
      const parsed = parseBody(stallNextSchema, rawBody);
      if (!parsed.ok) return parsed.response;
      context.faults.stallNextTask(parsed.value.atProgress);
      return noContent;
    }
    case 'POST /reset':
      context.reset();
      return noContent;
    case 'GET /requests':
      return ok({ data: context.requests });
    default:
      return messageError(404, `No admin endpoint ${endpoint}.`);
  }
}
