// Test-data builders shared by the unit tests: one realistic delivery record, overridable.
import { createHash } from 'node:crypto';
import type { Attempt } from '../../src/core/delivery';
import type { DeliveryInput, DeliverySummary } from '../../src/core/store/types';

/** A record's body fields for `value`: text as it is, anything else as its JSON. */
export function bodyFields(
  value: unknown,
): Pick<DeliveryInput, 'bodyBase64' | 'bodySha256' | 'bodySize'> {
  const bytes =
    value instanceof Uint8Array
      ? Buffer.from(value)
      : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
  return {
    bodyBase64: bytes.toString('base64'),
    bodySha256: createHash('sha256').update(bytes).digest('hex'),
    bodySize: bytes.length,
  };
}

/** A stored Watson `message_logged` delivery with a 200 response; override any field. */
export function aDelivery(id: string, overrides: Partial<DeliveryInput> = {}): DeliveryInput {
  const body = Buffer.from(JSON.stringify({ id, text: 'x'.repeat(200) }));
  return {
    v: 1,
    id,
    receivedAt: '2025-06-01T10:00:00.000Z',
    method: 'POST',
    url: '/webhook?x=1',
    headers: [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer [redacted]'],
    ],
    remoteAddress: '127.0.0.1',
    ...bodyFields(body),
    parseError: null,
    sender: 'watson',
    event: 'message_logged',
    sessionId: 'session-1',
    senderEventId: `log-${id}`,
    verification: { verdict: 'verified', reason: 'Signature and time claims are valid.' },
    response: { status: 200, headers: [], body: '', timeMs: 3 },
    attempts: [],
    duplicateOf: null,
    dedupeKey: `sender:log-${id}`,
    ...overrides,
  };
}

/** A bare generic delivery with no verification and no response yet. */
export function aGenericDelivery(
  id: string,
  overrides: Partial<DeliveryInput> = {},
): DeliveryInput {
  return aDelivery(id, {
    url: '/webhook',
    headers: [['Content-Type', 'application/json']],
    sender: 'generic',
    event: null,
    sessionId: null,
    senderEventId: null,
    verification: { verdict: 'no_secret', reason: 'No secret is configured.' },
    response: null,
    dedupeKey: null,
    ...overrides,
  });
}

export function anAttempt(
  status: number | null,
  timeMs: number | null,
  overrides: Partial<Attempt> = {},
): Attempt {
  return {
    id: `a-${String(status)}`,
    kind: 'replay',
    at: '2025-06-01T10:05:00.000Z',
    target: 'http://127.0.0.1:3000/webhook',
    tokenMode: 'original',
    status,
    timeMs,
    error: status === null ? 'connect ECONNREFUSED 127.0.0.1:3000' : null,
    response: null,
    ...overrides,
  };
}

/** A store summary: a verified Watson message_logged answered 200, unless `overrides` say otherwise. */
export function aSummary(id: string, overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return {
    id,
    seq: 1,
    receivedAt: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    url: '/hook',
    sender: 'watson',
    event: 'message_logged',
    sessionId: null,
    verdict: 'verified',
    verdictReason: '',
    status: 200,
    timeMs: 2,
    attemptCount: 0,
    replayCount: 0,
    duplicateOf: null,
    dedupeKey: null,
    duplicateCount: 0,
    bodySize: 10,
    ...overrides,
  };
}
