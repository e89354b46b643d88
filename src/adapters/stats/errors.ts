// The one failure a stats source throws: nothing at all could be read (every other failure is a
// `problems` entry of the service concerned).
import { ConsulGitopsError } from '../../errors.ts';
export class StatsSourceUnavailableError extends ConsulGitopsError {
  readonly kind = 'stats-source-unavailable';
  constructor(message: string, options?: ErrorOptions) {
    super('stats-unavailable', message, options);
    this.name = 'StatsSourceUnavailableError';
  }
}
