//! Audit chain version 3 (records with magic "EAB3"; Java twin
//! `dev.eab.core.audit.Blake3Lanes` and `Blake3Java.chainBatchV3`).
//!
//! Definition, for record `i` (its bytes before its own hash field):
//!
//! ```text
//! leaf_i = BLAKE3(record_i)                              plain hash, 32 bytes
//! link_i = BLAKE3-keyed(key = link_{i-1}, leaf_i)        one 32-byte block: one compression
//! link_{-1} = the previous record's stored hash (genesis: 32 zero bytes)
//! ```
//!
//! Nothing else is bound in: the record's sequence number, kind and body
//! length are inside `record_i` (so inside `leaf_i`), BLAKE3 binds the input
//! length, and the magic "EAB3" is inside the hashed bytes, so a record's chain
//! version cannot be switched without breaking its hash.
//!
//! Why: a version-2 link hashes the whole record keyed by the previous link, so
//! a 256-byte record is 4 compressions *in sequence* per record. Here only the
//! last compression is sequential; the leaves are independent, so a batch hashes
//! them many at a time: lane `l` of a `[u32; N]` row is record `l`, and one
//! compression of N records is a handful of vector instructions per G step
//! (`N = 16` with AVX-512, 8 with AVX2, detected at run time). Records of a
//! batch have different lengths: each lane has its own block count and flags,
//! and a lane whose record has ended keeps its chaining value (a select) while
//! the longer ones finish. Records over one chunk (1,024 bytes) need the
//! BLAKE3 tree and go to `blake3::hash`; so does everything when neither
//! feature is present.


use crate::audit::{chain_batch_ffi, EAB_BLAKE3_LEN};

/// Longest record hashed in the lanes: one BLAKE3 chunk.
pub(crate) const LANE_MAX_RECORD_LEN: usize = 1024;
const BLOCK_LEN: usize = 64;
const CHUNK_START: u32 = 1;
const CHUNK_END: u32 = 2;
const ROOT: u32 = 8;
const IV: [u32; 8] = [
    0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
];
/// The message word order of each of the 7 rounds (BLAKE3's permutation applied 0..6 times).
const SCHEDULE: [[usize; 16]; 7] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8],
    [3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1],
    [10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6],
    [12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4],
    [9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7],
    [11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13],
];

/// Lanes hashed together with AVX-512 (16 x 32-bit words in a zmm register).
pub(crate) const LANES_AVX512: usize = 16;
/// Lanes hashed together with AVX2 (8 x 32-bit words in a ymm register).
pub(crate) const LANES_AVX2: usize = 8;

/// Which lane width this CPU runs (16, 8, or 1 for the scalar crate), detected once.
pub fn lane_width() -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            return LANES_AVX512;
        }
        if std::is_x86_feature_detected!("avx2") {
            return LANES_AVX2;
        }
    }
    1
}

/// Which implementation a batch runs. `Current`: vector message loads in the
/// lanes, the links as inline row-form compressions (`row`, with AVX-512F/VL).
/// `Stop9`: stop 9's scalar message loads and the crate's
/// `keyed_hash` per link, kept so tests compare the two and the cost test has
/// a same-run baseline. Both give the same bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Path {
    /// The fast path (the export's).
    Current,
    /// Stop 9's path, the baseline.
    Stop9,
}

/// Flag of keyed hashing (the link's mode).
const KEYED_HASH: u32 = 16;

/// The link of a version-3 record whose leaf is known: BLAKE3-keyed(prev,
/// leaf), a single 32-byte block, so one compression with the key as chaining
/// value. With AVX-512F/VL it is `row::compress` inline on the stack; the
/// crate's `keyed_hash` (`link_of_leaf_crate`, the reference) pays a per-call
/// setup (hasher state, platform dispatch, output object) on top.
#[inline]
pub fn link_of_leaf(prev: &[u8; 32], leaf: &[u8; 32]) -> [u8; 32] {
    #[cfg(target_arch = "x86_64")]
    {
        if row_form_available() {
            // SAFETY: the features were detected.
            return unsafe { row::link(prev, leaf) };
        }
    }
    link_of_leaf_crate(prev, leaf)
}

/// The link through the crate (stop 9's way, and the reference of `link_of_leaf`).
#[inline]
pub fn link_of_leaf_crate(prev: &[u8; 32], leaf: &[u8; 32]) -> [u8; 32] {
    *blake3::keyed_hash(prev, leaf).as_bytes()
}

/// One compression in BLAKE3's row form (state rows a, b, c, d in four xmm
/// registers, the four G functions of a step side by side), with AVX-512VL's
/// one-instruction rotates and each step's message words picked from the
/// block (two ymm halves) by one `vpermt2d`. Only the state rows are on the serial path
/// from one link to the next; the message picks depend on the leaf alone, so
/// they run ahead. This is the link's compression when the CPU has
/// AVX-512F/VL (checked by `row_form_available`).
#[cfg(target_arch = "x86_64")]
mod row {
    use super::{IV, SCHEDULE};
    use core::arch::x86_64::*;

    /// Index vectors of the message picks: round r, step p (0: columns, first word; 1: columns, second word;
    /// 2: diagonals, first; 3: diagonals, second), lane i = G function i.
    const PICKS: [[[i32; 8]; 4]; 7] = {
        let mut t = [[[0i32; 8]; 4]; 7];
        let mut r = 0;
        while r < 7 {
            let mut p = 0;
            while p < 4 {
                let base = if p < 2 { 0 } else { 8 };
                let mut i = 0;
                while i < 4 {
                    t[r][p][i] = SCHEDULE[r][base + 2 * i + (p & 1)] as i32;
                    i += 1;
                }
                p += 1;
            }
            r += 1;
        }
        t
    };

    /// The block as two ymm halves (words 0..7, 8..15).
    #[derive(Clone, Copy)]
    pub(super) struct Block(pub(super) __m256i, pub(super) __m256i);

    #[inline(always)]
    unsafe fn pick(m: Block, r: usize, p: usize) -> __m128i {
        unsafe {
            let idx = _mm256_loadu_si256(PICKS[r][p].as_ptr() as *const __m256i);
            _mm256_castsi256_si128(_mm256_permutex2var_epi32(m.0, idx, m.1))
        }
    }

    #[inline(always)]
    unsafe fn half(a: &mut __m128i, b: &mut __m128i, c: &mut __m128i, d: &mut __m128i, x: __m128i, y: __m128i) {
        unsafe {
            *a = _mm_add_epi32(_mm_add_epi32(*a, x), *b);
            *d = _mm_ror_epi32::<16>(_mm_xor_si128(*d, *a));
            *c = _mm_add_epi32(*c, *d);
            *b = _mm_ror_epi32::<12>(_mm_xor_si128(*b, *c));
            *a = _mm_add_epi32(_mm_add_epi32(*a, y), *b);
            *d = _mm_ror_epi32::<8>(_mm_xor_si128(*d, *a));
            *c = _mm_add_epi32(*c, *d);
            *b = _mm_ror_epi32::<7>(_mm_xor_si128(*b, *c));
        }
    }

    /// The new chaining value (lo = words 0..3, hi = 4..7) after compressing block `m` (16 words, chunk counter 0).
    ///
    /// # Safety
    /// AVX-512F and AVX-512VL present.
    #[inline(always)]
    pub(super) unsafe fn compress(lo: __m128i, hi: __m128i, m: Block, block_len: u32, flags: u32) -> (__m128i, __m128i) {
        unsafe {
            let mut a = lo;
            let mut b = hi;
            let mut c = _mm_setr_epi32(IV[0] as i32, IV[1] as i32, IV[2] as i32, IV[3] as i32);
            let mut d = _mm_setr_epi32(0, 0, block_len as i32, flags as i32);
            for r in 0..7 {
                half(&mut a, &mut b, &mut c, &mut d, pick(m, r, 0), pick(m, r, 1));
                // Diagonals: rotate rows b, c, d so lane i holds G function i's words.
                b = _mm_shuffle_epi32::<0x39>(b);
                c = _mm_shuffle_epi32::<0x4E>(c);
                d = _mm_shuffle_epi32::<0x93>(d);
                half(&mut a, &mut b, &mut c, &mut d, pick(m, r, 2), pick(m, r, 3));
                b = _mm_shuffle_epi32::<0x93>(b);
                c = _mm_shuffle_epi32::<0x4E>(c);
                d = _mm_shuffle_epi32::<0x39>(d);
            }
            (_mm_xor_si128(a, c), _mm_xor_si128(b, d))
        }
    }

    /// The links of records `0..offs.len()`: `link` = BLAKE3-keyed(link, leaf j), written after record j.
    ///
    /// # Safety
    /// AVX-512F/VL present (`row_form_available`).
    #[target_feature(enable = "avx512f,avx512vl")]
    pub(super) unsafe fn links(link: &mut [u8; 32], leaves: &[[u8; 32]], data: &mut [u8], ends: &[usize]) {
        unsafe {
            let mut lo = _mm_loadu_si128(link.as_ptr() as *const __m128i);
            let mut hi = _mm_loadu_si128(link.as_ptr().add(16) as *const __m128i);
            for (leaf, &end) in leaves.iter().zip(ends.iter()) {
                let m = Block(_mm256_loadu_si256(leaf.as_ptr() as *const __m256i), _mm256_setzero_si256());
                (lo, hi) = compress(lo, hi, m, 32, super::LINK_FLAGS);
                let slot = &mut data[end..end + 32];
                _mm_storeu_si128(slot.as_mut_ptr() as *mut __m128i, lo);
                _mm_storeu_si128(slot.as_mut_ptr().add(16) as *mut __m128i, hi);
            }
            _mm_storeu_si128(link.as_mut_ptr() as *mut __m128i, lo);
            _mm_storeu_si128(link.as_mut_ptr().add(16) as *mut __m128i, hi);
        }
    }

    /// One link alone.
    ///
    /// # Safety
    /// AVX-512F/VL present.
    #[target_feature(enable = "avx512f,avx512vl")]
    pub(super) unsafe fn link(prev: &[u8; 32], leaf: &[u8; 32]) -> [u8; 32] {
        let mut key = *prev;
        let mut out = [0u8; 32];
        unsafe { links(&mut key, core::slice::from_ref(leaf), &mut out, &[0]) };
        out
    }
}

/// The flags of a link's single block: keyed, first and last block of the chunk, root.
const LINK_FLAGS: u32 = KEYED_HASH | CHUNK_START | CHUNK_END | ROOT;

/// Whether `row` can run here (AVX-512F and VL; std caches the detection).
#[inline]
fn row_form_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512vl")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// One version-3 link computed alone (the verifier's step, and the reference
/// of the lane path): `BLAKE3-keyed(prev, BLAKE3(record))`.
pub fn chain_step_v3(prev: &[u8; 32], record: &[u8]) -> [u8; 32] {
    link_of_leaf(prev, blake3::hash(record).as_bytes())
}

#[inline(always)]
fn g<const N: usize>(v: &mut [[u32; N]; 16], a: usize, b: usize, c: usize, d: usize, x: &[u32; N], y: &[u32; N]) {
    for l in 0..N {
        v[a][l] = v[a][l].wrapping_add(v[b][l]).wrapping_add(x[l]);
        v[d][l] = (v[d][l] ^ v[a][l]).rotate_right(16);
        v[c][l] = v[c][l].wrapping_add(v[d][l]);
        v[b][l] = (v[b][l] ^ v[c][l]).rotate_right(12);
        v[a][l] = v[a][l].wrapping_add(v[b][l]).wrapping_add(y[l]);
        v[d][l] = (v[d][l] ^ v[a][l]).rotate_right(8);
        v[c][l] = v[c][l].wrapping_add(v[d][l]);
        v[b][l] = (v[b][l] ^ v[c][l]).rotate_right(7);
    }
}

/// BLAKE3's 7 rounds over N lanes at once (row `i` of `v` is state word `i` of every lane).
#[inline(always)]
fn rounds<const N: usize>(v: &mut [[u32; N]; 16], m: &[[u32; N]; 16]) {
    for s in SCHEDULE.iter() {
        g(v, 0, 4, 8, 12, &m[s[0]], &m[s[1]]);
        g(v, 1, 5, 9, 13, &m[s[2]], &m[s[3]]);
        g(v, 2, 6, 10, 14, &m[s[4]], &m[s[5]]);
        g(v, 3, 7, 11, 15, &m[s[6]], &m[s[7]]);
        g(v, 0, 5, 10, 15, &m[s[8]], &m[s[9]]);
        g(v, 1, 6, 11, 12, &m[s[10]], &m[s[11]]);
        g(v, 2, 7, 8, 13, &m[s[12]], &m[s[13]]);
        g(v, 3, 4, 9, 14, &m[s[14]], &m[s[15]]);
    }
}

/// How a lane group's message words are loaded (the `LOAD` parameter of `hash_lanes`).
const LOAD_SCALAR: u8 = 0;
/// One 64-byte vector load per lane, then a 16 x 16 transposition (AVX-512, 16 lanes).
const LOAD_AVX512: u8 = 1;
/// Two 32-byte vector loads per lane, then two 8 x 8 transpositions (AVX2, 8 lanes).
const LOAD_AVX2: u8 = 2;

/// A zero block: what a lane with no record (or a record that has ended) reads.
static ZERO_BLOCK: [u8; BLOCK_LEN] = [0u8; BLOCK_LEN];

/// Plain BLAKE3 of up to N single-chunk records (`recs.len() <= N`, each
/// `<= 1024` bytes), lane `l` = `recs[l]`; unused lanes hash nothing and are
/// not written. Compiled into each `#[target_feature]` wrapper below, where
/// LLVM turns every `for l in 0..N` into whole-register instructions.
///
/// Message words: each lane's block is read where it lies (a full block) or
/// from a zero-padded copy (a record's last, short block); `LOAD` then either
/// reads them word by word into the rows (`LOAD_SCALAR`, stop 9's way: 16
/// scalar stores per lane, whose row reloads also miss store forwarding) or
/// with one vector load per lane and a transposition in registers, as the
/// crate's `hash_many` does.
#[inline(always)]
fn hash_lanes<const N: usize, const LOAD: u8>(recs: &[&[u8]], out: &mut [[u8; 32]]) {
    let used = recs.len();
    let mut blocks = [0usize; N];
    let mut max_blocks = 1usize;
    for (l, r) in recs.iter().enumerate() {
        let b = if r.is_empty() { 1 } else { r.len().div_ceil(BLOCK_LEN) };
        blocks[l] = b;
        max_blocks = max_blocks.max(b);
    }
    let mut cv = [[0u32; N]; 8];
    for (i, row) in cv.iter_mut().enumerate() {
        *row = [IV[i]; N];
    }
    let mut m = [[0u32; N]; 16];
    let mut block_len = [0u32; N];
    let mut flags = [0u32; N];
    let mut active = [0u32; N];
    let mut ptrs = [ZERO_BLOCK.as_ptr(); N];
    let mut pads = [[0u8; BLOCK_LEN]; N];
    for b in 0..max_blocks {
        let at = b * BLOCK_LEN;
        for l in 0..N {
            let live = b < blocks[l];
            active[l] = if live { u32::MAX } else { 0 };
            let mut f = if b == 0 { CHUNK_START } else { 0 };
            if live && b + 1 == blocks[l] {
                f |= CHUNK_END | ROOT;
            }
            flags[l] = f;
            if !live {
                block_len[l] = 0;
                ptrs[l] = ZERO_BLOCK.as_ptr();
                continue;
            }
            let r = recs[l];
            let n = (r.len() - at).min(BLOCK_LEN);
            block_len[l] = n as u32;
            if n == BLOCK_LEN {
                ptrs[l] = r[at..].as_ptr();
            } else {
                let pad = &mut pads[l];
                *pad = [0u8; BLOCK_LEN];
                pad[..n].copy_from_slice(&r[at..at + n]);
                ptrs[l] = pad.as_ptr();
            }
        }
        // SAFETY: every pointer is to 64 readable bytes (a full block of a record, a pad or the zero block),
        // and `m` is 16 rows of N words; the vector loaders are only compiled into wrappers with their features.
        unsafe { load_message::<N, LOAD>(&ptrs, &mut m) };
        let mut v = [[0u32; N]; 16];
        v[..8].copy_from_slice(&cv);
        v[8] = [IV[0]; N];
        v[9] = [IV[1]; N];
        v[10] = [IV[2]; N];
        v[11] = [IV[3]; N];
        // v[12], v[13]: chunk counter 0 (one chunk per record).
        v[14] = block_len;
        v[15] = flags;
        rounds(&mut v, &m);
        for i in 0..8 {
            for l in 0..N {
                let next = v[i][l] ^ v[i + 8][l];
                cv[i][l] = (next & active[l]) | (cv[i][l] & !active[l]);
            }
        }
    }
    for (l, o) in out.iter_mut().enumerate().take(used) {
        for i in 0..8 {
            o[4 * i..4 * i + 4].copy_from_slice(&cv[i][l].to_le_bytes());
        }
    }
}

/// Row `w` of `m` = word `w` of each lane's 64-byte block at `ptrs[l]`.
///
/// # Safety
/// Each pointer is valid for 64 reads; `LOAD_AVX512` needs `N == 16` and
/// AVX-512F, `LOAD_AVX2` needs `N == 8` and AVX2 (both checked by the callers).
#[inline(always)]
unsafe fn load_message<const N: usize, const LOAD: u8>(ptrs: &[*const u8; N], m: &mut [[u32; N]; 16]) {
    #[cfg(target_arch = "x86_64")]
    {
        if LOAD == LOAD_AVX512 && N == LANES_AVX512 {
            // SAFETY: as the caller's contract; [[u32; 16]; 16] is 16 rows of 64 bytes.
            unsafe { x86::load_transposed16(ptrs.as_ptr(), m.as_mut_ptr() as *mut u32) };
            return;
        }
        if LOAD == LOAD_AVX2 && N == LANES_AVX2 {
            // SAFETY: as above; [[u32; 8]; 16] is 16 rows of 32 bytes.
            unsafe { x86::load_transposed8(ptrs.as_ptr(), m.as_mut_ptr() as *mut u32) };
            return;
        }
    }
    for (l, p) in ptrs.iter().enumerate() {
        for (w, row) in m.iter_mut().enumerate() {
            // SAFETY: 4w + 4 <= 64 readable bytes.
            row[l] = u32::from_le(unsafe { core::ptr::read_unaligned(p.add(4 * w) as *const u32) });
        }
    }
}

/// The vector message loaders: one load per lane, then a transposition in
/// registers (ported from the crate's `transpose_vecs_512` and
/// `transpose_vecs`), so row `w` holds word `w` of every lane.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    /// `m` (16 rows of 16 words) = the transposed 64-byte blocks at `ptrs[0..16]`.
    ///
    /// # Safety
    /// AVX-512F present; 16 pointers valid for 64 reads; `m` valid for 256 word writes.
    #[inline(always)]
    pub(super) unsafe fn load_transposed16(ptrs: *const *const u8, m: *mut u32) {
        unsafe {
            let mut v = [_mm512_setzero_si512(); 16];
            for (l, x) in v.iter_mut().enumerate() {
                *x = _mm512_loadu_si512(*ptrs.add(l) as *const __m512i);
            }
            let lo = |a: __m512i, b: __m512i| _mm512_shuffle_i32x4::<0x88>(a, b);
            let hi = |a: __m512i, b: __m512i| _mm512_shuffle_i32x4::<0xdd>(a, b);
            // 32-bit interleave of pairs, then 64-bit interleave of quads.
            let mut q = [_mm512_setzero_si512(); 16];
            for k in 0..4 {
                let ab0 = _mm512_unpacklo_epi32(v[4 * k], v[4 * k + 1]);
                let ab2 = _mm512_unpackhi_epi32(v[4 * k], v[4 * k + 1]);
                let cd0 = _mm512_unpacklo_epi32(v[4 * k + 2], v[4 * k + 3]);
                let cd2 = _mm512_unpackhi_epi32(v[4 * k + 2], v[4 * k + 3]);
                q[4 * k] = _mm512_unpacklo_epi64(ab0, cd0);
                q[4 * k + 1] = _mm512_unpackhi_epi64(ab0, cd0);
                q[4 * k + 2] = _mm512_unpacklo_epi64(ab2, cd2);
                q[4 * k + 3] = _mm512_unpackhi_epi64(ab2, cd2);
            }
            // q[4k + j]: lanes 4k..4k+3, word j of each 128-bit quarter. Interleave 128-bit lanes twice.
            let mut e = [_mm512_setzero_si512(); 8];
            let mut f = [_mm512_setzero_si512(); 8];
            for j in 0..4 {
                e[j] = lo(q[j], q[4 + j]);
                e[4 + j] = hi(q[j], q[4 + j]);
                f[j] = lo(q[8 + j], q[12 + j]);
                f[4 + j] = hi(q[8 + j], q[12 + j]);
            }
            for j in 0..8 {
                _mm512_storeu_si512(m.add(16 * j) as *mut __m512i, lo(e[j], f[j]));
                _mm512_storeu_si512(m.add(16 * (8 + j)) as *mut __m512i, hi(e[j], f[j]));
            }
        }
    }

    /// `m` (16 rows of 8 words) = the transposed 64-byte blocks at `ptrs[0..8]`.
    ///
    /// # Safety
    /// AVX2 present; 8 pointers valid for 64 reads; `m` valid for 128 word writes.
    #[inline(always)]
    pub(super) unsafe fn load_transposed8(ptrs: *const *const u8, m: *mut u32) {
        unsafe {
            for half in 0..2 {
                let mut v = [_mm256_setzero_si256(); 8];
                for (l, x) in v.iter_mut().enumerate() {
                    *x = _mm256_loadu_si256((*ptrs.add(l)).add(32 * half) as *const __m256i);
                }
                let ab0 = _mm256_unpacklo_epi32(v[0], v[1]);
                let ab2 = _mm256_unpackhi_epi32(v[0], v[1]);
                let cd0 = _mm256_unpacklo_epi32(v[2], v[3]);
                let cd2 = _mm256_unpackhi_epi32(v[2], v[3]);
                let ef0 = _mm256_unpacklo_epi32(v[4], v[5]);
                let ef2 = _mm256_unpackhi_epi32(v[4], v[5]);
                let gh0 = _mm256_unpacklo_epi32(v[6], v[7]);
                let gh2 = _mm256_unpackhi_epi32(v[6], v[7]);
                let abcd = [
                    _mm256_unpacklo_epi64(ab0, cd0),
                    _mm256_unpackhi_epi64(ab0, cd0),
                    _mm256_unpacklo_epi64(ab2, cd2),
                    _mm256_unpackhi_epi64(ab2, cd2),
                ];
                let efgh = [
                    _mm256_unpacklo_epi64(ef0, gh0),
                    _mm256_unpackhi_epi64(ef0, gh0),
                    _mm256_unpacklo_epi64(ef2, gh2),
                    _mm256_unpackhi_epi64(ef2, gh2),
                ];
                let row = m.add(8 * 8 * half);
                for j in 0..4 {
                    _mm256_storeu_si256(row.add(8 * j) as *mut __m256i, _mm256_permute2x128_si256::<0x20>(abcd[j], efgh[j]));
                    _mm256_storeu_si256(row.add(8 * (4 + j)) as *mut __m256i, _mm256_permute2x128_si256::<0x31>(abcd[j], efgh[j]));
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx2")]
unsafe fn hash_lanes_avx512(recs: &[&[u8]], out: &mut [[u8; 32]], path: Path) {
    match path {
        Path::Current => hash_lanes::<LANES_AVX512, LOAD_AVX512>(recs, out),
        Path::Stop9 => hash_lanes::<LANES_AVX512, LOAD_SCALAR>(recs, out),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn hash_lanes_avx2(recs: &[&[u8]], out: &mut [[u8; 32]], path: Path) {
    match path {
        Path::Current => hash_lanes::<LANES_AVX2, LOAD_AVX2>(recs, out),
        Path::Stop9 => hash_lanes::<LANES_AVX2, LOAD_SCALAR>(recs, out),
    }
}

/// Plain BLAKE3 of each record into `out` (`out.len() >= recs.len()`), using
/// lanes of up to `width` (16, 8 or 1; capped at what `lane_width` reports):
/// runs of single-chunk records fill 16 lanes when more than 8 remain, 8 lanes
/// when more than 2 remain; the rest, and records over one chunk, go to
/// `blake3::hash` one by one (a lane group costs the same however few lanes
/// are used). `width` is a parameter so tests compare every path with the
/// crate on one machine.
pub fn leaves(recs: &[&[u8]], out: &mut [[u8; 32]], width: usize) {
    leaves_on(recs, out, width, Path::Current)
}

/// `leaves` on the given path (`Path::Stop9`: scalar message loads, kept as the same-run baseline).
pub fn leaves_on(recs: &[&[u8]], out: &mut [[u8; 32]], width: usize, path: Path) {
    assert!(out.len() >= recs.len(), "{} outputs for {} records", out.len(), recs.len());
    let width = width.min(lane_width());
    let mut i = 0;
    while i < recs.len() {
        let limit = (recs.len() - i).min(width);
        let mut run = 0;
        while run < limit && recs[i + run].len() <= LANE_MAX_RECORD_LEN {
            run += 1;
        }
        if width >= LANES_AVX512 && run > LANES_AVX2 {
            hash_group(&recs[i..i + run], &mut out[i..i + run], LANES_AVX512, path);
            i += run;
        } else if width >= LANES_AVX2 && run > 2 {
            let n = run.min(LANES_AVX2);
            hash_group(&recs[i..i + n], &mut out[i..i + n], LANES_AVX2, path);
            i += n;
        } else {
            // A lone leaf: the crate's own sequential path (its single-block compression measured
            // cheaper than `row::compress` for a record's blocks in a row, 248 against 295-317 ns at 256 B).
            out[i] = *blake3::hash(recs[i]).as_bytes();
            i += 1;
        }
    }
}

/// `recs.len() <= width`, every record single-chunk.
fn hash_group(recs: &[&[u8]], out: &mut [[u8; 32]], width: usize, path: Path) {
    #[cfg(target_arch = "x86_64")]
    {
        if width >= LANES_AVX512 {
            // SAFETY: width is at most lane_width(), which saw avx512f at run time.
            unsafe { hash_lanes_avx512(recs, out, path) };
            return;
        }
        if width >= LANES_AVX2 {
            // SAFETY: as above, avx2 was detected (callers pass at most 8 records here).
            unsafe { hash_lanes_avx2(recs, out, path) };
            return;
        }
    }
    for (o, r) in out.iter_mut().zip(recs.iter()) {
        *o = *blake3::hash(r).as_bytes();
    }
}

/// Records per group: the leaves of one group are hashed together, then linked
/// in order, so the scratch lives on the stack (no allocation per call).
/// One AVX-512 lane group (16), not 64: the links are a chain of dependent
/// compressions (latency-bound) and the leaves are independent (throughput-
/// bound), and with short groups the out-of-order core overlaps the end of one
/// group's link chain with the next group's leaf hashing. Measured (thread CPU,
/// same process, load ~10): 64-record batches ~160 -> ~155 ns per record, and
/// stop 9's path 182 -> 168. `Path::Stop9` keeps stop 9's 64 (`GROUP_STOP9`).
const GROUP: usize = 16;
/// Stop 9's group, the scratch size.
const GROUP_STOP9: usize = 64;

/// Chains `lens.len()` records of `data` (back to back, each followed by its
/// 32-byte hash slot, as in `eab_audit_chain_batch`) with the version-3 links,
/// starting from `key`; returns the last link. The caller has checked that
/// every length is non-negative and that `data` holds them all.
pub fn chain_batch_v3(key: [u8; 32], data: &mut [u8], lens: &[i32], width: usize) -> [u8; 32] {
    chain_batch_v3_on(key, data, lens, width, Path::Current)
}

/// `chain_batch_v3` on the given path (tests and the cost comparison).
pub fn chain_batch_v3_on(key: [u8; 32], data: &mut [u8], lens: &[i32], width: usize, path: Path) -> [u8; 32] {
    let mut link = key;
    let mut off = 0usize;
    let mut start = 0usize;
    let group = if path == Path::Stop9 { GROUP_STOP9 } else { GROUP };
    let mut leaf = [[0u8; 32]; GROUP_STOP9];
    let mut offs = [0usize; GROUP_STOP9];
    while start < lens.len() {
        let n = (lens.len() - start).min(group);
        {
            let mut recs: [&[u8]; GROUP_STOP9] = [&[]; GROUP_STOP9];
            let mut o = off;
            for j in 0..n {
                let l = lens[start + j] as usize;
                offs[j] = o;
                recs[j] = &data[o..o + l];
                o += l + EAB_BLAKE3_LEN;
            }
            leaves_on(&recs[..n], &mut leaf[..n], width, path);
            off = o;
        }
        if path == Path::Current && row_form_available() {
            // The serial part: one row-form compression per record, the running link kept in registers.
            let mut ends = [0usize; GROUP_STOP9];
            for j in 0..n {
                ends[j] = offs[j] + lens[start + j] as usize;
            }
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the features were detected; every slot end + 32 is inside `data` (checked by the caller).
            unsafe {
                row::links(&mut link, &leaf[..n], data, &ends[..n])
            };
        } else {
            for j in 0..n {
                link = link_of_leaf_crate(&link, &leaf[j]);
                let end = offs[j] + lens[start + j] as usize;
                data[end..end + EAB_BLAKE3_LEN].copy_from_slice(&link);
            }
        }
        start += n;
    }
    link
}

/// As `eab_audit_chain_batch`, with the version-3 links (records with magic
/// "EAB3"): `buf[0..buf_len]` holds `n` records back to back, each followed by
/// a 32-byte slot that receives `BLAKE3-keyed(key = previous link,
/// BLAKE3(record))`; `link` is the first key on entry and the last link on
/// return. The leaves are hashed many records at a time (AVX-512 / AVX2 when
/// the CPU has them). Returns 0, `EAB_ERR_NULL_ARGUMENT`,
/// `EAB_ERR_AUDIT_BATCH_BOUNDS` (nothing written) or `EAB_ERR_PANIC`.
///
/// # Safety
/// As `eab_audit_chain_batch`.
#[no_mangle]
pub unsafe extern "C" fn eab_audit_chain_batch_v3(
    link: *mut u8,
    buf: *mut u8,
    buf_len: usize,
    lens: *const i32,
    n: i32,
) -> i32 {
    // SAFETY: the contract above is chain_batch_ffi's.
    unsafe { chain_batch_ffi(link, buf, buf_len, lens, n, |key, data, lens| chain_batch_v3(key, data, lens, usize::MAX)) }
}

/// One version-3 link alone (the verifier walks record by record): writes
/// `BLAKE3-keyed(key = prev[0..32], BLAKE3(record[0..len]))` to `out` (32
/// bytes; may alias `prev`). Returns 0, `EAB_ERR_NULL_ARGUMENT` or
/// `EAB_ERR_PANIC`.
///
/// # Safety
/// As `eab_audit_chain_step`.
#[no_mangle]
pub unsafe extern "C" fn eab_audit_chain_v3(
    prev: *const u8,
    record: *const u8,
    len: usize,
    out: *mut u8,
) -> i32 {
    // SAFETY: the caller's contract is `link_ffi`'s.
    unsafe { crate::audit::link_ffi(prev, record, len, out, chain_step_v3) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::EAB_ERR_AUDIT_BATCH_BOUNDS;
    use crate::{EAB_ERR_NULL_ARGUMENT, EAB_OK};

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn a_link_is_one_keyed_block_over_the_leaf() {
        let prev = [3u8; 32];
        let record = b"an audit record";
        let leaf = *blake3::hash(record).as_bytes();
        let mut h = blake3::Hasher::new_keyed(&prev);
        h.update(&leaf);
        assert_eq!(link_of_leaf(&prev, &leaf), *h.finalize().as_bytes());
        assert_eq!(link_of_leaf_crate(&prev, &leaf), *h.finalize().as_bytes());
        assert_eq!(chain_step_v3(&prev, record), link_of_leaf(&prev, &leaf));
    }

    #[test]
    fn the_inline_link_matches_the_crate_on_generated_keys_and_leaves() {
        let mut rng = Rng(0xD1B54A32D192ED03);
        for _ in 0..20_000 {
            let prev: [u8; 32] = core::array::from_fn(|_| rng.next() as u8);
            let leaf: [u8; 32] = core::array::from_fn(|_| rng.next() as u8);
            assert_eq!(link_of_leaf(&prev, &leaf), *blake3::keyed_hash(&prev, &leaf).as_bytes());
        }
    }

    #[test]
    fn a_step_over_a_long_record_uses_the_tree() {
        let long = vec![1u8; 3000];
        assert_eq!(chain_step_v3(&[4u8; 32], &long), *blake3::keyed_hash(&[4u8; 32], blake3::hash(&long).as_bytes()).as_bytes());
    }

    #[test]
    fn every_lane_width_matches_the_crate_on_every_length_up_to_a_chunk_and_beyond() {
        let data: Vec<u8> = (0..2100).map(|i| (i * 31 + 7) as u8).collect();
        for path in [Path::Current, Path::Stop9] {
            for width in [1, LANES_AVX2, LANES_AVX512] {
                // 17 records per group with lengths around every block boundary, so lanes end at different blocks.
                for base in (0..=1100).step_by(13) {
                    let recs: Vec<&[u8]> = (0..17).map(|k| &data[k..k + (base + k * 5) % 2001]).collect();
                    let mut out = vec![[0u8; 32]; recs.len()];
                    leaves_on(&recs, &mut out, width, path);
                    for (r, o) in recs.iter().zip(out.iter()) {
                        assert_eq!(*o, *blake3::hash(r).as_bytes(), "{path:?}, width {width}, length {}", r.len());
                    }
                }
            }
        }
    }

    #[test]
    fn vector_loads_read_each_lane_at_any_alignment_and_every_short_tail() {
        // Records start at every offset mod 64 and end at every length mod 64, 16 and 8 lanes at once.
        let data: Vec<u8> = (0..20_000).map(|i| (i * 7 + (i >> 8)) as u8).collect();
        for width in [LANES_AVX2, LANES_AVX512] {
            for shift in 0..64 {
                let recs: Vec<&[u8]> = (0..width).map(|k| {
                    let at = shift + 1100 * k + k;
                    &data[at..at + 64 * (1 + k % 4) + (shift * 3 + k) % 64]
                }).collect();
                let mut out = vec![[0u8; 32]; width];
                leaves(&recs, &mut out, width);
                for (r, o) in recs.iter().zip(out.iter()) {
                    assert_eq!(*o, *blake3::hash(r).as_bytes(), "width {width}, shift {shift}, length {}", r.len());
                }
            }
        }
    }

    #[test]
    fn generated_batches_chain_as_scalar_steps() {
        let mut rng = Rng(0x9E3779B97F4A7C15);
        for round in 0..300 {
            let count = 1 + rng.below(40);
            let lens: Vec<i32> = (0..count).map(|_| rng.below(2001) as i32).collect();
            let mut buf = Vec::new();
            let mut expected = Vec::new();
            let mut key = [0u8; 32];
            for b in key.iter_mut() {
                *b = rng.next() as u8;
            }
            let first = key;
            for &l in &lens {
                let rec: Vec<u8> = (0..l as usize).map(|_| rng.next() as u8).collect::<Vec<u8>>();
                key = *blake3::keyed_hash(&key, blake3::hash(&rec).as_bytes()).as_bytes();
                buf.extend_from_slice(&rec);
                buf.extend_from_slice(&[0u8; 32]);
                expected.extend_from_slice(&rec);
                expected.extend_from_slice(&key);
            }
            let width = [1, LANES_AVX2, LANES_AVX512][round % 3];
            for path in [Path::Current, Path::Stop9] {
                let mut copy = buf.clone();
                assert_eq!(chain_batch_v3_on(first, &mut copy, &lens, width, path), key, "round {round} {path:?}");
                assert_eq!(copy, expected, "round {round} {path:?}");
            }
            let mut link = first;
            let rc = unsafe { eab_audit_chain_batch_v3(link.as_mut_ptr(), buf.as_mut_ptr(), buf.len(), lens.as_ptr(), count as i32) };
            assert_eq!(rc, EAB_OK);
            assert_eq!(buf, expected, "round {round} through the export");
            assert_eq!(link, key);
        }
    }

    /// Where the time of a version-3 batch goes (not a benchmark gate: prints, asserts nothing about time).
    /// `cargo test --release --lib chain3::tests::cost_breakdown -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn cost_breakdown() {
        let data = vec![7u8; 64 * 256];
        let recs: Vec<&[u8]> = data.chunks(256).collect();
        let mut out = vec![[0u8; 32]; 64];
        let key = [1u8; 32];
        // Thread CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID), from the C library std links anyway):
        // the machine is shared, so wall time would count other processes' time slices.
        extern "C" {
            fn clock_gettime(clock: i32, ts: *mut [i64; 2]) -> i32;
        }
        let cpu_ns = || -> u64 {
            let mut ts = [0i64; 2];
            // SAFETY: 3 is CLOCK_THREAD_CPUTIME_ID on Linux; ts is a valid timespec (two 64-bit fields on x86_64).
            unsafe { clock_gettime(3, &mut ts) };
            (ts[0] as u64) * 1_000_000_000 + ts[1] as u64
        };
        let time = |name: &str, n: usize, per: usize, f: &mut dyn FnMut()| {
            for _ in 0..n / 10 {
                f();
            }
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = cpu_ns();
                for _ in 0..n {
                    f();
                }
                best = best.min((cpu_ns() - t) as f64 / (n * per) as f64);
            }
            println!("{name}: {best:.1} ns per record (thread CPU, best of 5)");
        };
        time("blake3::hash(256 B)", 200_000, 1, &mut || out[0] = *blake3::hash(std::hint::black_box(recs[0])).as_bytes());
        time("keyed_hash(256 B) (v2 step)", 200_000, 1, &mut || out[0] = *blake3::keyed_hash(&key, std::hint::black_box(recs[0])).as_bytes());
        time("link_of_leaf_crate (keyed, 32 B, stop 9)", 200_000, 1, &mut || out[0] = link_of_leaf_crate(&key, std::hint::black_box(&out[1])));
        time("link_of_leaf (inline)", 200_000, 1, &mut || out[0] = link_of_leaf(&key, std::hint::black_box(&out[1])));
        for path in [Path::Stop9, Path::Current] {
            for w in [LANES_AVX512, LANES_AVX2, 1] {
                time(&format!("leaves {path:?}, width {w}, 64 records"), 20_000, 64, &mut || leaves_on(std::hint::black_box(&recs), &mut out, w, path));
            }
        }
        // Stop 9's path and the current one alternate round by round (best of 25 rounds each), so both see the same load.
        let mut buf = vec![7u8; 64 * 288];
        let lens = [256i32; 64];
        for n in [64usize, 16, 1] {
            let mut best = [f64::MAX; 2];
            for _ in 0..25 {
                for (k, path) in [Path::Stop9, Path::Current].into_iter().enumerate() {
                    let reps = 20_000 / n.max(8);
                    let t = cpu_ns();
                    for _ in 0..reps {
                        std::hint::black_box(chain_batch_v3_on(key, &mut buf, &lens[..n], usize::MAX, path));
                    }
                    best[k] = best[k].min((cpu_ns() - t) as f64 / (reps * n) as f64);
                }
            }
            println!("chain_batch_v3, {n} records of 256 B: stop 9 {:.1}, current {:.1} ns per record (thread CPU, best of 25 alternating)", best[0], best[1]);
        }
    }

    #[test]
    fn batch_v3_refuses_lengths_beyond_the_buffer_and_writes_nothing() {
        let mut buf = vec![1u8; 100];
        let mut link = [0u8; 32];
        let lens = [40i32, 40];
        let rc = unsafe { eab_audit_chain_batch_v3(link.as_mut_ptr(), buf.as_mut_ptr(), buf.len(), lens.as_ptr(), 2) };
        assert_eq!(rc, EAB_ERR_AUDIT_BATCH_BOUNDS);
        assert_eq!(buf, vec![1u8; 100]);
        assert_eq!(link, [0u8; 32]);
        let rc = unsafe { eab_audit_chain_batch_v3(std::ptr::null_mut(), buf.as_mut_ptr(), buf.len(), lens.as_ptr(), 2) };
        assert_eq!(rc, EAB_ERR_NULL_ARGUMENT);
    }

    #[test]
    fn single_step_export_matches_and_may_alias() {
        let mut prev = [9u8; 32];
        let rec = [5u8; 256];
        let expected = chain_step_v3(&prev, &rec);
        assert_ne!(expected, crate::audit::chain_step_keyed(&prev, &rec));
        let p = prev.as_mut_ptr();
        let rc = unsafe { eab_audit_chain_v3(p, rec.as_ptr(), rec.len(), p) };
        assert_eq!(rc, EAB_OK);
        assert_eq!(prev, expected);
    }
}
