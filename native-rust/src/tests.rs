//! Unit tests. They go through the exported `extern "C"` functions wherever
//! possible so that what is tested is exactly what Java calls.

use super::*;

const HASH: &[u8; 16] = b"cdd01ef066bc6cf2";
const MAX: i32 = 1024;

fn allow_all_config(rules: &[EabPolicyRule], default_effect: u32) -> EabEngineConfig {
    EabEngineConfig {
        constitutional_hash: *HASH,
        max_message_size: MAX,
        default_effect,
        rules: if rules.is_empty() {
            ptr::null()
        } else {
            rules.as_ptr()
        },
        rule_count: rules.len() as u32,
    }
}

/// Owns an engine for the duration of a test and frees it through the ABI.
struct Engine(*mut EabEngine);

impl Engine {
    fn new(rules: &[EabPolicyRule], default_effect: u32) -> Self {
        let cfg = allow_all_config(rules, default_effect);
        let p = unsafe { eab_engine_new(&cfg) };
        assert!(!p.is_null(), "valid config rejected");
        Engine(p)
    }
    fn validate(&self, h: &EabMessageHeader) -> i32 {
        unsafe { eab_validate(self.0, h) }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        unsafe { eab_engine_free(self.0) }
    }
}

/// A header that passes every check against an allow-by-default engine.
fn good() -> EabMessageHeader {
    EabMessageHeader {
        hash: *HASH,
        hash_length: 16,
        message_id_length: 36,
        content_length: 3,
        message_size: 200,
        now_ms: 1_700_000_000_000,
        expires_at_ms: 0,
        flags: EAB_FLAG_TENANT_FORMAT_VALID
            | EAB_FLAG_SENDER_REGISTERED
            | EAB_FLAG_RECIPIENT_REGISTERED
            | EAB_FLAG_HAS_RECIPIENT,
        message_tenant: 5,
        sender_tenant: 5,
        recipient_tenant: 5,
        policy_tenant: 2,
        sender_type: 1,
        message_type: 0,
        sender_role: -1,
        target_agent_role: -1,
        producer_role: -1,
        reserved: 0,
        sender_capabilities: 0,
    }
}

/// A single edit applied to a header by the table-driven tests.
type Mutate = fn(&mut EabMessageHeader);

fn rule(tenants: u64, types: u64, caps: u64, msg_types: u32, effect: u32) -> EabPolicyRule {
    EabPolicyRule {
        tenant_mask: tenants,
        sender_type_mask: types,
        required_capabilities: caps,
        message_type_mask: msg_types,
        effect,
    }
}

#[test]
fn abi_version_and_codes_are_pinned() {
    assert_eq!(eab_abi_version(), 1);
    let codes = [
        EAB_OK,
        EAB_HASH_MISSING,
        EAB_HASH_MISMATCH,
        EAB_EMPTY_MESSAGE_ID,
        EAB_EMPTY_CONTENT,
        EAB_MESSAGE_TOO_LARGE,
        EAB_EXPIRED,
        EAB_INVALID_TENANT,
        EAB_SENDER_NOT_REGISTERED,
        EAB_RECIPIENT_NOT_REGISTERED,
        EAB_TENANT_MISMATCH_SENDER,
        EAB_TENANT_MISMATCH_RECIPIENT,
        EAB_POLICY_DENIED,
    ];
    // Java's enum ordinal == code.
    for (ordinal, code) in codes.iter().enumerate() {
        assert_eq!(*code, ordinal as i32);
    }
    assert_eq!(
        (EAB_ERR_NULL_ARGUMENT, EAB_ERR_PANIC, EAB_ERR_INVALID_CONFIG),
        (-1, -2, -3)
    );
    assert_eq!(EAB_ANY, u64::MAX);
    assert_eq!(EAB_ANY_MESSAGE_TYPE, u32::MAX);
}

#[test]
fn layouts_match_the_java_struct_layouts() {
    // Duplicates the const asserts at runtime so a failing layout shows up
    // as a named test too, with the actual numbers.
    assert_eq!(
        (
            size_of::<EabMessageHeader>(),
            align_of::<EabMessageHeader>()
        ),
        (88, 8)
    );
    assert_eq!(offset_of!(EabMessageHeader, hash_length), 16);
    assert_eq!(offset_of!(EabMessageHeader, now_ms), 32);
    assert_eq!(offset_of!(EabMessageHeader, flags), 48);
    assert_eq!(offset_of!(EabMessageHeader, policy_tenant), 64);
    assert_eq!(offset_of!(EabMessageHeader, sender_role), 76);
    assert_eq!(offset_of!(EabMessageHeader, reserved), 79);
    assert_eq!(offset_of!(EabMessageHeader, sender_capabilities), 80);
    assert_eq!(
        (size_of::<EabPolicyRule>(), align_of::<EabPolicyRule>()),
        (32, 8)
    );
    assert_eq!(offset_of!(EabPolicyRule, message_type_mask), 24);
    assert_eq!(offset_of!(EabPolicyRule, effect), 28);
    assert_eq!(
        (size_of::<EabEngineConfig>(), align_of::<EabEngineConfig>()),
        (40, 8)
    );
    assert_eq!(offset_of!(EabEngineConfig, rules), 24);
    assert_eq!(offset_of!(EabEngineConfig, rule_count), 32);
}

#[test]
fn good_header_is_ok() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    assert_eq!(e.validate(&good()), EAB_OK);
}

#[test]
fn every_reason_code_is_reachable() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    let deny = Engine::new(&[], EAB_EFFECT_DENY);
    let cases: [(i32, Mutate); 11] = [
        (EAB_HASH_MISSING, |h| h.hash_length = -1),
        (EAB_HASH_MISMATCH, |h| h.hash[3] ^= 1),
        (EAB_EMPTY_MESSAGE_ID, |h| h.message_id_length = 0),
        (EAB_EMPTY_CONTENT, |h| h.content_length = 0),
        (EAB_MESSAGE_TOO_LARGE, |h| h.message_size = MAX + 1),
        (EAB_EXPIRED, |h| h.expires_at_ms = h.now_ms),
        (EAB_INVALID_TENANT, |h| {
            h.flags &= !EAB_FLAG_TENANT_FORMAT_VALID
        }),
        (EAB_SENDER_NOT_REGISTERED, |h| {
            h.flags &= !EAB_FLAG_SENDER_REGISTERED
        }),
        (EAB_RECIPIENT_NOT_REGISTERED, |h| {
            h.flags &= !EAB_FLAG_RECIPIENT_REGISTERED
        }),
        (EAB_TENANT_MISMATCH_SENDER, |h| h.sender_tenant = 6),
        (EAB_TENANT_MISMATCH_RECIPIENT, |h| h.recipient_tenant = 6),
    ];
    for (code, mutate) in cases {
        let mut h = good();
        mutate(&mut h);
        assert_eq!(e.validate(&h), code, "{h:?}");
    }
    assert_eq!(deny.validate(&good()), EAB_POLICY_DENIED);
}

#[test]
fn boundaries_of_scalar_checks() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    let mut h = good();
    h.message_size = MAX; // equal is allowed
    assert_eq!(e.validate(&h), EAB_OK);
    h.message_id_length = -5;
    assert_eq!(e.validate(&h), EAB_EMPTY_MESSAGE_ID);

    let mut h = good();
    h.content_length = -1;
    assert_eq!(e.validate(&h), EAB_EMPTY_CONTENT);

    let mut h = good();
    h.expires_at_ms = h.now_ms + 1; // not yet
    assert_eq!(e.validate(&h), EAB_OK);
    h.expires_at_ms = h.now_ms - 1;
    assert_eq!(e.validate(&h), EAB_EXPIRED);
    h.expires_at_ms = -1; // non-positive means "never"
    h.now_ms = i64::MAX;
    assert_eq!(e.validate(&h), EAB_OK);
}

#[test]
fn recipient_checks_skipped_without_has_recipient() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    let mut h = good();
    h.flags = EAB_FLAG_TENANT_FORMAT_VALID | EAB_FLAG_SENDER_REGISTERED; // broadcast
    h.recipient_tenant = -1;
    assert_eq!(e.validate(&h), EAB_OK);
}

#[test]
fn checks_run_in_contract_order() {
    let e = Engine::new(&[], EAB_EFFECT_DENY);
    // Break everything, then repair one check at a time: each step must
    // report exactly the next code in the contract.
    let mut h = EabMessageHeader {
        hash: *b"0000000000000000",
        hash_length: -1,
        message_id_length: 0,
        content_length: 0,
        message_size: MAX + 1,
        now_ms: 10,
        expires_at_ms: 5,
        flags: EAB_FLAG_HAS_RECIPIENT,
        message_tenant: 1,
        sender_tenant: 2,
        recipient_tenant: 3,
        policy_tenant: 0,
        sender_type: 0,
        message_type: 0,
        sender_role: -1,
        target_agent_role: -1,
        producer_role: -1,
        reserved: 0,
        sender_capabilities: 0,
    };
    let repairs: [(i32, Mutate); 12] = [
        (EAB_HASH_MISSING, |h| h.hash_length = 16),
        (EAB_HASH_MISMATCH, |h| h.hash = *HASH),
        (EAB_EMPTY_MESSAGE_ID, |h| h.message_id_length = 1),
        (EAB_EMPTY_CONTENT, |h| h.content_length = 1),
        (EAB_MESSAGE_TOO_LARGE, |h| h.message_size = 1),
        (EAB_EXPIRED, |h| h.expires_at_ms = 0),
        (EAB_INVALID_TENANT, |h| {
            h.flags |= EAB_FLAG_TENANT_FORMAT_VALID
        }),
        (EAB_SENDER_NOT_REGISTERED, |h| {
            h.flags |= EAB_FLAG_SENDER_REGISTERED
        }),
        (EAB_RECIPIENT_NOT_REGISTERED, |h| {
            h.flags |= EAB_FLAG_RECIPIENT_REGISTERED
        }),
        (EAB_TENANT_MISMATCH_SENDER, |h| h.sender_tenant = 1),
        (EAB_TENANT_MISMATCH_RECIPIENT, |h| h.recipient_tenant = 1),
        (EAB_POLICY_DENIED, |_| {}),
    ];
    for (expected, repair) in repairs {
        assert_eq!(e.validate(&h), expected, "{h:?}");
        repair(&mut h);
    }
    let allow = Engine::new(&[], EAB_EFFECT_ALLOW);
    assert_eq!(allow.validate(&h), EAB_OK);
}

#[test]
fn hash_mismatch_wins_over_expiry() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    let mut h = good();
    h.hash[0] = b'x';
    h.expires_at_ms = 1;
    assert_eq!(e.validate(&h), EAB_HASH_MISMATCH);
    h.hash_length = -1;
    assert_eq!(e.validate(&h), EAB_HASH_MISSING);
}

#[test]
fn constant_time_compare_lengths_0_to_20() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    for len in 0..=20i32 {
        // What Java builds for a hash string of `len` characters that agrees
        // with the bus hash on every character it has: the first
        // min(len, 16) bytes, zero padded.
        let mut h = good();
        h.hash = [0; 16];
        let n = (len as usize).min(16);
        h.hash[..n].copy_from_slice(&HASH[..n]);
        h.hash_length = len;
        let expected = if len == 16 { EAB_OK } else { EAB_HASH_MISMATCH };
        assert_eq!(e.validate(&h), expected, "len {len}");
        assert_eq!(hash_mismatch(&h.hash, HASH, len), len != 16, "len {len}");

        // Correct 16 bytes but a lying length must still mismatch.
        let mut full = good();
        full.hash_length = len;
        assert_eq!(e.validate(&full), expected, "full bytes, len {len}");
    }
    // Any single differing bit anywhere in the 16 bytes is caught.
    for i in 0..16 {
        for bit in 0..8 {
            let mut h = good();
            h.hash[i] ^= 1 << bit;
            assert_eq!(e.validate(&h), EAB_HASH_MISMATCH, "byte {i} bit {bit}");
        }
    }
}

#[test]
fn reserved_field_is_ignored() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    let mut h = good();
    h.reserved = 0xA5;
    // Without MACI tables the role bytes and MACI flags are ignored too.
    h.sender_role = 3;
    h.target_agent_role = 100;
    h.producer_role = -100;
    h.flags |= EAB_FLAG_MACI_TARGET_AGENT | EAB_FLAG_MACI_TARGET_OUTPUT;
    assert_eq!(e.validate(&h), EAB_OK);
}

#[test]
fn policy_first_match_wins() {
    let mut h = good();
    h.policy_tenant = 3;
    h.sender_type = 4;
    h.message_type = 6;
    // Two matching rules with opposite effects: order decides.
    let deny_then_allow = [
        rule(1 << 3, EAB_ANY, 0, 1 << 6, EAB_EFFECT_DENY),
        rule(EAB_ANY, EAB_ANY, 0, EAB_ANY_MESSAGE_TYPE, EAB_EFFECT_ALLOW),
    ];
    let allow_then_deny = [deny_then_allow[1], deny_then_allow[0]];
    assert_eq!(
        Engine::new(&deny_then_allow, EAB_EFFECT_ALLOW).validate(&h),
        EAB_POLICY_DENIED
    );
    assert_eq!(
        Engine::new(&allow_then_deny, EAB_EFFECT_DENY).validate(&h),
        EAB_OK
    );
    // A non-matching first rule is skipped, then the default applies.
    let miss = [rule(
        1 << 2,
        EAB_ANY,
        0,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_ALLOW,
    )];
    assert_eq!(
        Engine::new(&miss, EAB_EFFECT_DENY).validate(&h),
        EAB_POLICY_DENIED
    );
    assert_eq!(Engine::new(&miss, EAB_EFFECT_ALLOW).validate(&h), EAB_OK);
    // Each condition alone can make a rule miss.
    let base = rule(1 << 3, 1 << 4, 0b10, 1 << 6, EAB_EFFECT_DENY);
    h.sender_capabilities = 0b10;
    assert_eq!(
        Engine::new(&[base], EAB_EFFECT_ALLOW).validate(&h),
        EAB_POLICY_DENIED
    );
    for variant in [
        EabPolicyRule {
            tenant_mask: 1 << 2,
            ..base
        },
        EabPolicyRule {
            sender_type_mask: 1 << 5,
            ..base
        },
        EabPolicyRule {
            required_capabilities: 0b100,
            ..base
        },
        EabPolicyRule {
            message_type_mask: 1 << 7,
            ..base
        },
    ] {
        assert_eq!(
            Engine::new(&[variant], EAB_EFFECT_ALLOW).validate(&h),
            EAB_OK,
            "{variant:?}"
        );
    }
}

#[test]
fn any_mask_matches_unnamed_ids_but_concrete_masks_do_not() {
    let deny_any = [rule(
        EAB_ANY,
        EAB_ANY,
        0,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_DENY,
    )];
    // A mask with every *named* bit but not equal to EAB_ANY.
    let almost = EAB_ANY & !(1 << 63);
    let deny_named = [rule(
        almost,
        almost,
        0,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_DENY,
    )];
    for (tenant, stype) in [(-1, 0), (0, -1), (-1, -1), (64, 0), (0, 100), (i32::MIN, 0)] {
        let mut h = good();
        h.policy_tenant = tenant;
        h.sender_type = stype;
        assert_eq!(
            Engine::new(&deny_any, EAB_EFFECT_ALLOW).validate(&h),
            EAB_POLICY_DENIED,
            "EAB_ANY must match ({tenant},{stype})"
        );
        assert_eq!(
            Engine::new(&deny_named, EAB_EFFECT_ALLOW).validate(&h),
            EAB_OK,
            "concrete mask must not match ({tenant},{stype})"
        );
    }
    // Bit 63 is an ordinary id.
    let mut h = good();
    h.policy_tenant = 63;
    h.sender_type = 63;
    assert_eq!(
        Engine::new(
            &[rule(
                1 << 63,
                1 << 63,
                0,
                EAB_ANY_MESSAGE_TYPE,
                EAB_EFFECT_DENY
            )],
            EAB_EFFECT_ALLOW
        )
        .validate(&h),
        EAB_POLICY_DENIED
    );
}

#[test]
fn message_type_mask_semantics() {
    let deny_gov = [rule(
        EAB_ANY,
        EAB_ANY,
        0,
        (1 << 6) | (1 << 7),
        EAB_EFFECT_DENY,
    )];
    let e = Engine::new(&deny_gov, EAB_EFFECT_ALLOW);
    for t in 0..12 {
        let mut h = good();
        h.message_type = t;
        let expected = if t == 6 || t == 7 {
            EAB_POLICY_DENIED
        } else {
            EAB_OK
        };
        assert_eq!(e.validate(&h), expected, "type {t}");
    }
    // Out-of-range types only match EAB_ANY_MESSAGE_TYPE.
    let all_bits_but_any = [rule(EAB_ANY, EAB_ANY, 0, u32::MAX >> 1, EAB_EFFECT_DENY)];
    let any = [rule(
        EAB_ANY,
        EAB_ANY,
        0,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_DENY,
    )];
    for t in [-1, 31, 32, 1000] {
        let mut h = good();
        h.message_type = t;
        assert_eq!(
            Engine::new(&any, EAB_EFFECT_ALLOW).validate(&h),
            EAB_POLICY_DENIED
        );
        assert_eq!(
            Engine::new(&all_bits_but_any, EAB_EFFECT_ALLOW).validate(&h),
            EAB_OK,
            "type {t}"
        );
    }
}

#[test]
fn required_capabilities() {
    let allow_if_caps = [rule(
        EAB_ANY,
        EAB_ANY,
        0b1010,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_ALLOW,
    )];
    let e = Engine::new(&allow_if_caps, EAB_EFFECT_DENY);
    for (caps, expected) in [
        (0b0000, EAB_POLICY_DENIED),
        (0b0010, EAB_POLICY_DENIED),
        (0b1000, EAB_POLICY_DENIED),
        (0b1010, EAB_OK),
        (0b1111, EAB_OK),
        (u64::MAX, EAB_OK),
    ] {
        let mut h = good();
        h.sender_capabilities = caps;
        assert_eq!(e.validate(&h), expected, "caps {caps:#b}");
    }
    // required_capabilities == 0 is "no condition".
    let e = Engine::new(
        &[rule(
            EAB_ANY,
            EAB_ANY,
            0,
            EAB_ANY_MESSAGE_TYPE,
            EAB_EFFECT_DENY,
        )],
        EAB_EFFECT_ALLOW,
    );
    assert_eq!(e.validate(&good()), EAB_POLICY_DENIED);
}

#[test]
fn null_pointers_are_reported() {
    let e = Engine::new(&[], EAB_EFFECT_ALLOW);
    let h = good();
    unsafe {
        assert_eq!(eab_validate(ptr::null(), &h), EAB_ERR_NULL_ARGUMENT);
        assert_eq!(eab_validate(e.0, ptr::null()), EAB_ERR_NULL_ARGUMENT);
        assert_eq!(
            eab_validate(ptr::null(), ptr::null()),
            EAB_ERR_NULL_ARGUMENT
        );
        assert!(eab_engine_new(ptr::null()).is_null());
        eab_engine_free(ptr::null_mut()); // must be a no-op
    }
}

#[test]
fn engine_new_rejects_bad_configs() {
    let ok_rule = rule(EAB_ANY, EAB_ANY, 0, EAB_ANY_MESSAGE_TYPE, EAB_EFFECT_DENY);
    let bad_rule = EabPolicyRule {
        effect: 2,
        ..ok_rule
    };
    let rules_ok = [ok_rule];
    let rules_bad = [ok_rule, bad_rule];
    let base = allow_all_config(&rules_ok, EAB_EFFECT_ALLOW);
    let mut nul_hash = *HASH;
    nul_hash[15] = 0;
    let mut high_hash = *HASH;
    high_hash[0] = 0xC3;
    let bad: [(&str, EabEngineConfig); 8] = [
        (
            "null rules with count",
            EabEngineConfig {
                rules: ptr::null(),
                ..base
            },
        ),
        (
            "max size 0",
            EabEngineConfig {
                max_message_size: 0,
                ..base
            },
        ),
        (
            "max size negative",
            EabEngineConfig {
                max_message_size: -1,
                ..base
            },
        ),
        (
            "default effect 2",
            EabEngineConfig {
                default_effect: 2,
                ..base
            },
        ),
        (
            "default effect max",
            EabEngineConfig {
                default_effect: u32::MAX,
                ..base
            },
        ),
        (
            "rule effect 2",
            allow_all_config(&rules_bad, EAB_EFFECT_ALLOW),
        ),
        (
            "NUL in hash",
            EabEngineConfig {
                constitutional_hash: nul_hash,
                ..base
            },
        ),
        (
            "non-ASCII hash",
            EabEngineConfig {
                constitutional_hash: high_hash,
                ..base
            },
        ),
    ];
    for (what, cfg) in bad {
        assert!(unsafe { eab_engine_new(&cfg) }.is_null(), "{what} accepted");
    }
    // Zero rules with a null pointer is fine; so is a non-null pointer with
    // count 0 (it is never read).
    for cfg in [
        EabEngineConfig {
            rules: ptr::null(),
            rule_count: 0,
            ..base
        },
        EabEngineConfig {
            rule_count: 0,
            ..base
        },
        base,
    ] {
        let p = unsafe { eab_engine_new(&cfg) };
        assert!(!p.is_null());
        unsafe { eab_engine_free(p) };
    }
    assert_eq!(
        EabEngine::new(*HASH, MAX, EAB_EFFECT_ALLOW, &rules_bad).unwrap_err(),
        ConfigError::InvalidRuleEffect(1)
    );
}

#[test]
fn engine_copies_rules_so_caller_memory_can_be_freed() {
    let mut rules = vec![rule(
        EAB_ANY,
        EAB_ANY,
        0,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_DENY,
    )];
    let cfg = allow_all_config(&rules, EAB_EFFECT_ALLOW);
    let p = unsafe { eab_engine_new(&cfg) };
    assert!(!p.is_null());
    rules[0].effect = EAB_EFFECT_ALLOW;
    drop(rules);
    assert_eq!(unsafe { eab_validate(p, &good()) }, EAB_POLICY_DENIED);
    unsafe { eab_engine_free(p) };
}

#[test]
fn unaligned_header_and_rules_are_read_correctly() {
    // Java may hand us structs at any offset of a byte segment.
    let rules = [rule(
        1 << 2,
        EAB_ANY,
        0,
        EAB_ANY_MESSAGE_TYPE,
        EAB_EFFECT_DENY,
    )];
    let mut rule_buf = vec![0u8; size_of::<EabPolicyRule>() + 1];
    unsafe {
        ptr::copy_nonoverlapping(
            rules.as_ptr().cast::<u8>(),
            rule_buf.as_mut_ptr().add(1),
            size_of::<EabPolicyRule>(),
        )
    };
    let cfg = EabEngineConfig {
        rules: unsafe { rule_buf.as_ptr().add(1) }.cast(),
        rule_count: 1,
        ..allow_all_config(&[], EAB_EFFECT_ALLOW)
    };
    let e = Engine(unsafe { eab_engine_new(&cfg) });
    assert!(!e.0.is_null());
    let h = good(); // policy_tenant 2 -> denied
    let mut hbuf = vec![0u8; size_of::<EabMessageHeader>() + 3];
    unsafe {
        ptr::copy_nonoverlapping(
            (&h as *const EabMessageHeader).cast::<u8>(),
            hbuf.as_mut_ptr().add(3),
            size_of::<EabMessageHeader>(),
        );
        assert_eq!(
            eab_validate(e.0, hbuf.as_ptr().add(3).cast()),
            EAB_POLICY_DENIED
        );
    }
}

#[test]
fn panic_probe_returns_error_instead_of_aborting() {
    assert_eq!(eab_panic_probe(0), 0);
    assert_eq!(eab_panic_probe(1), EAB_ERR_PANIC);
    assert_eq!(eab_panic_probe(-7), EAB_ERR_PANIC);
    // The library is still usable after a caught panic.
    assert_eq!(eab_panic_probe(0), 0);
    assert_eq!(Engine::new(&[], EAB_EFFECT_ALLOW).validate(&good()), EAB_OK);
}

#[test]
fn engine_is_shareable_across_threads() {
    // Java calls eab_validate concurrently on one engine.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<EabEngine>();
    let e = EabEngine::new(*HASH, MAX, EAB_EFFECT_ALLOW, &[]).unwrap();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..10_000 {
                    assert_eq!(e.validate(&good()), EAB_OK);
                }
            });
        }
    });
}
