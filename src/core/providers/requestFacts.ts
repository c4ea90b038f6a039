// What providers and verification schemes read from one request, parsed once: the exact bytes
// the sender signed, the JSON or form fields, and header lookups. Built for every delivery, by
// the receiver and by import alike.
import { parseBody, type ParsedBody } from '../receiver/bodyText';

export type HeaderPairs = ReadonlyArray<readonly [string, string]>;

export interface RequestFacts {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: HeaderPairs;
  /** The bytes the sender signed: the body as it arrived (after any Content-Encoding). */
  readonly body: Buffer;
  /** The parsed JSON document, or a form's JSON `payload` field; undefined otherwise. */
  readonly json: unknown;
  /** An `application/x-www-form-urlencoded` body's fields, in order, duplicates kept. */
  readonly form: ReadonlyArray<readonly [string, string]> | undefined;
  readonly parsed: ParsedBody;
  /** The first value of a header, case-insensitive. */
  header(name: string): string | undefined;
  /** Every value of a header, in arrival order. */
  headerValues(name: string): string[];
  /** The first value of a query parameter of the URL as received. */
  query(name: string): string | undefined;
  /** The first value of a form field. */
  formField(name: string): string | undefined;
}

export interface RequestInput {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderPairs;
  readonly body: Buffer;
}

export function requestFacts(input: RequestInput): RequestFacts {
  // Every provider's detect() asks for a few headers: index them once, not once per question.
  const byName = new Map<string, string[]>();
  for (const [key, value] of input.headers) {
    const lower = key.toLowerCase();
    const values = byName.get(lower);
    if (values === undefined) byName.set(lower, [value]);
    else values.push(value);
  }
  const headerValues = (name: string): string[] => [...(byName.get(name.toLowerCase()) ?? [])];
  const parsed = parseBody(input.body, headerValues('content-type')[0]);
  let search: URLSearchParams | undefined;
  const form = parsed.ok && parsed.form !== undefined ? parsed.form : undefined;
  return {
    method: input.method,
    url: input.url,
    headers: input.headers,
    body: input.body,
    json: parsed.ok ? parsed.json : undefined,
    form,
    parsed,
    header: (name) => byName.get(name.toLowerCase())?.[0],
    headerValues,
    query(name) {
      search ??= new URLSearchParams(queryOf(input.url));
      return search.get(name) ?? undefined;
    },
    formField(name) {
      return form?.find(([key]) => key === name)?.[1];
    },
  };
}

function queryOf(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return '';
  const hash = url.indexOf('#', mark);
  return url.slice(mark + 1, hash < 0 ? undefined : hash);
}
