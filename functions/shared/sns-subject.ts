/** SNS subjects are at most 100 printable ASCII characters, on one line. */
export function toSnsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7E]/g, '?').replace(/\s+/g, ' ').trim();
  return ascii.length > 100 ? `${ascii.slice(0, 99)}~` : ascii;
}
