import { z } from 'zod';
// Topic roles are part of the contract module, which the browser imports too.
import { isTopicRole, TopicRole, topicRoles } from '../contract/topics.js';
import { formatIssues } from '../domain/order-schema.js';
import { RedriveTarget } from '../domain/redrive.js';
import type { Topics } from '../domain/topics.js';
import { type ProduceRequest, produceSchema } from '../operator/produce.js';
import { ApiError } from './http.js';
import type { PartitionOffsets } from './message-log.js';

export { isTopicRole, TopicRole, topicRoles };

/** The role of a topic name or role, or undefined when it is not one of ours (the allow-list). */
export const topicRoleOf = (nameOrRole: string, topics: Topics): TopicRole | undefined =>
  isTopicRole(nameOrRole) ? nameOrRole : topicRoles.find((role) => topics[role] === nameOrRole);

const parse = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T => {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, `invalid ${what}: ${formatIssues(result.error.issues)}`);
  return result.data;
};

export const loginSchema = z.object({ token: z.string().min(1).max(512) }).strict();
export const parseLogin = (body: unknown) => parse(loginSchema, body, 'login');

export { type ProduceRequest, produceSchema } from '../operator/produce.js';
export const parseProduce = (body: unknown): ProduceRequest => parse(produceSchema, body, 'produce request');

const coordinate = z
  .object({ partition: z.number().int().min(0).max(100_000), offset: z.number().int().min(0) })
  .strict();

export const redriveFilterSchema = z
  .object({
    /** Exact dead-letter reason, e.g. `permanent-failure` or `attempts-exhausted`. */
    reason: z.string().min(1).max(64).optional(),
    /** Case-insensitive substring of the key, the value or the error message. */
    text: z.string().min(1).max(256).optional(),
  })
  .strict();
export type RedriveFilter = z.infer<typeof redriveFilterSchema>;

export const redriveSchema = z
  .object({
    target: z.enum([RedriveTarget.origin, RedriveTarget.retry]),
    dryRun: z.boolean().default(false),
    /**
     * Send again what the redrive ledger says was redriven already, as an explicit new redrive
     * generation (a killed forced run resumes its own generation rather than opening another).
     */
    force: z.boolean().default(false),
    records: z.array(coordinate).min(1).max(1_000).optional(),
    all: z.literal(true).optional(),
    filter: redriveFilterSchema.default({}),
  })
  .strict()
  .refine((request) => (request.records === undefined) !== (request.all === undefined), {
    message: 'name either records or all',
  });
export type RedriveRequest = z.infer<typeof redriveSchema>;
export const parseRedrive = (body: unknown): RedriveRequest => parse(redriveSchema, body, 'redrive request');

/** The client's position in every topic: role → partition → next offset. */
export type Cursor = Partial<Record<TopicRole, PartitionOffsets>>;

const cursorSchema = z
  .record(
    z.enum([TopicRole.orders, TopicRole.retry, TopicRole.dlq]),
    z
      .record(z.string().regex(/^\d{1,5}$/), z.number().int().min(0))
      .refine((offsets) => Object.keys(offsets).length <= 1_000, 'too many partitions'),
  )
  .refine((cursor) => Object.keys(cursor).length <= topicRoles.length);

/** Cursors travel as base64url JSON in a query parameter, opaque to the client. */
export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

export const decodeCursor = (text: string | null): Cursor | undefined => {
  if (text === null || text === '') return undefined;
  if (text.length > 16_384 || !/^[\w-]+$/.test(text)) throw new ApiError(400, 'invalid cursor');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid cursor');
  }
  return parse(cursorSchema, json, 'cursor') as Cursor;
};

/** A message coordinate from the path, e.g. `/api/messages/dlq/0/15`. */
export const parseCoordinate = (partition: string, offset: string): { partition: number; offset: number } => {
  if (!/^\d{1,5}$/.test(partition) || !/^\d{1,18}$/.test(offset))
    throw new ApiError(400, 'invalid coordinate');
  return { partition: Number(partition), offset: Number(offset) };
};
