// Dates and times read in the editor follow the editor's display language. The extension host's
// Intl default comes from the operating system, so a German VS Code on an English system would
// otherwise write "4:57 PM" beside German words. The CLI never sets it: the system's locale.
let locale: string | undefined;

/** The editor's language (`de`, `en`, `zh-cn`); an unknown or malformed tag keeps the default. */
export function setDisplayLocale(language: string | undefined): void {
  try {
    locale =
      language === undefined ? undefined : Intl.DateTimeFormat.supportedLocalesOf([language])[0];
  } catch {
    locale = undefined; // Not a language tag at all (RangeError).
  }
}

/** For toLocaleString and friends: undefined means the process's default. */
export function displayLocale(): string | undefined {
  return locale;
}
