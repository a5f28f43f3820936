/** Reading the ladder through the automation contract (data-testid="message" / "endpoint"). */
import { expect, type Page } from '@playwright/test';
import { e2eState } from './state.ts';

export interface Arrow {
  index: number;
  side: string;
  callId: string;
  src: string;
  dst: string;
  label: string;
}

export function url(path: string): string {
  return e2eState().http + path;
}

export async function openFlow(page: Page, id: string, query = ''): Promise<void> {
  await page.goto(url(`/flow/${encodeURIComponent(id)}${query ? `?${query}` : ''}`));
  await expect(page.getByTestId('ladder')).toBeVisible();
}

/** The arrows in the DOM (the rows in view), in time order. */
export async function arrows(page: Page): Promise<Arrow[]> {
  const list = await page.getByTestId('message').evaluateAll((els) =>
    els.map((e) => ({
      index: Number(e.getAttribute('data-index')),
      side: e.getAttribute('data-side') ?? '',
      callId: e.getAttribute('data-call-id') ?? '',
      src: e.getAttribute('data-src') ?? '',
      dst: e.getAttribute('data-dst') ?? '',
      label: e.getAttribute('data-label') ?? '',
    })),
  );
  return list.sort((a, b) => a.index - b.index);
}

export async function endpoints(page: Page): Promise<string[]> {
  return page.getByTestId('endpoint').evaluateAll((els) => els.map((e) => e.getAttribute('data-endpoint') ?? ''));
}
