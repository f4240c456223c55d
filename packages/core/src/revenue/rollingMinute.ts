const bucketCount = 60;

/**
 * A sum over the last 60 seconds, kept in a ring of 60 one-second buckets: `add` is constant time
 * and the memory is fixed (two 60-slot typed arrays). Each bucket remembers which second it holds,
 * so a bucket left from a previous minute is reset on its next write and ignored on read: the total
 * falls to zero by itself one minute after the last `add`, with no timer.
 */
export class RollingMinute {
  private readonly sums = new Float64Array(bucketCount);
  // NaN marks an unused bucket: every comparison with it is false.
  private readonly seconds = new Float64Array(bucketCount).fill(Number.NaN);

  /** Adds `amount` to the bucket of `second` (whole seconds on a monotonic clock). */
  add(second: number, amount: number): void {
    const index = second % bucketCount;
    if (this.seconds[index] !== second) {
      this.seconds[index] = second;
      this.sums[index] = amount;
    } else {
      this.sums[index] = (this.sums[index] as number) + amount;
    }
  }

  /** Sum of the buckets of the 60 seconds ending at `second` (that second included). */
  total(second: number): number {
    let sum = 0;
    for (let i = 0; i < bucketCount; i++) {
      const age = second - (this.seconds[i] as number);
      if (age >= 0 && age < bucketCount) sum += this.sums[i] as number;
    }
    return sum;
  }
}
