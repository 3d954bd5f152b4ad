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

/// The link of a version-3 record whose leaf is known: one keyed compression
/// of a single 32-byte block. The crate's own keyed hash runs it with its
/// SIMD single-block compression; a scalar compression written here over
/// `[u32; 1]` rows measured slower (~640 against ~310 ns CPU for a lone
/// 256-byte record on the loaded dev VM), so the link stays the crate's.
#[inline]
pub fn link_of_leaf(prev: &[u8; 32], leaf: &[u8; 32]) -> [u8; 32] {
    *blake3::keyed_hash(prev, leaf).as_bytes()
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

/// Plain BLAKE3 of up to N single-chunk records (`recs.len() <= N`, each
/// `<= 1024` bytes), lane `l` = `recs[l]`; unused lanes hash nothing and are
/// not written. Compiled into each `#[target_feature]` wrapper below, where
/// LLVM turns every `for l in 0..N` into whole-register instructions.
#[inline(always)]
fn hash_lanes<const N: usize>(recs: &[&[u8]], out: &mut [[u8; 32]]) {
    let used = recs.len();
    let mut blocks = [1usize; N];
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
    for b in 0..max_blocks {
        let at = b * BLOCK_LEN;
        for l in 0..N {
            let r: &[u8] = if l < used { recs[l] } else { &[] };
            let live = l < used && b < blocks[l];
            active[l] = if live { u32::MAX } else { 0 };
            let n = if live { (r.len() - at.min(r.len())).min(BLOCK_LEN) } else { 0 };
            block_len[l] = n as u32;
            let mut f = if b == 0 { CHUNK_START } else { 0 };
            if live && b + 1 == blocks[l] {
                f |= CHUNK_END | ROOT;
            }
            flags[l] = f;
            if n == BLOCK_LEN {
                let src = &r[at..at + BLOCK_LEN];
                for w in 0..16 {
                    m[w][l] = u32::from_le_bytes([src[4 * w], src[4 * w + 1], src[4 * w + 2], src[4 * w + 3]]);
                }
            } else {
                let mut pad = [0u8; BLOCK_LEN];
                if n > 0 {
                    pad[..n].copy_from_slice(&r[at..at + n]);
                }
                for w in 0..16 {
                    m[w][l] = u32::from_le_bytes([pad[4 * w], pad[4 * w + 1], pad[4 * w + 2], pad[4 * w + 3]]);
                }
            }
        }
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

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx2")]
unsafe fn hash_lanes_avx512(recs: &[&[u8]], out: &mut [[u8; 32]]) {
    hash_lanes::<LANES_AVX512>(recs, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn hash_lanes_avx2(recs: &[&[u8]], out: &mut [[u8; 32]]) {
    hash_lanes::<LANES_AVX2>(recs, out)
}

/// Plain BLAKE3 of each record into `out` (`out.len() >= recs.len()`), using
/// lanes of up to `width` (16, 8 or 1; capped at what `lane_width` reports):
/// runs of single-chunk records fill 16 lanes when more than 8 remain, 8 lanes
/// when more than 2 remain; the rest, and records over one chunk, go to
/// `blake3::hash` one by one (a lane group costs the same however few lanes
/// are used). `width` is a parameter so tests compare every path with the
/// crate on one machine.
pub fn leaves(recs: &[&[u8]], out: &mut [[u8; 32]], width: usize) {
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
            hash_group(&recs[i..i + run], &mut out[i..i + run], LANES_AVX512);
            i += run;
        } else if width >= LANES_AVX2 && run > 2 {
            let n = run.min(LANES_AVX2);
            hash_group(&recs[i..i + n], &mut out[i..i + n], LANES_AVX2);
            i += n;
        } else {
            out[i] = *blake3::hash(recs[i]).as_bytes();
            i += 1;
        }
    }
}

/// `recs.len() <= width`, every record single-chunk.
fn hash_group(recs: &[&[u8]], out: &mut [[u8; 32]], width: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        if width >= LANES_AVX512 {
            // SAFETY: width is at most lane_width(), which saw avx512f at run time.
            unsafe { hash_lanes_avx512(recs, out) };
            return;
        }
        if width >= LANES_AVX2 {
            // SAFETY: as above, avx2 was detected (callers pass at most 8 records here).
            unsafe { hash_lanes_avx2(recs, out) };
            return;
        }
    }
    for (o, r) in out.iter_mut().zip(recs.iter()) {
        *o = *blake3::hash(r).as_bytes();
    }
}

/// Records per group: the leaves of one group are hashed together, then linked
/// in order, so the scratch lives on the stack (no allocation per call).
const GROUP: usize = 64;

/// Chains `lens.len()` records of `data` (back to back, each followed by its
/// 32-byte hash slot, as in `eab_audit_chain_batch`) with the version-3 links,
/// starting from `key`; returns the last link. The caller has checked that
/// every length is non-negative and that `data` holds them all.
pub fn chain_batch_v3(key: [u8; 32], data: &mut [u8], lens: &[i32], width: usize) -> [u8; 32] {
    let mut link = key;
    let mut off = 0usize;
    let mut start = 0usize;
    let mut leaf = [[0u8; 32]; GROUP];
    let mut offs = [0usize; GROUP];
    while start < lens.len() {
        let n = (lens.len() - start).min(GROUP);
        {
            let mut recs: [&[u8]; GROUP] = [&[]; GROUP];
            let mut o = off;
            for j in 0..n {
                let l = lens[start + j] as usize;
                offs[j] = o;
                recs[j] = &data[o..o + l];
                o += l + EAB_BLAKE3_LEN;
            }
            leaves(&recs[..n], &mut leaf[..n], width);
            off = o;
        }
        for j in 0..n {
            link = link_of_leaf(&link, &leaf[j]);
            let end = offs[j] + lens[start + j] as usize;
            data[end..end + EAB_BLAKE3_LEN].copy_from_slice(&link);
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
        assert_eq!(chain_step_v3(&prev, record), link_of_leaf(&prev, &leaf));
    }

    #[test]
    fn every_lane_width_matches_the_crate_on_every_length_up_to_a_chunk_and_beyond() {
        let data: Vec<u8> = (0..2100).map(|i| (i * 31 + 7) as u8).collect();
        for width in [1, LANES_AVX2, LANES_AVX512] {
            // 17 records per group with lengths around every block boundary, so lanes end at different blocks.
            for base in (0..=1100).step_by(13) {
                let recs: Vec<&[u8]> = (0..17).map(|k| &data[k..k + (base + k * 5) % 2001]).collect();
                let mut out = vec![[0u8; 32]; recs.len()];
                leaves(&recs, &mut out, width);
                for (r, o) in recs.iter().zip(out.iter()) {
                    assert_eq!(*o, *blake3::hash(r).as_bytes(), "width {width}, length {}", r.len());
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
            let mut copy = buf.clone();
            assert_eq!(chain_batch_v3(first, &mut copy, &lens, width), key, "round {round}");
            assert_eq!(copy, expected, "round {round}");
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
        let time = |name: &str, n: usize, per: usize, f: &mut dyn FnMut()| {
            for _ in 0..n / 10 {
                f();
            }
            let t = std::time::Instant::now();
            for _ in 0..n {
                f();
            }
            println!("{name}: {:.1} ns per record", t.elapsed().as_nanos() as f64 / (n * per) as f64);
        };
        time("blake3::hash(256 B)", 200_000, 1, &mut || out[0] = *blake3::hash(std::hint::black_box(recs[0])).as_bytes());
        time("keyed_hash(256 B) (v2 step)", 200_000, 1, &mut || out[0] = *blake3::keyed_hash(&key, std::hint::black_box(recs[0])).as_bytes());
        time("link_of_leaf (keyed, 32 B)", 200_000, 1, &mut || out[0] = link_of_leaf(&key, std::hint::black_box(&out[1])));
        for w in [LANES_AVX512, LANES_AVX2, 1] {
            time(&format!("leaves, width {w}, 64 records"), 20_000, 64, &mut || leaves(std::hint::black_box(&recs), &mut out, w));
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
