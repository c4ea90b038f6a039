// "Copy as curl": a POSIX shell command that sends a stored delivery again, byte for byte. The
// text ends up pasted into a terminal, so everything from the payload is single-quoted, and bytes
// a terminal could act on (control characters, escape sequences, bidi marks) are never written
// raw: they travel as printf octal escapes instead.
import type { DeliveryRecord } from '../delivery';
import { forwardedHeaders, parseTargetUrl } from '../forward/outbound';
import { REPLAY_MARKER_HEADER } from '../forward/replay';
import { redactHeaders } from './exportRecord';

export type CurlAuthorization =
  /** As stored (a header that carried the secret was already redacted at capture). */
  | 'original'
  /** `Bearer [redacted]`: safe to paste into a ticket; the handler will answer 401. */
  | 'redacted'
  /** A complete Authorization value (e.g. from `freshAuthorization`); adds `X-Replay: true`. */
  | { readonly fresh: string };

export interface CurlOptions {
  /** The absolute http(s) URL to send to; the stored path is not appended. */
  readonly target: string;
  readonly authorization: CurlAuthorization;
}

/** Above this a body is piped in by printf: one huge argument can exceed the kernel's limit. */
const INLINE_BODY_MAX_BYTES = 64 * 1024;
/** curl sends `Expect: 100-continue` for larger bodies and waits for an answer before sending. */
const CURL_EXPECT_THRESHOLD = 1024;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/* eslint-disable no-control-regex -- the point is to find control characters. */
/** CR, LF, NUL: a header value with one could split the request (F-02). */
const REQUEST_SPLITTING = /[\r\n\0]/;
/** Header values curl can take as one plain single-quoted argument. */
const PLAIN_HEADER_VALUE = /^[\x20-\x7e]*$/;
/**
 * Characters a terminal or the reader could misread inside a pasted command: C0 controls but LF
 * (a pasted CR becomes LF, a tab triggers completion), DEL, C1 controls, zero-width and bidi
 * characters, line/paragraph separators, BOM.
 */
const UNSAFE_IN_PASTED_TEXT =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
/** Controls the server would refuse in a header value (tab is allowed). */
const UNSENDABLE_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/* eslint-enable no-control-regex */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A `curl` command line that sends `record` to `options.target`: same method, same headers in
 * order (minus hop-by-hop ones, Host and Content-Length, which curl sets for the target and body)
 * and the exact body bytes. Throws when the target is not an http(s) URL or the stored method is
 * not a valid HTTP method.
 */
export function curlCommand(
  record: Pick<DeliveryRecord, 'method' | 'headers' | 'bodyBase64'>,
  options: CurlOptions,
): string {
  const target = parseTargetUrl(options.target);
  if (!target.ok) throw new Error(target.error);
  if (!TOKEN.test(record.method)) {
    throw new Error(
      `The stored method '${record.method.slice(0, 40)}' is not a valid HTTP method, so curl cannot send it.`,
    );
  }
  const body = Buffer.from(record.bodyBase64, 'base64');
  const hadContentLength = record.headers.some(([name]) => /^content-length$/i.test(name));
  const headers = forwardedHeaders(
    withAuthorization(record.headers, options.authorization),
    target.url,
    0,
  )
    .filter(([name]) => !/^(host|content-length)$/i.test(name))
    // forwardedHeaders already dropped CR/LF/NUL; other controls would be refused by the server.
    .filter(([, value]) => !UNSENDABLE_HEADER_VALUE.test(value));

  const sendsBody = body.length > 0 || hadContentLength;
  // One option per line, joined with backslash-newline, so a long command stays readable.
  const method = /^[A-Za-z]+$/.test(record.method) ? record.method : shellQuote(record.method);
  const lines = [
    `curl --globoff ${record.method === 'HEAD' && !sendsBody ? '--head' : `-X ${method}`} ${shellQuote(target.url.href)}`,
  ];
  for (const [name, value] of headers) lines.push(`-H ${headerArgument(name, value)}`);
  // curl adds these on its own unless told not to; the handler should see what the sender sent.
  const present = new Set(headers.map(([name]) => name.toLowerCase()));
  for (const name of ['User-Agent', 'Accept']) {
    if (!present.has(name.toLowerCase())) lines.push(`-H ${shellQuote(`${name}:`)}`);
  }
  if (sendsBody && !present.has('content-type')) lines.push(`-H ${shellQuote('Content-Type:')}`);
  if (body.length > CURL_EXPECT_THRESHOLD) lines.push(`-H ${shellQuote('Expect:')}`);
  if (!sendsBody) return lines.join(' \\\n  ');

  const inline = inlineBodyText(body);
  if (inline !== undefined) {
    lines.push(`--data-binary ${shellQuote(inline)}`);
    return lines.join(' \\\n  ');
  }
  lines.push('--data-binary @-');
  return `printf '${printfEscape(body)}' |\n  ${lines.join(' \\\n    ')}`;
}

/** Single quotes keep every character literal in a POSIX shell; a quote itself is `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function withAuthorization(
  headers: DeliveryRecord['headers'],
  mode: CurlAuthorization,
): ReadonlyArray<readonly [string, string]> {
  if (mode === 'original') return headers;
  if (mode === 'redacted') return redactHeaders(headers);
  if (REQUEST_SPLITTING.test(mode.fresh)) {
    throw new Error('The fresh Authorization value contains a line break, so it cannot be sent.');
  }
  // Same shape as a fresh-token replay: one Authorization where the first was, X-Replay at the end.
  const result: Array<readonly [string, string]> = [];
  let placed = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === REPLAY_MARKER_HEADER[0].toLowerCase()) continue;
    if (lower !== 'authorization') result.push([name, value]);
    else if (!placed) {
      result.push([name, mode.fresh]);
      placed = true;
    }
  }
  if (!placed) result.push(['Authorization', mode.fresh]);
  result.push(REPLAY_MARKER_HEADER);
  return result;
}

function headerArgument(name: string, value: string): string {
  // `Name:` would make curl remove the header; `Name;` is how curl sends it with an empty value.
  if (value === '') return shellQuote(`${name};`);
  if (PLAIN_HEADER_VALUE.test(value)) return shellQuote(`${name}: ${value}`);
  // Node reads header bytes as Latin-1, one character per byte; printf gives those bytes back.
  return `"$(printf '${printfEscape(headerBytes(`${name}: ${value}`))}')"`;
}

function headerBytes(text: string): Buffer {
  const fitsLatin1 = [...text].every((char) => (char.codePointAt(0) ?? 0) <= 0xff);
  return Buffer.from(text, fitsLatin1 ? 'latin1' : 'utf8');
}

/** The body as text for a single-quoted argument, or undefined when it must be piped in. */
function inlineBodyText(body: Buffer): string | undefined {
  if (body.length > INLINE_BODY_MAX_BYTES) return undefined;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return undefined;
  }
  // curl reads `--data-binary @name` from the file `name`.
  if (text.startsWith('@') || UNSAFE_IN_PASTED_TEXT.test(text)) return undefined;
  return text;
}

/**
 * A printf format that writes exactly `bytes`: printable ASCII as itself (except the characters
 * printf or the quotes treat specially) and everything else as a three-digit octal escape.
 */
function printfEscape(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let index = 0; index < bytes.length; index++)
    parts[index] = PRINTF_BYTE[bytes[index] ?? 0] ?? '';
  return parts.join('');
}

const PRINTF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte >= 0x20 && byte <= 0x7e && byte !== 0x25 && byte !== 0x27 && byte !== 0x5c
    ? String.fromCharCode(byte)
    : `\\${byte.toString(8).padStart(3, '0')}`,
);
