export * from './headers.js';
export * from './ledger.js';
export * from './operator.js';
export * from './redrive-job.js';
export * from './topics.js';
export * from './views.js';
