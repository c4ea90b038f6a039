// Twilio: `X-Twilio-Signature: <base64>` = HMAC-SHA1 with the account's Auth Token over the full
// URL Twilio called followed by every POST form parameter as name+value, sorted by name. JSON
// bodies are signed through the URL instead: it carries `bodySHA256=<hex of the body's SHA-256>`.
// Webhooks signed with a SharedKey say so in `X-Twilio-Webhooks-Signature-Settings`
// (`key=…,algorithm=HMAC_SHA256`): then the digest is HMAC-SHA256 with that key's secret.
// The URL is the public one (a tunnel's), so the candidates are the configured public base URL
// and the forwarded or Host-header URL, each as received and as `new URL` normalises it, with
// and without the default port, and with the query re-encoded the legacy way: the variants
// twilio-node tries.
import { createHash } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import type { RequestFacts } from '../../providers/requestFacts';
import type { SchemeContext, VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromBase64,
  hmac,
  safeEqual,
  shown,
  singleHeader,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const HEADER = 'X-Twilio-Signature';
const SETTINGS_HEADER = 'X-Twilio-Webhooks-Signature-Settings';

/** The digest the settings header names (HMAC_SHA1 when there is none), or why it is unusable. */
export function twilioAlgorithm(
  settings: string | undefined,
): { readonly algorithm: 'sha1' | 'sha256' } | { readonly error: string } {
  let named = '';
  for (const part of (settings ?? '').split(',')) {
    const equals = part.indexOf('=');
    if (equals >= 0 && part.slice(0, equals).trim() === 'algorithm') {
      named = part.slice(equals + 1).trim();
      if (named !== '') break;
    }
  }
  const upper = named.toUpperCase();
  if (upper === '' || upper === 'HMAC_SHA1') return { algorithm: 'sha1' };
  if (upper === 'HMAC_SHA256') return { algorithm: 'sha256' };
  return {
    error: `${SETTINGS_HEADER} names the algorithm ${JSON.stringify(shown(named, 40))}, which HookLens does not know (HMAC_SHA1 and HMAC_SHA256 are).`,
  };
}

/** The URL with its default port added (`https://h/x` → `https://h:443/x`), or as it is. */
function withDefaultPort(url: string): string {
  const match = /^(https?):\/\/([^/?#]*)/i.exec(url);
  if (!match) return url;
  const authority = match[2] ?? '';
  if (/:\d*$/.test(authority.slice(authority.lastIndexOf(']') + 1))) return url;
  const port = match[1]?.toLowerCase() === 'https' ? '443' : '80';
  return `${match[0]}:${port}${url.slice(match[0].length)}`;
}

/** The URL without a port, or as it is. */
function withoutPort(url: string): string {
  const match = /^(https?):\/\/([^/?#]*)/i.exec(url);
  if (!match) return url;
  const authority = match[2] ?? '';
  const bracket = authority.lastIndexOf(']') + 1;
  const colon = authority.indexOf(':', bracket);
  if (colon < 0) return url;
  return `${match[1]}://${authority.slice(0, colon)}${url.slice(match[0].length)}`;
}

/** The query re-encoded as Node's legacy querystring module does (some back ends signed that). */
function withLegacyQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0 || mark === url.length - 1) return url;
  const hash = url.indexOf('#', mark);
  const query = url.slice(mark + 1, hash < 0 ? undefined : hash);
  return `${url.slice(0, mark)}?${stringifyQuery(parseQuery(query))}`;
}

/** The URLs Twilio may have signed for this request, most likely first, without repeats. */
export function candidateUrls(
  request: Pick<RequestFacts, 'url' | 'header'>,
  publicBaseUrl: string | undefined,
): string[] {
  const bases: string[] = [];
  if (publicBaseUrl) bases.push(publicBaseUrl.replace(/\/+$/, ''));
  const host = request.header('x-forwarded-host') ?? request.header('host');
  if (host) {
    const proto = request.header('x-forwarded-proto')?.split(',')[0]?.trim();
    if (proto === 'http' || proto === 'https') bases.push(`${proto}://${host}`);
    bases.push(`https://${host}`, `http://${host}`);
  }
  const received: string[] = [];
  const normalised: string[] = [];
  for (const base of bases) {
    let basePath: string;
    let parsed: URL;
    try {
      basePath = new URL(`${base}/`).pathname.replace(/\/$/, '');
      parsed = new URL(request.url, `${base}/`);
      // A base with a path prefix (a tunnel mounted under /proxy/7878) keeps it.
      if (basePath && !request.url.startsWith(basePath)) parsed = new URL(`${base}${request.url}`);
    } catch {
      continue;
    }
    // As received: the characters Twilio signed, before `new URL` percent-encodes any of them.
    const origin =
      basePath && request.url.startsWith(basePath) ? base.slice(0, -basePath.length) : base;
    if (request.url.startsWith('/')) {
      const raw = `${origin}${request.url}`;
      received.push(withoutPort(raw), withDefaultPort(raw));
    }
    normalised.push(withoutPort(parsed.href), withDefaultPort(parsed.href));
  }
  const legacy = normalised.map(withLegacyQuery);
  return [...new Set([...received, ...normalised, ...legacy])];
}

/** Twilio's string to sign: the URL, then each form parameter's name and value, sorted. */
export function twilioSigningText(
  url: string,
  form: ReadonlyArray<readonly [string, string]>,
): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of form) byName.set(name, [...(byName.get(name) ?? []), value]);
  let text = url;
  for (const name of [...byName.keys()].sort()) {
    // A repeated parameter's values are de-duplicated and sorted, as twilio-node does.
    for (const value of [...new Set(byName.get(name) ?? [])].sort()) text += name + value;
  }
  return text;
}

function paramsFor(request: RequestFacts): ReadonlyArray<readonly [string, string]> {
  // A JSON body is signed through bodySHA256 in the URL, not as parameters.
  return request.query('bodySHA256') === undefined ? (request.form ?? []) : [];
}

function specFor(request: RequestFacts, context: SchemeContext): SignedPayloadSpec {
  const urls = candidateUrls(request, context.publicBaseUrl);
  const settings = twilioAlgorithm(request.header(SETTINGS_HEADER));
  const algorithm = 'algorithm' in settings ? settings.algorithm : undefined;
  const length = algorithm === 'sha256' ? 32 : 20;
  return {
    schemeId: 'twilio',
    headerName: HEADER,
    signedContent:
      request.query('bodySHA256') === undefined
        ? 'the public URL Twilio called, then each form parameter (name and value, sorted by name)'
        : 'the public URL Twilio called, which carries bodySHA256 (the SHA-256 of the raw body)',
    read(facts): SignatureRead {
      const header = singleHeader(facts, HEADER, 'Twilio');
      if (!header.ok) return header;
      if ('error' in settings) return { kind: 'malformed', reason: settings.error };
      const bytes = fromBase64(header.value);
      if (bytes === undefined || bytes.length !== length) {
        return {
          kind: 'malformed',
          reason: `${HEADER} is not the base64 of a ${length}-byte HMAC-${length === 32 ? 'SHA256' : 'SHA1'}${length === 32 ? ` (${SETTINGS_HEADER} names HMAC_SHA256)` : ''}.`,
        };
      }
      const rows: Array<readonly [string, string]> = [[HEADER, shown(header.value)]];
      const settingsHeader = facts.header(SETTINGS_HEADER);
      if (settingsHeader !== undefined) rows.push([SETTINGS_HEADER, shown(settingsHeader)]);
      rows.push([
        'URLs tried',
        urls.length === 0
          ? '(none: no Host header and no public base URL)'
          : urls.map((url) => shown(url, 200)).join('\n'),
      ]);
      return { kind: 'present', signatures: [bytes], rows };
    },
    matches(facts, read, secret) {
      if (algorithm === undefined) return false;
      const bodyHash = facts.query('bodySHA256');
      if (bodyHash !== undefined) {
        const actual = createHash('sha256').update(facts.body).digest('hex');
        if (actual !== bodyHash.toLowerCase()) return false;
      }
      const params = paramsFor(facts);
      return urls.some((url) =>
        read.signatures.some((sig) =>
          safeEqual(sig, hmac(algorithm, secret, twilioSigningText(url, params))),
        ),
      );
    },
  };
}

export const twilioScheme: VerificationScheme = {
  id: 'twilio',
  verify(request, secrets, context) {
    const result = verifySignedPayload(specFor(request, context), request, secrets, context);
    if (result.verdict !== 'invalid_signature' || result.reason.includes('whitespace'))
      return result;
    const hash = request.query('bodySHA256');
    const bodyChanged =
      hash !== undefined &&
      createHash('sha256').update(request.body).digest('hex') !== hash.toLowerCase();
    return {
      ...result,
      reason: bodyChanged
        ? `${HEADER} cannot match: the body's SHA-256 is not the bodySHA256 in the URL, so the body changed after Twilio signed it.`
        : `${HEADER} does not match the Twilio ${'algorithm' in twilioAlgorithm(request.header(SETTINGS_HEADER)) && request.header(SETTINGS_HEADER) !== undefined ? 'SharedKey secret' : 'Auth Token'} for any URL tried (${candidateUrls(request, context.publicBaseUrl).slice(0, 2).join(', ') || 'none'}). Twilio signs the public URL it called: if a tunnel or proxy rewrote the host, scheme or port, set the public base URL to the one configured in Twilio.`,
    };
  },
  sign(input, secret, context) {
    const facts = {
      url: input.url,
      header: (name: string) => input.headers.find(([key]) => key.toLowerCase() === name)?.[1],
    };
    const url = candidateUrls(facts, context.publicBaseUrl)[0];
    if (url === undefined)
      throw new Error('Twilio signs the public URL; set the public base URL to re-sign.');
    const contentType = facts.header('content-type') ?? '';
    const form =
      contentType.toLowerCase().startsWith('application/x-www-form-urlencoded') &&
      !input.url.includes('bodySHA256=')
        ? [...new URLSearchParams(input.body.toString('utf8'))].map(
            ([name, value]) => [name, value] as const,
          )
        : [];
    const settings = twilioAlgorithm(facts.header(SETTINGS_HEADER.toLowerCase()));
    if ('error' in settings) throw new Error(settings.error);
    const signature = hmac(settings.algorithm, secret.value, twilioSigningText(url, form)).toString(
      'base64',
    );
    return { headers: replaceHeaders(input.headers, [[HEADER, signature]]) };
  },
  dedupeToken: (request) => request.header('I-Twilio-Idempotency-Token') ?? request.header(HEADER),
};
