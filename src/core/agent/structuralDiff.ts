// A structural diff of two JSON documents: each difference as a JSON pointer with the value on
// each side. Numbers compare as the sender wrote them (lossless-json); with masking, timestamps
// and ids count as equal (the compare view's own judgement, volatilePlaceholder).
import { isLosslessNumber, parse } from 'lossless-json';
import { MAX_CANONICAL_DEPTH, volatilePlaceholder } from '../compare/canonicalJson';
import { jsonNestingDepth } from '../jsonDepth';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'type-changed';

export interface StructuralChange {
  /** RFC 6901 pointer ("" is the whole document). */
  readonly path: string;
  readonly kind: ChangeKind;
  /** A short preview of the value in a (absent when added). */
  readonly a?: unknown;
  /** A short preview of the value in b (absent when removed). */
  readonly b?: unknown;
}

export interface DiffOptions {
  readonly maskVolatile: boolean;
  /** Stop collecting after this many changes (the total is still counted). */
  readonly maxChanges: number;
}

export interface DiffResult {
  readonly changes: readonly StructuralChange[];
  readonly total: number;
}

/** Parses JSON text losslessly; undefined when it is not JSON or absurdly deep. */
export function parseLossless(text: string): { value: unknown } | undefined {
  if (jsonNestingDepth(text) > MAX_CANONICAL_DEPTH) return undefined;
  try {
    return { value: parse(text) };
  } catch {
    return undefined;
  }
}

export function structuralDiff(a: unknown, b: unknown, options: DiffOptions): DiffResult {
  const changes: StructuralChange[] = [];
  let total = 0;
  const push = (change: StructuralChange): void => {
    total++;
    if (changes.length < options.maxChanges) changes.push(change);
  };
  const walk = (left: unknown, right: unknown, path: string, key: string | null): void => {
    const leftKind = kindOf(left);
    const rightKind = kindOf(right);
    if (leftKind !== rightKind) {
      push({ path, kind: 'type-changed', a: preview(left), b: preview(right) });
      return;
    }
    if (leftKind === 'object') {
      const l = left as Record<string, unknown>;
      const r = right as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(l), ...Object.keys(r)])].sort();
      for (const name of keys) {
        const inner = `${path}/${escapePointer(name)}`;
        if (!Object.hasOwn(r, name)) push({ path: inner, kind: 'removed', a: preview(l[name]) });
        else if (!Object.hasOwn(l, name)) push({ path: inner, kind: 'added', b: preview(r[name]) });
        else walk(l[name], r[name], inner, name);
      }
      return;
    }
    if (leftKind === 'array') {
      const l = left as unknown[];
      const r = right as unknown[];
      for (let index = 0; index < Math.max(l.length, r.length); index++) {
        const inner = `${path}/${index}`;
        if (index >= r.length) push({ path: inner, kind: 'removed', a: preview(l[index]) });
        else if (index >= l.length) push({ path: inner, kind: 'added', b: preview(r[index]) });
        else walk(l[index], r[index], inner, null);
      }
      return;
    }
    const leftText = scalarText(left);
    const rightText = scalarText(right);
    if (leftText === rightText) return;
    if (options.maskVolatile) {
      const leftMask = volatilePlaceholder(key, left);
      if (leftMask !== undefined && leftMask === volatilePlaceholder(key, right)) return;
    }
    push({ path, kind: 'changed', a: preview(left), b: preview(right) });
  };
  walk(a, b, '', null);
  return { changes, total };
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (isLosslessNumber(value)) return 'number';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'number';
}

function scalarText(value: unknown): string {
  if (isLosslessNumber(value)) return value.value;
  return JSON.stringify(value) ?? '';
}

const PREVIEW_CHARS = 200;

/** A JSON-safe preview: scalars as they are (long strings cut), containers by size. */
export function preview(value: unknown): unknown {
  if (isLosslessNumber(value)) {
    const number = Number(value.value);
    return Number.isSafeInteger(number) ||
      (!Number.isInteger(number) && String(number) === value.value)
      ? number
      : value.value;
  }
  if (typeof value === 'string') {
    return value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS)}…` : value;
  }
  if (Array.isArray(value)) return `[array of ${value.length}]`;
  if (typeof value === 'object' && value !== null) {
    return `{object with ${Object.keys(value).length} keys}`;
  }
  return value;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The lossless value as plain JSON: safe numbers as numbers, others as their digits (strings). */
export function plainJson(value: unknown): unknown {
  if (isLosslessNumber(value)) return preview(value);
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainJson(inner)]));
  }
  return value;
}
