// The axe-core audit every accessibility check uses (e2e/axe.spec.ts, and specs whose pages only
// a deployment of their own shows, such as e2e/passkeys.spec.ts).
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Checks what the page shows now, in both themes; returns the serious and critical findings. */
export async function audit(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Colour transitions and entering toasts end before contrast is measured (a toast caught
    // half-faded-in reads as low contrast); endless animations (spinners) are not waited for.
    await page.waitForTimeout(150);
    await page
      .waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 5_000 })
      .catch(() => undefined);
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      const targets = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
      found.push(`${where} (${scheme}): ${v.id} [${v.impact}] ${v.help}: ${targets}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

