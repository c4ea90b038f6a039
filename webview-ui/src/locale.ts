// Dates, times and numbers on a page are written in the editor's display language, which the host
// puts in <html lang> (webviewShell.ts). The browser's own default is not it: code-server's
// Chromium wrote "12/5/2026, 4:57:09 AM" in a German VS Code. A page without a usable lang is
// English, as its words then are (and tests do not depend on the machine's locale).
const FALLBACK = 'en';

let cached: { readonly lang: string; readonly locale: string } | undefined;

/** The page's language as an Intl locale ("de", "zh-CN"), else English. */
export function pageLocale(doc: Document = document): string {
  const lang = doc.documentElement.lang.trim();
  if (cached?.lang !== lang) cached = { lang, locale: supported(lang) };
  return cached.locale;
}

function supported(lang: string): string {
  if (lang === '') return FALLBACK;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([lang])[0] ?? FALLBACK;
  } catch {
    return FALLBACK; // Not a language tag at all (RangeError).
  }
}

/** A date with its time: "5.12.2026, 04:57:09" in German. */
export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(pageLocale());
}

/** Hours and minutes: "04:57" in German, "04:57 AM" in English. */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(pageLocale(), { hour: '2-digit', minute: '2-digit' });
}

/**
 * A number with up to `digits` decimals ("1.5", "2"), or exactly that many with `exact` ("2.0"),
 * in the page's language: "1,5" in German.
 */
export function decimal(value: number, digits: number, exact = false): string {
  return value.toLocaleString(pageLocale(), {
    minimumFractionDigits: exact ? digits : 0,
    maximumFractionDigits: digits,
  });
}

/**
 * A fraction (0.125) as a percentage with up to one decimal ("12.5%", "50%"), or exactly one with
 * `exact` ("50.0%"), in the page's language: "12,5 %" in German.
 */
export function percent(fraction: number, exact = false): string {
  return fraction.toLocaleString(pageLocale(), {
    style: 'percent',
    minimumFractionDigits: exact ? 1 : 0,
    maximumFractionDigits: 1,
  });
}
