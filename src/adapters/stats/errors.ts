// The one failure a stats source throws: nothing at all could be read (every other failure is a
// `problems` entry of the service concerned).
export class StatsSourceUnavailableError extends Error {
  readonly kind = 'stats-source-unavailable';
}
