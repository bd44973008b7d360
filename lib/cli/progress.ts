// Progress of a long job: a redrawn bar on a terminal (count, rate, ETA when
// the total is known, errors), plain periodic lines otherwise (logs, CI).
import type { Writable } from './output';

export interface ProgressOptions {
  /** Items expected, when known (then the bar shows a percentage and an ETA). */
  total?: number | undefined;
  /** Redraw the bar in place (a TTY) or print a line every `intervalMs`. */
  tty: boolean;
  /** Plain mode: milliseconds between lines (default 2000). */
  intervalMs?: number;
  /** Word after the count: `written`. */
  label?: string;
  /** Draw nothing at all. */
  quiet?: boolean;
}

const group = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return group.format(n);
}

/** `1:05`, `12:00:07`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class Progress {
  readonly #stream: Writable;
  readonly #options: ProgressOptions;
  readonly #started = performance.now();
  #done = 0;
  #failed = 0;
  #lastLine = this.#started;
  #drawn = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(stream: Writable, options: ProgressOptions) {
    this.#stream = stream;
    this.#options = options;
    if (options.tty && !options.quiet) {
      this.#timer = setInterval(() => this.#draw(), 100);
      this.#timer.unref();
    }
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** Counts so far: items done (written or failed) and failed. */
  update(done: number, failed: number): void {
    this.#done = done;
    this.#failed = failed;
    if (this.#options.quiet || this.#options.tty) return;
    const now = performance.now();
    if (now - this.#lastLine >= (this.#options.intervalMs ?? 2000)) {
      this.#lastLine = now;
      this.#stream.write(`${this.#line()}\n`);
    }
  }

  /** Prints a message above the bar (an item's error) without garbling it. */
  log(text: string): void {
    if (this.#drawn) this.#stream.write('\r\x1b[K');
    this.#stream.write(`${text}\n`);
    if (this.#drawn) this.#draw();
  }

  /** Stops redrawing; on a TTY leaves the final bar on its own line. */
  finish(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#options.tty && !this.#options.quiet) {
      this.#draw();
      this.#stream.write('\n');
      this.#drawn = false;
    }
  }

  #draw(): void {
    const columns = this.#stream.columns || 80;
    let line = this.#line();
    const total = this.#options.total;
    if (total !== undefined && total > 0) {
      const width = Math.max(10, Math.min(30, columns - 72));
      const filled = Math.min(width, Math.floor((this.#done / total) * width));
      line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${line}`;
    }
    this.#stream.write(`\r${line.slice(0, Math.max(1, columns - 1))}\x1b[K`);
    this.#drawn = true;
  }

  #line(): string {
    const seconds = this.elapsedSeconds;
    const rate = this.#done / Math.max(seconds, 1e-3);
    const total = this.#options.total;
    const label = this.#options.label ?? 'done';
    let line =
      total !== undefined
        ? `${formatCount(this.#done)}/${formatCount(total)} ${label} (${total > 0 ? Math.floor((this.#done * 100) / total) : 100}%)`
        : `${formatCount(this.#done)} ${label}`;
    line += `  ${formatCount(rate)}/s`;
    if (total !== undefined && rate > 0 && this.#done < total) line += `  ETA ${formatDuration((total - this.#done) / rate)}`;
    line += `  errors ${formatCount(this.#failed)}`;
    return line;
  }
}
