// Text tables for read commands (cli-table3, loaded on demand): one style for every command,
// rows without separator lines so a long listing stays readable.
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export async function renderTable(head: string[], rows: string[][]): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({ head, chars: COMPACT, style: { head: [], border: [] } });
  table.push(...rows);
  return table.toString();
}
