// What every language's verification printer needs the same way: the sample as the provider put
// it on the wire (JSON or a form), the headers that name its event, the test-only secret in the
// form the scheme expects, and sentences for comments.
import { isLosslessNumber } from 'lossless-json';
import { sampleText } from '../samples';
import type { EventModel, HandlerModel, SampleBody } from '../model';
import { hasTimestamp, type SchemeFamily, type VerificationProfile } from './profile';

/** A fixed, obviously fake secret the generated tests sign with (never the user's). */
export const TEST_SECRET = 'hooklens-generated-test-secret';

/** The test secret as this scheme's key: Standard Webhooks wants `whsec_` + base64. */
export function testSecretFor(family: SchemeFamily): string {
  return family.kind === 'standard-webhooks'
    ? `whsec_${Buffer.from(TEST_SECRET).toString('base64')}`
    : TEST_SECRET;
}

/** The test's "previous" secret, accepted while it rotates (WEBHOOK_SECRET_PREVIOUS). */
export function previousTestSecretFor(family: SchemeFamily): string {
  const previous = 'hooklens-previous-test-secret';
  return family.kind === 'standard-webhooks'
    ? `whsec_${Buffer.from(previous).toString('base64')}`
    : previous;
}

/**
 * Secret rotation, the same in every language: WEBHOOK_SECRET is the current secret and
 * WEBHOOK_SECRET_PREVIOUS (optional) the one being retired; a delivery verifying with either is
 * accepted. As @octokit/webhooks-methods' verifyWithFallback(secret, …, additionalSecrets) does:
 * GitHub, Shopify, Slack, Twilio and most HMAC senders sign with one secret at a time, so while
 * the sender switches, deliveries come signed with either. (Stripe and Standard Webhooks send one
 * signature per active secret during a roll, so for them the current secret alone also works.)
 */
export const ROTATION_LINE =
  'WEBHOOK_SECRET_PREVIOUS (optional) holds the secret being rotated out: deliveries signed with it are accepted too until you remove it.';

/** The body bytes the sender sent, as text: JSON, or the form it came in. */
export function wireBody(sample: SampleBody, unsafeAbove?: bigint): string {
  if (sample.form === 'fields') {
    return new URLSearchParams(sample.value as Record<string, string>).toString();
  }
  const json = sampleText(sample.value, unsafeAbove);
  // SendGrid posts its events as a JSON array, each followed by CR LF.
  if (sample.batch) return `[${json}]\r\n`;
  return sample.form === 'payload' ? new URLSearchParams({ payload: json }).toString() : json;
}

export function contentTypeOf(sample: SampleBody): string {
  return sample.form === undefined ? 'application/json' : 'application/x-www-form-urlencoded';
}

/** The headers the generated test sends with a sample so the handler names its event. */
export function sampleHeaders(
  model: HandlerModel,
  event: EventModel,
  sample: SampleBody,
): Array<readonly [string, string]> {
  const headers: Array<readonly [string, string]> =
    model.eventKey.kind === 'header'
      ? [[model.eventKey.name, event.name]]
      : [...(sample.eventHeaders ?? [])];
  return [...headers, ['content-type', contentTypeOf(sample)]];
}

/** Seconds a stale test delivery is dated back: well past the scheme's tolerance. */
export function staleSeconds(family: SchemeFamily): number {
  const tolerance =
    family.kind === 'timestamped-header' || family.kind === 'standard-webhooks'
      ? family.toleranceSeconds
      : family.kind === 'template' && family.timestamp
        ? family.timestamp.toleranceSeconds
        : 300;
  return tolerance + 3600;
}

export { hasTimestamp };

/** One sentence on what the handler checks, for the handler's header comment. */
export function describeVerification(profile: VerificationProfile): string {
  const family = profile.family;
  switch (family.kind) {
    case 'jwt':
      return `verifies the HS256 JWT in Authorization${family.secretMatch ? ' (or the secret itself, as the samples sent it)' : ''}`;
    case 'template':
      return `verifies ${profile.label}'s ${family.headers[0]} (HMAC-${family.algorithm.toUpperCase()}, ${family.encoding})${family.timestamp ? ` and its timestamp (${family.timestamp.toleranceSeconds} s)` : ''}`;
    case 'timestamped-header':
      return `verifies ${profile.label}'s ${family.header} (every ${family.signatureKey}= signature, ${family.toleranceSeconds} s tolerance)`;
    case 'standard-webhooks':
      return `verifies the Standard Webhooks (Svix) ${family.asymmetric ? 'v1a Ed25519 signature with the whpk_ public key' : 'signature'} (webhook-* or svix-* headers, ${family.toleranceSeconds} s tolerance)`;
    case 'twilio':
      return "verifies Twilio's X-Twilio-Signature over the public URL and the form parameters";
    case 'shared-token':
      return `checks ${profile.label}'s ${family.header} against the secret token`;
    case 'ed25519':
      return `verifies ${profile.label}'s Ed25519 signature with the application's public key`;
    case 'ecdsa':
      return `verifies ${profile.label}'s ECDSA P-256 signature (${family.header}) with the verification key`;
  }
}

/** The environment variables the server reads, for comments and READMEs. */
export function environmentLines(profile: VerificationProfile): string[] {
  const lines = [
    `WEBHOOK_SECRET holds the ${profile.label} ${profile.secretNoun}; PORT the port (default 3000).`,
    ROTATION_LINE,
  ];
  if (profile.handshakes.includes('meta_subscribe')) {
    lines.push("VERIFY_TOKEN holds the verify token you typed in Meta's webhook settings.");
  }
  if (
    profile.family.kind === 'twilio' ||
    (profile.family.kind === 'template' && profile.family.parts.some((part) => part.kind === 'url'))
  ) {
    lines.push(
      `WEBHOOK_PUBLIC_URL: the public origin ${profile.label} calls (https://abc.ngrok.app), when a tunnel or proxy rewrites the Host header.`,
    );
  }
  return lines;
}

export function usesPublicUrl(profile: VerificationProfile): boolean {
  return (
    profile.family.kind === 'twilio' ||
    (profile.family.kind === 'template' && profile.family.parts.some((part) => part.kind === 'url'))
  );
}

/**
 * The sample the generated test sends twice to prove a redelivery is not handled again: its index
 * in the test's SAMPLES (every event's embedded samples in order) and the header that carries the
 * delivery id when the provider sends it in one. Undefined when no sample carries an id.
 */
export function redeliverySample(
  model: HandlerModel,
): { readonly index: number; readonly header?: readonly [string, string] } | undefined {
  const sources = model.verification.deliveryId;
  const headerSource = sources.find((source) => source.from === 'header');
  if (headerSource !== undefined) {
    return { index: 0, header: [headerSource.name.toLowerCase(), 'hooklens-test-delivery-1'] };
  }
  const all = model.events.flatMap((event) => event.embedded);
  const index = all.findIndex((sample) =>
    sources.some(
      (source) =>
        source.from === 'body' &&
        ['string', 'number'].includes(typeof idValue(sample.value, source.tokens)),
    ),
  );
  return index < 0 ? undefined : { index };
}

function idValue(value: unknown, tokens: readonly string[]): unknown {
  let current = value;
  for (const token of tokens) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, token)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[token];
  }
  // lossless-json numbers are objects with isLosslessNumber; their text is an id too.
  return isLosslessNumber(current) ? current.toString() : current;
}
