// Parses a captured body after capture. The raw bytes are kept regardless; this only decides
// whether they are JSON, and why not when they are not (H-10).

export type ParsedBody =
  { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly error: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseJsonBody(body: Uint8Array, contentType: string | undefined): ParsedBody {
  if (body.length === 0) return { ok: false, error: 'The body is empty.' };
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    return {
      ok: false,
      error: 'The body starts with a UTF-8 byte-order mark, which JSON does not allow.',
    };
  }
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false, error: 'The body is not valid UTF-8 text.' };
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const kind = contentType ? ` (Content-Type: ${contentType.slice(0, 100)})` : '';
    return { ok: false, error: `The body is not JSON${kind}: ${detail}` };
  }
}
