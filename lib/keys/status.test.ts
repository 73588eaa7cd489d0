import { describe, expect, it } from "vitest";
import { DAY_MS } from "../time";
import { isRotationDue, keyStatus, revokedNote } from "./status";

const now = new Date("2026-11-23T12:00:00Z");
const days = (n: number) => new Date(now.getTime() + n * DAY_MS);
// A key made long ago: only the expiry decides.
const createdAt = days(-100);

describe("keyStatus", () => {
  it("is active with no expiry or a distant one", () => {
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: null }, now)).toBe("active");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: days(30) }, now)).toBe("active");
  });
  it("is expiring soon within seven days", () => {
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: days(7) }, now)).toBe("expiring_soon");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: days(0.01) }, now)).toBe("expiring_soon");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: days(7.01) }, now)).toBe("active");
  });
  it("does not flag a new short-lived key until half its life is over, or 3 days are left", () => {
    // A 7-day key made just now: not yet, nor at 4 days left (3 days lived); at 3.5 days left, yes.
    const sevenDay = (made: number) => ({ revokedAt: null, createdAt: days(made), expiresAt: days(made + 7) });
    expect(keyStatus(sevenDay(0), now)).toBe("active");
    expect(keyStatus(sevenDay(-3), now)).toBe("active");
    expect(keyStatus(sevenDay(-3.5), now)).toBe("expiring_soon");
    // A 10-day key at 5 days left; a 30-day key at 7 days left (the 7-day window, not half its life).
    expect(keyStatus({ revokedAt: null, createdAt: days(-4.9), expiresAt: days(5.1) }, now)).toBe("active");
    expect(keyStatus({ revokedAt: null, createdAt: days(-5), expiresAt: days(5) }, now)).toBe("expiring_soon");
    expect(keyStatus({ revokedAt: null, createdAt: days(-23), expiresAt: days(7) }, now)).toBe("expiring_soon");
    expect(keyStatus({ revokedAt: null, createdAt: days(-23), expiresAt: days(7.01) }, now)).toBe("active");
    // A 2-day key is flagged at once: 3 days or less is always soon.
    expect(keyStatus({ revokedAt: null, createdAt: now, expiresAt: days(3) }, now)).toBe("expiring_soon");
    expect(keyStatus({ revokedAt: null, createdAt: now, expiresAt: days(3.01) }, now)).toBe("active");
  });
  it("is expired at and after the expiry instant", () => {
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: now }, now)).toBe("expired");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: days(-1) }, now)).toBe("expired");
  });
  it("is rotation due when the secret is older than the period, unless something is more urgent", () => {
    const old = days(-91);
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: null, secretCreatedAt: old }, now, 90)).toBe("rotation_due");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: null, secretCreatedAt: days(-89) }, now, 90)).toBe("active");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: null, secretCreatedAt: old }, now, null)).toBe("active");
    expect(keyStatus({ revokedAt: null, createdAt, expiresAt: days(2), secretCreatedAt: old }, now, 90)).toBe("expiring_soon");
    // ...but it is still due for rotation, so the attention banner can offer both fixes.
    expect(isRotationDue({ secretCreatedAt: old }, now, 90)).toBe(true);
    expect(isRotationDue({ secretCreatedAt: days(-89) }, now, 90)).toBe(false);
    expect(isRotationDue({ secretCreatedAt: old }, now, null)).toBe(false);
  });
  it("is revoked whatever the expiry says", () => {
    expect(keyStatus({ revokedAt: days(-1), createdAt, expiresAt: days(-2) }, now)).toBe("revoked");
    expect(keyStatus({ revokedAt: now, createdAt, expiresAt: null }, now)).toBe("revoked");
  });
});

describe("revokedNote", () => {
  it("reads as a sentence for every reason the app stores, with no doubled colon", () => {
    expect(revokedNote("by its owner")).toBe("Revoked by its owner");
    expect(revokedNote("by an administrator: Found in a public gist")).toBe("Revoked by an administrator: Found in a public gist");
    expect(revokedNote("reported leaked")).toBe("Revoked after a leak report");
    expect(revokedNote("deleted by owner")).toBe("Deleted by its owner");
    expect(revokedNote("bench")).toBe("Revoked: bench");
  });
});
