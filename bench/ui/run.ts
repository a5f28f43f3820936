/**
 * UI benchmark: opens groups of 100, 2,000 and 20,000 messages in Debian's
 * Chromium against the real server fed over HEP/TCP, and prints
 *   - time to the first drawn arrow (ms from navigation start, median of RUNS loads),
 *   - time until the whole group is in the ladder (a large group first shows its first page),
 *   - frame times while scrolling the ladder to the end (p50/p95/max, ms),
 *   - the gzip size of the built JavaScript.
 * Targets: first arrow of 20,000 ≤ 3 × that of 100; scroll p95 < 33 ms; JS < 350 KB gzip.
 * Run: npx vite build && npx tsx bench/ui/run.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { encodeHep3 } from '../../server/hep/encode.ts';
import { REPO, sendHepTcp, startHepflow, waitForGroup } from '../../e2e/support/server.ts';
import { keepaliveGroup } from './groups.ts';

const SIZES = [100, 2_000, 20_000];
const RUNS = 3;
/** Scroll step per animation frame, px: about one laptop screen per frame, a fast fling. */
const SCROLL_STEP = 700;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function jsGzipBytes(): { files: number; raw: number; gzip: number } {
  const dir = join(REPO, 'dist/web/assets');
  const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gzip = 0;
  for (const f of js) {
    const buf = readFileSync(join(dir, f));
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
  }
  return { files: js.length, raw, gzip };
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const size = jsGzipBytes();
  const server = await startHepflow();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    let base = Date.UTC(2025, 0, 1) * 1000;
    const groups = SIZES.map((n, i) => {
      const g = keepaliveGroup(n, base, 900 + i);
      base = g.end + 3_600_000_000; // an hour apart: never linked
      return g;
    });
    const t0 = performance.now();
    await sendHepTcp(server.hepTcp.port, groups.flatMap((g) => g.packets.map(encodeHep3)));
    for (const g of groups) await waitForGroup(server.http, g.callId, g.size);
    console.log(`fed ${groups.reduce((n, g) => n + g.size, 0)} messages over HEP/TCP and stored them in ${Math.round(performance.now() - t0)} ms`);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it.
    await page.addInitScript('window.__name = (f) => f;');
    // Stamps the first moment an arrow is in the DOM, and the first moment the ladder holds the
    // whole group (aria-busy false), in ms since navigation start.
    await page.addInitScript(() => {
      const w = window as unknown as { __firstArrow?: number; __whole?: number };
      new MutationObserver((_, obs) => {
        if (w.__firstArrow === undefined && document.querySelector('[data-testid="message"]')) w.__firstArrow = performance.now();
        if (document.querySelector('[data-testid="ladder"][aria-busy="false"]')) {
          w.__whole = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
    });
    /** Opens a group and waits until it is whole, so that the next load starts with an idle server. */
    const load = async (callId: string): Promise<{ first: number; whole: number }> => {
      await page.goto(`${server.http}/flow/${encodeURIComponent(callId)}`);
      await page.waitForSelector('[data-testid="ladder"][aria-busy="false"] [data-testid="message"]');
      return page.evaluate(() => {
        const w = window as unknown as { __firstArrow: number; __whole: number };
        return { first: w.__firstArrow, whole: w.__whole };
      });
    };

    // Untimed loads first: Chromium keeps V8's compiled bundle from the third load of a script
    // on, so without them the first size timed (100) pays compiling that the others do not.
    for (let r = 0; r < 3; r++) await load(groups[0].callId);

    const rows: string[][] = [];
    const firsts = new Map<number, number>();
    for (const g of groups) {
      const times: { first: number; whole: number }[] = [];
      for (let r = 0; r < RUNS; r++) times.push(await load(g.callId));
      const first = median(times.map((t) => t.first));
      firsts.set(g.size, first);
      const frames = await page.evaluate(async (step) => {
        const el = document.querySelector<HTMLElement>('[data-testid="ladder"]')!;
        el.scrollTop = 0;
        const deltas: number[] = [];
        await new Promise<void>((done) => {
          let last = performance.now();
          const tick = (now: number) => {
            deltas.push(now - last);
            last = now;
            if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return done();
            el.scrollTop += step;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame((now) => {
            last = now;
            el.scrollTop += step;
            requestAnimationFrame(tick);
          });
        });
        const lastIndex = Math.max(...[...document.querySelectorAll('[data-testid="message"]')].map((e) => Number(e.getAttribute('data-index'))));
        return { deltas, lastIndex, inDom: document.querySelectorAll('[data-testid="message"]').length };
      }, SCROLL_STEP);
      const sorted = [...frames.deltas].sort((a, b) => a - b);
      rows.push([
        String(g.size),
        first.toFixed(0),
        median(times.map((t) => t.whole)).toFixed(0),
        String(frames.deltas.length),
        pct(sorted, 50).toFixed(1),
        pct(sorted, 95).toFixed(1),
        sorted[sorted.length - 1].toFixed(1),
        `${((100 * sorted.filter((d) => d > 20).length) / sorted.length).toFixed(1)}%`,
        `${frames.lastIndex + 1 === g.size ? 'yes' : `no (${frames.lastIndex + 1})`}`,
        String(frames.inDom),
      ]);
    }

    const head = ['messages', 'first arrow ms', 'whole group ms', 'frames', 'frame p50 ms', 'frame p95 ms', 'frame max ms', 'frames > 20 ms', 'reached end', 'rows in DOM'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padStart(widths[i])).join('  ');
    console.log(line(head));
    for (const r of rows) console.log(line(r));
    const ratio = firsts.get(20_000)! / firsts.get(100)!;
    const p95max = Math.max(...rows.map((r) => Number(r[5])));
    console.log(`first arrow 20,000 / 100: ${ratio.toFixed(2)}x (target ≤ 3x: ${ratio <= 3 ? 'met' : 'MISSED'})`);
    console.log(`scroll frame p95 worst: ${p95max.toFixed(1)} ms (target < 33 ms: ${p95max < 33 ? 'met' : 'MISSED'})`);
    console.log(`built JS: ${size.files} file(s), ${(size.raw / 1024).toFixed(1)} KB raw, ${(size.gzip / 1024).toFixed(1)} KB gzip (target < 350 KB: ${size.gzip < 350 * 1024 ? 'met' : 'MISSED'})`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
