// Sizes as users write them (`1MiB`, `512KiB`, `2MB`, `1048576`) and as messages print them, plus
// the read limits every source of config-entry files applies before it reads a byte.
import { ConsulGitopsError } from '../errors.ts';

export interface ReadLimits {
  /** Largest single file read, in bytes. */
  maxFileBytes: number;
  /** Largest sum of file sizes read from one tree, in bytes. */
  maxTreeBytes: number;
}

const MiB = 1024 * 1024;

/** 1 MiB per file is far above any hand-written config entry; 64 MiB bounds a whole tree. */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxFileBytes: 1 * MiB, maxTreeBytes: 64 * MiB };

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  ki: 1024,
  kib: 1024,
  mi: MiB,
  mib: MiB,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `1MiB` → 1048576; undefined for anything that is not a positive size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** `26214400` → `25.0 MiB (26214400 bytes)`; small sizes in bytes only. */
export function formatByteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < MiB ? [bytes / 1024, 'KiB'] : bytes < 1024 * MiB ? [bytes / MiB, 'MiB'] : [bytes / 1024 ** 3, 'GiB'];
  return `${value.toFixed(1)} ${unit} (${bytes} bytes)`;
}

/** A limit as written back to the user: `1 MiB`, `64 MiB`, `1500 bytes`. */
export function formatLimit(bytes: number): string {
  if (bytes % (1024 * MiB) === 0) return `${bytes / (1024 * MiB)} GiB`;
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The limit a `--max-file-size` flag sets, or an error naming the flag. */
export function byteSizeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = parseByteSize(value);
  if (n === undefined) throw new ConsulGitopsError('usage', `--${flag}: "${value}" is not a size (write e.g. 1MiB, 512KiB or 2000000)`);
  return n;
}
