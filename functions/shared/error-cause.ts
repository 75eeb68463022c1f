/**
 * A Step Functions error Cause in words. A Lambda error's Cause is the runtime's JSON (errorType,
 * errorMessage, trace); a Choice or a service gives plain text. People need the message.
 */
export function readableCause(cause: string | null | undefined, max = 1_500): string {
  if (!cause) return 'no details were given';
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // Not JSON: the cause is already plain text.
  }
  return clip(text, max + 1);
}

/** `text` in at most `max` characters, the last of them an ellipsis where it was cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
