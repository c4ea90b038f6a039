// Deliveries to generate from: the built-in Watson and Rapida templates (the payload shapes in
// webhook-senders.md), made deterministic with a seeded random source, plus hostile bodies.
import { createHash } from 'node:crypto';
import type { SenderKind } from '../../src/core/delivery';
import type { GenerationRecord } from '../../src/core/generate/samples';
import { buildEvent } from '../../src/core/simulate/templates';

/** A counter-based byte source: the same seed gives the same ids and texts every run. */
export function seededRandom(seed: string): (size: number) => Buffer {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let offset = 0; offset < size; offset += 32) {
      createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, offset);
    }
    return out;
  };
}

const FIXED_NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

let sequence = 0;
function nextId(): string {
  sequence++;
  return `01gen${String(sequence).padStart(8, '0')}`;
}

export function recordFromBody(
  body: string | Buffer,
  event: string | null,
  sender: SenderKind,
  headers: ReadonlyArray<readonly [string, string]> = [['Content-Type', 'application/json']],
  id = nextId(),
): GenerationRecord {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  let parseError: string | null = null;
  try {
    JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    parseError = (error as Error).message;
  }
  return { id, bodyBase64: bytes.toString('base64'), parseError, sender, event, headers };
}

/** `count` deliveries built from one template, each with fresh ids and varied content. */
export function templateRecords(
  template: string,
  count: number,
  seed = template,
): GenerationRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const built = buildEvent(template, { nowMs: FIXED_NOW + index * 1000, random });
    return recordFromBody(built.body, built.event, built.sender, built.headers);
  });
}
