// Square: `x-square-hmacsha256-signature: <base64>` = HMAC-SHA256 over the subscription's
// notification URL followed by the raw body, with the subscription's signature key (legacy
// `x-square-signature`: the same with HMAC-SHA1). The URL is the public one Square called, so the
// candidates are Twilio's: the configured public base URL and the forwarded or Host-header URL,
// each with and without the default port.
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
  type DigestAlgorithm,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';
import { candidateUrls } from './twilio';

const SHA256_HEADER = 'x-square-hmacsha256-signature';
const SHA1_HEADER = 'x-square-signature';

function chosenHeader(has: (name: string) => boolean): {
  readonly name: string;
  readonly algorithm: DigestAlgorithm;
} {
  return !has(SHA256_HEADER) && has(SHA1_HEADER)
    ? { name: SHA1_HEADER, algorithm: 'sha1' }
    : { name: SHA256_HEADER, algorithm: 'sha256' };
}

function specFor(request: RequestFacts, context: SchemeContext): SignedPayloadSpec {
  const urls = candidateUrls(request, context.publicBaseUrl);
  const { name, algorithm } = chosenHeader((header) => request.header(header) !== undefined);
  const length = algorithm === 'sha1' ? 20 : 32;
  return {
    schemeId: 'square',
    headerName: name,
    signedContent: 'the notification URL Square called, followed by the raw body',
    read(facts): SignatureRead {
      const header = singleHeader(facts, name, 'Square');
      if (!header.ok) return header;
      const bytes = fromBase64(header.value);
      if (bytes === undefined || bytes.length !== length) {
        return {
          kind: 'malformed',
          reason: `${name} is not the base64 of a ${length}-byte HMAC-${algorithm.toUpperCase()}.`,
        };
      }
      return {
        kind: 'present',
        signatures: [bytes],
        rows: [
          [name, shown(header.value)],
          [
            'URLs tried',
            urls.length === 0
              ? '(none: no Host header and no public base URL)'
              : urls.map((url) => shown(url, 200)).join('\n'),
          ],
        ],
      };
    },
    matches: (facts, read, secret) =>
      urls.some((url) => {
        const expected = hmac(algorithm, secret, url, facts.body);
        return read.signatures.some((signature) => safeEqual(signature, expected));
      }),
  };
}

export const squareScheme: VerificationScheme = {
  id: 'square',
  verify(request, secrets, context) {
    const spec = specFor(request, context);
    const result = verifySignedPayload(spec, request, secrets, context);
    if (result.verdict !== 'invalid_signature' || result.reason.includes('whitespace')) {
      return result;
    }
    const urls = candidateUrls(request, context.publicBaseUrl);
    return {
      ...result,
      reason: `${spec.headerName} does not match the Square signature key for any URL tried (${urls.slice(0, 2).join(', ') || 'none'}): the body changed, the key is another subscription's, or the URL differs. Square signs the subscription's notification URL exactly: if a tunnel or proxy rewrote the host, scheme or port, set the public base URL to the one in the subscription.`,
    };
  },
  sign(input, secret, context) {
    const header = (name: string): string | undefined =>
      input.headers.find(([key]) => key.toLowerCase() === name)?.[1];
    const url = candidateUrls({ url: input.url, header }, context.publicBaseUrl)[0];
    if (url === undefined) {
      throw new Error('Square signs the notification URL; set the public base URL to re-sign.');
    }
    const replacements: Array<readonly [string, string]> = [
      [SHA256_HEADER, hmac('sha256', secret.value, url, input.body).toString('base64')],
    ];
    if (header(SHA1_HEADER) !== undefined) {
      replacements.push([
        SHA1_HEADER,
        hmac('sha1', secret.value, url, input.body).toString('base64'),
      ]);
    }
    return { headers: replaceHeaders(input.headers, replacements) };
  },
  dedupeToken: (request) => request.header(SHA256_HEADER) ?? request.header(SHA1_HEADER),
};
