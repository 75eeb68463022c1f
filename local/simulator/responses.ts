export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

/** Mangrove's generic error body. */
export function messageError(status: number, message: string): ApiResponse {
  return { status, body: { message } };
}

export function notFound(): ApiResponse {
  return messageError(404, 'Record not found.');
}

/** Mangrove's validation error body, one entry per problem. */
export function validationError(messages: readonly string[]): ApiResponse {
  return { status: 422, body: { status: 'error', statusCode: 422, errors: messages.map((message) => ({ message })) } };
}

/** An empty body reads as `{}`; anything that is not JSON is a 400 with the generic body. */
export function parseJsonBody(rawBody: string): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  try {
    return { ok: true, value: rawBody.trim() === '' ? {} : JSON.parse(rawBody) };
  } catch {
    return { ok: false, response: messageError(400, 'Request body is not valid JSON.') };
  }
}
