/**
 * UTF-8 well-formedness at the byte level (Unicode 15, table 3-7). Corpora are checked chunk by
 * chunk with Node's native `isUtf8`; these functions run only where that check failed, to find
 * the first bad byte or to replace bad sequences, and at chunk ends, to find where the last
 * complete character stops.
 */

/** U+FFFD REPLACEMENT CHARACTER in UTF-8. */
export const REPLACEMENT_CHARACTER = Uint8Array.of(0xef, 0xbf, 0xbd);

/**
 * Length of the well-formed character starting at bytes[i], or minus the length of the maximal
 * ill-formed subpart there (at least 1): the bytes one U+FFFD replaces, as the WHATWG decoder
 * and Unicode's "substitution of maximal subparts" do. A sequence cut by `end` is ill-formed.
 */
export function characterLength(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  let need: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2;
    if (lead === 0xe0) low = 0xa0; // no overlong forms
    else if (lead === 0xed) high = 0x9f; // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3;
    if (lead === 0xf0) low = 0x90; // no overlong forms
    else if (lead === 0xf4) high = 0x8f; // nothing past U+10FFFF
  } else return -1;
  for (let k = 1; k <= need; k++) {
    if (i + k >= end) return -k;
    const b = bytes[i + k];
    // Only the first continuation byte has the narrowed range.
    if (k === 1 ? b < low || b > high : b < 0x80 || b > 0xbf) return -k;
  }
  return need + 1;
}

/** Offset of the first byte of bytes[from, to) that is not part of a well-formed character, or -1. */
export function firstInvalidByte(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; ) {
    const n = characterLength(bytes, i, to);
    if (n < 0) return i;
    i += n;
  }
  return -1;
}

/**
 * Where bytes[0, end) can be cut so that no character is split: `end`, or the start of a
 * trailing lead byte whose continuation bytes have not arrived yet (at most 3 bytes back).
 * Ill-formed bytes count as complete: they are reported or replaced where they stand.
 */
export function completeCharactersEnd(bytes: Uint8Array, end: number): number {
  for (let back = 1; back <= 3 && back <= end; back++) {
    const b = bytes[end - back];
    if (b < 0x80) return end;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back && characterLength(bytes, end - back, end) === -back ? end - back : end;
    }
  }
  return end;
}

/**
 * Copies bytes[0, end) into `out` with every NUL byte and every maximal ill-formed subpart
 * replaced by U+FFFD, and returns the bytes written and the replacements made. `out` must hold
 * 3 × end bytes (the worst case: every byte replaced).
 */
export function replaceInvalidSequences(bytes: Uint8Array, end: number, out: Uint8Array): { length: number; replaced: number } {
  let length = 0;
  let replaced = 0;
  for (let i = 0; i < end; ) {
    const n = bytes[i] === 0 ? -1 : characterLength(bytes, i, end);
    if (n > 0) {
      for (let k = 0; k < n; k++) out[length++] = bytes[i + k];
      i += n;
    } else {
      out.set(REPLACEMENT_CHARACTER, length);
      length += 3;
      replaced++;
      i -= n;
    }
  }
  return { length, replaced };
}
