// autocannon v8 ships no types (and @types/autocannon is not a dependency): the part of its
// programmatic API that bench/lib/load.ts uses, from its README.
declare module 'autocannon' {
  interface Histogram {
    readonly min: number;
    readonly max: number;
    readonly average: number;
    readonly stddev: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p99_9: number;
  }

  interface RequestSpec {
    /** Called before each request is sent: returns the request to send (e.g. a fresh body). */
    readonly setupRequest?: (
      request: Record<string, unknown>,
      context: unknown,
    ) => Record<string, unknown>;
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    readonly onResponse?: (
      status: number,
      body: string,
      context: unknown,
      headers: Record<string, string>,
    ) => void;
  }

  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    readonly amount?: number;
    readonly timeout?: number;
    readonly pipelining?: number;
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    readonly overallRate?: number;
    readonly requests?: readonly RequestSpec[];
  }

  interface Result {
    readonly requests: Histogram & { readonly total: number; readonly sent: number };
    readonly latency: Histogram;
    readonly throughput: Histogram;
    readonly duration: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly '2xx': number;
    readonly statusCodeStats: Record<string, { readonly count: number }>;
  }

  interface Instance extends PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(options: Options): Instance;
  export = autocannon;
}
