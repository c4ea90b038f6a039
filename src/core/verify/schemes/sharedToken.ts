// A shared token sent as a header value (GitLab's `X-Gitlab-Token`): no signature, the secret
// itself travels, so it is compared in constant time and never stored.
import { createHash } from 'node:crypto';
import type { RequestFacts } from '../../providers/requestFacts';
import { verification, type VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import { quote, safeEqual, singleHeader } from './signedPayload';

export function sharedTokenScheme(id: string, headerName: string): VerificationScheme {
  return {
    id,
    credentialHeaders: [headerName],
    verify(request: RequestFacts, secrets, context) {
      const provider = context.providerLabel;
      const header = singleHeader(request, headerName, provider);
      if (!header.ok) {
        if (secrets.length === 0) {
          return verification(
            id,
            'no_secret',
            `No ${provider} secret token is configured; besides, ${header.reason.replace(/^The /, 'the ')}`,
          );
        }
        return verification(
          id,
          header.kind === 'missing' ? 'missing_signature' : 'malformed_signature',
          header.reason,
        );
      }
      const rows: Array<readonly [string, string]> = [
        [headerName, 'present (a shared token: compared, never stored)'],
      ];
      if (secrets.length === 0) {
        return verification(
          id,
          'no_secret',
          `${headerName} is present; set a ${provider} secret token to check it (the header is never stored).`,
          { details: [{ title: 'Token', rows }] },
        );
      }
      const received = Buffer.from(header.value, 'utf8');
      const matched = secrets.find((secret) =>
        safeEqual(received, Buffer.from(secret.value.trim(), 'utf8')),
      );
      if (matched === undefined) {
        return verification(
          id,
          'invalid_signature',
          `${headerName} does not match ${secrets.length === 1 ? `the ${provider} secret token` : `any of the ${secrets.length} ${provider} secret tokens`}.`,
          { details: [{ title: 'Token', rows }] },
        );
      }
      const name =
        secrets.length > 1
          ? `the ${provider} secret token labelled ${quote(matched.label)}`
          : `the ${provider} secret token`;
      return verification(id, 'verified', `${headerName} matches ${name}.`, {
        matchedSecret: matched.label,
        details: [{ title: 'Token', rows: [...rows, ['Matched secret', matched.label]] }],
      });
    },
    sign: (input, secret) => ({
      headers: replaceHeaders(input.headers, [[headerName, secret.value.trim()]]),
    }),
    // The token is the secret: dedupe on its hash, never the value.
    dedupeToken: (request) => {
      const value = request.header(headerName);
      return value === undefined ? undefined : createHash('sha256').update(value).digest('hex');
    },
  };
}

export const gitlabTokenScheme = sharedTokenScheme('gitlab-token', 'X-Gitlab-Token');
