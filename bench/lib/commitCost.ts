// For profiling the store's commit (issue 15): what one small write + fdatasync costs on this
// machine's disk, appended (as the store writes today: the file grows, so ext4 journals its new
// size and blocks at every fdatasync) against overwriting a file whose blocks were written
// (zeroed) beforehand (as PostgreSQL's WAL does: only data goes to the disk). Prints wall time,
// CPU (user + system, all threads) and p50/p99 per commit.
//
//   node --import tsx bench/lib/commitCost.ts [commits] [bytes per commit] [directory]
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const commits = Number(process.argv[2] ?? '2000');
const bytes = Number(process.argv[3] ?? '20000');
const dir = mkdtempSync(join(process.argv[4] ?? tmpdir(), 'hooklens-commit-cost-'));
const line = Buffer.alloc(bytes, 0x61);

function measure(label: string, fd: number, write: (index: number) => void): void {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const latencies: number[] = [];
  for (let index = 0; index < commits; index++) {
    const at = process.hrtime.bigint();
    write(index);
    fdatasyncSync(fd);
    latencies.push(Number(process.hrtime.bigint() - at) / 1e3);
  }
  const wallUs = Number(process.hrtime.bigint() - started) / 1e3 / commits;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number): string => (latencies[Math.floor(q * (commits - 1))] ?? 0).toFixed(0);
  console.log(
    `${label.padEnd(10)} wall ${wallUs.toFixed(0)} µs  CPU ${((cpu.user + cpu.system) / commits).toFixed(0)} µs (system ${(cpu.system / commits).toFixed(0)})  p50 ${at(0.5)} µs  p99 ${at(0.99)} µs`,
  );
  closeSync(fd);
}

try {
  console.log(`${commits} commits of ${bytes} bytes in ${dir}`);
  const appended = openSync(join(dir, 'appended'), 'a');
  measure('appended', appended, () => writeSync(appended, line));

  const zeroed = openSync(join(dir, 'zeroed'), 'w+');
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < commits * bytes; written += zeros.length)
    writeSync(zeroed, zeros);
  fdatasyncSync(zeroed);
  measure('overwrite', zeroed, (index) => writeSync(zeroed, line, 0, bytes, index * bytes));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
