// Parses a captured body after capture. The raw bytes are kept regardless; this only decides
// what they are (JSON, a form, or neither, and why not), for recognition, display and generation.

export type ParsedBody =
  | {
      readonly ok: true;
      readonly json: unknown;
      /** Set for `application/x-www-form-urlencoded` bodies: the fields in order. */
      readonly form?: ReadonlyArray<readonly [string, string]>;
      /** Set when the text was decoded from a declared charset other than UTF-8. */
      readonly charset?: string;
    }
  | { readonly ok: false; readonly error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as JSON, honouring a UTF-8 byte-order mark and a declared charset. */
export function parseJsonBody(body: Uint8Array, contentType: string | undefined): ParsedBody {
  if (body.length === 0) return { ok: false, error: 'The body is empty.' };
  const decoded = decodeText(body, contentType);
  if (!decoded.ok) return decoded;
  try {
    const json = JSON.parse(decoded.text) as unknown;
    return decoded.charset === undefined
      ? { ok: true, json }
      : { ok: true, json, charset: decoded.charset };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const kind = contentType ? ` (Content-Type: ${contentType.slice(0, 100)})` : '';
    return { ok: false, error: `The body is not JSON${kind}: ${detail}` };
  }
}

/**
 * JSON, or a form: `application/x-www-form-urlencoded` bodies (Twilio, Slack commands, GitHub's
 * form content type) are parsed into fields; a `payload` field holding JSON (GitHub, Slack
 * interactivity) becomes the document, otherwise the fields as one flat object.
 */
export function parseBody(body: Uint8Array, contentType: string | undefined): ParsedBody {
  if (mediaType(contentType) === 'application/x-www-form-urlencoded' && body.length > 0) {
    const decoded = decodeText(body, contentType);
    if (!decoded.ok) return decoded;
    const form = [...new URLSearchParams(decoded.text)].map(
      ([key, value]) => [key, value] as const,
    );
    const payload = form.find(([key]) => key === 'payload')?.[1];
    if (payload !== undefined) {
      try {
        return { ok: true, json: JSON.parse(payload) as unknown, form };
      } catch {
        // Not JSON after all: fall through to the flat fields.
      }
    }
    const json: Record<string, string> = {};
    for (const [key, value] of form) if (!Object.hasOwn(json, key)) json[key] = value;
    return { ok: true, json, form };
  }
  return parseJsonBody(body, contentType);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function declaredCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

type DecodedText =
  | { readonly ok: true; readonly text: string; readonly charset?: string }
  | { readonly ok: false; readonly error: string };

function decodeText(body: Uint8Array, contentType: string | undefined): DecodedText {
  const charset = declaredCharset(contentType);
  const hasBom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && !hasBom) {
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      return {
        ok: false,
        error: `The body declares charset ${charset.slice(0, 40)}, which is unknown.`,
      };
    }
    try {
      return { ok: true, text: decoder.decode(body), charset };
    } catch {
      return { ok: false, error: `The body is not valid ${charset.slice(0, 40)} text.` };
    }
  }
  try {
    // A byte-order mark is not part of the text (RFC 8259 §8.1 lets a parser ignore it).
    return { ok: true, text: utf8.decode(hasBom ? body.subarray(3) : body) };
  } catch {
    return { ok: false, error: 'The body is not valid UTF-8 text.' };
  }
}
