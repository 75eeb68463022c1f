/** The Mangrove API client the step Lambdas and the CLI share: one method per workflow endpoint. */
import type * as z from 'zod/mini';
import { MangroveResponseError, MangroveValidationError, ReportNotSubmittableError } from './errors.js';
import {
  acceptedTaskSchema,
  asyncTaskSchema,
  batchSchema,
  ledgerSchema,
  listSchema,
  previewResponseSchema,
  reportSchema,
  reportSubmissionSchema,
  requiredInputSchema,
  type AcceptedTask,
  type AsyncTask,
  type Batch,
  type Ledger,
  type PreviewEntry,
  type Report,
  type ReportSubmission,
  type RequiredInput,
} from './schemas.js';
import { MangroveTransport, type TransportOptions } from './transport.js';

export const DEFAULT_API_BASE_URL = 'https://app.gomangrove.com/api/v1';

export type MangroveClientOptions = Omit<TransportOptions, 'baseUrl'> & { baseUrl?: string };

export interface GenerationWindow {
  /** ISO-8601 date-time, e.g. `2025-03-01T00:00:00.000Z`. */
  startTime: string;
  endTime: string;
  /** Data points to use; omitted → Mangrove auto-discovers them from the window. */
  dataPointIds?: string[];
}

export interface BatchAmount {
  batchId: string;
  primaryOutputAmount: number;
  allocationGroup: string;
}

export interface BatchGenerationRequest extends GenerationWindow {
  batchAmounts?: BatchAmount[];
  skippedDataPointTypeIds?: number[];
}

export interface ListBatchesOptions {
  /** Comma list as Mangrove takes it, e.g. `-created_at`. */
  sort?: string;
  /** `filter[field][eq]=value` pairs, e.g. `{ state: 'complete' }`. */
  filter?: Partial<Record<'id' | 'state' | 'tracking_id' | 'friendly_id', string>>;
  pageSize?: number;
}

export interface ListReportsOptions {
  /** Any status Mangrove uses, e.g. `draft`. */
  status?: string;
  projectId?: number;
}

/** The page size we ask for; Mangrove's maximum is undocumented, 100 is a common ceiling. */
const LIST_PAGE_SIZE = 100;
/** A server that never reports a last page must not keep a Lambda paging until it times out. */
const MAX_PAGES = 1_000;

export class MangroveClient {
  readonly #transport: MangroveTransport;

  constructor(options: MangroveClientOptions) {
    this.#transport = new MangroveTransport({ ...options, baseUrl: options.baseUrl ?? DEFAULT_API_BASE_URL });
  }

  /** Every ledger of the token's project, all pages. */
  async listLedgers(): Promise<Ledger[]> {
    const ledgers: Ledger[] = [];
    for await (const ledger of this.#paginate('GET /ledgers', '/ledgers', ledgerSchema, new URLSearchParams())) {
      ledgers.push(ledger);
    }
    return ledgers;
  }

  getLedger(ledgerId: string): Promise<Ledger> {
    return this.#transport.send({
      method: 'GET',
      endpoint: 'GET /ledgers/{id}',
      path: ledgerPath(ledgerId),
      schema: ledgerSchema,
      repeatable: true,
    });
  }

  async getRequiredInputs(ledgerId: string): Promise<RequiredInput[]> {
    const inputs: RequiredInput[] = [];
    const pages = this.#paginate(
      'GET /ledgers/{id}/required_inputs',
      `${ledgerPath(ledgerId)}/required_inputs`,
      requiredInputSchema,
      new URLSearchParams(),
    );
    for await (const input of pages) inputs.push(input);
    return inputs;
  }

  /** How many batches a window would make, one entry per ledger the model writes. Creates nothing. */
  async previewGeneration(ledgerId: string, window: GenerationWindow): Promise<PreviewEntry[]> {
    const response = await this.#transport.send({
      method: 'POST',
      endpoint: 'POST /ledgers/{id}/generate_preview',
      path: `${ledgerPath(ledgerId)}/generate_preview`,
      body: compact({
        start_time: window.startTime,
        end_time: window.endTime,
        data_point_ids: window.dataPointIds,
      }),
      schema: previewResponseSchema,
      // It only reads, so repeating it is harmless.
      repeatable: true,
    });
    return response.data;
  }

  /**
   * Starts an async generation (202). Never retried once it may have reached Mangrove: a doubt
   * raises GenerationOutcomeUnknownError for the workflow to resolve by looking at the ledger.
   */
  startBatchGeneration(ledgerId: string, request: BatchGenerationRequest): Promise<AcceptedTask> {
    return this.#transport.send({
      method: 'POST',
      endpoint: 'POST /ledgers/{id}/batch_generations',
      path: `${ledgerPath(ledgerId)}/batch_generations`,
      body: compact({
        start_time: request.startTime,
        end_time: request.endTime,
        data_point_ids: request.dataPointIds,
        batch_amounts: request.batchAmounts?.map((amount) => ({
          batch_id: amount.batchId,
          primary_output_amount: amount.primaryOutputAmount,
          allocation_group: amount.allocationGroup,
        })),
        skipped_data_point_type_ids: request.skippedDataPointTypeIds,
      }),
      schema: acceptedTaskSchema,
      repeatable: false,
    });
  }

  getAsyncTask(taskId: number): Promise<AsyncTask> {
    return this.#transport.send({
      method: 'GET',
      endpoint: 'GET /async_tasks/{id}',
      path: `/async_tasks/${encodeURIComponent(String(taskId))}`,
      schema: asyncTaskSchema,
      repeatable: true,
    });
  }

  /**
   * A ledger's batches, fetched a page at a time as the caller iterates: breaking out of the loop
   * stops the paging, so "newest first until older than X" reads only the pages it needs.
   */
  listLedgerBatches(ledgerId: string, options: ListBatchesOptions = {}): AsyncGenerator<Batch> {
    const query = new URLSearchParams();
    if (options.sort) query.set('sort', options.sort);
    for (const [field, value] of Object.entries(options.filter ?? {})) {
      if (value !== undefined) query.set(`filter[${field}][eq]`, value);
    }
    return this.#paginate(
      'GET /ledgers/{id}/batches',
      `${ledgerPath(ledgerId)}/batches`,
      batchSchema,
      query,
      options.pageSize,
    );
  }

  /** The token's reports, all pages, filtered by Mangrove. */
  async listReports(options: ListReportsOptions = {}): Promise<Report[]> {
    const query = new URLSearchParams();
    if (options.status !== undefined) query.set('filter[status][eq]', options.status);
    if (options.projectId !== undefined) query.set('filter[project_id][eq]', String(options.projectId));
    const reports: Report[] = [];
    for await (const report of this.#paginate('GET /reports', '/reports', reportSchema, query)) reports.push(report);
    return reports;
  }

  getReport(reportId: string): Promise<Report> {
    return this.#transport.send({
      method: 'GET',
      endpoint: 'GET /reports/{id}',
      path: reportPath(reportId),
      schema: reportSchema,
      repeatable: true,
    });
  }

  /**
   * Sets the batches of a draft report (Mangrove refuses other statuses with a 4xx). Whether Mangrove
   * replaces or adds `batch_ids` is undocumented, so the caller always sends the whole set it wants:
   * sending the same set twice leaves the same report, which is why this PATCH may be retried.
   */
  updateReportBatches(reportId: string, batchIds: readonly string[]): Promise<Report> {
    return this.#transport.send({
      method: 'PATCH',
      endpoint: 'PATCH /reports/{id}',
      path: reportPath(reportId),
      body: { report: { batch_ids: [...batchIds] } },
      schema: reportSchema,
      repeatable: true,
    });
  }

  /**
   * Submits the report to its registry (202, an async task), which cannot be undone. Never retried
   * once it may have reached Mangrove: a doubt raises GenerationOutcomeUnknownError, for the workflow
   * to resolve by watching the report's status. A 422 (requirements not met) raises
   * ReportNotSubmittableError with Mangrove's messages.
   */
  async submitReport(reportId: string): Promise<ReportSubmission> {
    try {
      return await this.#transport.send({
        method: 'POST',
        endpoint: 'POST /reports/{id}/submit',
        path: `${reportPath(reportId)}/submit`,
        schema: reportSubmissionSchema,
        repeatable: false,
      });
    } catch (error) {
      if (error instanceof MangroveValidationError && error.status === 422) throw new ReportNotSubmittableError(error, error.messages);
      throw error;
    }
  }

  async *#paginate<Item>(
    endpoint: string,
    path: string,
    itemSchema: z.ZodMiniType<Item>,
    baseQuery: URLSearchParams,
    pageSize = LIST_PAGE_SIZE,
  ): AsyncGenerator<Item> {
    const schema = listSchema(itemSchema);
    let page = 1;
    for (let fetched = 0; fetched < MAX_PAGES; fetched += 1) {
      const query = new URLSearchParams(baseQuery);
      query.set('page', String(page));
      query.set('page_size', String(pageSize));
      const response = await this.#transport.send({ method: 'GET', endpoint, path, query, schema, repeatable: true });
      yield* response.data as Item[];

      // No `info` (as in some documented examples) means the list is a single page.
      const next = response.info?.next_page ?? null;
      if (next === null) return;
      if (next <= page) {
        throw new MangroveResponseError(
          { method: 'GET', endpoint, path, status: 200 },
          `info.next_page ${next} does not advance past page ${page}`,
          'info.next_page',
        );
      }
      page = next;
    }
    throw new MangroveResponseError(
      { method: 'GET', endpoint, path, status: 200 },
      `still reporting a next page after ${MAX_PAGES} pages`,
      'info.next_page',
    );
  }
}

function ledgerPath(ledgerId: string): string {
  return `/ledgers/${encodeURIComponent(ledgerId)}`;
}

function reportPath(reportId: string): string {
  return `/reports/${encodeURIComponent(reportId)}`;
}

/** Drops undefined fields so optional parameters are omitted rather than sent as null. */
function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
