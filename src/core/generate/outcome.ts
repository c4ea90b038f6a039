// What a generation returns across a thread boundary: the files and what the user is told about
// them, without the parsed samples (which are large and lose their classes in structured clone).
import type { GeneratedCode, GeneratedFile, GenerationTarget } from './model';

export interface GenerationSummary {
  readonly target: GenerationTarget;
  readonly files: readonly GeneratedFile[];
  readonly events: ReadonlyArray<{ readonly name: string; readonly samples: number }>;
  readonly usedDeliveries: number;
  readonly skipped: ReadonlyArray<{ readonly deliveryId: string; readonly reason: string }>;
  /** How many of the skipped failed verification (generate --include-unverified uses them). */
  readonly unverified: number;
  /** The provider whose verification the handler does ("github"), and its name ("GitHub"). */
  readonly provider: string;
  readonly providerLabel: string;
}

export type GenerationOutcome =
  | { readonly ok: true; readonly summary: GenerationSummary }
  /** `userError`: a GenerationError, whose message is for the user as it stands. */
  | { readonly ok: false; readonly message: string; readonly userError: boolean };

export function summarizeGeneration(code: GeneratedCode): GenerationSummary {
  return {
    target: code.target,
    files: code.files,
    events: code.model.events.map((event) => ({ name: event.name, samples: event.samples.length })),
    usedDeliveries: code.model.usedDeliveries,
    skipped: code.model.skipped,
    unverified: code.model.unverified,
    provider: code.model.verification.provider,
    providerLabel: code.model.verification.label,
  };
}
