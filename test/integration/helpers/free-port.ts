import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// The kernel hands out ports for outgoing connections from its ephemeral range, and a suite full of Kafka
// clients opens thousands of them. A port probed free inside that range can be taken by someone's
// outgoing connection before the broker binds it (CI saw exactly that). Below the range, only a listener
// can take a port, and every listener in the suite picks its port here.
const LOWEST = 20_000;
const FALLBACK_EPHEMERAL_START = 32_768;
const ATTEMPTS = 200;

const ephemeralStart = (): number => {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const parsed = Number(start);
    return Number.isInteger(parsed) && parsed > LOWEST + 1_000 ? parsed : FALLBACK_EPHEMERAL_START;
  } catch {
    return FALLBACK_EPHEMERAL_START;
  }
};

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolvePromise) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });

/**
 * `count` consecutive TCP ports on 127.0.0.1 that were free a moment ago, below the ephemeral range.
 * Consecutive because the local broker derives its controller port as `port + 1`.
 */
export const freePorts = async (count: number): Promise<number[]> => {
  const highestFirst = ephemeralStart() - count;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const first = LOWEST + Math.floor(Math.random() * (highestFirst - LOWEST));
    const ports = Array.from({ length: count }, (_, index) => first + index);
    let allFree = true;
    for (const port of ports) {
      if (!(await canListen(port))) {
        allFree = false;
        break;
      }
    }
    if (allFree) {
      return ports;
    }
  }
  throw new Error(`no ${count} consecutive free ports found between ${LOWEST} and ${highestFirst + count}`);
};

/** One free port, as {@link freePorts} picks it. */
export const freePort = async (): Promise<number> => {
  const [port] = await freePorts(1);
  if (port === undefined) {
    throw new Error('no port assigned');
  }
  return port;
};
