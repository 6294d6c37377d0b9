import type { RedriveProgress, RedriveRequest, RedriveResult } from './operator.js';

/** The API's view of a UI redrive job (no Node imports: the browser imports it). */
export const JobState = {
  running: 'running',
  done: 'done',
  cancelled: 'cancelled',
  failed: 'failed',
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

export interface RedriveJobView {
  readonly id: string;
  readonly state: JobState;
  readonly operator: string;
  readonly request: RedriveRequest;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** The latest progress the run reported. */
  readonly progress?: RedriveProgress;
  /** Set once the run has ended. */
  readonly result?: RedriveResult;
  readonly error?: string;
}
