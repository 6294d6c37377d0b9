/**
 * Refusals of the operator service. Adapters map them: the UI API to 400/404/409, the CLI to a message
 * and exit code 1. Their messages are safe to show an operator.
 */
export const OperatorErrorCode = {
  invalidInput: 'ORD_OPS_INVALID_INPUT',
  notFound: 'ORD_OPS_NOT_FOUND',
  conflict: 'ORD_OPS_CONFLICT',
} as const;
export type OperatorErrorCode = (typeof OperatorErrorCode)[keyof typeof OperatorErrorCode];

export class OperatorError extends Error {
  constructor(
    readonly code: OperatorErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OperatorError';
  }
}

export const invalidInput = (message: string, options?: ErrorOptions): OperatorError =>
  new OperatorError(OperatorErrorCode.invalidInput, message, options);

export const notFound = (message: string): OperatorError =>
  new OperatorError(OperatorErrorCode.notFound, message);

export const conflict = (message: string): OperatorError =>
  new OperatorError(OperatorErrorCode.conflict, message);
