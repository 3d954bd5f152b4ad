//! BLAKE3 for the audit chain (Java: `dev.eab.core.audit.Blake3Native`,
//! twin `Blake3Java` over Bouncy Castle's `Blake3Digest`).
//!
//! Each audit record is chained to the previous one by
//! `hash_n = BLAKE3(hash_{n-1} || record_n)`: the 32-byte previous hash, then
//! the record's bytes (everything before its own hash field, see
//! `AuditRecordDescriptor`). Both functions are pure, allocation-free and
//! short: Java binds them `critical(true)` so heap byte arrays are passed
//! without copying.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{EAB_ERR_NULL_ARGUMENT, EAB_ERR_PANIC, EAB_OK};

/// Length in bytes of a BLAKE3 hash (the default output) and of a chain link.
/// (Not exported to the C header: the ABI documents it as "32 bytes".)
pub(crate) const EAB_BLAKE3_LEN: usize = 32;

/// The chain step, shared by the export and the Rust tests.
pub fn chain_step(prev: &[u8; 32], record: &[u8]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(prev);
    hasher.update(record);
    *hasher.finalize().as_bytes()
}

/// Writes BLAKE3(`data[0..len]`) (32 bytes) to `out`. Returns 0,
/// `EAB_ERR_NULL_ARGUMENT` (`out` null, or `data` null with `len > 0`) or
/// `EAB_ERR_PANIC`.
///
/// # Safety
/// `data` must be null or valid for reads of `len` bytes; `out` must be null
/// or valid for writes of 32 bytes.
#[no_mangle]
pub unsafe extern "C" fn eab_blake3(data: *const u8, len: usize, out: *mut u8) -> i32 {
    if out.is_null() || (data.is_null() && len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: null with a zero length, or valid for `len` reads, per the contract.
        let input = unsafe { crate::input_bytes(data, len) };
        let hash = blake3::hash(input);
        // SAFETY: `out` is valid for 32 writes and cannot overlap a local.
        unsafe { core::ptr::copy_nonoverlapping(hash.as_bytes().as_ptr(), out, EAB_BLAKE3_LEN) };
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// One link of the audit chain: writes BLAKE3(`prev[0..32]` ||
/// `record[0..len]`) to `out` (32 bytes; may alias `prev`). Returns 0,
/// `EAB_ERR_NULL_ARGUMENT` or `EAB_ERR_PANIC`.
///
/// # Safety
/// `prev` must be null or valid for reads of 32 bytes; `record` null or
/// valid for reads of `len` bytes; `out` null or valid for writes of 32
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn eab_audit_chain_step(
    prev: *const u8,
    record: *const u8,
    len: usize,
    out: *mut u8,
) -> i32 {
    // SAFETY: the caller's contract is `link_ffi`'s.
    unsafe { link_ffi(prev, record, len, out, chain_step) }
}

/// The body of both single-link FFI functions: checks the pointers, copies
/// the previous link (so `out` may alias it), applies `step`, writes `out`.
///
/// # Safety
/// As `eab_audit_chain_step`.
pub(crate) unsafe fn link_ffi(
    prev: *const u8,
    record: *const u8,
    len: usize,
    out: *mut u8,
    step: fn(&[u8; 32], &[u8]) -> [u8; 32],
) -> i32 {
    if prev.is_null() || out.is_null() || (record.is_null() && len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        let mut link = [0u8; EAB_BLAKE3_LEN];
        // SAFETY: valid for 32 reads per the contract; copied before `out` is written.
        unsafe { core::ptr::copy_nonoverlapping(prev, link.as_mut_ptr(), EAB_BLAKE3_LEN) };
        // SAFETY: null with a zero length, or valid for `len` reads, per the contract.
        let body = unsafe { crate::input_bytes(record, len) };
        let hash = step(&link, body);
        // SAFETY: valid for 32 writes; `hash` is a local.
        unsafe { core::ptr::copy_nonoverlapping(hash.as_ptr(), out, EAB_BLAKE3_LEN) };
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// The keyed chain step (chain version 2, records with magic "EAB2"):
/// `hash_n = BLAKE3-keyed(key = hash_{n-1}, record_n)`. The previous link is
/// the key instead of 32 bytes of input, so a 256-byte record is 4 BLAKE3
/// blocks instead of 5, and no `Hasher` is built per record.
pub fn chain_step_keyed(prev: &[u8; 32], record: &[u8]) -> [u8; 32] {
    *blake3::keyed_hash(prev, record).as_bytes()
}

/// One keyed link (chain version 2): writes BLAKE3-keyed(key = `prev[0..32]`,
/// `record[0..len]`) to `out` (32 bytes; may alias `prev`). Returns 0,
/// `EAB_ERR_NULL_ARGUMENT` or `EAB_ERR_PANIC`.
///
/// # Safety
/// As `eab_audit_chain_step`.
#[no_mangle]
pub unsafe extern "C" fn eab_audit_chain_keyed(
    prev: *const u8,
    record: *const u8,
    len: usize,
    out: *mut u8,
) -> i32 {
    // SAFETY: the caller's contract is `link_ffi`'s.
    unsafe { link_ffi(prev, record, len, out, chain_step_keyed) }
}

/// Error: the record lengths do not fit the buffer (or one is negative).
pub const EAB_ERR_AUDIT_BATCH_BOUNDS: i32 = -40;

/// Chains a batch of records in one call (chain version 2), so the writer pays
/// one FFM transition per batch instead of one per record. `buf[0..buf_len]`
/// holds `n` records back to back, each followed by a 32-byte hash slot:
/// record `i` is `lens[i]` bytes at `off_i` (`off_0 = 0`,
/// `off_{i+1} = off_i + lens[i] + 32`) and its link
/// BLAKE3-keyed(key = previous link, record) is written into the 32 bytes
/// after it. `link` (32 bytes) is the key of the first record on entry and the
/// last record's hash on return. Returns 0, `EAB_ERR_NULL_ARGUMENT`,
/// `EAB_ERR_AUDIT_BATCH_BOUNDS` (nothing written) or `EAB_ERR_PANIC`.
///
/// # Safety
/// `link` null or valid for 32 reads and writes; `buf` null or valid for
/// `buf_len` reads and writes; `lens` null or valid for `n` reads; none
/// overlapping.
#[no_mangle]
pub unsafe extern "C" fn eab_audit_chain_batch(
    link: *mut u8,
    buf: *mut u8,
    buf_len: usize,
    lens: *const i32,
    n: i32,
) -> i32 {
    // SAFETY: the contract above is chain_batch_ffi's.
    unsafe {
        chain_batch_ffi(link, buf, buf_len, lens, n, |mut key, data, lens| {
            let mut off = 0usize;
            for &l in lens {
                let end = off + l as usize;
                key = chain_step_keyed(&key, &data[off..end]);
                data[end..end + EAB_BLAKE3_LEN].copy_from_slice(&key);
                off = end + EAB_BLAKE3_LEN;
            }
            key
        })
    }
}

/// The checks and copies both batch exports share: null and bounds checks
/// (nothing written on a refusal), the first key read from `link`, `chain`
/// run over the batch's bytes, the last link written back; panics caught.
///
/// # Safety
/// As `eab_audit_chain_batch`.
pub(crate) unsafe fn chain_batch_ffi(
    link: *mut u8,
    buf: *mut u8,
    buf_len: usize,
    lens: *const i32,
    n: i32,
    chain: impl FnOnce([u8; EAB_BLAKE3_LEN], &mut [u8], &[i32]) -> [u8; EAB_BLAKE3_LEN],
) -> i32 {
    if link.is_null() || n < 0 || (n > 0 && (buf.is_null() || lens.is_null())) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        if n == 0 {
            return EAB_OK;
        }
        // SAFETY: valid for n reads per the contract.
        let lens = unsafe { core::slice::from_raw_parts(lens, n as usize) };
        let mut total: usize = 0;
        for &l in lens {
            if l < 0 {
                return EAB_ERR_AUDIT_BATCH_BOUNDS;
            }
            total = match total.checked_add(l as usize + EAB_BLAKE3_LEN) {
                Some(t) => t,
                None => return EAB_ERR_AUDIT_BATCH_BOUNDS,
            };
        }
        if total > buf_len {
            return EAB_ERR_AUDIT_BATCH_BOUNDS;
        }
        // SAFETY: valid for buf_len reads and writes per the contract, and total <= buf_len.
        let data = unsafe { core::slice::from_raw_parts_mut(buf, total) };
        let mut key = [0u8; EAB_BLAKE3_LEN];
        // SAFETY: valid for 32 reads.
        unsafe { core::ptr::copy_nonoverlapping(link, key.as_mut_ptr(), EAB_BLAKE3_LEN) };
        let key = chain(key, data, lens);
        // SAFETY: valid for 32 writes.
        unsafe { core::ptr::copy_nonoverlapping(key.as_ptr(), link, EAB_BLAKE3_LEN) };
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

#[cfg(test)]
mod keyed_tests {
    use super::*;

    #[test]
    fn batch_equals_keyed_steps_in_sequence() {
        let lens = [0i32, 1, 63, 64, 65, 256, 1024, 1025, 3000];
        let mut buf = Vec::new();
        let mut expected = Vec::new();
        let mut key = [7u8; 32];
        for (j, &l) in lens.iter().enumerate() {
            let rec: Vec<u8> = (0..l as usize).map(|i| (i * 13 + j) as u8).collect();
            key = chain_step_keyed(&key, &rec);
            buf.extend_from_slice(&rec);
            buf.extend_from_slice(&[0u8; 32]);
            expected.extend_from_slice(&rec);
            expected.extend_from_slice(&key);
        }
        let mut link = [7u8; 32];
        let rc = unsafe { eab_audit_chain_batch(link.as_mut_ptr(), buf.as_mut_ptr(), buf.len(), lens.as_ptr(), lens.len() as i32) };
        assert_eq!(rc, EAB_OK);
        assert_eq!(buf, expected);
        assert_eq!(link, key);
    }

    #[test]
    fn batch_refuses_lengths_beyond_the_buffer_and_writes_nothing() {
        let mut buf = vec![1u8; 100];
        let mut link = [0u8; 32];
        let lens = [40i32, 40];
        let rc = unsafe { eab_audit_chain_batch(link.as_mut_ptr(), buf.as_mut_ptr(), buf.len(), lens.as_ptr(), 2) };
        assert_eq!(rc, EAB_ERR_AUDIT_BATCH_BOUNDS);
        assert_eq!(buf, vec![1u8; 100]);
        assert_eq!(link, [0u8; 32]);
        let neg = [-1i32];
        let rc = unsafe { eab_audit_chain_batch(link.as_mut_ptr(), buf.as_mut_ptr(), buf.len(), neg.as_ptr(), 1) };
        assert_eq!(rc, EAB_ERR_AUDIT_BATCH_BOUNDS);
    }

    #[test]
    fn keyed_step_differs_from_the_v1_step_and_matches_the_crate() {
        let prev = [9u8; 32];
        let rec = [5u8; 256];
        assert_ne!(chain_step_keyed(&prev, &rec), chain_step(&prev, &rec));
        let mut out = [0u8; 32];
        let rc = unsafe { eab_audit_chain_keyed(prev.as_ptr(), rec.as_ptr(), rec.len(), out.as_mut_ptr()) };
        assert_eq!(rc, EAB_OK);
        assert_eq!(out, *blake3::keyed_hash(&prev, &rec).as_bytes());
    }
}
