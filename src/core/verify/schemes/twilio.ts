// Twilio: `X-Twilio-Signature: <base64>` = HMAC-SHA1 with the account's Auth Token over the full
// URL Twilio called followed by every POST form parameter as name+value, sorted by name. JSON
// bodies are signed through the URL instead: it carries `bodySHA256=<hex of the body's SHA-256>`.
// The URL is the public one (a tunnel's), so the candidates are the configured public base URL
// and the forwarded or Host-header URL, each with and without the default port, as twilio-node
// tries.
import { createHash } from 'node:crypto';
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
  const urls: string[] = [];
  for (const base of bases) {
    let parsed: URL;
    try {
      parsed = new URL(request.url, `${base}/`);
      // A base with a path prefix (a tunnel mounted under /proxy/7878) keeps it.
      const basePath = new URL(`${base}/`).pathname.replace(/\/$/, '');
      if (basePath && !request.url.startsWith(basePath)) parsed = new URL(`${base}${request.url}`);
    } catch {
      continue;
    }
    const text = parsed.href;
    const defaultPort = parsed.protocol === 'https:' ? '443' : '80';
    const withPort = new URL(text);
    const withoutPort = new URL(text);
    if (withPort.port === '') {
      // The URL class drops a default port; put it back by hand for the "with port" variant.
      urls.push(text, text.replace(`//${withPort.host}`, `//${withPort.hostname}:${defaultPort}`));
    } else {
      withoutPort.port = '';
      urls.push(text, withoutPort.href);
    }
  }
  return [...new Set(urls)];
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
    for (const value of (byName.get(name) ?? []).sort()) text += name + value;
  }
  return text;
}

function paramsFor(request: RequestFacts): ReadonlyArray<readonly [string, string]> {
  // A JSON body is signed through bodySHA256 in the URL, not as parameters.
  return request.query('bodySHA256') === undefined ? (request.form ?? []) : [];
}

function specFor(request: RequestFacts, context: SchemeContext): SignedPayloadSpec {
  const urls = candidateUrls(request, context.publicBaseUrl);
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
      const bytes = fromBase64(header.value);
      if (bytes === undefined || bytes.length !== 20) {
        return { kind: 'malformed', reason: `${HEADER} is not the base64 of a 20-byte HMAC-SHA1.` };
      }
      const rows: Array<readonly [string, string]> = [[HEADER, shown(header.value)]];
      rows.push([
        'URLs tried',
        urls.length === 0
          ? '(none: no Host header and no public base URL)'
          : urls.map((url) => shown(url, 200)).join('\n'),
      ]);
      return { kind: 'present', signatures: [bytes], rows };
    },
    matches(facts, read, secret) {
      const bodyHash = facts.query('bodySHA256');
      if (bodyHash !== undefined) {
        const actual = createHash('sha256').update(facts.body).digest('hex');
        if (actual !== bodyHash.toLowerCase()) return false;
      }
      const params = paramsFor(facts);
      return urls.some((url) =>
        read.signatures.some((sig) =>
          safeEqual(sig, hmac('sha1', secret, twilioSigningText(url, params))),
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
        : `${HEADER} does not match the Twilio Auth Token for any URL tried (${candidateUrls(request, context.publicBaseUrl).slice(0, 2).join(', ') || 'none'}). Twilio signs the public URL it called: if a tunnel or proxy rewrote the host, scheme or port, set the public base URL to the one configured in Twilio.`,
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
    const signature = hmac('sha1', secret.value, twilioSigningText(url, form)).toString('base64');
    return { headers: replaceHeaders(input.headers, [[HEADER, signature]]) };
  },
  dedupeToken: (request) => request.header('I-Twilio-Idempotency-Token') ?? request.header(HEADER),
};
