/**
 * A latency histogram in microseconds with log buckets 1 % wide: percentiles within 1 %, a fixed size
 * (about 1,900 buckets from 1 µs to 100 s) whatever the sample count, and mergeable across worker
 * processes. The exact max is kept apart.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(100e6) / LOG_GROWTH) + 1;

export interface HistogramData {
  counts: number[];
  count: number;
  sumUs: number;
  maxUs: number;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  private sumUs = 0;
  private maxUs = 0;

  add(us: number): void {
    const v = us < 1 ? 1 : us;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(v) / LOG_GROWTH));
    this.counts[i]! += 1;
    this.count++;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  merge(other: HistogramData): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i] ?? 0;
    this.count += other.count;
    this.sumUs += other.sumUs;
    if (other.maxUs > this.maxUs) this.maxUs = other.maxUs;
  }

  /** The value under which `q` (0..1) of the samples fall: the middle of its bucket. */
  quantileUs(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.maxUs, GROWTH ** i * (1 + (GROWTH - 1) / 2));
    }
    return this.maxUs;
  }

  summary(): LatencySummary {
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: this.count,
      p50Ms: ms(this.quantileUs(0.5)),
      p90Ms: ms(this.quantileUs(0.9)),
      p99Ms: ms(this.quantileUs(0.99)),
      maxMs: ms(this.count ? this.maxUs : NaN),
      meanMs: ms(this.count ? this.sumUs / this.count : NaN),
    };
  }

  toData(): HistogramData {
    return { counts: Array.from(this.counts), count: this.count, sumUs: this.sumUs, maxUs: this.maxUs };
  }

  static from(data: HistogramData): LatencyHistogram {
    const h = new LatencyHistogram();
    h.merge(data);
    return h;
  }
}

/** Microseconds on the system-wide monotonic clock: the same in every process of this machine. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
