// Accessibility checks the e2e specs share: an axe audit of the page as it
// stands, and moving the focus with Tab as a keyboard user does.
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** Fails with each serious or critical axe finding named (rule, what it asks, where). */
export async function audit(page: Page, where: string) {
  const { violations, passes } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  if (process.env.AXE_DEBUG) console.log(where, passes.length, "passes;", violations.map((v) => `${v.id}/${v.impact}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`));
  const bad = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  expect(bad, `axe findings on ${where}`).toEqual([]);
}

/** Presses Tab (or Shift+Tab) until `target` has focus; each stop must show a focus ring. */
export async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    await expectFocusRing(page);
  }
  throw new Error(`${target} was not reached with ${back ? "Shift+" : ""}Tab in ${max} presses`);
}

/** The focused element draws a visible outline (the app's :focus-visible ring). */
export async function expectFocusRing(page: Page) {
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    const s = getComputedStyle(el);
    return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 ? "ok" : `${el.tagName} ${el.textContent?.slice(0, 40)}: outline ${s.outlineStyle} ${s.outlineWidth}`;
  });
  expect(["ok", "body"]).toContain(ring);
}
