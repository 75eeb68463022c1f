/** A zod issue path as a seed author or API caller writes it: `ledgers[0].cadence`, `batch_amounts[1].batch_id`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}
