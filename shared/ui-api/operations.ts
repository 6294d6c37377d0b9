import type { OutboundMessage } from '../domain/failure-routing.js';
import type { Topics } from '../domain/topics.js';
import { OperatorError } from '../operator/errors.js';
import { buildProduceMessage as buildProduce } from '../operator/produce.js';
import { ApiError } from './http.js';
import type { ProduceRequest } from './requests.js';

/** The produce use case of the operator service, with its refusals as the API's 400s. */
export const buildProduceMessage = (request: ProduceRequest, topics: Topics): OutboundMessage => {
  try {
    return buildProduce(request, topics);
  } catch (error) {
    if (error instanceof OperatorError) throw new ApiError(400, error.message);
    throw error;
  }
};
