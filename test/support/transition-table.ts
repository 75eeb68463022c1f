/** A record's transitions as the README's table shows them: rendered from the code, so the two cannot drift. */
export function transitionTable(transitions: Record<string, { from: readonly string[]; to: string; when: string }>): string {
  const rows = Object.entries(transitions).map(
    ([name, transition]) => `| \`${name}\` | ${transition.from.map((from) => `\`${from}\``).join(', ')} | \`${transition.to}\` | ${transition.when} |`,
  );
  return ['| transition | from | to | when |', '|---|---|---|---|', ...rows].join('\n');
}
