/** Small helpers shared by the benchmarks: percentiles, medians, machine description. */
import os from 'node:os';

export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
export const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
export const machine = () => `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} (shared, noisy VM)`;
export const fmt = (n: number, d = 2) => n.toFixed(d);
