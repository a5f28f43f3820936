/**
 * V8 settings that depend on the machine, applied at startup by bin/hepflow.js (and by the
 * benchmarks that stand for it). V8 flags are per process: worker threads started later share them.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/**
 * On two cores or fewer, young-generation collections run on the thread that allocates, without
 * helper threads: the helpers shorten each pause but spend half as much CPU again as they save,
 * and on such a machine that CPU is taken from hepflow's other threads (the SQLite writer).
 * bench/pcap on 2 cores: import 2.4% faster.
 */
export function tuneV8(cores = availableParallelism()): void {
  if (cores <= 2) setFlagsFromString('--no-parallel-scavenge');
}
