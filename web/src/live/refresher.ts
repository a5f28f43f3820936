/**
 * Runs a refetch at most once at a time: a change that arrives while one runs makes exactly one
 * more run after it, so that the last change is always fetched and a burst of changes costs two
 * fetches, not one each (the server sends one change per 200 ms at most; a large group may take
 * longer than that to load).
 */
export interface Refresher {
  request(): void;
  /** Stops: a run in progress finishes, nothing more starts. */
  stop(): void;
}

export function makeRefresher(run: () => Promise<unknown>): Refresher {
  let running = false;
  let again = false;
  let stopped = false;
  const go = (): void => {
    running = true;
    again = false;
    void run()
      .catch(() => {})
      .finally(() => {
        running = false;
        if (again && !stopped) go();
      });
  };
  return {
    request() {
      if (stopped) return;
      if (running) again = true;
      else go();
    },
    stop() {
      stopped = true;
    },
  };
}
