// What the generated handler must check and answer for one provider, chosen from the samples'
// provider: the scheme family with its exact parameters (headers, bytes signed, digest, encoding,
// key semantics, tolerance), the handshakes the provider sends, and how its event is named. The
// per-language printers (./typescript, ./python, ./go) turn a profile into code; the parameters
// follow the HookLens schemes in src/core/verify/schemes, which follow signature-schemes.md.
import type { GenericHmacConfig } from '../../verify/schemes/genericHmac';
import { DEFAULT_GENERIC_HMAC } from '../../verify/schemes/genericHmac';
import { GenerationError, type NameRule, type NameSource } from '../model';

export type Digest = 'sha1' | 'sha256' | 'sha512';

/** One piece of the bytes a template scheme signs. */
export type SignedPart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'body' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'id' }
  | { readonly kind: 'url' };

export interface TimestampSpec {
  /** Where the timestamp is: a header, or a top-level body field (then a header as fallback). */
  readonly header?: string;
  readonly bodyField?: string;
  readonly unit: 'seconds' | 'milliseconds' | 'rfc3339';
  readonly toleranceSeconds: number;
  /** Also refuse timestamps this far in the future (Standard Webhooks, Linear). */
  readonly future: boolean;
}

export type SchemeFamily =
  /** An HS256 JWT in Authorization (Watson); `secretMatch`: the secret itself is accepted too. */
  | { readonly kind: 'jwt'; readonly secretMatch: boolean }
  /**
   * One signature in a header over bytes built from parts (GitHub, Meta, Intercom, Shopify,
   * Typeform, Vercel, Linear, Slack, Zoom, Twitch, Square, generic HMAC).
   */
  | {
      readonly kind: 'template';
      /** The first of these present carries the signature. */
      readonly headers: readonly string[];
      readonly prefix: string;
      readonly algorithm: Digest;
      readonly encoding: 'hex' | 'base64';
      readonly parts: readonly SignedPart[];
      readonly timestamp?: TimestampSpec;
      readonly idHeader?: string;
    }
  /** `t=…,v1=…[,v1=…]` over `{t}{separator}{body}` (Stripe, Mux, Calendly; Paddle's `ts=…;h1=…`). */
  | {
      readonly kind: 'timestamped-header';
      readonly header: string;
      readonly itemSeparator: ',' | ';';
      readonly timestampKey: string;
      readonly signatureKey: string;
      readonly contentSeparator: string;
      readonly toleranceSeconds: number;
    }
  /**
   * `webhook-*` or `svix-*` headers, ±300 s: `v1,<base64>` HMAC-SHA256 entries keyed with the
   * base64 after `whsec_`, or (`asymmetric`, when the samples were signed only with `v1a`) `v1a,`
   * Ed25519 entries checked with a `whpk_` public key.
   */
  | {
      readonly kind: 'standard-webhooks';
      readonly toleranceSeconds: number;
      readonly asymmetric: boolean;
    }
  /** Twilio: HMAC-SHA1 (base64) over the public URL and the sorted form parameters. */
  | { readonly kind: 'twilio' }
  /** The secret itself in a header (GitLab's X-Gitlab-Token), compared in constant time. */
  | { readonly kind: 'shared-token'; readonly header: string }
  /** Discord: Ed25519 over timestamp + body with the app's public key (hex). */
  | { readonly kind: 'ed25519'; readonly header: string; readonly timestampHeader: string }
  /**
   * SendGrid: ECDSA P-256 / SHA-256 over timestamp + body, a base64 DER signature, checked with
   * the verification key (base64 DER SubjectPublicKeyInfo). SendGrid's library applies no
   * timestamp tolerance, so neither does the handler.
   */
  | { readonly kind: 'ecdsa'; readonly header: string; readonly timestampHeader: string };

export type Handshake =
  /** Slack: `{"type":"url_verification","challenge":…}` → `{"challenge":…}` (signed). */
  | 'slack_url_verification'
  /** Meta: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` (unsigned; VERIFY_TOKEN). */
  | 'meta_subscribe'
  /** Discord: PING (`type` 1) → `{"type":1}` (signed). */
  | 'discord_ping'
  /** Zoom: `endpoint.url_validation` → plainToken and its HMAC (signed). */
  | 'zoom_url_validation'
  /** Twitch: `webhook_callback_verification` → the challenge as plain text (signed). */
  | 'twitch_verification';

export interface VerificationProfile {
  /** The provider id (`github`), as stored in each delivery's `sender`. */
  readonly provider: string;
  /** The provider's name for people ("GitHub"). */
  readonly label: string;
  /** The HookLens scheme id that verified the samples (`hub-signature`). */
  readonly scheme: string;
  readonly family: SchemeFamily;
  /** What the provider calls the secret WEBHOOK_SECRET holds ("Signing Secret", "Public Key"). */
  readonly secretNoun: string;
  readonly handshakes: readonly Handshake[];
  /** Parse `application/x-www-form-urlencoded` bodies too (Twilio, Slack commands). */
  readonly forms: boolean;
  /** Twilio: incoming messages and calls are answered with an empty TwiML document. */
  readonly twiml: boolean;
  /**
   * SendGrid: the body is a JSON array of events, each dispatched on its own (and remembered by
   * its own delivery id); the samples and types are the array's items.
   */
  readonly batch: boolean;
  /**
   * Where the provider's delivery id is, the same on every redelivery (X-GitHub-Delivery,
   * webhook-id, a Stripe event's `id`): the first present names the delivery, so a duplicate is
   * answered without handling it twice. Empty: the provider sends none.
   */
  readonly deliveryId: readonly NameSource[];
}

/** The event names handshakes carry: those deliveries are answered, not dispatched. */
export const HANDSHAKE_EVENTS: Readonly<Record<string, readonly string[]>> = {
  slack: ['url_verification'],
  meta: ['subscribe'],
  discord: ['PING'],
  zoom: ['endpoint.url_validation'],
  twitch: ['webhook_callback_verification'],
};

const header = (name: string): NameSource => ({ from: 'header', name });
const body = (...tokens: string[]): NameSource => ({ from: 'body', tokens });
const first = (...sources: NameSource[]): NameRule => ({ sources });

/**
 * How each provider names its events, as its recognise() does (src/core/providers/*), so the
 * generated switch sees the names the samples were grouped by. Watson, Rapida, generic and
 * generic HMAC deliveries are dispatched on the pointer or header samples.ts finds instead.
 */
export const PROVIDER_EVENT_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  github: [
    {
      sources: [header('x-github-event')],
      suffix: { separator: '.', sources: [body('action')] },
    },
  ],
  shopify: [first(header('x-shopify-topic'), header('shopify-topic'))],
  gitlab: [first(body('object_kind'), body('event_name'), header('x-gitlab-event'))],
  stripe: [first(body('type'))],
  'standard-webhooks': [first(body('type'), body('event_type'))],
  slack: [
    { guard: { source: body('type'), equals: 'event_callback' }, sources: [body('event', 'type')] },
    first(body('type'), body('command')),
  ],
  twilio: [
    { prefix: 'message.', sources: [body('MessageStatus'), body('SmsStatus')] },
    { prefix: 'call.', sources: [body('CallStatus')] },
  ],
  meta: [
    {
      sources: [body('object')],
      suffix: { separator: '.', sources: [body('entry', '0', 'changes', '0', 'field')] },
    },
  ],
  discord: [
    first(body('event', 'type')),
    {
      guard: { source: body('type'), equals: '2' },
      prefix: 'APPLICATION_COMMAND /',
      sources: [body('data', 'name')],
    },
    { guard: { source: body('type'), equals: '1' }, constant: 'PING' },
    { guard: { source: body('type'), equals: '2' }, constant: 'APPLICATION_COMMAND' },
    { guard: { source: body('type'), equals: '3' }, constant: 'MESSAGE_COMPONENT' },
    {
      guard: { source: body('type'), equals: '4' },
      constant: 'APPLICATION_COMMAND_AUTOCOMPLETE',
    },
    { guard: { source: body('type'), equals: '5' }, constant: 'MODAL_SUBMIT' },
  ],
  paddle: [first(body('event_type'))],
  square: [first(body('type'))],
  linear: [
    { sources: [body('type')], suffix: { separator: '.', sources: [body('action')] } },
    first(body('action')),
  ],
  zoom: [first(body('event'))],
  twitch: [
    {
      guard: { source: header('twitch-eventsub-message-type'), equals: 'notification' },
      sources: [header('twitch-eventsub-subscription-type'), body('subscription', 'type')],
    },
    first(
      header('twitch-eventsub-message-type'),
      header('twitch-eventsub-subscription-type'),
      body('subscription', 'type'),
    ),
  ],
  typeform: [first(body('event_type'))],
  sendgrid: [first(body('event'))],
  vercel: [first(body('type'))],
  mux: [first(body('type'))],
  calendly: [first(body('event'))],
  intercom: [first(body('topic'))],
};

interface SampleHeaders {
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly verdict: string | undefined;
}

function anyHeader(samples: readonly SampleHeaders[], name: string): boolean {
  const lower = name.toLowerCase();
  return samples.some((sample) => sample.headers.some(([key]) => key.toLowerCase() === lower));
}

/** The versions (`v1`, `v1a`) of the entries in the samples' webhook-/svix-signature headers. */
function standardWebhooksVersions(samples: readonly SampleHeaders[]): Set<string> {
  const versions = new Set<string>();
  for (const sample of samples) {
    for (const [key, value] of sample.headers) {
      if (!/^(webhook|svix)-signature$/i.test(key)) continue;
      for (const entry of value.split(' ')) {
        const comma = entry.indexOf(',');
        if (comma > 0) versions.add(entry.slice(0, comma));
      }
    }
  }
  return versions;
}

/** Square's legacy x-square-signature is HMAC-SHA1 of the same URL + body, base64. */
function squareFamily(samples: readonly SampleHeaders[]): SchemeFamily {
  const legacy =
    !anyHeader(samples, 'x-square-hmacsha256-signature') &&
    anyHeader(samples, 'x-square-signature');
  return {
    kind: 'template',
    headers: [legacy ? 'x-square-signature' : 'x-square-hmacsha256-signature'],
    prefix: '',
    algorithm: legacy ? 'sha1' : 'sha256',
    encoding: 'base64',
    parts: [{ kind: 'url' }, { kind: 'body' }],
  };
}

const HUB_SHA256: SchemeFamily = {
  kind: 'template',
  headers: ['X-Hub-Signature-256'],
  prefix: 'sha256=',
  algorithm: 'sha256',
  encoding: 'hex',
  parts: [{ kind: 'body' }],
};

const HUB_SHA1: SchemeFamily = {
  kind: 'template',
  headers: ['X-Hub-Signature'],
  prefix: 'sha1=',
  algorithm: 'sha1',
  encoding: 'hex',
  parts: [{ kind: 'body' }],
};

function versionedBasestring(signature: string, timestamp: string): SchemeFamily {
  return {
    kind: 'template',
    headers: [signature],
    prefix: 'v0=',
    algorithm: 'sha256',
    encoding: 'hex',
    parts: [
      { kind: 'literal', text: 'v0:' },
      { kind: 'timestamp' },
      { kind: 'literal', text: ':' },
      { kind: 'body' },
    ],
    timestamp: { header: timestamp, unit: 'seconds', toleranceSeconds: 300, future: false },
  };
}

function timestamped(header: string, toleranceSeconds: number, paddle = false): SchemeFamily {
  return {
    kind: 'timestamped-header',
    header,
    itemSeparator: paddle ? ';' : ',',
    timestampKey: paddle ? 'ts' : 't',
    signatureKey: paddle ? 'h1' : 'v1',
    contentSeparator: paddle ? ':' : '.',
    toleranceSeconds,
  };
}

/** The generic HMAC settings as a template family. */
export function genericHmacFamily(config: GenericHmacConfig): SchemeFamily {
  const parts: SignedPart[] = [];
  for (const piece of config.template.split(/(\{body\}|\{timestamp\}|\{id\}|\{url\})/)) {
    if (piece === '') continue;
    if (piece === '{body}') parts.push({ kind: 'body' });
    else if (piece === '{timestamp}') parts.push({ kind: 'timestamp' });
    else if (piece === '{id}') parts.push({ kind: 'id' });
    else if (piece === '{url}') parts.push({ kind: 'url' });
    else parts.push({ kind: 'literal', text: piece });
  }
  return {
    kind: 'template',
    headers: [config.header],
    prefix: config.prefix,
    algorithm: config.algorithm,
    encoding: config.encoding,
    parts,
    ...(config.timestampHeader
      ? {
          timestamp: {
            header: config.timestampHeader,
            unit: 'seconds' as const,
            toleranceSeconds: config.toleranceSeconds ?? 300,
            future: false,
          },
        }
      : {}),
    ...(config.idHeader ? { idHeader: config.idHeader } : {}),
  };
}

interface ProviderEntry {
  readonly label: string;
  readonly scheme: string;
  readonly secretNoun: string;
  family(samples: readonly SampleHeaders[], genericHmac: GenericHmacConfig): SchemeFamily;
  readonly handshakes?: readonly Handshake[];
  readonly forms?: boolean;
  readonly twiml?: boolean;
  readonly batch?: boolean;
  readonly deliveryId?: readonly NameSource[];
}

const JWT_ENTRY = (label: string): ProviderEntry => ({
  label,
  scheme: 'jwt',
  secretNoun: 'webhook secret',
  family: (samples) => ({
    kind: 'jwt',
    secretMatch: samples.some((sample) => sample.verdict === 'secret_match'),
  }),
});

const PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  watson: JWT_ENTRY('Watson Assistant'),
  rapida: JWT_ENTRY('Rapida'),
  generic: JWT_ENTRY('Generic webhook'),
  github: {
    label: 'GitHub',
    scheme: 'hub-signature',
    secretNoun: 'webhook secret',
    // Hooks from before SHA-256 send only the SHA-1 header.
    family: (samples) =>
      !anyHeader(samples, 'X-Hub-Signature-256') && anyHeader(samples, 'X-Hub-Signature')
        ? HUB_SHA1
        : HUB_SHA256,
    forms: true,
    deliveryId: [header('X-GitHub-Delivery')],
  },
  meta: {
    label: 'Meta',
    scheme: 'hub-signature',
    secretNoun: 'App Secret',
    family: (samples) =>
      !anyHeader(samples, 'X-Hub-Signature-256') && anyHeader(samples, 'X-Hub-Signature')
        ? HUB_SHA1
        : HUB_SHA256,
    handshakes: ['meta_subscribe'],
  },
  intercom: {
    label: 'Intercom',
    scheme: 'hub-signature',
    secretNoun: 'client secret',
    family: (samples) => (anyHeader(samples, 'X-Hub-Signature-256') ? HUB_SHA256 : HUB_SHA1),
    deliveryId: [body('id')],
  },
  shopify: {
    label: 'Shopify',
    scheme: 'shopify',
    secretNoun: 'API secret key',
    family: () => ({
      kind: 'template',
      headers: ['X-Shopify-Hmac-Sha256', 'shopify-hmac-sha256'],
      prefix: '',
      algorithm: 'sha256',
      encoding: 'base64',
      parts: [{ kind: 'body' }],
    }),
    deliveryId: [header('X-Shopify-Event-Id'), header('X-Shopify-Webhook-Id')],
  },
  typeform: {
    label: 'Typeform',
    scheme: 'typeform',
    secretNoun: 'webhook secret',
    family: () => ({
      kind: 'template',
      headers: ['Typeform-Signature'],
      prefix: 'sha256=',
      algorithm: 'sha256',
      encoding: 'base64',
      parts: [{ kind: 'body' }],
    }),
    deliveryId: [body('event_id')],
  },
  vercel: {
    label: 'Vercel',
    scheme: 'vercel',
    secretNoun: 'webhook secret',
    family: () => ({
      kind: 'template',
      headers: ['x-vercel-signature'],
      prefix: '',
      algorithm: 'sha1',
      encoding: 'hex',
      parts: [{ kind: 'body' }],
    }),
    deliveryId: [body('id')],
  },
  linear: {
    label: 'Linear',
    scheme: 'linear',
    secretNoun: 'signing secret',
    family: () => ({
      kind: 'template',
      headers: ['Linear-Signature'],
      prefix: '',
      algorithm: 'sha256',
      encoding: 'hex',
      parts: [{ kind: 'body' }],
      timestamp: {
        bodyField: 'webhookTimestamp',
        header: 'Linear-Timestamp',
        unit: 'milliseconds',
        toleranceSeconds: 60,
        future: true,
      },
    }),
    deliveryId: [header('Linear-Delivery')],
  },
  slack: {
    label: 'Slack',
    scheme: 'slack',
    secretNoun: 'Signing Secret',
    family: () => versionedBasestring('X-Slack-Signature', 'X-Slack-Request-Timestamp'),
    handshakes: ['slack_url_verification'],
    forms: true,
    deliveryId: [body('event_id')],
  },
  zoom: {
    label: 'Zoom',
    scheme: 'zoom',
    secretNoun: 'Secret Token',
    family: () => versionedBasestring('x-zm-signature', 'x-zm-request-timestamp'),
    handshakes: ['zoom_url_validation'],
  },
  twitch: {
    label: 'Twitch',
    scheme: 'twitch',
    secretNoun: 'subscription secret',
    family: () => ({
      kind: 'template',
      headers: ['Twitch-Eventsub-Message-Signature'],
      prefix: 'sha256=',
      algorithm: 'sha256',
      encoding: 'hex',
      parts: [{ kind: 'id' }, { kind: 'timestamp' }, { kind: 'body' }],
      idHeader: 'Twitch-Eventsub-Message-Id',
      timestamp: {
        header: 'Twitch-Eventsub-Message-Timestamp',
        unit: 'rfc3339',
        toleranceSeconds: 600,
        future: false,
      },
    }),
    handshakes: ['twitch_verification'],
    deliveryId: [header('Twitch-Eventsub-Message-Id')],
  },
  square: {
    label: 'Square',
    scheme: 'square',
    secretNoun: 'signature key',
    // Subscriptions from before HMAC-SHA256 send only the legacy SHA-1 header.
    family: squareFamily,
    deliveryId: [body('event_id')],
  },
  stripe: {
    label: 'Stripe',
    scheme: 'stripe',
    secretNoun: 'signing secret (whsec_…, used whole)',
    family: () => timestamped('Stripe-Signature', 300),
    deliveryId: [body('id')],
  },
  mux: {
    label: 'Mux',
    scheme: 'mux',
    secretNoun: 'signing secret',
    family: () => timestamped('Mux-Signature', 300),
    deliveryId: [body('id')],
  },
  calendly: {
    label: 'Calendly',
    scheme: 'calendly',
    secretNoun: 'signing key',
    family: () => timestamped('Calendly-Webhook-Signature', 180),
  },
  paddle: {
    label: 'Paddle',
    scheme: 'paddle',
    secretNoun: 'secret key',
    family: () => timestamped('Paddle-Signature', 5, true),
    deliveryId: [body('notification_id')],
  },
  'standard-webhooks': {
    label: 'Standard Webhooks',
    scheme: 'standard-webhooks',
    secretNoun: 'signing secret (whsec_…)',
    family: (samples) => {
      const versions = standardWebhooksVersions(samples);
      return {
        kind: 'standard-webhooks',
        toleranceSeconds: 300,
        asymmetric: versions.has('v1a') && !versions.has('v1'),
      };
    },
    deliveryId: [header('webhook-id'), header('svix-id')],
  },
  twilio: {
    label: 'Twilio',
    scheme: 'twilio',
    secretNoun: 'Auth Token',
    family: () => ({ kind: 'twilio' }),
    forms: true,
    twiml: true,
    deliveryId: [header('I-Twilio-Idempotency-Token')],
  },
  gitlab: {
    label: 'GitLab',
    scheme: 'gitlab-token',
    secretNoun: 'secret token',
    family: () => ({ kind: 'shared-token', header: 'X-Gitlab-Token' }),
    deliveryId: [header('Idempotency-Key')],
  },
  discord: {
    label: 'Discord',
    scheme: 'discord',
    secretNoun: 'Public Key (hex)',
    family: () => ({
      kind: 'ed25519',
      header: 'X-Signature-Ed25519',
      timestampHeader: 'X-Signature-Timestamp',
    }),
    handshakes: ['discord_ping'],
  },
  sendgrid: {
    label: 'SendGrid',
    scheme: 'sendgrid',
    secretNoun: 'verification key (base64 DER public key, MFkw…)',
    family: () => ({
      kind: 'ecdsa',
      header: 'X-Twilio-Email-Event-Webhook-Signature',
      timestampHeader: 'X-Twilio-Email-Event-Webhook-Timestamp',
    }),
    batch: true,
    // Per event in the batch: a retried batch repeats the events, each with its sg_event_id.
    deliveryId: [body('sg_event_id')],
  },
  'generic-hmac': {
    label: 'Generic HMAC',
    scheme: 'generic-hmac',
    secretNoun: 'HMAC secret',
    family: (samples, config) => {
      // The settings come from the user (hooklens.genericHmac, --generic-hmac); without the ones
      // the receiver used, the handler would check a header the sender never sends.
      if (!samples.some((sample) => anyHeader([sample], config.header))) {
        throw new GenerationError(
          `The generic HMAC deliveries do not carry ${config.header}, the header these settings name. Generate with the settings the receiver verified them with: hooklens generate --generic-hmac '{"header":"X-Your-Signature",…}' (in VS Code, the hooklens.genericHmac setting).`,
        );
      }
      return genericHmacFamily(config);
    },
  },
};

/** The providers a handler can be generated for, for messages and the README. */
export const GENERATABLE_PROVIDERS: readonly string[] = Object.keys(PROVIDERS);

export function verificationProfile(
  provider: string,
  samples: readonly SampleHeaders[],
  genericHmac: GenericHmacConfig = DEFAULT_GENERIC_HMAC,
): VerificationProfile {
  const entry = PROVIDERS[provider];
  if (entry === undefined) {
    throw new GenerationError(
      `HookLens cannot generate a handler for ${JSON.stringify(provider)} deliveries; it can for ${GENERATABLE_PROVIDERS.join(', ')}.`,
    );
  }
  const family = entry.family(samples, genericHmac);
  return {
    provider,
    label: entry.label,
    scheme: entry.scheme,
    family,
    secretNoun:
      family.kind === 'standard-webhooks' && family.asymmetric
        ? 'public key (whpk_…, for v1a Ed25519 signatures)'
        : entry.secretNoun,
    handshakes: entry.handshakes ?? [],
    forms: entry.forms ?? false,
    twiml: entry.twiml ?? false,
    batch: entry.batch ?? false,
    deliveryId:
      provider === 'generic-hmac'
        ? genericHmac.idHeader
          ? [header(genericHmac.idHeader)]
          : []
        : (entry.deliveryId ?? []),
  };
}

/** True when the family signs a timestamp, so a stale delivery can be refused. */
export function hasTimestamp(family: SchemeFamily): boolean {
  return (
    family.kind === 'timestamped-header' ||
    family.kind === 'standard-webhooks' ||
    (family.kind === 'template' && family.timestamp !== undefined) ||
    family.kind === 'jwt'
  );
}
