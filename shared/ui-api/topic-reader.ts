// The reader moved to shared/adapters/topic-reader.ts; this keeps existing imports working.
export * from '../adapters/topic-reader.js';
