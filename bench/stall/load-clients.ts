/**
 * The stall benchmark's heavy load, in a process of its own so that its downloads never delay the
 * probes being timed: `clients` loops, each fetching GET `url` again as soon as the last answer
 * is read, until `seconds` have passed. Prints one JSON line: answers read, and their times.
 *
 *   node --import tsx bench/stall/load-clients.ts URL CLIENTS SECONDS
 */
export {};

const [url, clients, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const until = Date.now() + seconds * 1000;
const times: number[] = [];
let failed = 0;

async function client(): Promise<void> {
  while (Date.now() < until) {
    const t = performance.now();
    try {
      // As the browser asks: gzip accepted (fetch's default), the body read whole.
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) times.push(performance.now() - t);
      else failed++;
    } catch {
      failed++;
    }
  }
}

await Promise.all(Array.from({ length: clients }, client));
times.sort((a, b) => a - b);
console.log(JSON.stringify({ answers: times.length, failed, p50: times[Math.floor(times.length / 2)] ?? null, max: times[times.length - 1] ?? null }));

