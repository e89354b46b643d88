// The secret values this process holds, in one registry: whatever loads a secret (the secret sources,
// token files, Prometheus and GitHub App credentials) adds it here, and whatever writes text that
// leaves the process (the logger, requests to GitHub) masks every form of every value in it.
//
// Values shorter than MIN_MASKED_LENGTH are not masked: masking "admin" or "1234" would blank ordinary
// words in every line, and the blanks would point at the secret. Such a value is remembered by where
// it came from, so the logger and the CLI can say once that it is too short to be kept out of output
// (and by value, never shown, so one value registered twice is said once).
import { Buffer } from 'node:buffer';

export const MIN_MASKED_LENGTH = 6;
/** Distinct values kept (every rotation adds one); past it the oldest is forgotten. */
export const MAX_KNOWN_VALUES = 256;
export const REDACTED = '[redacted]';

export class KnownSecrets {
  readonly #values = new Set<string>();
  readonly #tooShort = new Set<string>();
  /** Values already known too short: one value registered twice (by where it was read, then by its client) is said once. */
  readonly #shortValues = new Set<string>();
  #version = 0;
  #masks: { version: number; list: readonly string[]; mask: (text: string) => string } = { version: 0, list: [], mask: (t) => t };

  /**
   * Remembers a secret value. `from` names where it was read (an env variable, a secret id), never
   * the value; it is kept only for a value too short to mask.
   */
  add(value: string | undefined, from?: string): void {
    if (!value) return;
    if (value.length < MIN_MASKED_LENGTH) {
      if (from && !this.#tooShort.has(from) && !this.#shortValues.has(value)) {
        this.#shortValues.add(value);
        this.#tooShort.add(from);
        this.#version++;
      }
      return;
    }
    if (this.#values.has(value)) return;
    this.#values.add(value);
    if (this.#values.size > MAX_KNOWN_VALUES) this.#values.delete(this.#values.values().next().value!);
    this.#version++;
  }

  /** Changes whenever a value (or a too-short source) is added: readers cache on it. */
  get version(): number {
    return this.#version;
  }

  /** Where the values too short to mask came from. */
  tooShort(): readonly string[] {
    return [...this.#tooShort];
  }

  /**
   * The sources of values too short to mask that `told` does not hold yet, added to it: each output
   * (a log, the CLI's stderr) keeps its own `told`, so each says every such source once.
   */
  tooShortNotYetTold(told: Set<string>): string[] {
    const fresh = [...this.#tooShort].filter((from) => !told.has(from));
    for (const from of fresh) told.add(from);
    return fresh;
  }

  /** Every form of every value that may end up in text, longest first (so a value holding another is masked whole). */
  masks(): readonly string[] {
    this.#refresh();
    return this.#masks.list;
  }

  /** The text with every known value's every form replaced by `[redacted]`. */
  mask(text: string): string {
    this.#refresh();
    return this.#masks.mask(text);
  }

  #refresh(): void {
    if (this.#masks.version === this.#version) return;
    const list = maskForms([...this.#values]);
    this.#masks = { version: this.#version, list, mask: masker(list) };
  }
}

/** The forms a value takes on its way into a line: raw, JSON-escaped (up to three times), URL- and form-encoded, base64, a PEM key's lines. */
export function maskForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_MASKED_LENGTH) continue;
    forms.add(v);
    // A log line is JSON, and a field may hold JSON (an error body quoting a request): up to three escapes deep.
    let escaped = v;
    for (let depth = 0; depth < 3; depth++) forms.add((escaped = JSON.stringify(escaped).slice(1, -1)));
    forms.add(encodeURIComponent(v));
    forms.add(new URLSearchParams({ v }).toString().slice(2));
    forms.add(Buffer.from(v, 'utf8').toString('base64'));
    for (const line of pemBodyLines(v)) forms.add(line);
  }
  return [...forms].filter((f) => f.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
}

/** A PEM key's base64 lines (a message may quote one) and the body joined into one line. */
function pemBodyLines(v: string): string[] {
  const text = v.includes('\\n') && !v.includes('\n') ? v.replace(/\\n/g, '\n') : v;
  if (!/-----BEGIN [A-Z ]*-----/.test(text)) return [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('-----'));
  return [text, ...lines.filter((l) => l.length >= 16), lines.join('')];
}

/**
 * A function replacing each of `masks` in a text. One regular expression of them all, longest first
 * (so a value holding another is masked whole): a line costs one scan rather than one search per
 * mask, which matters once rotations have added hundreds (bench/log-mask.bench.ts measures both).
 */
export function masker(masks: readonly string[]): (text: string) => string {
  if (masks.length === 0) return (text) => text;
  const pattern = new RegExp(
    [...masks]
      .sort((a, b) => b.length - a.length)
      .map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('|'),
    'g',
  );
  return (text) => text.replace(pattern, REDACTED);
}

/** The registry of this process (a Lambda container, `serve`, a CLI run). */
export const knownSecrets = new KnownSecrets();
