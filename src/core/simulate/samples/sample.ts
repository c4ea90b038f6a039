// What a built-in sample event is: a named request its sender would make, built fresh (new ids,
// times of now) on every call. One file per provider in this folder, listed in ./index.
import type { RandomSource } from '../random';

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * How a template is authenticated: `jwt` and `signed` are both signed the way the sender signs,
 * through its provider's verification scheme (`jwt` is what templates of JWT senders have always
 * said, so older HookLens versions read them); `none`: the sender signs nothing (Rapida).
 */
export type TemplateAuth = 'jwt' | 'signed' | 'none';

export function isSignedAuth(auth: TemplateAuth): boolean {
  return auth !== 'none';
}

/** A request without its signature headers: signing adds those. */
export interface SampleRequest {
  readonly headers: HeaderList;
  /** The exact body text, formatted the way the sender formats it. */
  readonly body: string;
}

export interface SampleDefinition {
  /** `provider.event` or `brand.event` (`clerk.user.created`): what `hooklens send` takes. */
  readonly name: string;
  readonly description: string;
  /** The provider id that sends it (`github`, `standard-webhooks`, …). */
  readonly sender: string;
  /** The event as HookLens recognises it. */
  readonly event: string;
  readonly path: string;
  readonly auth: TemplateAuth;
  build(nowMs: number, random: RandomSource): SampleRequest;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
/** `2025-06-01T12:00:00Z`: an ISO time at second precision, as many APIs write it. */
export const isoSeconds = (ms: number): string => iso(ms).replace(/\.\d{3}Z$/, 'Z');
export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * JSON with every character outside ASCII written as a lower-case `\uXXXX` escape, the way Meta
 * (and PHP's json_encode) serialise: the signed bytes are these escapes, not UTF-8.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
