// Standard Webhooks senders that use Svix's `svix-*` headers: Clerk's `user.created` (the shape
// in Clerk's webhook docs) and Resend's `email.delivered`. The `svix-id` is the message id a
// retry keeps; signing adds `svix-timestamp` and `svix-signature: v1,<base64>`.
import { randomAlphanumeric, randomInRange, randomUuid, pick, type RandomSource } from '../random';
import { iso, type SampleDefinition, type SampleRequest } from './sample';

/** Svix's delivery client. */
const USER_AGENT = 'Svix-Webhooks/1.66.0';
const CLERK_INSTANCE = 'ins_2lXwqWJ7cZ1PkdZ8rG4nH3aB9sT';

function headers(random: RandomSource): SampleRequest['headers'] {
  return [
    ['Content-Type', 'application/json'],
    ['User-Agent', USER_AGENT],
    ['svix-id', `msg_${randomAlphanumeric(random, 27)}`],
  ];
}

const PEOPLE: readonly [
  readonly [first: string, last: string],
  ...Array<readonly [string, string]>,
] = [
  ['Ada', 'Okafor'],
  ['Mateo', 'Silva'],
  ['Priya', 'Raman'],
];

const clerkUserCreated = (nowMs: number, random: RandomSource): SampleRequest => {
  const [first, last] = pick(random, PEOPLE);
  const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
  const emailId = `idn_${randomAlphanumeric(random, 27)}`;
  const createdMs = nowMs - randomInRange(random, 150, 900);
  const body = {
    data: {
      backup_code_enabled: false,
      banned: false,
      create_organization_enabled: true,
      created_at: createdMs,
      delete_self_enabled: true,
      email_addresses: [
        {
          created_at: createdMs,
          email_address: email,
          id: emailId,
          linked_to: [],
          object: 'email_address',
          reserved: false,
          updated_at: createdMs,
          verification: {
            attempts: 1,
            expire_at: createdMs + 600_000,
            status: 'verified',
            strategy: 'email_code',
          },
        },
      ],
      external_accounts: [],
      external_id: null,
      first_name: first,
      has_image: false,
      id: `user_${randomAlphanumeric(random, 27)}`,
      image_url: `https://img.clerk.com/${randomAlphanumeric(random, 40)}`,
      last_active_at: createdMs,
      last_name: last,
      last_sign_in_at: null,
      legal_accepted_at: null,
      locked: false,
      lockout_expires_in_seconds: null,
      object: 'user',
      passkeys: [],
      password_enabled: false,
      phone_numbers: [],
      primary_email_address_id: emailId,
      primary_phone_number_id: null,
      primary_web3_wallet_id: null,
      private_metadata: {},
      profile_image_url: 'https://www.gravatar.com/avatar?d=mp',
      public_metadata: {},
      saml_accounts: [],
      totp_enabled: false,
      two_factor_enabled: false,
      unsafe_metadata: {},
      updated_at: createdMs + randomInRange(random, 20, 120),
      username: null,
      verification_attempts_remaining: 100,
      web3_wallets: [],
    },
    event_attributes: {
      http_request: {
        client_ip: '203.0.113.24',
        user_agent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      },
    },
    instance_id: CLERK_INSTANCE,
    object: 'event',
    timestamp: nowMs,
    type: 'user.created',
  };
  return { headers: headers(random), body: JSON.stringify(body) };
};

const resendEmailDelivered = (nowMs: number, random: RandomSource): SampleRequest => {
  const sentMs = nowMs - randomInRange(random, 800, 4_000);
  const body = {
    type: 'email.delivered',
    created_at: iso(nowMs),
    data: {
      created_at: iso(sentMs).replace('Z', '+00:00'),
      email_id: randomUuid(random),
      from: 'Acme <orders@updates.example.com>',
      to: ['jenny.rosen@example.com'],
      subject: 'Your order #1042 has shipped',
      tags: { category: 'shipping_update' },
    },
  };
  return { headers: headers(random), body: JSON.stringify(body) };
};

export const STANDARD_WEBHOOKS_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'clerk.user.created',
    description: 'Clerk (Standard Webhooks via Svix): a user signed up (svix-* headers)',
    sender: 'standard-webhooks',
    event: 'user.created',
    path: '/webhooks/clerk',
    auth: 'signed',
    build: clerkUserCreated,
  },
  {
    name: 'resend.email.delivered',
    description: 'Resend (Standard Webhooks via Svix): an email reached the inbox',
    sender: 'standard-webhooks',
    event: 'email.delivered',
    path: '/webhooks/resend',
    auth: 'signed',
    build: resendEmailDelivered,
  },
];
