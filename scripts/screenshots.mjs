#!/usr/bin/env node
// Looks at the app as a person would: signs up, creates a key, and saves screenshots of the main
// screens in light and dark mode, at desktop width and at 375 px. Needs a running server:
//   BASE_URL=http://localhost:3000 node scripts/screenshots.mjs   (output: ./screenshots/, not committed)
import fs from "node:fs";
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const out = "screenshots";
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});

for (const [label, viewport] of [["desktop", { width: 1280, height: 800 }], ["mobile", { width: 375, height: 740 }]]) {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    const shot = (name) => page.screenshot({ path: `${out}/${label}-${colorScheme}-${name}.png`, fullPage: true });
    await page.goto(`${base}/signup`);
    await shot("signup");
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(`ada-${Date.now()}-${label}-${colorScheme}@example.test`);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/api-keys/);
    await shot("empty");
    await page.getByRole("button", { name: "Create API Key" }).first().click();
    await page.getByLabel("Key name").fill("CI deploys");
    await page.getByRole("radio", { name: "Restricted" }).check();
    await page.getByRole("radiogroup", { name: "Usage" }).getByRole("radio", { name: "Read" }).check();
    await shot("create");
    await page.getByRole("button", { name: "Generate" }).click();
    await page.getByLabel("Your new API key").waitFor();
    await shot("created");
    await page.getByRole("button", { name: "Copy API key" }).click();
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.waitForTimeout(300);
    await shot("list");
    await page.getByRole("link", { name: "CI deploys" }).first().click();
    await page.getByRole("heading", { name: /Requests, last 30 days/ }).waitFor();
    await shot("detail");
    await page.goto(`${base}/docs/api`);
    await shot("docs");
    await page.goto(`${base}/settings/api-keys`);
    await page.getByRole("button", { name: "Actions for CI deploys" }).click();
    await shot("menu");
    await page.getByRole("menuitem", { name: "Rotate key" }).click();
    await page.getByRole("dialog").waitFor();
    await shot("rotate");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Actions for CI deploys" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await page.getByRole("alertdialog").waitFor();
    await shot("delete");
    await page.keyboard.press("Escape");
    // A team with the longest name the form allows, its members and its API keys.
    const teamName = "Platform reliability and developer experience for payments infrastructure in all EU regions";
    await page.goto(`${base}/t/new`);
    // Each run and context its own team (the address is made from the name's start).
    await page.getByLabel("Team name").fill(`${Date.now().toString(36)} ${teamName}`.padEnd(100, "x").slice(0, 100));
    await shot("team-new");
    await page.getByRole("button", { name: "Create team" }).click();
    await page.waitForURL(/\/t\/[^/]+\/settings\//);
    const teamBase = page.url().replace(/\/settings\/.*$/, "");
    await page.goto(`${teamBase}/settings/members`);
    await shot("team-members");
    await page.goto(`${teamBase}/settings/api-keys`);
    await shot("team-keys-empty");
    await page.getByRole("button", { name: "Create API Key" }).first().click();
    await page.getByLabel("Key name").fill("Payments reconciliation nightly export to the data warehouse (EU)".slice(0, 64));
    await page.getByRole("radio", { name: "Restricted" }).check();
    await page.getByRole("radiogroup", { name: "Usage" }).getByRole("radio", { name: "Read" }).check();
    await page.getByRole("button", { name: "Generate" }).click();
    await page.getByLabel("Your new API key").waitFor();
    await page.getByRole("button", { name: "Copy API key" }).click();
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.waitForTimeout(300);
    await shot("team-keys");
    await page.getByRole("button", { name: /Context:/ }).first().click();
    await page.waitForTimeout(300);
    await shot("team-switcher");
    await context.close();
  }
}
await browser.close();
console.log(`screenshots written to ${out}/`);
