//! The ASCII fast path of the scan (issue 8 §1, round 3): AVX-512 (BW + VBMI)
//! passes over ASCII text that replace the scalar fingerprint loop and the
//! AVX2 short-string pass of `guard_search.rs` on CPUs that have them.
//!
//! * [`lower_ascii_padded`] lowercases the input into the scan buffer and
//!   appends the padding in one vector sweep that also ORs every byte, so a
//!   byte >= 0x80 (the text needs the full normalisation) is seen on the way.
//! * [`AsciiSweep::sweep`] reads the lowercased text 64 positions at a time
//!   and, with `vpermi2b` (a 128-entry byte table look-up per position, one
//!   instruction for 64 positions), computes two things at once:
//!   - the needle *prefilter*: the needles (three- and four-byte windows, see
//!     `guard_search.rs`) are spread over [`NEEDLE_BUCKETS`] buckets; table
//!     `k` of a group holds, for each byte value, the buckets having a needle
//!     with that byte at offset `k` (a three-byte needle's fourth offset holds
//!     every byte). A position is a candidate when some bucket's bit survives
//!     the AND of the four look-ups at offsets 0..3. The buckets are filled
//!     greedily so that needles sharing bytes share a bucket (rated with
//!     English byte frequencies), which keeps the candidates at a few per cent
//!     of positions of English text. Only candidates go on to the exact
//!     fingerprint test and the needle comparison of `guard_search.rs`;
//!   - the one- and two-byte strings (`ShortSet`): the same look-up of the
//!     first and the second byte, ANDed and ORed over the text; exact, as the
//!     AVX2 pass, because each bucket holds one string.
//!
//! Only ASCII text goes this way: the tables are indexed by seven bits, so a
//! needle or short string holding a byte >= 0x80 cannot occur in the text and
//! is left out of the tables, and positions at or past the text's end (the
//! `0xFF` padding) are masked off. Non-ASCII text and CPUs without AVX-512
//! VBMI keep the scalar and AVX2 passes (kept and tested: the differential
//! tests run both on the same texts).

use crate::guard_search::PADDING_BYTE;

/// Buckets of the needle prefilter: two groups of eight (a bit each in a
/// byte). Sixteen measured about 1.5-2 % candidate positions on English text
/// against 5-7 % with eight (the shipped needles).
pub(crate) const NEEDLE_BUCKETS: usize = 16;

/// Bucket bits per group (one byte of the vector per position).
const GROUP_BUCKETS: usize = 8;

/// Groups of [`GROUP_BUCKETS`] buckets.
const GROUPS: usize = NEEDLE_BUCKETS / GROUP_BUCKETS;

/// Offsets a needle covers: the look-ups at offsets 0..4 of each position.
const NEEDLE_OFFSETS: usize = 4;

/// Steps of 64 positions whose candidates the sweep collects before handing
/// them out (see [`AsciiSweep::sweep`]).
const CHUNK_BLOCKS: usize = 16;

/// Entries of a `vpermi2b` table: the byte's low seven bits.
const TABLE_ENTRIES: usize = 128;

/// Most short-string blocks of eight buckets the sweep handles (the
/// `ShortSet` limit).
pub(crate) const MAX_SWEEP_SHORT_BLOCKS: usize = 8;

/// Bytes the sweep may read past the text's end: a block starting at the
/// last position reads 64 bytes from offsets 0..=3 (covered by the padding).
pub(crate) const SWEEP_READ_AHEAD: usize = 128;

/// Longest text the short path ([`AsciiSweep::lower_and_sweep_short`]) takes:
/// one 64-byte register. The bus's typical payload (64 B) and every shorter one.
pub(crate) const SHORT_TEXT_BYTES: usize = 64;

/// Bytes the short path stores: the text's register and the padding, whole 64-byte blocks.
pub(crate) const SHORT_STORED_BYTES: usize = 192;

/// `vpermt2b` indices giving the text shifted by 1, 2 and 3 bytes from a register
/// and the one after it (index `i + k + 1` of the 128-byte pair).
static SHIFT_INDEX: [[u8; 64]; 3] = {
    let mut t = [[0u8; 64]; 3];
    let mut k = 0;
    while k < 3 {
        let mut i = 0;
        while i < 64 {
            t[k][i] = (i + k + 1) as u8;
            i += 1;
        }
        k += 1;
    }
    t
};

/// What the sweep of a short text reports (see [`AsciiSweep::lower_and_sweep_short`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ShortSwept {
    /// Bit `i`: position `i` passed the needle prefilter.
    pub(crate) candidates: u64,
    /// Per short-string block: the buckets present (as [`AsciiSweep::sweep`]'s `short_out`).
    pub(crate) blocks: [u8; MAX_SWEEP_SHORT_BLOCKS],
}

/// A 128-entry look-up table, 64-byte aligned so each half is one aligned load.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Table([u8; TABLE_ENTRIES]);

impl Table {
    const EMPTY: Self = Self([0; TABLE_ENTRIES]);
}

/// The tables of the AVX-512 sweep (see the module docs). Immutable once built.
pub(crate) struct AsciiSweep {
    /// `[group][offset]`: bucket bits of each byte value at that needle offset.
    needles: [[Table; NEEDLE_OFFSETS]; GROUPS],
    /// Per short-string block: bucket bits of the first and of the second byte.
    short: Box<[[Table; 2]]>,
}

/// How common a byte is at a needle offset, for the bucket assignment: the
/// English frequencies of `guard_search.rs`, per mille.
fn weight(b: u8, frequency: &impl Fn(u8) -> u32) -> f64 {
    f64::from(frequency(b)) / 1000.0
}

/// Expected share of positions whose bytes fall in `sets` at every offset.
fn candidate_rate(sets: &[[bool; TABLE_ENTRIES]; NEEDLE_OFFSETS], frequency: &impl Fn(u8) -> u32) -> f64 {
    sets.iter()
        .map(|set| {
            (0..TABLE_ENTRIES as u8)
                .filter(|&b| set[usize::from(b)])
                .map(|b| weight(b, frequency))
                .sum::<f64>()
                .min(1.0)
        })
        .product()
}

impl AsciiSweep {
    /// True when this CPU runs the sweep (AVX-512 F, BW and VBMI) and the
    /// environment does not switch it off (`EAB_SCAN_SWEEP=off`: the operator's
    /// switch, e.g. to compare with the scalar path in a benchmark, or should a
    /// host's AVX-512 be unwelcome). Read when a guard is built, never per scan.
    pub(crate) fn available() -> bool {
        if std::env::var_os("EAB_SCAN_SWEEP").is_some_and(|v| v == "off") {
            return false;
        }
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vbmi")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// Builds the tables for `needles` (three or four bytes each) and the
    /// short strings `short` (one or two bytes each, bucket `j` = entry `j`).
    /// `frequency(b)` rates how common byte `b` is in ordinary text.
    /// `None` when there are more short strings than the sweep holds.
    pub(crate) fn new(needles: &[&[u8]], short: &[&[u8]], frequency: impl Fn(u8) -> u32) -> Option<Self> {
        // The padding (0xFF) is looked up as 0x7F: a two-byte string ending in 0x7F would be seen at the
        // text's last byte.
        if short.len() > MAX_SWEEP_SHORT_BLOCKS * GROUP_BUCKETS || short.iter().any(|s| s.get(1) == Some(&0x7F)) {
            return None;
        }
        // Needles that cannot occur in ASCII text are left out; commonest needles first, so the rare ones
        // join buckets whose byte sets already cover them.
        let mut ascii: Vec<&[u8]> = needles.iter().copied().filter(|n| n.is_ascii()).collect();
        let own = |n: &[u8]| -> f64 { n.iter().map(|&b| weight(b, &frequency)).product() };
        ascii.sort_by(|a, b| own(b).total_cmp(&own(a)).then_with(|| a.cmp(b)));
        let mut sets = vec![[[false; TABLE_ENTRIES]; NEEDLE_OFFSETS]; NEEDLE_BUCKETS];
        let mut used = [false; NEEDLE_BUCKETS];
        let with = |sets: &[[bool; TABLE_ENTRIES]; NEEDLE_OFFSETS], n: &[u8]| {
            let mut s = *sets;
            for (k, set) in s.iter_mut().enumerate() {
                match n.get(k) {
                    Some(&b) => set[usize::from(b)] = true,
                    None => *set = [true; TABLE_ENTRIES],
                }
            }
            s
        };
        for n in ascii {
            // The bucket whose expected candidate rate grows least.
            let (best, _) = (0..NEEDLE_BUCKETS)
                .map(|j| {
                    let before = if used[j] { candidate_rate(&sets[j], &frequency) } else { 0.0 };
                    (j, candidate_rate(&with(&sets[j], n), &frequency) - before)
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("at least one bucket");
            sets[best] = with(&sets[best], n);
            used[best] = true;
        }
        let mut tables = [[Table::EMPTY; NEEDLE_OFFSETS]; GROUPS];
        for (j, bucket) in sets.iter().enumerate().filter(|(j, _)| used[*j]) {
            let bit = 1u8 << (j % GROUP_BUCKETS);
            for (k, set) in bucket.iter().enumerate() {
                for (b, &on) in set.iter().enumerate() {
                    if on {
                        tables[j / GROUP_BUCKETS][k].0[b] |= bit;
                    }
                }
            }
        }
        let mut short_tables = vec![[Table::EMPTY; 2]; short.len().div_ceil(GROUP_BUCKETS)];
        for (j, s) in short.iter().enumerate() {
            // A string with a byte >= 0x80 never occurs in ASCII text: its bucket stays empty.
            if !s.is_ascii() {
                continue;
            }
            let bit = 1u8 << (j % GROUP_BUCKETS);
            let [first, second] = &mut short_tables[j / GROUP_BUCKETS];
            first.0[usize::from(s[0])] |= bit;
            match s.get(1) {
                Some(&b) => second.0[usize::from(b)] |= bit,
                // One byte: any second byte, the padding's included (index 0x7F).
                None => second.0.iter_mut().for_each(|x| *x |= bit),
            }
        }
        Some(Self {
            needles: tables,
            short: short_tables.into_boxed_slice(),
        })
    }

    /// Sweeps the ASCII text `padded[..len]` (followed by at least
    /// [`SWEEP_READ_AHEAD`] readable bytes): sets `short_out[block]` to the short-string buckets
    /// present and calls `candidate(at)` for every position `at < len` that
    /// the needle prefilter lets through, in increasing order.
    ///
    /// # Safety
    /// The CPU supports the sweep ([`Self::available`]); `padded.len() >=
    /// len + SWEEP_READ_AHEAD`; `short_out.len() == self.short.len()`.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi,bmi1,bmi2")]
    pub(crate) unsafe fn sweep(&self, padded: &[u8], len: usize, short_out: &mut [u8], mut candidate: impl FnMut(usize)) {
        use std::arch::x86_64::*;
        debug_assert!(padded.len() >= len + SWEEP_READ_AHEAD);
        debug_assert_eq!(short_out.len(), self.short.len());
        // SAFETY (all loads below): the tables are 128 bytes, 64-byte aligned; a block starts below
        // len and reads 64 + 3 bytes from there, so below len + SWEEP_READ_AHEAD <= padded.len().
        let load = |t: &Table| unsafe {
            (
                _mm512_load_si512(t.0.as_ptr().cast()),
                _mm512_load_si512(t.0.as_ptr().add(64).cast()),
            )
        };
        let short = &*self.short;
        let mut acc = [_mm512_setzero_si512(); MAX_SWEEP_SHORT_BLOCKS];
        let look = |t: (__m512i, __m512i), v: __m512i| _mm512_permutex2var_epi8(t.0, v, t.1);
        let base = padded.as_ptr();
        // Byte i of v0:next shifted by k + 1 (index i + k + 1 of the 128-byte pair).
        let shift: [__m512i; 3] = core::array::from_fn(|k| {
            let idx: [u8; 64] = core::array::from_fn(|i| (i + k + 1) as u8);
            // SAFETY: 64 readable bytes.
            unsafe { _mm512_loadu_si512(idx.as_ptr().cast()) }
        });
        let mut at = 0;
        // Two phases per chunk of CHUNK_BLOCKS steps: the vector loop only records each step's candidate
        // mask (no calls, so the sixteen needle tables stay in registers: every zmm register is
        // caller-saved, and a call inside the loop made the compiler copy the tables to the stack and
        // reload them), then the candidates are handed out.
        while at < len {
            let chunk = at;
            let mut masks = [0u64; CHUNK_BLOCKS];
            let mut steps = 0;
            let g0: [(__m512i, __m512i); NEEDLE_OFFSETS] = core::array::from_fn(|k| load(&self.needles[0][k]));
            let g1: [(__m512i, __m512i); NEEDLE_OFFSETS] = core::array::from_fn(|k| load(&self.needles[1][k]));
            while at < len && steps < CHUNK_BLOCKS {
                // Two loads on the 64-byte grid the lowercasing pass stored on (each matches one earlier full
                // store, so it is forwarded), and the text at +1..+3 built from them with byte permutes: loads at
                // +1..+3 straddled two fresh stores, which the CPU cannot forward, and stalled every short text.
                // SAFETY: see above.
                let (v0, next) = unsafe { (_mm512_loadu_si512(base.add(at).cast()), _mm512_loadu_si512(base.add(at + 64).cast())) };
                let (v1, v2, v3) = (
                    _mm512_permutex2var_epi8(v0, shift[0], next),
                    _mm512_permutex2var_epi8(v0, shift[1], next),
                    _mm512_permutex2var_epi8(v0, shift[2], next),
                );
                let valid: u64 = if len - at >= 64 { u64::MAX } else { _bzhi_u64(u64::MAX, (len - at) as u32) };
                let c0 = _mm512_and_si512(
                    _mm512_and_si512(look(g0[0], v0), look(g0[1], v1)),
                    _mm512_and_si512(look(g0[2], v2), look(g0[3], v3)),
                );
                let c1 = _mm512_and_si512(
                    _mm512_and_si512(look(g1[0], v0), look(g1[1], v1)),
                    _mm512_and_si512(look(g1[2], v2), look(g1[3], v3)),
                );
                for (a, t) in acc.iter_mut().zip(short) {
                    let present = _mm512_and_si512(look(load(&t[0]), v0), look(load(&t[1]), v1));
                    *a = _mm512_or_si512(*a, _mm512_maskz_mov_epi8(valid, present));
                }
                masks[steps] = (_mm512_test_epi8_mask(c0, c0) | _mm512_test_epi8_mask(c1, c1)) & valid;
                steps += 1;
                at += 64;
            }
            for (step, &mask) in masks[..steps].iter().enumerate() {
                let mut hits = mask;
                while hits != 0 {
                    candidate(chunk + step * 64 + hits.trailing_zeros() as usize);
                    hits &= hits - 1;
                }
            }
        }
        for (o, a) in short_out.iter_mut().zip(acc) {
            // OR of the 64 bytes: the OR of the sixteen 32-bit lanes, then of its four bytes.
            let x = _mm512_reduce_or_epi32(a) as u32;
            let x = x | x >> 16;
            *o = (x | x >> 8) as u8;
        }
    }

    /// The short-text path (issue 8 §1, round 5): for ASCII input of at most
    /// [`SHORT_TEXT_BYTES`] bytes, lowercasing, the padding and the whole sweep in
    /// one pass over one register. The input is read with one masked load, checked
    /// for a byte >= 0x80 and lowercased there, and stored into `out` with the
    /// padding (three whole-vector stores, on the grid [`lower_ascii_padded`]
    /// uses); the sweep's look-ups then run on the register itself (the text shifted
    /// by 1..3 is the register and the padding vector permuted, with no load back)
    /// and the tables are read straight from `self` (one step needs each once, so
    /// nothing is copied to the stack and no accumulator is kept per block).
    /// Returns what [`Self::sweep`] reports, as values: the candidate positions
    /// as a bit mask (bit `i` = position `i`) and the short-string buckets
    /// present per block; `None` (and `out` unspecified) when the input is not
    /// ASCII. Same answer as [`lower_ascii_padded`] followed by [`Self::sweep`]
    /// (tested on every length and offset).
    ///
    /// # Safety
    /// The CPU supports the sweep ([`Self::available`]); `input.len() <=
    /// SHORT_TEXT_BYTES`; `SWEEP_READ_AHEAD <= padding <= SHORT_STORED_BYTES - SHORT_TEXT_BYTES`.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi,bmi1,bmi2")]
    #[inline]
    pub(crate) unsafe fn lower_and_sweep_short(
        &self,
        input: &[u8],
        out: &mut Vec<u8>,
        padding: usize,
    ) -> Option<ShortSwept> {
        use std::arch::x86_64::*;
        let n = input.len();
        debug_assert!(n <= SHORT_TEXT_BYTES && padding >= SWEEP_READ_AHEAD && n + padding <= SHORT_STORED_BYTES);
        // bzhi with an index of 64 keeps every bit: a 64-byte text is all valid.
        let valid = _bzhi_u64(u64::MAX, n as u32);
        // SAFETY: masked lanes are not read; the others are below n.
        let v = unsafe { _mm512_maskz_loadu_epi8(valid, input.as_ptr().cast()) };
        if _mm512_movepi8_mask(v) != 0 {
            return None;
        }
        let upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8(b'A' as i8)), _mm512_set1_epi8(25));
        let lower = _mm512_mask_add_epi8(v, upper, v, _mm512_set1_epi8(0x20));
        let fill = _mm512_set1_epi8(PADDING_BYTE as i8);
        let v0 = _mm512_mask_blend_epi8(valid, fill, lower);
        out.clear();
        out.reserve(SHORT_STORED_BYTES);
        let dst = out.as_mut_ptr();
        // SAFETY: SHORT_STORED_BYTES reserved; whole 64-byte stores on the grid lower_ascii_padded writes, a fixed
        // count (a loop bounded by the length became a call to memset, which saved and restored the registers).
        unsafe {
            _mm512_storeu_si512(dst.cast(), v0);
            for block in 1..SHORT_STORED_BYTES / 64 {
                _mm512_storeu_si512(dst.add(block * 64).cast(), fill);
            }
            out.set_len(n + padding);
        }
        let shift = |k: usize| {
            // SAFETY: 64 readable bytes of a static table.
            let idx = unsafe { _mm512_loadu_si512(SHIFT_INDEX[k].as_ptr().cast()) };
            _mm512_permutex2var_epi8(v0, idx, fill)
        };
        let (v1, v2, v3) = (shift(0), shift(1), shift(2));
        // SAFETY: the tables are 128 bytes, 64-byte aligned.
        let look = |t: &Table, x: __m512i| unsafe {
            _mm512_permutex2var_epi8(
                _mm512_load_si512(t.0.as_ptr().cast()),
                x,
                _mm512_load_si512(t.0.as_ptr().add(64).cast()),
            )
        };
        let [g0, g1] = &self.needles;
        let c0 = _mm512_and_si512(
            _mm512_and_si512(look(&g0[0], v0), look(&g0[1], v1)),
            _mm512_and_si512(look(&g0[2], v2), look(&g0[3], v3)),
        );
        let c1 = _mm512_and_si512(
            _mm512_and_si512(look(&g1[0], v0), look(&g1[1], v1)),
            _mm512_and_si512(look(&g1[2], v2), look(&g1[3], v3)),
        );
        let candidates = (_mm512_test_epi8_mask(c0, c0) | _mm512_test_epi8_mask(c1, c1)) & valid;
        let mut blocks = [0u8; MAX_SWEEP_SHORT_BLOCKS];
        let mut present = [_mm512_setzero_si512(); MAX_SWEEP_SHORT_BLOCKS];
        let mut any = 0u64;
        for (p, t) in present.iter_mut().zip(self.short.iter()) {
            *p = _mm512_and_si512(look(&t[0], v0), look(&t[1], v1));
            any |= _mm512_test_epi8_mask(*p, *p);
        }
        // Most texts hold none of the short strings: one mask test then spares the per-block reductions.
        if any & valid != 0 {
            for (o, p) in blocks.iter_mut().zip(present.iter()).take(self.short.len()) {
                // OR of the text's bytes: of the eight 64-bit lanes, then of the word's eight bytes.
                let x = _mm512_reduce_or_epi64(_mm512_maskz_mov_epi8(valid, *p)) as u64;
                let x = x | x >> 32;
                let x = x | x >> 16;
                *o = (x | x >> 8) as u8;
            }
        }
        Some(ShortSwept { candidates, blocks })
    }

    /// Short-string blocks this sweep reports.
    pub(crate) fn short_blocks(&self) -> usize {
        self.short.len()
    }

    /// The prefilter's buckets of position `at` (bit j = bucket j), without
    /// SIMD: for the tests.
    #[cfg(test)]
    pub(crate) fn buckets_at(&self, padded: &[u8], at: usize) -> u16 {
        let mut bits = 0u16;
        for (g, tables) in self.needles.iter().enumerate() {
            let mut b = 0xFFu8;
            for (k, t) in tables.iter().enumerate() {
                b &= t.0[usize::from(padded[at + k] & 0x7F)];
            }
            bits |= u16::from(b) << (g * GROUP_BUCKETS);
        }
        bits
    }
}

/// Lowercases the input (ASCII `A-Z` only) into `out`, followed by `padding`
/// bytes of [`PADDING_BYTE`], in one AVX-512 sweep; returns false (and `out`'s
/// contents are then unspecified) when the input holds a byte >= 0x80, which
/// needs the full normalisation.
///
/// # Safety
/// The CPU supports AVX-512 F and BW.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,bmi1,bmi2")]
pub(crate) unsafe fn lower_ascii_padded(input: &[u8], out: &mut Vec<u8>, padding: usize) -> bool {
    use std::arch::x86_64::*;
    let n = input.len();
    out.clear();
    let src = input.as_ptr();
    let upper_a = _mm512_set1_epi8(b'A' as i8);
    let letters = _mm512_set1_epi8(25);
    let case_bit = _mm512_set1_epi8(0x20);
    let mut high = _mm512_setzero_si512();
    // Room for whole 64-byte blocks up to the padding's end (below).
    out.reserve((n + padding).next_multiple_of(64) + 64);
    let fill = _mm512_set1_epi8(PADDING_BYTE as i8);
    let dst = out.as_mut_ptr();
    let mut at = 0;
    while at < n {
        let mask: u64 = if n - at >= 64 { u64::MAX } else { _bzhi_u64(u64::MAX, (n - at) as u32) };
        // SAFETY: masked lanes are neither read nor written; the others are below n (input) and below
        // the reserved n + padding (out).
        let v = unsafe { _mm512_maskz_loadu_epi8(mask, src.add(at).cast()) };
        high = _mm512_or_si512(high, v);
        let upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, upper_a), letters);
        let lower = _mm512_mask_add_epi8(v, upper, v, case_bit);
        // Whole blocks, the lanes past the text already padding: the sweep then reads each block back as it
        // was stored (a masked or straddling store would not be forwarded to its loads).
        // SAFETY: below the reserved length.
        unsafe { _mm512_storeu_si512(dst.add(at).cast(), _mm512_mask_blend_epi8(mask, fill, lower)) };
        at += 64;
    }
    if _mm512_movepi8_mask(high) != 0 {
        return false;
    }
    // SAFETY: (n + padding) rounded up to 64, plus 64, reserved; 0..at written above, the rest of the padding
    // (and up to 63 bytes more, past the length) here, on the same 64-byte grid.
    unsafe {
        while at < n + padding {
            _mm512_storeu_si512(dst.add(at).cast(), fill);
            at += 64;
        }
        out.set_len(n + padding);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AVX-512 lowercase sweep against `to_ascii_lowercase` for every length up to 200 and every
    /// position of a byte >= 0x80, with the letters' neighbours `@`, `[`, `` ` ``, `{` and all bytes.
    #[test]
    fn lower_ascii_padded_equals_scalar() {
        if !AsciiSweep::available() {
            return;
        }
        let all: Vec<u8> = (0u8..0x80).cycle().take(200).collect();
        let mut out = Vec::new();
        for len in 0..=all.len() {
            let input = &all[..len];
            // SAFETY: AVX-512 F and BW checked above.
            assert!(unsafe { lower_ascii_padded(input, &mut out, 80) });
            assert_eq!(&out[..len], input.to_ascii_lowercase().as_slice(), "length {len}");
            assert!(out[len..].iter().all(|&b| b == PADDING_BYTE) && out.len() == len + 80);
            for high in [0, len / 2, len.saturating_sub(1)] {
                if high < len {
                    let mut bad = input.to_vec();
                    bad[high] = 0x80 | bad[high];
                    // SAFETY: as above.
                    assert!(!unsafe { lower_ascii_padded(&bad, &mut out, 80) }, "length {len}, high byte at {high}");
                }
            }
        }
    }
}
