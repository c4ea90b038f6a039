// File names built from payload text (event names, ids) end up on disk and in save dialogs, so
// nothing a sender controls may pick the folder, hide part of the name or collide with a device.

/** Room for a prefix and an extension within common 255-byte file name limits. */
const MAX_NAME_CHARS = 100;
const MAX_NAME_BYTES = 200;

/* eslint-disable no-control-regex -- removing control characters is the point. */
/** C0 and C1 controls, DEL, zero-width and bidi characters, BOM: invisible or reordering. */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/* eslint-enable no-control-regex */
/** Path separators and the characters Windows refuses in names. */
const RESERVED_CHARACTERS = /[/\\<>:"|?*]/g;
/** CON, PRN, AUX, NUL, COM1–9, LPT1–9 (also with superscript digits), with any extension. */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;

/**
 * `raw` made safe as a single file name on Linux, macOS and Windows: no folders, no `..`, no
 * invisible characters, no device names, no trailing dots or spaces, at most 100 characters.
 * Returns `fallback` (made safe the same way) when nothing usable is left.
 */
export function safeFileName(raw: string, fallback: string): string {
  return cleanName(raw) || cleanName(fallback) || 'hooklens';
}

function cleanName(raw: string): string {
  let name = raw
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(RESERVED_CHARACTERS, '-')
    .replace(/\s+/g, ' ')
    // ".." never survives, so no name can mean "the folder above"; a leading dot would hide it.
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s.]+/, '');
  name = truncate(name).replace(/[\s.]+$/, '');
  // Only separators left ("-" from "../.."): nothing of the original, and "-" means stdin to many tools.
  if (/^[-_\s]*$/.test(name)) return '';
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  return name;
}

/** At most `maxChars` code points and `maxBytes` UTF-8 bytes, never half a character. */
function truncate(name: string, maxChars = MAX_NAME_CHARS, maxBytes = MAX_NAME_BYTES): string {
  let result = '';
  let bytes = 0;
  let count = 0;
  for (const char of name) {
    const size = Buffer.byteLength(char, 'utf8');
    if (count + 1 > maxChars || bytes + size > maxBytes) break;
    result += char;
    bytes += size;
    count++;
  }
  return result;
}

export type ExportFormat = 'ndjson' | 'json' | 'har';

/** `hooklens-deliveries-2026-11-23T10-00-00.ndjson` (UTC, no colons: Windows refuses them). */
export function exportFileName(format: ExportFormat, date: Date): string {
  const stamp = Number.isNaN(date.getTime())
    ? 'undated'
    : date
        .toISOString()
        .replace(/\.\d{3}Z$/, '')
        .replace(/:/g, '-');
  return `hooklens-deliveries-${stamp}.${format}`;
}

/** `delivery-message_logged-0m9x1abc2def.json`; the event is the sender's text, so it is cleaned. */
export function deliveryFileName(
  delivery: { readonly id: string; readonly event: string | null },
  extension = 'json',
): string {
  const event = delivery.event === null ? '' : cleanName(delivery.event).replace(/ /g, '-');
  const id = cleanName(delivery.id).replace(/ /g, '-');
  const stem = ['delivery', event, id].filter((part) => part !== '').join('-');
  const suffix = `.${extension.replace(/[^A-Za-z0-9]/g, '').slice(0, 16) || 'json'}`;
  // Shortened before the extension is added, so a long event name never cuts the extension off.
  const short = truncate(stem, MAX_NAME_CHARS - suffix.length, MAX_NAME_BYTES - suffix.length);
  return safeFileName(`${short.replace(/[\s.]+$/, '')}${suffix}`, `delivery${suffix}`);
}
