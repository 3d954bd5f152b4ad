//! Runs ffi-headers/maci_vectors.csv through `eab_engine_new_maci` and
//! `eab_validate`. The Java side reads the same file. Format: see the file's
//! header. The tables are written here by hand from reference §2.4, not
//! taken from the Java compiler, so a wrong table on either side shows.

use eab_native::*;
use std::path::Path;

const HASH: &[u8; 16] = b"cdd01ef066bc6cf2";

fn reference(strict: bool) -> EabMaciConfig {
    // actions: propose 0, validate 1, extract_rules 2, synthesize 3, audit 4, query 5,
    // manage_policy 6, emergency_cooldown 7, monitor_activity 8, enforce_control 9
    let a = |ids: &[u32]| ids.iter().fold(0u32, |m, i| m | 1 << i);
    let mut type_actions = [-1i8; 16];
    type_actions[6] = 0; // governance_request -> propose
    type_actions[8] = 1; // constitutional_validation -> validate
    type_actions[9] = 3; // task_request -> synthesize
    type_actions[1] = 5; // query -> query
    type_actions[11] = 4; // audit_log -> audit
    EabMaciConfig {
        flags: if strict { EAB_MACI_STRICT } else { 0 },
        type_actions,
        role_actions: [
            a(&[0, 3, 5]),    // executive
            a(&[2, 3, 5]),    // legislative
            a(&[1, 4, 5, 7]), // judicial
            a(&[8, 5]),       // monitor
            a(&[4, 5]),       // auditor
            a(&[9, 5]),       // controller
            a(&[3, 5]),       // implementer
            0,
        ],
        // judicial: executive, legislative, implementer; auditor: monitor, controller, implementer
        role_validates: [0, 0, a(&[0, 1, 6]), 0, a(&[3, 5, 6]), 0, 0, 0],
    }
}

fn engine(strict: bool) -> *mut EabEngine {
    let config = EabEngineConfig {
        constitutional_hash: *HASH,
        max_message_size: 1 << 20,
        default_effect: EAB_EFFECT_ALLOW,
        rules: std::ptr::null(),
        rule_count: 0,
    };
    let maci = reference(strict);
    // SAFETY: both pointers are valid for one read.
    let e = unsafe { eab_engine_new_maci(&config, &maci) };
    assert!(!e.is_null(), "eab_engine_new_maci refused the reference tables");
    e
}

fn num<T: std::str::FromStr>(s: &str, line: usize, what: &str) -> T {
    s.trim()
        .parse()
        .unwrap_or_else(|_| panic!("line {line}: `{s}` is not a valid {what}"))
}

#[test]
fn shared_maci_vectors_match_eab_validate() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ffi-headers/maci_vectors.csv");
    let text = std::fs::read_to_string(&path).expect("read maci_vectors.csv");
    let engines = [engine(false), engine(true)];
    let mut rows = 0;
    let mut codes = std::collections::BTreeSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f.len(), 8, "line {line}: 8 columns");
        let strict: usize = num(f[1], line, "strict");
        let h = EabMessageHeader {
            hash: *HASH,
            hash_length: 16,
            message_id_length: 8,
            content_length: 1,
            message_size: 100,
            flags: EAB_FLAG_TENANT_FORMAT_VALID
                | EAB_FLAG_SENDER_REGISTERED
                | EAB_FLAG_RECIPIENT_REGISTERED
                | EAB_FLAG_HAS_RECIPIENT
                | num::<u32>(f[4], line, "maci_flags"),
            message_tenant: 3,
            sender_tenant: 3,
            recipient_tenant: 3,
            policy_tenant: -1,
            sender_type: -1,
            message_type: num(f[3], line, "message_type"),
            sender_role: num(f[2], line, "sender_role"),
            target_agent_role: num(f[5], line, "target_agent_role"),
            producer_role: num(f[6], line, "producer_role"),
            ..Default::default()
        };
        let expected: i32 = num(f[7], line, "expected");
        // SAFETY: live engine, valid header.
        let got = unsafe { eab_validate(engines[strict], &h) };
        assert_eq!(got, expected, "line {line} ({})", f[0]);
        rows += 1;
        codes.insert(expected);
    }
    for e in engines {
        // SAFETY: from eab_engine_new_maci, freed once.
        unsafe { eab_engine_free(e) };
    }
    assert!(rows >= 40, "only {rows} vectors");
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), vec![0, 23, 24, 25, 26, 27, 28], "every MACI code has a vector");
}

#[test]
fn null_maci_config_is_refused() {
    let config = EabEngineConfig {
        constitutional_hash: *HASH,
        max_message_size: 1,
        default_effect: EAB_EFFECT_ALLOW,
        rules: std::ptr::null(),
        rule_count: 0,
    };
    // SAFETY: a null maci pointer is part of the contract (refused).
    assert!(unsafe { eab_engine_new_maci(&config, std::ptr::null()) }.is_null());
    let mut bad = reference(true);
    bad.role_actions[7] = 1;
    // SAFETY: valid pointers.
    assert!(unsafe { eab_engine_new_maci(&config, &bad) }.is_null(), "out-of-range tables are refused");
}
