// Stored records for provider deliveries, made the way the receiver makes them: the request goes
// through the real analyser (provider detection, recognition, the scheme's verification and its
// details), signed with the scheme's own signer, so the detail panel's tests see what a real
// GitHub, Stripe, Slack, Twilio or Shopify delivery stores.
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { DeliveryRecord } from '../../src/core/delivery';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { schemeById } from '../../src/core/verify/schemes';
import { aRecordWithBody } from './detailBuilders';

export const PROVIDER_NOW = Date.parse('2025-06-01T12:00:00.000Z');
export const PUBLIC_BASE_URL = 'https://hooks.example.test';

export interface ProviderRequest {
  readonly provider: string;
  /** The headers before signing (the signature is added when `signWith` is set). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  readonly url?: string;
  /** Sign with this secret value using the provider's scheme. */
  readonly signWith?: string;
  /** The secrets configured at capture. */
  readonly secrets?: readonly ConfiguredSecret[];
  /** When it was signed; defaults to PROVIDER_NOW. */
  readonly signedAtMs?: number;
}

/** A record as the receiver would store it for this request. */
export function aProviderRecord(request: ProviderRequest): DeliveryRecord {
  const url = request.url ?? '/webhook';
  const body = Buffer.from(request.body, 'utf8');
  const scheme = schemeById(schemeIdOf(request.provider));
  const headers =
    request.signWith !== undefined && scheme?.sign
      ? scheme.sign(
          { method: 'POST', url, headers: request.headers, body },
          { label: 'current', value: request.signWith },
          {
            nowMs: request.signedAtMs ?? PROVIDER_NOW,
            providerLabel: request.provider,
            publicBaseUrl: PUBLIC_BASE_URL,
          },
        ).headers
      : request.headers;
  const analysis = analyserWithSecrets(request.secrets ?? [], {
    publicBaseUrl: PUBLIC_BASE_URL,
  }).analyse({ method: 'POST', url, headers, body }, PROVIDER_NOW, 'd_01');
  return aRecordWithBody(body, {
    url: analysis.url,
    headers: analysis.headers,
    parseError: analysis.parseError,
    sender: analysis.recognition.sender,
    event: analysis.recognition.event,
    sessionId: analysis.recognition.sessionId,
    senderEventId: analysis.recognition.senderEventId,
    verification: analysis.verification,
    dedupeKey: analysis.dedupeKey,
    receivedAt: new Date(PROVIDER_NOW).toISOString(),
  });
}

function schemeIdOf(provider: string): string {
  const ids: Record<string, string> = {
    github: 'hub-signature',
    'standard-webhooks': 'standard-webhooks',
  };
  return ids[provider] ?? provider;
}

export const GITHUB_SECRET = 'It is a secret to everybody';
export const STRIPE_SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';
export const SLACK_SECRET = '8f742231b10e8888abcd99aaaaaa85a5';
export const TWILIO_SECRET = '0123456789abcdef0123456789abcdef';
export const SHOPIFY_SECRET = 'shpss_0123456789abcdef';

export function githubPush(): Record<string, unknown> {
  return {
    ref: 'refs/heads/main',
    before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    created: false,
    deleted: false,
    forced: false,
    compare: 'https://github.com/octo-org/hello/compare/6113728f27ae...0d1a26e67d8f',
    commits: [
      {
        id: '1d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
        message: 'Fix the parser\n\nIt dropped the last field.',
        timestamp: '2025-06-01T11:58:00+02:00',
        author: { name: 'Mona Octocat', username: 'octocat' },
        added: [],
        removed: [],
        modified: ['src/parser.ts'],
      },
      {
        id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
        message: 'Add a test for the parser',
        timestamp: '2025-06-01T11:59:00+02:00',
        author: { name: 'Mona Octocat', username: 'octocat' },
        added: ['test/parser.test.ts'],
        removed: [],
        modified: [],
      },
    ],
    head_commit: {
      id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      message: 'Add a test for the parser',
      author: { name: 'Mona Octocat' },
    },
    repository: { full_name: 'octo-org/hello' },
    pusher: { name: 'octocat' },
    sender: { login: 'octocat' },
  };
}

export function githubPullRequest(): Record<string, unknown> {
  return {
    action: 'opened',
    number: 42,
    pull_request: {
      number: 42,
      title: 'Parse forms',
      state: 'open',
      merged: false,
      draft: false,
      user: { login: 'hubot' },
      head: { ref: 'forms' },
      base: { ref: 'main' },
      commits: 3,
      additions: 120,
      deletions: 4,
      changed_files: 5,
      body: 'Forms are parsed now.',
    },
    repository: { full_name: 'octo-org/hello' },
    sender: { login: 'hubot' },
  };
}

export function stripePaymentIntent(): Record<string, unknown> {
  return {
    id: 'evt_3PQ',
    object: 'event',
    api_version: '2024-06-20',
    created: 1748779200,
    livemode: false,
    type: 'payment_intent.succeeded',
    request: { id: 'req_123', idempotency_key: null },
    data: {
      object: {
        id: 'pi_3PQ',
        object: 'payment_intent',
        amount: 123456,
        amount_received: 123456,
        currency: 'usd',
        status: 'succeeded',
        customer: 'cus_9s6XKzkNRiz8i3',
        receipt_email: 'jenny@example.com',
        description: 'Two mugs',
      },
      previous_attributes: { status: 'processing' },
    },
  };
}

export function shopifyOrder(): Record<string, unknown> {
  return {
    id: 450789469,
    name: '#9999',
    order_number: 1234,
    email: 'jon@example.com',
    currency: 'USD',
    total_price: '403.00',
    subtotal_price: '393.00',
    total_tax: '0.00',
    financial_status: 'voided',
    fulfillment_status: 'pending',
    created_at: '2021-12-31T19:00:00-05:00',
    customer: { first_name: 'John', last_name: 'Smith' },
    line_items: [
      { title: 'Aviator sunglasses', quantity: 1, price: '89.99' },
      { title: 'Mid-century lounger', quantity: 1, price: '159.99' },
    ],
  };
}
