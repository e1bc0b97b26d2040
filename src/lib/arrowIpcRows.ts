import { tableFromIPC } from 'apache-arrow';

/**
 * The rows of an Arrow IPC result as arrays of cell values, the first `width` columns each (the dataset
 * preview reads a page of rows this way; a page is a few hundred rows, so row arrays are cheap).
 */
export function rowsFromIpc(bytes: Uint8Array, width: number): unknown[][] {
  const table = tableFromIPC(bytes);
  const columns = Array.from({ length: width }, (_, i) => table.getChildAt(i));
  const rows: unknown[][] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(columns.map((c) => c?.get(r)));
  return rows;
}
