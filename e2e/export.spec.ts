/** An exported SVG has the colours of the screen it was exported from, in both themes. */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { openFlow } from './support/flow.ts';
import { scenario } from './support/state.ts';

/** Label → computed fill of the arrow labels in view, as the browser paints them. */
async function screenFills(page: Page): Promise<Map<string, string>> {
  const pairs = await page.locator('[data-testid="message"] .LadderRow--label').evaluateAll((els) =>
    els.map((e) => [e.closest('[data-testid="message"]')!.getAttribute('data-label') ?? '', getComputedStyle(e).fill]),
  );
  return new Map(pairs as [string, string][]);
}

/** Label → fill of the arrow labels in an exported SVG, as rgb() like getComputedStyle gives it. */
function svgFills(svg: string, labels: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const label of labels) {
    const m = svg.match(new RegExp(`text-anchor="(?:middle|start)" fill="#([0-9a-f]{6})">${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ <]`));
    if (m) out.set(label, `rgb(${[0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16)).join(', ')})`);
  }
  return out;
}

test('the exported SVG labels each status with the colour the screen shows, in light and dark themes', async ({ page }) => {
  const s = scenario('chain-full');
  await openFlow(page, s.callIds[0]);
  for (const theme of ['light', 'dark']) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const screen = await screenFills(page);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-svg').click();
    const exported = svgFills(readFileSync((await (await download).path())!, 'utf8'), screen.keys());
    // a request and at least one response of each class the scenario has
    expect([...exported.keys()]).toEqual(expect.arrayContaining(['INVITE', '200 OK']));
    for (const [label, fill] of exported) expect({ label, fill }).toEqual({ label, fill: screen.get(label) });
  }
});
