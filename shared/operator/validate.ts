import { z } from 'zod';
import type {
  EditRedriveRequest,
  GroupsRequest,
  InspectRequest,
  ListRequest,
  RedriveRequest,
} from '../contract/operator.js';
import { formatIssues } from '../domain/order-schema.js';
import { invalidInput } from './errors.js';

/** Input limits, so one request cannot make the service scan or hold without bound. */
export const OperatorLimits = {
  pageDefault: 100,
  pageMax: 500,
  selectionMax: 10_000,
  rateDefault: 500,
  rateMax: 50_000,
  bucketsDefault: 24,
  bucketsMax: 200,
} as const;

const text = (max: number) => z.string().min(1).max(max);
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
const offsets = z
  .record(z.string().regex(/^\d{1,5}$/), z.number().int().min(0))
  .refine((value) => Object.keys(value).length <= 10_000, 'too many partitions');
const coordinate = z
  .object({ partition: z.number().int().min(0).max(100_000), offset: z.number().int().min(0) })
  .strict();
// Topic names as Kafka allows them.
const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'not a valid topic name');

export const searchFilterSchema = z
  .object({
    reason: text(64).optional(),
    errorClass: text(128).optional(),
    text: text(256).optional(),
    key: text(1024).optional(),
    originTopic: topicName.optional(),
    fingerprint: z
      .string()
      .regex(/^[\w-]{1,64}$/)
      .optional(),
    fromTime: epochMs.optional(),
    toTime: epochMs.optional(),
  })
  .strict();

const rangeSchema = z
  .object({ fromOffsets: offsets.optional(), toOffsets: offsets.optional(), fromTime: epochMs.optional() })
  .strict();

const listSchema = z
  .object({
    filter: searchFilterSchema.optional(),
    range: rangeSchema.optional(),
    cursor: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(OperatorLimits.pageMax).optional(),
    topic: topicName.optional(),
  })
  .strict();

const inspectSchema = coordinate.extend({ topic: topicName.optional() }).strict();

const groupsSchema = z
  .object({
    filter: searchFilterSchema.optional(),
    range: rangeSchema.optional(),
    buckets: z.number().int().min(1).max(OperatorLimits.bucketsMax).optional(),
  })
  .strict();

const target = z.enum(['origin', 'retry']);

const selectionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('records'),
      records: z.array(coordinate).min(1).max(OperatorLimits.selectionMax),
    })
    .strict(),
  z.object({ kind: z.literal('filter'), filter: searchFilterSchema }).strict(),
  z
    .object({
      kind: z.literal('group'),
      fingerprint: z.string().regex(/^[\w-]{1,64}$/),
      filter: searchFilterSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('envelope'),
      coordinate,
      indexes: z.array(z.number().int().min(0).max(100_000)).min(1).max(10_000).optional(),
    })
    .strict(),
]);

const redriveSchema = z
  .object({
    selection: selectionSchema,
    target,
    dryRun: z.boolean().optional(),
    force: z.boolean().optional(),
    ratePerSecond: z.number().positive().max(OperatorLimits.rateMax).optional(),
    topic: topicName.optional(),
    resumeRun: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'a run id')
      .optional(),
  })
  .strict();

const editSchema = z
  .object({ record: coordinate, value: z.unknown(), target, force: z.boolean().optional() })
  .strict();

const parse = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T => {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(`invalid ${what}: ${formatIssues(result.error.issues)}`);
  return result.data;
};

export const parseListRequest = (value: unknown): ListRequest =>
  parse(listSchema, value ?? {}, 'list request');
export const parseInspectRequest = (value: unknown): InspectRequest =>
  parse(inspectSchema, value, 'coordinate');
export const parseGroupsRequest = (value: unknown): GroupsRequest =>
  parse(groupsSchema, value ?? {}, 'groups request');
export const parseRedriveRequest = (value: unknown): RedriveRequest =>
  parse(redriveSchema, value, 'redrive request') as RedriveRequest;
export const parseEditRedriveRequest = (value: unknown): EditRedriveRequest =>
  parse(editSchema, value, 'edit request') as EditRedriveRequest;
