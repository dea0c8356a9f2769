import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './browser.js';

/** The two screens every page is tried at: a laptop, and a phone held upright. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * How far the page reaches sideways, against the viewport's width: the document's scroll width. With
 * `boxes`, also a box inside the document that scrolls sideways: the supervisor app scrolls inside its page
 * (`.page`), so a table wider than a phone widens that box and never the document. A named region (a
 * `section` with a label) may scroll sideways on purpose. `widest` names what reaches furthest.
 */
export async function horizontalFit(
  page: Page,
  options: { boxes?: boolean } = {},
): Promise<{ scrollWidth: number; innerWidth: number; widest: string | null }> {
  return page.evaluate((boxes) => {
    const innerWidth = window.innerWidth;
    let scrollWidth = document.documentElement.scrollWidth;
    let widest: string | null = scrollWidth > innerWidth ? 'the document' : null;
    for (const el of boxes ? document.body.querySelectorAll('*') : []) {
      const overflow = el.scrollWidth - el.clientWidth;
      if (overflow <= 0 || !['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) continue;
      // A named region is meant to scroll sideways (a matrix wider than a phone): a screen reader names it,
      // and the page around it stays put.
      if (el.matches('section[aria-label], [role="region"][aria-label]')) continue;
      if (innerWidth + overflow > scrollWidth) {
        scrollWidth = innerWidth + overflow;
        const classes = (el.getAttribute('class') ?? '').trim();
        widest = `${el.tagName.toLowerCase()}${classes ? `.${classes.split(/\s+/).join('.')}` : ''}`;
      }
    }
    return { scrollWidth, innerWidth, widest };
  }, options.boxes ?? false);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: false });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core run in the page (injected, not fetched): the serious and critical violations, each with the
 * elements it found them on. `include` narrows the run to one part of the page.
 */
export async function seriousAxeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  // Colours are judged as they settle: a notice fading in (180 ms) is still part transparent, and axe would
  // measure its text against the page behind it. Endless animations (a pulsing dot) are left running.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (context) => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(context ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, include ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The sentence a form shows beside a field (what its aria-describedby points to), or null when it shows none. */
export async function fieldError(field: Locator): Promise<string | null> {
  const describedBy = await field.getAttribute('aria-describedby');
  if (describedBy === null) return null;
  return field.page().locator(`[id="${describedBy}"]`).textContent();
}
