// Reading the token out of an Authorization header. Watson's log webhook sends the bare JWT
// (IBM's own verification code only works that way); IBM's phone integration and most other
// senders send `Bearer <jwt>` (webhook-senders.md §1.4). Both forms are accepted.

/** An Authorization header as Node hands it over: absent, one value, or several raw values. */
export type AuthorizationInput = string | readonly string[] | undefined;

export type AuthorizationValue =
  | { readonly kind: 'absent' }
  | { readonly kind: 'multiple'; readonly count: number }
  | { readonly kind: 'empty' }
  /** `value` is the whole header value without surrounding whitespace. */
  | { readonly kind: 'bearer_without_token'; readonly value: string }
  | { readonly kind: 'other_scheme'; readonly scheme: string; readonly value: string }
  | {
      readonly kind: 'token';
      readonly token: string;
      readonly form: 'bare' | 'bearer';
      readonly value: string;
    };

// HTTP optional whitespace, plus CR/LF for values pasted from a terminal or a file.
const EDGE_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const SCHEME_THEN_CREDENTIALS = /^([^ \t\r\n]+)[ \t\r\n]+([^]+)$/;

export function readAuthorization(input: AuthorizationInput): AuthorizationValue {
  const single = singleValue(input);
  if (typeof single !== 'string') return single;
  const value = single.replace(EDGE_WHITESPACE, '');
  if (value === '') return { kind: 'empty' };

  const match = SCHEME_THEN_CREDENTIALS.exec(value);
  if (match === null) {
    return isBearer(value)
      ? { kind: 'bearer_without_token', value }
      : { kind: 'token', token: value, form: 'bare', value };
  }
  const scheme = match[1] ?? '';
  const credentials = match[2] ?? '';
  return isBearer(scheme)
    ? { kind: 'token', token: credentials, form: 'bearer', value }
    : { kind: 'other_scheme', scheme, value };
}

/** The bare token when the header carries one (bare or after `Bearer`), otherwise `undefined`. */
export function extractToken(input: AuthorizationInput): string | undefined {
  const read = readAuthorization(input);
  return read.kind === 'token' ? read.token : undefined;
}

function singleValue(
  input: AuthorizationInput,
): string | { readonly kind: 'absent' } | { readonly kind: 'multiple'; readonly count: number } {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return { kind: 'absent' }; // undefined, or a non-string from plain JS
  const values: readonly unknown[] = input;
  if (values.length > 1) return { kind: 'multiple', count: values.length };
  const [only] = values;
  return typeof only === 'string' ? only : { kind: 'absent' };
}

// The scheme name is case-insensitive (RFC 9110 §11.1).
function isBearer(scheme: string): boolean {
  return scheme.toLowerCase() === 'bearer';
}
