import type { HistoryResponse } from '../../shared/contract/operator.js';
import { api } from './api-client.js';
import { describeRun, describeSelection, when } from './console-view.js';
import { byId, cell, el } from './dom.js';

/** Past redrives from the ledger: who, when, what, where to, how many, and how. */
export const refreshHistory = async (): Promise<void> => {
  const { runs } = await api<HistoryResponse>('/api/dlq/history?limit=50');
  byId('history-body').replaceChildren(
    ...runs.map((run) => {
      const row = el('tr');
      row.dataset.runId = run.runId;
      cell(row, when(run.startedAt), 'mono');
      cell(row, run.operator, 'operator');
      cell(row, describeSelection(run.selection), 'mono');
      cell(row, run.target);
      cell(row, String(run.count));
      cell(row, describeRun(run), run.force ? 'danger' : 'muted');
      return row;
    }),
  );
};
