/**
 * What the stats counts of a SQLite file hold (stats_minutes, stats_pdd_hours: sqlite-schema.ts
 * migration 7), and what they must hold: the call rows they count (groups, and group_ips by
 * address) added up here, apart from the triggers that keep them.
 */
import Database from 'better-sqlite3';

interface Counted {
  minutes: [string, number, string, number, string, number, number, number][];
  pdd: [string, number, number, number][];
}

/** The counts as stored, in key order. */
export function statsCounts(path: string): Counted {
  const db = new Database(path, { readonly: true });
  try {
    return {
      minutes: db.prepare('SELECT * FROM stats_minutes ORDER BY 1, 2, 3, 4, 5').raw(true).all() as Counted['minutes'],
      pdd: db.prepare('SELECT * FROM stats_pdd_hours ORDER BY 1, 2, 3').raw(true).all() as Counted['pdd'],
    };
  } finally {
    db.close();
  }
}

/** The counts of the call rows of the file, added up one row at a time, in key order. */
export function statsRecount(path: string): Counted {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare(`SELECT '' AS ip, start, disposition, final_status, fail_peer, duration_ms, pdd_ms FROM groups WHERE disposition IS NOT NULL
      UNION ALL SELECT ip, start, disposition, final_status, fail_peer, duration_ms, pdd_ms FROM group_ips`).all() as {
      ip: string; start: number; disposition: string; final_status: number | null; fail_peer: string | null; duration_ms: number | null; pdd_ms: number | null;
    }[];
    const minutes = new Map<string, Counted['minutes'][number]>();
    const pdd = new Map<string, Counted['pdd'][number]>();
    for (const r of rows) {
      const cell: Counted['minutes'][number] = [r.ip, Math.floor(r.start / 60_000_000), r.disposition, r.final_status ?? -1, r.fail_peer ?? '', 0, 0, 0];
      const m = minutes.get(JSON.stringify(cell.slice(0, 5))) ?? cell;
      minutes.set(JSON.stringify(cell.slice(0, 5)), m);
      m[5]++;
      if (r.duration_ms !== null) {
        m[6] += r.duration_ms;
        m[7]++;
      }
      if (r.pdd_ms === null) continue;
      const key: Counted['pdd'][number] = [r.ip, Math.floor(r.start / 3_600_000_000), r.pdd_ms, 0];
      const p = pdd.get(JSON.stringify(key.slice(0, 3))) ?? key;
      pdd.set(JSON.stringify(key.slice(0, 3)), p);
      p[3]++;
    }
    const order = (a: unknown[], b: unknown[]) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as string | number) < (b[i] as string | number) ? -1 : 1;
      return 0;
    };
    return { minutes: [...minutes.values()].sort(order), pdd: [...pdd.values()].sort(order) };
  } finally {
    db.close();
  }
}
