import { hash64 } from './hash64';

/** Precision of every sketch: 2^14 = 16,384 one-byte registers (16 KiB), standard error 1.04/√m ≈ 0.81 %. */
export const sketchPrecision = 14;
const registerCount = 1 << sketchPrecision;
/** Hash bits left after the register index: ranks run from 1 to q + 1. */
const q = 64 - sketchPrecision;
const indexShift = 32 - sketchPrecision;
const restMask = (1 << indexShift) - 1;
const alphaInfinity = 0.5 / Math.LN2;

const scratch = new Uint32Array(2);
// A global lookup per call is costly inside vm contexts (jest, some sandboxes).
const clz32 = Math.clz32;

/**
 * A HyperLogLog sketch (Flajolet et al. 2007) of p = 14 over 64-bit hashes, estimated with Ertl's
 * improved raw estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017),
 * which is unbiased from 0 to billions without HLL++'s empirical bias tables. Fixed memory: one
 * 16 KiB register array; `add` is a hash and one byte compare.
 *
 * Written here rather than taken from a package: the JavaScript HLL packages are unmaintained, use a
 * 32-bit hash (bias past ~100 M) or cannot export/merge raw registers, and the whole thing is ~80 lines.
 */
export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    if (registers !== undefined && registers.length !== registerCount) {
      throw new RangeError(`bizmetrics: a p=${sketchPrecision} sketch has ${registerCount} registers, got ${registers.length}`);
    }
    this.registers = registers ?? new Uint8Array(registerCount);
  }

  /** Adds one id (its hash; the id itself is not kept). */
  add(id: string): void {
    hash64(id, scratch);
    this.addHash(scratch[0] as number, scratch[1] as number);
  }

  /** Adds a 64-bit hash given as high and low unsigned 32-bit halves. */
  addHash(high: number, low: number): void {
    const index = high >>> indexShift;
    const rest = high & restMask;
    // Rank = position of the first 1 bit in the 50 bits after the index (q + 1 when they are all 0).
    const rank = rest !== 0 ? clz32(rest) - sketchPrecision + 1 : low !== 0 ? indexShift + clz32(low) + 1 : q + 1;
    if (rank > (this.registers[index] as number)) this.registers[index] = rank;
  }

  /** Estimated number of distinct ids added. */
  estimate(): number {
    const histogram = new Float64Array(q + 2);
    const registers = this.registers;
    for (let i = 0; i < registerCount; i++) histogram[registers[i] as number] = (histogram[registers[i] as number] as number) + 1;
    const m = registerCount;
    let z = m * tau(1 - (histogram[q + 1] as number) / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + (histogram[k] as number));
    z += m * sigma((histogram[0] as number) / m);
    return (alphaInfinity * m * m) / z;
  }

  /** Folds another sketch in: afterwards this estimates the size of the union. */
  merge(other: HyperLogLog): void {
    const mine = this.registers;
    const theirs = other.registers;
    for (let i = 0; i < registerCount; i++) if ((theirs[i] as number) > (mine[i] as number)) mine[i] = theirs[i] as number;
  }

  /** Forgets everything (a new counting window). */
  clear(): void {
    this.registers.fill(0);
  }

  /** Whether nothing was added. */
  get isEmpty(): boolean {
    for (let i = 0; i < registerCount; i++) if (this.registers[i] !== 0) return false;
    return true;
  }
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let previous: number;
  let power = x;
  do {
    power *= power;
    previous = z;
    z += power * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  let root = x;
  do {
    root = Math.sqrt(root);
    previous = z;
    y *= 0.5;
    z -= (1 - root) ** 2 * y;
  } while (previous !== z);
  return z / 3;
}
