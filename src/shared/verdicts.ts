// One presentation table for verdicts, used by the tree, the detail panel and the CLI. A verdict
// is an open string in the store (a newer HookLens may write one this version does not know); an
// unknown verdict is shown as it is, with a neutral icon, and counts as failed. The labels are
// said through @vscode/l10n (the editor's language in the extension and its pages, English in the
// CLI), and only when asked for: a table of them would be read before the bundle is loaded.
// Agent tools ask for them in English (translation.ts).
import * as l10n from '@vscode/l10n';
import type { Translation } from './translation';

export type VerdictSeverity = 'ok' | 'warning' | 'error';

export interface VerdictPresentation {
  /** Short label for the tree and the panel ("Invalid signature"). */
  readonly label: string;
  /** The same inside a sentence or a list of words ("invalid signature"). */
  readonly words: string;
  /** Upper-case word for terminal lines, where a failure should stand out ("BAD SIGNATURE"). */
  readonly cli: string;
  /** A codicon name. */
  readonly icon: string;
  readonly severity: VerdictSeverity;
}

export const VERDICT_PRESENTATION = {
  verified: { cli: 'verified', icon: 'pass', severity: 'ok' },
  invalid_signature: {
    cli: 'BAD SIGNATURE',
    icon: 'error',
    severity: 'error',
  },
  expired: { cli: 'EXPIRED', icon: 'history', severity: 'error' },
  not_yet_valid: {
    cli: 'NOT YET VALID',
    icon: 'watch',
    severity: 'error',
  },
  missing_token: { cli: 'NO TOKEN', icon: 'circle-slash', severity: 'error' },
  malformed_token: {
    cli: 'MALFORMED TOKEN',
    icon: 'warning',
    severity: 'error',
  },
  wrong_algorithm: {
    cli: 'WRONG ALGORITHM',
    icon: 'shield',
    severity: 'error',
  },
  missing_signature: {
    cli: 'NO SIGNATURE',
    icon: 'circle-slash',
    severity: 'error',
  },
  malformed_signature: {
    cli: 'MALFORMED SIG',
    icon: 'warning',
    severity: 'error',
  },
  secret_match: {
    cli: 'secret header',
    icon: 'key',
    severity: 'warning',
  },
  no_secret: {
    cli: 'unverified',
    icon: 'unlock',
    severity: 'warning',
  },
} as const satisfies Record<string, Omit<VerdictPresentation, 'label' | 'words'>>;

/**
 * A delivery the sender was answered with a failure the user chose (failure simulation, or a
 * route's own 4xx/5xx answer). Not counted as a handler failure, but the sender saw a failure, so
 * a row shows a failure icon rather than its verdict's (a green check or "not verified" would hide
 * that it failed on purpose).
 */
export const SIMULATED_FAILURE = {
  icon: 'error',
  severity: 'error',
} as const satisfies Pick<VerdictPresentation, 'icon' | 'severity'>;

/** The verdicts this version writes, in the order lists and counts show them. */
export type Verdict = keyof typeof VERDICT_PRESENTATION;
export const VERDICTS = Object.keys(VERDICT_PRESENTATION) as readonly Verdict[];

export function isKnownVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && Object.hasOwn(VERDICT_PRESENTATION, value);
}

/**
 * How to show any verdict string, including one written by a newer HookLens; its words in the
 * editor's language, or in the one `language` says (`english` for a language model).
 */
export function presentVerdict(verdict: string, language: Translation = l10n): VerdictPresentation {
  if (isKnownVerdict(verdict)) {
    const [label, words] = verdictLabels(verdict, language);
    return { ...VERDICT_PRESENTATION[verdict], label, words };
  }
  return {
    label: verdict,
    words: verdict.toLowerCase(),
    cli: verdict.toUpperCase(),
    icon: 'question',
    severity: 'error',
  };
}

/** A verdict's label and its words in a sentence: two messages, as a translation may not lower-case. */
function verdictLabels(verdict: Verdict, l10n: Translation): readonly [string, string] {
  switch (verdict) {
    case 'verified':
      return [l10n.t('Verified'), l10n.t('verified')];
    case 'invalid_signature':
      return [l10n.t('Invalid signature'), l10n.t('invalid signature')];
    case 'expired':
      return [l10n.t('Expired'), l10n.t('expired')];
    case 'not_yet_valid':
      return [l10n.t('Not yet valid'), l10n.t('not yet valid')];
    case 'missing_token':
      return [l10n.t('No token'), l10n.t('no token')];
    case 'malformed_token':
      return [l10n.t('Malformed token'), l10n.t('malformed token')];
    case 'wrong_algorithm':
      return [l10n.t('Wrong algorithm'), l10n.t('wrong algorithm')];
    case 'missing_signature':
      return [l10n.t('No signature'), l10n.t('no signature')];
    case 'malformed_signature':
      return [l10n.t('Malformed signature'), l10n.t('malformed signature')];
    case 'secret_match':
      return [l10n.t('Header equals the secret'), l10n.t('header equals the secret')];
    case 'no_secret':
      return [l10n.t('Not verified (no secret set)'), l10n.t('not verified (no secret set)')];
  }
}

/** Verdicts that authenticate the sender, or cannot because no secret is set. The rest failed. */
const ACCEPTED_VERDICTS: ReadonlySet<string> = new Set<Verdict>([
  'verified',
  'no_secret',
  'secret_match',
]);

/** True for the verdicts the `reject` policy answers with 401 (an unknown one included). */
export function isFailedVerdict(verdict: string): boolean {
  return !ACCEPTED_VERDICTS.has(verdict);
}
