//! The BLAKE3 vectors shared with Java (ffi-headers/blake3_vectors.csv): the
//! official BLAKE3 test vectors through the `eab_blake3` export (and the
//! extended output through the crate), and the audit chain steps through
//! `eab_audit_chain_step` (chain version 1) and `eab_audit_chain_keyed` (version
//! 2, checked against the crate's `keyed_hash`), and version 3 (`v3` rows,
//! computed as one batch through `eab_audit_chain_batch_v3`, so through the
//! lane-parallel leaves, and checked against `keyed_hash(prev, hash(record))`
//! from the crate). `EAB_BLESS=1` (re)writes the chain, keyed and v3 rows from this
//! implementation; Java's Bouncy Castle twin must then agree with them.

use eab_native::audit::{chain_step, eab_audit_chain_keyed, eab_audit_chain_step, eab_blake3};
use eab_native::chain3::eab_audit_chain_batch_v3;

const EAB_BLAKE3_LEN: usize = 32;
use std::path::PathBuf;

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ffi-headers/blake3_vectors.csv")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn official_input(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn chain_record(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + seed) % 256) as u8).collect()
}

/// Chain rows: (record length, seed); prev is the previous row's hash, the
/// first prev is 32 zero bytes (the chain's genesis link).
const CHAIN: &[(usize, usize)] = &[(0, 0), (1, 1), (31, 2), (32, 3), (64, 4), (255, 5), (256, 6), (257, 7), (1024, 8), (1025, 9), (4096, 10)];

fn chain_rows() -> Vec<String> {
    let mut prev = [0u8; EAB_BLAKE3_LEN];
    let mut rows = Vec::new();
    for &(len, seed) in CHAIN {
        let record = chain_record(len, seed);
        let mut out = [0u8; EAB_BLAKE3_LEN];
        // SAFETY: valid buffers of the stated lengths.
        let rc = unsafe { eab_audit_chain_step(prev.as_ptr(), record.as_ptr(), record.len(), out.as_mut_ptr()) };
        assert_eq!(rc, 0);
        assert_eq!(out, chain_step(&prev, &record));
        rows.push(format!("chain,{len},{seed}:{},{}", hex(&prev), hex(&out)));
        prev = out;
    }
    rows
}

/// Keyed rows (chain version 2): the same records, each keyed by the previous
/// row's hash: `keyed,<len>,<seed>:<key hex>,<hash hex>`.
fn keyed_rows() -> Vec<String> {
    let mut prev = [0u8; EAB_BLAKE3_LEN];
    let mut rows = Vec::new();
    for &(len, seed) in CHAIN {
        let record = chain_record(len, seed);
        let mut out = [0u8; EAB_BLAKE3_LEN];
        // SAFETY: valid buffers of the stated lengths.
        let rc = unsafe { eab_audit_chain_keyed(prev.as_ptr(), record.as_ptr(), record.len(), out.as_mut_ptr()) };
        assert_eq!(rc, 0);
        assert_eq!(out, *blake3::keyed_hash(&prev, &record).as_bytes());
        rows.push(format!("keyed,{len},{seed}:{},{}", hex(&prev), hex(&out)));
        prev = out;
    }
    rows
}

/// Version-3 rows: the same records chained from the genesis link as ONE
/// batch (leaves in lanes where the CPU has them): `v3,<len>,<seed>:<key
/// hex>,<hash hex>`, the key being the previous row's hash.
fn v3_rows() -> Vec<String> {
    let mut buf = Vec::new();
    let mut lens = Vec::new();
    for &(len, seed) in CHAIN {
        buf.extend_from_slice(&chain_record(len, seed));
        buf.extend_from_slice(&[0u8; EAB_BLAKE3_LEN]);
        lens.push(len as i32);
    }
    let mut link = [0u8; EAB_BLAKE3_LEN];
    // SAFETY: valid buffers of the stated lengths.
    let rc = unsafe { eab_audit_chain_batch_v3(link.as_mut_ptr(), buf.as_mut_ptr(), buf.len(), lens.as_ptr(), lens.len() as i32) };
    assert_eq!(rc, 0);
    let mut prev = [0u8; EAB_BLAKE3_LEN];
    let mut rows = Vec::new();
    let mut off = 0;
    for &(len, seed) in CHAIN {
        let record = chain_record(len, seed);
        let expected = *blake3::keyed_hash(&prev, blake3::hash(&record).as_bytes()).as_bytes();
        assert_eq!(&buf[off + len..off + len + EAB_BLAKE3_LEN], &expected, "v3 record of {len} bytes");
        rows.push(format!("v3,{len},{seed}:{},{}", hex(&prev), hex(&expected)));
        prev = expected;
        off += len + EAB_BLAKE3_LEN;
    }
    assert_eq!(link, prev);
    rows
}

#[test]
fn v3_vectors_match() {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).expect("blake3_vectors.csv");
    let expected = v3_rows();
    if std::env::var_os("EAB_BLESS").is_some_and(|v| v == "1") {
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("v3,")).collect();
        let mut out = kept.join("\n");
        out.push('\n');
        for r in &expected {
            out.push_str(r);
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
        return;
    }
    let actual: Vec<&str> = text.lines().filter(|l| l.starts_with("v3,")).collect();
    assert_eq!(actual.len(), expected.len(), "run EAB_BLESS=1 cargo test --test audit_vectors");
    for (a, e) in actual.iter().zip(expected.iter()) {
        assert_eq!(a, e);
    }
}

#[test]
fn official_vectors_match() {
    let text = std::fs::read_to_string(vectors_path()).expect("blake3_vectors.csv");
    let mut checked = 0;
    for line in text.lines().filter(|l| l.starts_with("official,")) {
        let f: Vec<&str> = line.split(',').collect();
        let len: usize = f[1].parse().unwrap();
        let input = official_input(len);
        let mut out = [0u8; EAB_BLAKE3_LEN];
        // SAFETY: valid buffers of the stated lengths.
        assert_eq!(unsafe { eab_blake3(input.as_ptr(), input.len(), out.as_mut_ptr()) }, 0);
        assert_eq!(hex(&out), f[3][..64], "input_len {len}");
        let mut xof = vec![0u8; f[3].len() / 2];
        blake3::Hasher::new().update(&input).finalize_xof().fill(&mut xof);
        assert_eq!(hex(&xof), f[3], "extended output, input_len {len}");
        checked += 1;
    }
    assert!(checked >= 17, "only {checked} official vectors");
}

#[test]
fn chain_vectors_match() {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).expect("blake3_vectors.csv");
    let expected = chain_rows();
    let keyed = keyed_rows();
    if std::env::var_os("EAB_BLESS").is_some_and(|v| v == "1") {
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("chain,") && !l.starts_with("keyed,")).collect();
        let mut out = kept.join("\n");
        out.push('\n');
        for r in expected.iter().chain(keyed.iter()) {
            out.push_str(r);
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
        return;
    }
    let actual: Vec<&str> = text.lines().filter(|l| l.starts_with("chain,")).collect();
    assert_eq!(actual.len(), expected.len(), "run EAB_BLESS=1 cargo test --test audit_vectors");
    for (a, e) in actual.iter().zip(expected.iter()) {
        assert_eq!(a, e);
    }
    let actual: Vec<&str> = text.lines().filter(|l| l.starts_with("keyed,")).collect();
    assert_eq!(actual.len(), keyed.len(), "run EAB_BLESS=1 cargo test --test audit_vectors");
    for (a, e) in actual.iter().zip(keyed.iter()) {
        assert_eq!(a, e);
    }
}

#[test]
fn null_arguments_are_refused() {
    let mut out = [0u8; EAB_BLAKE3_LEN];
    // SAFETY: null pointers are part of the contract.
    unsafe {
        assert_eq!(eab_blake3(std::ptr::null(), 1, out.as_mut_ptr()), -1);
        assert_eq!(eab_blake3(std::ptr::null(), 0, out.as_mut_ptr()), 0);
        assert_eq!(eab_audit_chain_step(std::ptr::null(), std::ptr::null(), 0, out.as_mut_ptr()), -1);
    }
    assert_eq!(hex(&out[..4]), "af1349b9");
}
