//! Runs ffi-headers/validate_vectors.csv through the exported C functions.
//! The Java side reads the same file, so both implementations are held to
//! one hand-written expectation per row. Format: see the file's header.

use eab_native::*;
use std::path::Path;

const FIELDS: usize = 17;

struct Vectors {
    hash: [u8; 16],
    max_message_size: i32,
    default_effect: u32,
    rules: Vec<EabPolicyRule>,
    cases: Vec<(usize, String, EabMessageHeader, i32)>,
}

fn hash_bytes(s: &str, line: usize) -> [u8; 16] {
    assert!(
        s.len() <= 16 && s.is_ascii(),
        "line {line}: hash `{s}` must be 0..16 ASCII chars"
    );
    let mut out = [0u8; 16];
    out[..s.len()].copy_from_slice(s.as_bytes());
    out
}

fn num<T: std::str::FromStr>(s: &str, line: usize, what: &str) -> T {
    s.parse()
        .unwrap_or_else(|_| panic!("line {line}: `{s}` is not a valid {what}"))
}

fn load() -> Vectors {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ffi-headers/validate_vectors.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut engine = None;
    let mut rules = Vec::new();
    let mut cases = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        if let Some(d) = l.strip_prefix("#!") {
            let f: Vec<&str> = d.split(',').collect();
            match f[0] {
                "engine" => {
                    assert_eq!(f.len(), 4, "line {line}: #!engine needs 3 values");
                    engine = Some((
                        hash_bytes(f[1], line),
                        num::<i32>(f[2], line, "max_message_size"),
                        num::<u32>(f[3], line, "default_effect"),
                    ));
                }
                "rule" => {
                    assert_eq!(f.len(), 7, "line {line}: #!rule needs 6 values");
                    assert_eq!(
                        num::<usize>(f[1], line, "index"),
                        rules.len(),
                        "line {line}: rule index"
                    );
                    rules.push(EabPolicyRule {
                        tenant_mask: num(f[2], line, "tenant_mask"),
                        sender_type_mask: num(f[3], line, "sender_type_mask"),
                        required_capabilities: num(f[4], line, "required_capabilities"),
                        message_type_mask: num(f[5], line, "message_type_mask"),
                        effect: num(f[6], line, "effect"),
                    });
                }
                other => panic!("line {line}: unknown directive #!{other}"),
            }
            continue;
        }
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(
            f.len(),
            FIELDS,
            "line {line}: expected {FIELDS} fields, got {}",
            f.len()
        );
        let h = EabMessageHeader {
            hash: hash_bytes(f[1], line),
            hash_length: num(f[2], line, "hash_length"),
            message_id_length: num(f[3], line, "message_id_length"),
            content_length: num(f[4], line, "content_length"),
            message_size: num(f[5], line, "message_size"),
            now_ms: num(f[6], line, "now_ms"),
            expires_at_ms: num(f[7], line, "expires_at_ms"),
            flags: num(f[8], line, "flags"),
            message_tenant: num(f[9], line, "message_tenant"),
            sender_tenant: num(f[10], line, "sender_tenant"),
            recipient_tenant: num(f[11], line, "recipient_tenant"),
            policy_tenant: num(f[12], line, "policy_tenant"),
            sender_type: num(f[13], line, "sender_type"),
            message_type: num(f[14], line, "message_type"),
            sender_role: -1,
            target_agent_role: -1,
            producer_role: -1,
            reserved: 0,
            sender_capabilities: num(f[15], line, "sender_capabilities"),
        };
        cases.push((line, f[0].to_owned(), h, num(f[16], line, "expected")));
    }
    let (hash, max_message_size, default_effect) = engine.expect("missing #!engine directive");
    Vectors {
        hash,
        max_message_size,
        default_effect,
        rules,
        cases,
    }
}

#[test]
fn shared_vectors_match_eab_validate() {
    let v = load();
    // The file promises this exact engine to the Java side.
    assert_eq!(&v.hash, b"cdd01ef066bc6cf2");
    assert_eq!(v.max_message_size, 1024);
    assert!(v.cases.len() >= 40, "only {} vectors", v.cases.len());

    let cfg = EabEngineConfig {
        constitutional_hash: v.hash,
        max_message_size: v.max_message_size,
        default_effect: v.default_effect,
        rules: v.rules.as_ptr(),
        rule_count: v.rules.len() as u32,
    };
    let engine = unsafe { eab_engine_new(&cfg) };
    assert!(!engine.is_null(), "vector engine config rejected");

    let mut failures = Vec::new();
    let mut seen = [false; 13];
    for (line, name, h, expected) in &v.cases {
        let got = unsafe { eab_validate(engine, h) };
        if got != *expected {
            failures.push(format!(
                "line {line} {name}: expected {expected}, got {got}"
            ));
        }
        if let Some(s) = usize::try_from(*expected)
            .ok()
            .and_then(|e| seen.get_mut(e))
        {
            *s = true;
        }
    }
    unsafe { eab_engine_free(engine) };
    assert!(
        failures.is_empty(),
        "{} vector(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let missing: Vec<usize> = (0..13).filter(|&c| !seen[c]).collect();
    assert!(
        missing.is_empty(),
        "no vector expects reason code(s) {missing:?}"
    );
}
