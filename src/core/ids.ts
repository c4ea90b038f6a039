import { randomBytes } from 'node:crypto';

/** Random bytes fetched 4 KiB at a time: one randomBytes call per id was 9% of ingest (bench 1). */
const POOL_SIZE = 4096;
const ID_RANDOM_BYTES = 5;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function nextRandomHex(): string {
  if (poolOffset + ID_RANDOM_BYTES > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + ID_RANDOM_BYTES);
  poolOffset += ID_RANDOM_BYTES;
  return hex;
}

/**
 * A delivery id: milliseconds in base 36 (sortable for the next few thousand years) plus 40
 * random bits. Only [0-9a-z], so it is safe in file names, URIs and the webview protocol.
 */
export function newDeliveryId(nowMs: number = Date.now()): string {
  return `${Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, '0')}${nextRandomHex()}`;
}
