// Rendering moved to the operator service (shared/operator/render.ts); this keeps existing imports working.
export * from '../operator/render.js';
