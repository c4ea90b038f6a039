import { randomBytes } from 'node:crypto';

/** Watson's Secret field takes at most 1,024 characters. */
export const MAX_SECRET_CHARS = 1024;
/** RFC 7518 §3.2: an HS256 key should be at least as long as the hash output. */
export const RECOMMENDED_SECRET_BYTES = 32;

export type SecretCheck =
  | { readonly ok: false; readonly error: string }
  | { readonly ok: true; readonly warnings: readonly string[] };

/**
 * Decides whether a string can be used as the shared HS256 secret. Refusals are mistakes that can
 * only break verification or weaken it (RFC 8725 §3.5, CVE-2022-23541); warnings are legal but
 * suspicious values (Stripe's "secret contains whitespace" hint).
 */
export function checkSecret(secret: string): SecretCheck {
  if (secret.length === 0) {
    return {
      ok: false,
      error: 'The secret is empty. Watson refuses an empty secret, and so does HookLens.',
    };
  }
  if (secret.length > MAX_SECRET_CHARS) {
    return {
      ok: false,
      error: `The secret is ${secret.length} characters long; Watson accepts at most ${MAX_SECRET_CHARS}.`,
    };
  }
  if (/-----BEGIN [A-Z ]*KEY-----/.test(secret)) {
    return {
      ok: false,
      error:
        'This looks like a PEM key. The log webhook signs with a shared text secret (HS256), not a key pair.',
    };
  }
  if (looksLikeJwk(secret)) {
    return {
      ok: false,
      error:
        'This looks like a JSON Web Key. Paste the text secret you typed into the sender instead.',
    };
  }
  const warnings: string[] = [];
  if (secret.trim() !== secret) {
    warnings.push(
      'The secret starts or ends with whitespace. Senders usually trim it, so tokens may not verify.',
    );
  }
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < RECOMMENDED_SECRET_BYTES) {
    warnings.push(
      `The secret is ${bytes} bytes; ${RECOMMENDED_SECRET_BYTES} or more make the signature hard to brute-force.`,
    );
  }
  return { ok: true, warnings };
}

function looksLikeJwk(secret: string): boolean {
  const trimmed = secret.trim();
  if (!trimmed.startsWith('{')) return false;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null && ('kty' in parsed || 'keys' in parsed);
  } catch {
    return false;
  }
}

/** A random secret of 32 bytes, base64url: 43 characters that survive any copy and paste. */
export function generateSecret(): string {
  return randomBytes(RECOMMENDED_SECRET_BYTES).toString('base64url');
}

/** What an Authorization header that carried the secret itself is stored as (J-22). */
export const SECRET_REDACTION = '[redacted by HookLens: this header carried the configured secret]';
