// `X-Hub-Signature-256: sha256=<hex>` over the raw body (GitHub, Meta), with the legacy SHA-1
// `X-Hub-Signature: sha1=<hex>` when that is all there is (old GitHub hooks, Intercom). No
// timestamp: a replayed delivery verifies, so dedupe on the provider's delivery id.
import type { RequestFacts } from '../../providers/requestFacts';
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromHex,
  hmac,
  shown,
  singleHeader,
  verifySignedPayload,
  type DigestAlgorithm,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const SHA256_HEADER = 'X-Hub-Signature-256';
const SHA1_HEADER = 'X-Hub-Signature';

function chosenHeader(request: RequestFacts): { name: string; algorithm: DigestAlgorithm } {
  return request.header(SHA256_HEADER) === undefined && request.header(SHA1_HEADER) !== undefined
    ? { name: SHA1_HEADER, algorithm: 'sha1' }
    : { name: SHA256_HEADER, algorithm: 'sha256' };
}

function specFor(request: RequestFacts, providerLabel: string): SignedPayloadSpec {
  const { name, algorithm } = chosenHeader(request);
  const prefix = `${algorithm}=`;
  const length = algorithm === 'sha1' ? 20 : 32;
  return {
    schemeId: 'hub-signature',
    headerName: name,
    signedContent: 'the raw body',
    read(facts): SignatureRead {
      const header = singleHeader(facts, name, providerLabel);
      if (!header.ok) return header;
      if (!header.value.toLowerCase().startsWith(prefix)) {
        return { kind: 'malformed', reason: `${name} does not start with ${prefix}.` };
      }
      const bytes = fromHex(header.value.slice(prefix.length));
      if (bytes === undefined || bytes.length !== length) {
        return {
          kind: 'malformed',
          reason: `${name} is not ${prefix} followed by ${length * 2} hex digits.`,
        };
      }
      return { kind: 'present', signatures: [bytes], rows: [[name, shown(header.value)]] };
    },
    expected: (facts, _read, secret) => [hmac(algorithm, secret, facts.body)],
  };
}

export const hubSignatureScheme: VerificationScheme = {
  id: 'hub-signature',
  verify: (request, secrets, context) =>
    verifySignedPayload(specFor(request, context.providerLabel), request, secrets, context),
  sign(input, secret) {
    const has = (name: string): boolean =>
      input.headers.some(([key]) => key.toLowerCase() === name.toLowerCase());
    // Re-sign the headers the sender sent: a sha1-only sender (Intercom, an old GitHub hook)
    // gets no X-Hub-Signature-256 it never sends; a request with neither gets the SHA-256 one.
    const replacements: Array<readonly [string, string]> = [];
    if (has(SHA256_HEADER) || !has(SHA1_HEADER)) {
      replacements.push([
        SHA256_HEADER,
        `sha256=${hmac('sha256', secret.value, input.body).toString('hex')}`,
      ]);
    }
    if (has(SHA1_HEADER)) {
      replacements.push([
        SHA1_HEADER,
        `sha1=${hmac('sha1', secret.value, input.body).toString('hex')}`,
      ]);
    }
    return { headers: replaceHeaders(input.headers, replacements) };
  },
  dedupeToken: (request) => request.header(SHA256_HEADER) ?? request.header(SHA1_HEADER),
};
