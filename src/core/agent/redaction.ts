// What the agent tools show of a delivery's headers, path and answers: redacted exactly as
// exports are (Authorization and the other credential headers), plus credential query
// parameters in the path. Ingest already removed any configured secret before storing.
import type { RecordedResponse } from '../delivery';
import { redactHeaders } from '../export/exportRecord';
import { CREDENTIAL_QUERY_PARAMETERS } from '../secrets/redaction';
import { capText } from './results';

const CREDENTIAL_PARAMETERS = new Set(CREDENTIAL_QUERY_PARAMETERS);

/**
 * A path or URL with the values of credential query parameters (token=, api_key=…) replaced, and
 * the user name and password of an absolute URL (a forward target's basic auth).
 */
export function redactPath(raw: string): string {
  const url = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1[redacted]@');
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals < 0) return part;
      let name = part.slice(0, equals);
      try {
        name = decodeURIComponent(name);
      } catch {
        // Keep the name as written.
      }
      return CREDENTIAL_PARAMETERS.has(name.toLowerCase())
        ? `${part.slice(0, equals)}=[redacted]`
        : part;
    });
  return `${url.slice(0, mark)}?${query.join('&')}`;
}

export function agentHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  return redactHeaders(headers);
}

export interface AgentAnswer {
  readonly status: number;
  readonly headers: Array<[string, string]>;
  readonly body: string;
  readonly bodyTruncated: boolean;
  readonly timeMs: number | null;
}

/** A recorded answer (the handler's, or the receiver's), its body cut to `maxChars`. */
export function agentAnswer(
  response: RecordedResponse | null,
  maxChars: number,
): AgentAnswer | null {
  if (response === null) return null;
  const body = capText(response.body, maxChars);
  return {
    status: response.status,
    headers: agentHeaders(response.headers),
    body: body.text,
    bodyTruncated: body.truncated,
    timeMs: typeof response.timeMs === 'number' ? response.timeMs : null,
  };
}
