// Where archived plans' text is kept, by id: S3 in AWS (s3-plan-storage.ts), memory in `serve`.
// The memory store is bounded by count and bytes, oldest out first, so a busy `serve` cannot grow
// without limit; a link to a plan pushed out answers 404 like one past its expiry.
import { ConsulGitopsError } from '../../errors.ts';

export interface PlanStorage {
  put(id: string, text: string): Promise<void>;
  /** The plan's text, or undefined when there is none (never stored, expired, evicted). */
  get(id: string): Promise<string | undefined>;
}

export interface MemoryPlanLimits {
  /** Plans kept at once (default 200). */
  maxPlans: number;
  /** UTF-8 bytes of plan text kept at once (default 64 MiB). */
  maxBytes: number;
}

export const DEFAULT_MEMORY_PLAN_LIMITS: MemoryPlanLimits = { maxPlans: 200, maxBytes: 64 * 1024 * 1024 };

export class MemoryPlanStorage implements PlanStorage {
  // A Map iterates in insertion order: the first key is the oldest plan.
  private readonly plans = new Map<string, { text: string; bytes: number }>();
  private bytes = 0;

  constructor(private readonly limits: MemoryPlanLimits = DEFAULT_MEMORY_PLAN_LIMITS) {}

  async put(id: string, text: string): Promise<void> {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.limits.maxBytes)
      throw new ConsulGitopsError('plan-archive', `plan of ${bytes} bytes is larger than the ${this.limits.maxBytes} bytes kept for plans`);
    this.remove(id);
    while (this.plans.size >= this.limits.maxPlans || this.bytes + bytes > this.limits.maxBytes) this.remove(this.plans.keys().next().value!);
    this.plans.set(id, { text, bytes });
    this.bytes += bytes;
  }

  async get(id: string): Promise<string | undefined> {
    return this.plans.get(id)?.text;
  }

  /** Plans and bytes held now. */
  stats(): { plans: number; bytes: number } {
    return { plans: this.plans.size, bytes: this.bytes };
  }

  private remove(id: string): void {
    const held = this.plans.get(id);
    if (!held) return;
    this.plans.delete(id);
    this.bytes -= held.bytes;
  }
}
