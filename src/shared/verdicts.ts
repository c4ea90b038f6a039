// One presentation table for verdicts, used by the tree, the detail panel and the CLI. A verdict
// is an open string in the store (a newer HookLens may write one this version does not know); an
// unknown verdict is shown as it is, with a neutral icon, and counts as failed.

export type VerdictSeverity = 'ok' | 'warning' | 'error';

export interface VerdictPresentation {
  /** Short label for the tree and the panel ("Invalid signature"). */
  readonly label: string;
  /** Upper-case word for terminal lines, where a failure should stand out ("BAD SIGNATURE"). */
  readonly cli: string;
  /** A codicon name. */
  readonly icon: string;
  readonly severity: VerdictSeverity;
}

export const VERDICT_PRESENTATION = {
  verified: { label: 'Verified', cli: 'verified', icon: 'pass', severity: 'ok' },
  invalid_signature: {
    label: 'Invalid signature',
    cli: 'BAD SIGNATURE',
    icon: 'error',
    severity: 'error',
  },
  expired: { label: 'Expired', cli: 'EXPIRED', icon: 'history', severity: 'error' },
  not_yet_valid: {
    label: 'Not yet valid',
    cli: 'NOT YET VALID',
    icon: 'watch',
    severity: 'error',
  },
  missing_token: { label: 'No token', cli: 'NO TOKEN', icon: 'circle-slash', severity: 'error' },
  malformed_token: {
    label: 'Malformed token',
    cli: 'MALFORMED TOKEN',
    icon: 'warning',
    severity: 'error',
  },
  wrong_algorithm: {
    label: 'Wrong algorithm',
    cli: 'WRONG ALGORITHM',
    icon: 'shield',
    severity: 'error',
  },
  missing_signature: {
    label: 'No signature',
    cli: 'NO SIGNATURE',
    icon: 'circle-slash',
    severity: 'error',
  },
  malformed_signature: {
    label: 'Malformed signature',
    cli: 'MALFORMED SIG',
    icon: 'warning',
    severity: 'error',
  },
  secret_match: {
    label: 'Header equals the secret',
    cli: 'secret header',
    icon: 'key',
    severity: 'warning',
  },
  no_secret: {
    label: 'Not verified (no secret set)',
    cli: 'unverified',
    icon: 'unlock',
    severity: 'warning',
  },
} as const satisfies Record<string, VerdictPresentation>;

/**
 * A delivery the sender was answered with a failure the user chose (failure simulation, or a
 * route's own 4xx/5xx answer). Not counted as a handler failure, but the sender saw a failure, so
 * a row shows a failure icon rather than its verdict's (a green check or "not verified" would hide
 * that it failed on purpose).
 */
export const SIMULATED_FAILURE = {
  label: 'Simulated failure',
  icon: 'error',
  severity: 'error',
} as const satisfies Omit<VerdictPresentation, 'cli'>;

/** The verdicts this version writes, in the order lists and counts show them. */
export type Verdict = keyof typeof VERDICT_PRESENTATION;
export const VERDICTS = Object.keys(VERDICT_PRESENTATION) as readonly Verdict[];

export function isKnownVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && Object.hasOwn(VERDICT_PRESENTATION, value);
}

/** How to show any verdict string, including one written by a newer HookLens. */
export function presentVerdict(verdict: string): VerdictPresentation {
  if (isKnownVerdict(verdict)) return VERDICT_PRESENTATION[verdict];
  return { label: verdict, cli: verdict.toUpperCase(), icon: 'question', severity: 'error' };
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
