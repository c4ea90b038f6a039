// Tool results: data for the agent, or an error it can act on. Never a stack trace, never a
// secret or a token, and captured text only as JSON string values inside one delimited block.
import { DATA_NOTICE } from './definitions';

export type AgentErrorCode =
  /** The input does not fit the schema or names something unknown. */
  | 'invalid-input'
  /** No delivery (or template, or file) with that name. */
  | 'not-found'
  /** The user has not allowed this (hooklens mcp without --allow-replay / --allow-write). */
  | 'not-allowed'
  /** A target that is neither loopback nor configured. */
  | 'refused-target'
  /** Something the user must set or decide first (a secret, re-signing a failed delivery). */
  | 'needs-user'
  /** The store is not open, the receiver is not running. */
  | 'unavailable'
  /** Anything else that went wrong; the message says what. */
  | 'failed';

export class AgentToolError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentToolError';
  }
}

export type ToolOutcome =
  | { readonly ok: true; readonly data: Record<string, unknown> }
  | {
      readonly ok: false;
      readonly error: { readonly code: AgentErrorCode; readonly message: string };
    };

/** Replaces every configured secret and every JWT in the strings of `value` (a JSON value). */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  const needles = [...new Set(secrets.map((secret) => secret.trim()))]
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  const clean = (text: string): string => {
    let out = text.replace(JWT_PATTERN, TOKEN_REDACTION);
    for (const needle of needles) {
      if (out.includes(needle)) out = out.split(needle).join(SECRET_REDACTION_TEXT);
    }
    return out;
  };
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return clean(item);
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    }
    return item;
  };
  return walk(value) as T;
}

/** A JSON Web Token (three base64url parts, the first a JSON header): a bearer credential. */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
export const TOKEN_REDACTION = '[token redacted by HookLens]';
export const SECRET_REDACTION_TEXT = '[secret redacted by HookLens]';

/**
 * The text an agent reads: one line saying what it is, then the JSON between markers. `<` is
 * written as \u003c, so no captured text can close the block or open another.
 */
export function resultText(tool: string, outcome: ToolOutcome): string {
  if (!outcome.ok) {
    return `HookLens ${tool} could not do that (${outcome.error.code}): ${outcome.error.message}`;
  }
  const json = JSON.stringify(outcome.data, null, 1).replace(/</g, '\\u003c');
  return `HookLens ${tool} result, as JSON between the markers. ${DATA_NOTICE}\n<hooklens-result>\n${json}\n</hooklens-result>`;
}

/** One line of an unexpected error: its message, never its stack. */
export function errorSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** Cuts text to `max` characters, saying so. */
export function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  return { text: text.slice(0, max), truncated: true };
}
