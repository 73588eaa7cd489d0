/** The test clock (lib/clock.ts): requests with this header run `ms` later on the server under test. */
export const later = (ms: number) => ({ "X-Test-Clock-Offset": String(ms) });
export { DAY_MS as DAY, HOUR_MS as HOUR } from "../../lib/time";
