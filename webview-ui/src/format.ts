// Numbers, sizes and times as a person reads them. Pure, so the tests can pin "now".
import * as l10n from '@vscode/l10n';
import { dateTime, decimal } from './locale';

/** "in 4 min", "2 h ago", "just now". */
export function relativeTime(targetMs: number, nowMs: number): string {
  const seconds = Math.round((targetMs - nowMs) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 5) return l10n.t('just now');
  const future = seconds > 0;
  if (magnitude < 60) {
    return future ? l10n.t('in {0} s', magnitude) : l10n.t('{0} s ago', magnitude);
  }
  if (magnitude < 3600) {
    const minutes = Math.round(magnitude / 60);
    return future ? l10n.t('in {0} min', minutes) : l10n.t('{0} min ago', minutes);
  }
  if (magnitude < 48 * 3600) {
    const hours = Math.round(magnitude / 3600);
    return future ? l10n.t('in {0} h', hours) : l10n.t('{0} h ago', hours);
  }
  const days = Math.round(magnitude / 86400);
  return future ? l10n.t('in {0} d', days) : l10n.t('{0} d ago', days);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trimmed(bytes / 1024)} KiB`;
  return `${trimmed(bytes / (1024 * 1024))} MiB`;
}

function trimmed(value: number): string {
  return decimal(value, value >= 100 ? 0 : 1);
}

/** An ISO timestamp in local time, or the text as given when it is not a date. */
export function localTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateTime(ms);
}

/** A time HookLens measured ("15.1 ms"; "15,1 ms" in German). */
export function milliseconds(ms: number): string {
  return `${decimal(ms, 1)} ms`;
}

/** Milliseconds as written in the payload, with a unit; longer spans also in seconds. */
export function millis(text: string | null): string | null {
  if (text === null) return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  return value >= 10_000 ? `${text} ms (${decimal(value / 1000, 1, true)} s)` : `${text} ms`;
}

export function yesNo(value: boolean | null): string | null {
  return value === null ? null : value ? l10n.t('Yes') : l10n.t('No');
}
