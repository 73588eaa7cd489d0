import { expect, test } from "./support/fixtures";
import { formatDate } from "../lib/format";
import { dayIn, startOfDayIn } from "../lib/calendar";
import { DAY } from "./support/clock";

// Dates show in the viewer's time zone (the browser's, told to the server in a cookie), not UTC.
test.use({ timezoneId: "Asia/Tokyo" });

const ZONE = "Asia/Tokyo";

test.describe("dates in the viewer's time zone", () => {
  test("a key made now shows today's date in Tokyo, with the exact time on hover", async ({ page, keys }) => {
    const name = `tokyo ${Date.now()}`;
    await keys.create({ name, expiration: "30" });
    await keys.copyAndClose();
    const row = keys.row(name);
    const created = row.getByRole("cell").nth(3).locator("time");
    await expect(created).toHaveText(formatDate(new Date(), ZONE));
    // The hover names the zone and the hour in Tokyo (UTC would say "UTC" and another hour), in words.
    await expect(created).toHaveAttribute("title", /^\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} GMT\+9$/);
    const hour = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", hourCycle: "h23" }).format(new Date());
    await expect(created).toHaveAttribute("title", new RegExp(`, (${hour}|${String((Number(hour) + 1) % 24).padStart(2, "0")}):`));
    await expect(page.getByText("Dates are in your time zone, Asia/Tokyo (GMT+9).")).toBeVisible();

    // The key's own page reads the same.
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    const details = page.getByRole("definition");
    await expect(details.filter({ has: page.locator("time") }).first()).toHaveText(formatDate(new Date(), ZONE));
  });

  test("a custom expiry chosen as a day shows as that day to the person who chose it", async ({ page, keys }) => {
    const name = `custom ${Date.now()}`;
    // Three days on, on the Tokyo calendar.
    const day = dayIn(Date.now() + 3 * DAY, ZONE);
    await keys.create({ name, expiration: "custom", customDate: day });
    await keys.copyAndClose();
    const expires = keys.row(name).getByRole("cell").nth(5).locator("time");
    await expect(expires).toHaveText(formatDate(startOfDayIn(day, ZONE)!, ZONE));
    // It works through the end of that day in Tokyo.
    await expect(expires).toHaveAttribute("title", /, 23:59 GMT\+9$/);

    // The Edit dialog offers to keep it, under the same day.
    await keys.menu(name, "Edit");
    await expect(keys.dialog.getByLabel("Expiration")).toContainText(`Keep current (expires ${formatDate(startOfDayIn(day, ZONE)!, ZONE)})`);
    await page.keyboard.press("Escape");
  });
});
