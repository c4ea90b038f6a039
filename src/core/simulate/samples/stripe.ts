// Stripe: `payment_intent.succeeded` as a Stripe event (API version 2024-06-20), pretty-printed
// with two-space indents as Stripe sends it: the signature covers those exact bytes.
import { randomAlphanumeric, randomInRange, randomUuid, type RandomSource } from '../random';
import { unixSeconds, type SampleDefinition, type SampleRequest } from './sample';

const API_VERSION = '2024-06-20';
/** The account's payment method configuration: the developer's setup, so it stays. */
const PAYMENT_METHOD_CONFIGURATION = 'pmc_1PgTRmHCLbt4Fqz3QbZJ5nVw';

/** Stripe's own headers for webhook deliveries; Stripe-Signature is added when signing. */
const HEADERS: SampleRequest['headers'] = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Cache-Control', 'no-cache'],
  ['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)'],
  ['Accept', '*/*; q=0.5, application/xml'],
];

const AMOUNTS: readonly [number, ...number[]] = [1999, 2500, 4900, 12900, 750];

const paymentIntentSucceeded = (nowMs: number, random: RandomSource): SampleRequest => {
  const amount = AMOUNTS[randomInRange(random, 0, AMOUNTS.length - 1)] ?? 1999;
  const created = unixSeconds(nowMs) - randomInRange(random, 2, 9);
  const paymentIntent = `pi_3${randomAlphanumeric(random, 23)}`;
  const event = {
    id: `evt_3${randomAlphanumeric(random, 23)}`,
    object: 'event',
    api_version: API_VERSION,
    created: unixSeconds(nowMs),
    data: {
      object: {
        id: paymentIntent,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: amount,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: { allow_redirects: 'always', enabled: true },
        canceled_at: null,
        cancellation_reason: null,
        capture_method: 'automatic_async',
        client_secret: `${paymentIntent}_secret_${randomAlphanumeric(random, 25)}`,
        confirmation_method: 'automatic',
        created,
        currency: 'usd',
        customer: `cus_${randomAlphanumeric(random, 14)}`,
        description: 'Order #1042',
        invoice: null,
        last_payment_error: null,
        latest_charge: `ch_3${randomAlphanumeric(random, 23)}`,
        livemode: false,
        metadata: { order_id: '1042' },
        next_action: null,
        on_behalf_of: null,
        payment_method: `pm_1${randomAlphanumeric(random, 23)}`,
        payment_method_configuration_details: { id: PAYMENT_METHOD_CONFIGURATION, parent: null },
        payment_method_options: {
          card: {
            installments: null,
            mandate_options: null,
            network: null,
            request_three_d_secure: 'automatic',
          },
          link: { persistent_token: null },
        },
        payment_method_types: ['card', 'link'],
        processing: null,
        receipt_email: 'jenny.rosen@example.com',
        review: null,
        setup_future_usage: null,
        shipping: null,
        source: null,
        statement_descriptor: null,
        statement_descriptor_suffix: null,
        status: 'succeeded',
        transfer_data: null,
        transfer_group: null,
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${randomAlphanumeric(random, 14)}`, idempotency_key: randomUuid(random) },
    type: 'payment_intent.succeeded',
  };
  return { headers: HEADERS, body: JSON.stringify(event, null, 2) };
};

export const STRIPE_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'stripe.payment_intent.succeeded',
    description: 'Stripe: a card payment succeeded (Stripe-Signature t=…,v1=…, pretty JSON)',
    sender: 'stripe',
    event: 'payment_intent.succeeded',
    path: '/webhooks/stripe',
    auth: 'signed',
    build: paymentIntentSucceeded,
  },
];
