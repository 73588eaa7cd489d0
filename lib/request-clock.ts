import "server-only";
import { headers } from "next/headers";
import { appNow, clockOffsetMs } from "./clock";

/**
 * "Now" for a page: the real time, or under the test clock (KEYSMITH_TEST_CLOCK=1) the request's
 * shifted one, so statuses on the page agree with what the API and server actions decide.
 */
export async function requestNow(): Promise<Date> {
  return appNow(clockOffsetMs(await headers()));
}
