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
        let input: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: non-null and valid for `len` reads per the contract.
            unsafe { core::slice::from_raw_parts(data, len) }
        };
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
    if prev.is_null() || out.is_null() || (record.is_null() && len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        let mut link = [0u8; EAB_BLAKE3_LEN];
        // SAFETY: valid for 32 reads per the contract; copied before `out` is written.
        unsafe { core::ptr::copy_nonoverlapping(prev, link.as_mut_ptr(), EAB_BLAKE3_LEN) };
        let body: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: non-null and valid for `len` reads per the contract.
            unsafe { core::slice::from_raw_parts(record, len) }
        };
        let hash = chain_step(&link, body);
        // SAFETY: valid for 32 writes; `hash` is a local.
        unsafe { core::ptr::copy_nonoverlapping(hash.as_ptr(), out, EAB_BLAKE3_LEN) };
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}
