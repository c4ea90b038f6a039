// No secret is ever stored: a header value or query parameter that carries a configured secret,
// bare, after a scheme word, inside Basic credentials, URL-encoded or inside `name=value` text,
// is replaced before the delivery is written. Headers that are credentials by nature
// (X-Gitlab-Token…) are redacted whatever their value.
import { SECRET_REDACTION } from './secretPolicy';

/** Secrets shorter than this are matched whole only: a substring search would redact noise. */
const MIN_SUBSTRING_CHARS = 8;

/** Headers that carry a credential, not a signature: redacted in exports unless kept on purpose. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'x-gitlab-token',
  'x-telegram-bot-api-secret-token',
  'x-api-key',
  'x-webhook-secret',
  'x-webhook-token',
  'x-auth-token',
  'x-hook-secret',
  'x-secret',
  'x-okta-verification-challenge',
  'cookie',
];

export const CREDENTIAL_QUERY_PARAMETERS: readonly string[] = [
  'api_key',
  'apikey',
  'token',
  'access_token',
  'secret',
  'key',
  'hub.verify_token',
];

export interface SecretRedactor {
  /** True when the text carries a configured secret in any of the usual encodings. */
  carriesSecret(value: string): boolean;
  /** Header pairs with every secret-carrying value, and `alwaysRedact` headers, replaced. */
  headers(
    headers: ReadonlyArray<readonly [string, string]>,
    alwaysRedact?: readonly string[],
  ): Array<readonly [string, string]>;
  /** The path and query with each secret-carrying parameter value replaced. */
  url(url: string): string;
}

export function secretRedactor(secrets: readonly string[]): SecretRedactor {
  const values = [...new Set(secrets.map((secret) => secret.trim()).filter((s) => s !== ''))];
  const carriesSecret = (value: string): boolean => {
    if (values.length === 0) return false;
    const forms = readings(value);
    return values.some((secret) =>
      forms.some((form) =>
        secret.length >= MIN_SUBSTRING_CHARS
          ? form.includes(secret)
          : wordsOf(form).includes(secret),
      ),
    );
  };
  return {
    carriesSecret,
    headers(headers, alwaysRedact = []) {
      const always = new Set(alwaysRedact.map((name) => name.toLowerCase()));
      if (values.length === 0 && always.size === 0) return [...headers];
      return headers.map(([name, value]) =>
        always.has(name.toLowerCase()) || carriesSecret(value)
          ? [name, SECRET_REDACTION]
          : [name, value],
      );
    },
    url(url) {
      const mark = url.indexOf('?');
      if (mark < 0 || values.length === 0) return url;
      const path = url.slice(0, mark);
      const query = url.slice(mark + 1);
      let changed = false;
      const parts = query.split('&').map((part) => {
        const equals = part.indexOf('=');
        const rawValue = equals < 0 ? part : part.slice(equals + 1);
        if (!carriesSecret(rawValue)) return part;
        changed = true;
        const name = equals < 0 ? '' : part.slice(0, equals + 1);
        return `${name}${encodeURIComponent('[redacted by HookLens]')}`;
      });
      return changed ? `${path}?${parts.join('&')}` : url;
    },
  };
}

/** The value as received, URL-decoded, and the credentials inside `Basic`, whichever apply. */
function readings(value: string): string[] {
  const trimmed = value.trim();
  const forms = [trimmed];
  // Decoding only where there is something to decode: this runs on every header of every delivery.
  if (trimmed.includes('%') || trimmed.includes('+')) {
    try {
      const decoded = decodeURIComponent(trimmed.replace(/\+/g, ' '));
      if (decoded !== trimmed) forms.push(decoded);
    } catch {
      // Not URL-encoded.
    }
  }
  const basic = /^basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(trimmed);
  const encoded = basic?.[1] ?? (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(trimmed) ? trimmed : undefined);
  if (encoded !== undefined) {
    const text = Buffer.from(encoded, 'base64').toString('utf8');
    if (!text.includes('\ufffd')) forms.push(text);
  }
  return forms;
}

/** `Bearer x`, `token=x`, `user:x` → their words, for short secrets matched whole. */
function wordsOf(text: string): string[] {
  return [text, ...text.split(/[\s=:;,&]+/)];
}
