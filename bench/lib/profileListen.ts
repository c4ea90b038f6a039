// For profiling (issue 15): `hooklens listen` alone at the ingest benchmark's steady state (store
// full, --json read), pinned to the server core, under autocannon from the other core. Prints
// req/s and CPU per request; with HOOKLENS_BENCH_CPU_PROF=DIR a .cpuprofile lands in DIR.
//
//   node --import tsx bench/lib/profileListen.ts [seconds] [--forward]
//
// --forward: forwarding to a bare handler (on the load generator's core), paced at 1,000/s.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareServerScript, CONNECTIONS } from '../ingest';
import { pinLoadGenerator, serverCpus } from './cores';
import { pacedLoad } from './extensionHostProbeLoad';
import { runAutocannon } from './load';
import { measureRun } from './measure';
import { signedWatsonDelivery } from './payload';
import {
  cpuTimeOf,
  rssOf,
  startHooklensListen,
  startServerProcess,
  stopAllServers,
} from './processes';

async function main(): Promise<void> {
  const plan = pinLoadGenerator();
  const cpus = serverCpus();
  const seconds = Number(process.argv[2] ?? '10');
  const forward = process.argv.includes('--forward');
  const delivery = signedWatsonDelivery();
  const dir = await mkdtemp(join(tmpdir(), 'hooklens-profile-'));
  try {
    const handler = forward
      ? await startServerProcess({ args: [bareServerScript], cpus: plan.load })
      : undefined;
    const listen = await startHooklensListen(
      ['--store', dir, '--json', ...(handler ? ['--forward-to', handler.url] : [])],
      { HOOKLENS_SECRET: delivery.secret },
      { ...(cpus === undefined ? {} : { cpus }), onStdout: () => undefined },
    );
    const load = { connections: CONNECTIONS, body: delivery.body, headers: delivery.headers };
    let acknowledged = 0;
    while (acknowledged < 11_000) {
      acknowledged += (await runAutocannon({ ...load, url: listen.url, duration: 2 })).answered2xx;
    }
    if (forward) {
      const before = cpuTimeOf(listen.pid) ?? 0;
      const paced = await pacedLoad({
        url: listen.url,
        rate: 1_000,
        durationSec: seconds,
        connections: 50,
        deliveries: { headers: delivery.headers, next: () => delivery.body },
        onAcknowledged: () => undefined,
      });
      const cpu = (cpuTimeOf(listen.pid) ?? 0) - before;
      console.log(
        `paced 1000/s: p50 ${paced.latencyP50Ms.toFixed(2)} ms  p99 ${paced.latencyP99Ms.toFixed(2)} ms  CPU/req ${(cpu / paced.answered2xx).toFixed(4)} ms`,
      );
      await listen.stop('SIGTERM');
      return;
    }
    const run = await measureRun(listen, load, seconds);
    const rss = rssOf(listen.pid);
    console.log(
      `RSS ${((rss?.rssBytes ?? 0) / 1048576).toFixed(0)} MiB (peak ${((rss?.hwmBytes ?? 0) / 1048576).toFixed(0)} MiB)  req/s ${run.load.reqPerSec.toFixed(0)}  CPU/req ${run.cpuMsPerRequest?.toFixed(4)} ms  p99 ${run.load.latencyP99Ms} ms  server core ${((run.serverCoreShare ?? 0) * 100).toFixed(0)}%  load core ${(run.loadCoreShare * 100).toFixed(0)}%`,
    );
    await listen.stop('SIGTERM');
  } finally {
    await stopAllServers();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
