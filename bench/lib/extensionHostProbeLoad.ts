// The two ways benchmark 3 offers 1,000 deliveries a second, with one result shape.
// - paced: a request every millisecond on average (sent in 10 ms ticks), as a busy sender spreads
//   its deliveries over the second;
// - bursts: autocannon's overallRate, which lets each connection send its share of a second as
//   fast as it is answered and then wait for the next second, so each second starts with a burst.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

export interface DeliverySource {
  readonly headers: Record<string, string>;
  /** The body of the next delivery (each one distinct). */
  next(): string;
}

export interface LoadFigures {
  readonly durationSec: number;
  readonly sent: number;
  readonly answered2xx: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
}

export interface LoadSpec {
  readonly url: string;
  readonly rate: number;
  readonly durationSec: number;
  readonly connections: number;
  readonly deliveries: DeliverySource;
  /** Called with the id each 2xx answer names. */
  readonly onAcknowledged: (id: string) => void;
}

const TICK_MS = 10;
const TIMEOUT_MS = 10_000;

export async function pacedLoad(spec: LoadSpec): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const url = new URL(spec.url);
  const latencies: number[] = [];
  let sent = 0;
  let answered2xx = 0;
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (): void => {
    const body = spec.deliveries.next();
    const started = performance.now();
    const done = new Promise<void>((resolve) => {
      const outgoing = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...spec.deliveries.headers, 'Content-Length': Buffer.byteLength(body) },
          timeout: TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            latencies.push(performance.now() - started);
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              answered2xx++;
              acknowledge(Buffer.concat(chunks).toString('utf8'), spec.onAcknowledged);
            } else {
              non2xx++;
            }
            resolve();
          });
          response.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', () => {
        errors++;
        resolve();
      });
      outgoing.end(body);
    });
    sent++;
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const start = performance.now();
  const total = Math.round(spec.rate * spec.durationSec);
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((elapsed * spec.rate) / 1000));
      while (sent < due) send();
      if (sent >= total) return resolve();
      // Aim at the next tick boundary, so timer lateness does not accumulate into a lower rate.
      setTimeout(tick, TICK_MS - (elapsed % TICK_MS));
    };
    tick();
  });
  const durationSec = (performance.now() - start) / 1000;
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (fraction: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))] ?? 0;
  return {
    durationSec,
    sent,
    answered2xx,
    non2xx,
    errors,
    latencyP50Ms: at(0.5),
    latencyP99Ms: at(0.99),
    latencyMaxMs: latencies[latencies.length - 1] ?? 0,
  };
}

export async function autocannonLoad(spec: LoadSpec): Promise<LoadFigures> {
  const requestSpec = {
    method: 'POST',
    headers: spec.deliveries.headers,
    // setupRequest builds each request anew, so every delivery is distinct.
    setupRequest: (built: Record<string, unknown>) => ({ ...built, body: spec.deliveries.next() }),
    onResponse: (status: number, body: string) => {
      if (status >= 200 && status < 300) acknowledge(body, spec.onAcknowledged);
    },
  };
  // setupRequest is autocannon API that bench/lib/autocannon.d.ts does not declare; a request
  // object held in a variable may carry it.
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSec,
    overallRate: spec.rate,
    requests: [requestSpec],
  });
  return {
    durationSec: result.duration,
    sent: result.requests.sent,
    answered2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}

/** The receiver answers an accepted delivery with `{ received: true, id }`. */
function acknowledge(body: string, onAcknowledged: (id: string) => void): void {
  try {
    const { id } = JSON.parse(body) as { id?: unknown };
    if (typeof id === 'string') onAcknowledged(id);
  } catch {
    // Not the receiver's answer: counted as 2xx, but its id is unknown, which the check reports.
  }
}
