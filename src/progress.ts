import { SingleBar, Presets } from 'cli-progress';

/** Progress of long work: a bar with count, rate and ETA on a terminal; plain lines in a pipe; nothing when quiet. */
export interface Progress {
  tick(note?: string): void;
  stop(): void;
}

export function makeProgress(total: number, label: string, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || total <= 0) return { tick: () => undefined, stop: () => undefined };
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 20 },
      Presets.shades_classic,
    );
    const start = Date.now();
    let done = 0;
    bar.start(total, 0, { rate: '0.0' });
    return {
      tick: () => {
        done++;
        const rate = done / Math.max((Date.now() - start) / 1000, 1e-3);
        bar.update(done, { rate: rate.toFixed(2) });
      },
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  const start = Date.now();
  return {
    tick: (note?: string) => {
      done++;
      const secs = (Date.now() - start) / 1000;
      const eta = done > 0 ? ((total - done) * secs) / done : 0;
      stream.write(`${label}: ${done}/${total} done (${(done / Math.max(secs, 1e-3)).toFixed(2)}/s, ETA ${eta.toFixed(0)} s)${note ? ` ${note}` : ''}\n`);
    },
    stop: () => undefined,
  };
}
