/** How bytes are shown: pretty JSON, UTF-8 text, a hex dump for anything binary, or a null value. */
export const Encoding = { json: 'json', text: 'text', hex: 'hex', null: 'null' } as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

export interface RenderedBytes {
  readonly encoding: Encoding;
  readonly text: string;
  readonly bytes: number;
  readonly truncated: boolean;
}

/** The decoded failure headers, flattened for a table. */
export interface FailureView {
  readonly eventId: string;
  readonly attempt: number;
  readonly dueAt?: number;
  readonly firstFailureAt: number;
  readonly lastFailureAt: number;
  readonly errorKind: string;
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly errorStack?: string;
  /** `topic:partition:offset` of the record's first position. */
  readonly origin: string;
  readonly originTimestamp: number;
  readonly reason?: string;
  readonly redrive?: { readonly count: number; readonly at: number; readonly from: string };
}

/** Everything the UI shows about one record. */
export interface MessageView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: RenderedBytes;
  readonly value: RenderedBytes;
  /** Headers other than the failure contract's, which `failure` shows decoded. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: RenderedBytes }>;
  readonly failure?: FailureView;
  /** Set when the DLQ record is a Lambda on-failure envelope: the records it carries. */
  readonly envelope?: EnvelopeView;
  /** What the ledger says about this DLQ record, when it was redriven. */
  readonly ledger?: LedgerRecordState;
}

/** A DLQ record's coordinates. */
export interface Coordinate {
  readonly partition: number;
  readonly offset: number;
}

/** One record inside a Lambda on-failure destination envelope. */
export interface EnvelopeRecordView {
  /** Position inside the envelope, used to redrive it on its own. */
  readonly index: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: RenderedBytes;
  readonly value: RenderedBytes;
}

export interface EnvelopeView {
  readonly condition: string;
  readonly approximateInvokeCount: number;
  readonly functionArn?: string;
  readonly functionError?: string;
  readonly failedAt?: string;
  readonly records: readonly EnvelopeRecordView[];
}

/** The ledger's latest entry for one DLQ record. */
export interface LedgerRecordState {
  readonly generation: number;
  readonly runId: string;
  readonly operator: string;
  readonly at: number;
  readonly targetTopic: string;
  readonly edited: boolean;
}
