// The intermediate model every target renders from: which events were seen, how the handler tells
// them apart, and the samples behind each. Built once from captured deliveries (samples.ts); the
// TypeScript, Python and Go targets are small printers over it.
import type { SenderKind } from '../delivery';
import type { VerificationProfile } from './verification/profile';

export type { VerificationProfile };

export type GenerationLanguage = 'typescript' | 'python' | 'go';
export type GenerationFramework = 'node' | 'express' | 'nextjs' | 'fastapi' | 'flask' | 'nethttp';

export interface GenerationTarget {
  readonly language: GenerationLanguage;
  readonly framework: GenerationFramework;
  /** TypeScript only: validate each event with Zod schemas instead of trusting a cast. */
  readonly zod: boolean;
}

/** The frameworks each language offers, default first. */
export const FRAMEWORKS: Readonly<Record<GenerationLanguage, readonly GenerationFramework[]>> = {
  typescript: ['node', 'express', 'nextjs'],
  python: ['fastapi', 'flask'],
  go: ['nethttp'],
};

/**
 * Where the handler reads the event name: a JSON Pointer into the body, a request header, or the
 * provider's own rules (GitHub's header and `action`, Slack's inner `event.type`, Twilio's status
 * fields), which read the name exactly as HookLens recognised it at capture.
 */
export type EventKey =
  | { readonly kind: 'pointer'; readonly pointer: string }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'provider'; readonly rules: readonly NameRule[] };

/** Where one part of an event name is read: a header, or a JSON Pointer's tokens into the body. */
export type NameSource =
  | { readonly from: 'header'; readonly name: string }
  | { readonly from: 'body'; readonly tokens: readonly string[] };

/**
 * One way a provider names its event, tried in order: when `guard` holds (the source's text equals
 * the value), the name is `prefix` + the first present of `sources` (or `constant`), then
 * `separator` + the first present of `suffix` when there is one.
 */
export interface NameRule {
  readonly guard?: { readonly source: NameSource; readonly equals: string };
  readonly prefix?: string;
  readonly sources?: readonly NameSource[];
  readonly constant?: string;
  readonly suffix?: { readonly separator: string; readonly sources: readonly NameSource[] };
}

/** How the sender expects to be answered for one event. */
export type ReplyKind =
  /** Log-style events: any 2xx, no body needed. */
  | 'acknowledge'
  /** Watson pre/post-message: `{ "payload": ... }`, the (possibly changed) payload echoed back. */
  | 'watson_payload';

export interface EventModel {
  /** The event name exactly as the sender writes it (payload text: only ever quoted). */
  readonly name: string;
  /** PascalCase stem for type and function names, unique within the model. */
  readonly stem: string;
  readonly reply: ReplyKind;
  /** Every sample's body as JSON text, big integers as they arrived. */
  readonly samples: readonly SampleBody[];
  /** A few samples that together show the most fields, to embed in the generated test. */
  readonly embedded: readonly SampleBody[];
  /** Field paths with the JSON types seen, for the comment above each stub. */
  readonly fields: readonly FieldSummary[];
}

export interface SampleBody {
  readonly deliveryId: string;
  /** Parsed with lossless-json: numbers stay exact (LosslessNumber). */
  readonly value: unknown;
  /**
   * How the body came: JSON (absent), a form's fields (`value` is an object of strings), or a
   * form whose `payload` field holds the JSON document (Slack interactivity, GitHub's form type).
   */
  readonly form?: 'fields' | 'payload';
  /** One event of a batch (SendGrid): the wire body is a JSON array holding it. */
  readonly batch?: true;
  /** The headers the event key reads (lower-case names), as this delivery had them. */
  readonly eventHeaders?: ReadonlyArray<readonly [string, string]>;
  /** True when an integer in it is beyond 2^53 (JavaScript cannot hold it as a number). */
  readonly hasUnsafeInteger: boolean;
}

export interface FieldSummary {
  /** Dotted path for people (`payload.request.input.text`, `[]` for array items). */
  readonly path: string;
  readonly types: readonly string[];
  /** Seen in fewer samples than the event has. */
  readonly optional: boolean;
}

export interface HandlerModel {
  readonly sender: SenderKind;
  /** How the generated handler checks the provider's signature and answers its handshakes. */
  readonly verification: VerificationProfile;
  readonly eventKey: EventKey;
  readonly events: readonly EventModel[];
  /** Deliveries used, and those left out with the reason (shown to the user). */
  readonly usedDeliveries: number;
  readonly skipped: ReadonlyArray<{ readonly deliveryId: string; readonly reason: string }>;
  /** Deliveries left out because their verification failed (included with includeUnverified). */
  readonly unverified: number;
}

export interface GeneratedFile {
  /** A plain file name (no folders), safe on every file system. */
  readonly name: string;
  /** VS Code language id, for untitled editors. */
  readonly languageId: string;
  readonly content: string;
}

export interface GeneratedCode {
  readonly target: GenerationTarget;
  readonly files: readonly GeneratedFile[];
  readonly model: HandlerModel;
}

/** A generation the user asked for that cannot be done; the message says why and what to do. */
export class GenerationError extends Error {
  override readonly name = 'GenerationError';
}
