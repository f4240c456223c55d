/**
 * A fast, non-cryptographic 64-bit hash of a string, as two unsigned 32-bit halves written into
 * `out` (no allocation per call). Two multiplicative lanes over the UTF-16 code units (the cyrb53
 * construction by bryc, public domain), cross-mixed, then each half finished with MurmurHash3's
 * fmix32 avalanche so every output bit depends on every input bit. It only has to spread user ids
 * evenly over the HyperLogLog registers; it is not collision-resistant against an attacker and must
 * never be used to pseudonymise ids for storage.
 *
 * Written here rather than taken from a package: the native xxhash bindings return a BigInt per call
 * (an allocation and a conversion on the hot path) and ship one binary per platform.
 */
// Module-level aliases: a global lookup per call is costly inside vm contexts (jest, some sandboxes).
const imul = Math.imul;

export function hash64(text: string, out: Uint32Array, seed = 0): void {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = imul(h1 ^ ch, 2654435761);
    h2 = imul(h2 ^ ch, 1597334677);
  }
  h1 = imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = fmix32(h2 ^ imul(text.length, 0x9e3779b1));
  out[1] = fmix32(h1 ^ (out[0] as number));
}

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
