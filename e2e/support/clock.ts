/** The test clock (lib/clock.ts): requests with this header run `ms` later on the server under test. */
export const later = (ms: number) => ({ "X-Test-Clock-Offset": String(ms) });
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
