import {
  createOperatorService,
  type OperatorService,
  type OperatorServiceOptions,
} from '../operator/service.js';
import { createClientCache } from './client-cache.js';
import type { AppConfig } from './config.js';
import { createKafkaOperatorPorts, type KafkaOperatorPorts } from './operator-kafka.js';

interface Instance {
  readonly ports: KafkaOperatorPorts;
  readonly service: OperatorService;
}

let options: OperatorServiceOptions = {};

const instances = createClientCache<Instance>(
  async (config) => {
    const ports = await createKafkaOperatorPorts(config);
    return { ports, service: createOperatorService(ports, options) };
  },
  (instance) => instance.ports.close(),
);

/**
 * The operator service of this container (UI function) or process (CLI, local UI), created on first
 * use and reused: its Kafka clients connect once, and its ledger state is read incrementally.
 */
export const getOperatorService = async (
  config: AppConfig,
  serviceOptions?: OperatorServiceOptions,
): Promise<OperatorService> => {
  if (serviceOptions !== undefined) options = serviceOptions;
  return (await instances.get(config)).service;
};

/** Closes every operator service's clients (local shutdown, tests). */
export const closeOperatorServices = (): Promise<void> => instances.closeAll();
