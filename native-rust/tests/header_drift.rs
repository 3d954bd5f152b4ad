//! Fails when the checked-in C header no longer matches what cbindgen
//! generates from the current Rust source, so an ABI change can never land
//! without the header (which the Java bindings are reviewed against).
//!
//! `EAB_BLESS=1 cargo test --test header_drift` rewrites the header instead.

use std::path::{Path, PathBuf};

const BLESS_HINT: &str = "run `EAB_BLESS=1 cargo test --test header_drift` in native-rust/ \
                          and commit ffi-headers/eab_native.h";

fn generate() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .expect("native-rust/cbindgen.toml must parse");
    // with_src parses lib.rs (and its `mod` files) directly instead of
    // running `cargo metadata`, keeping the test hermetic and fast.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src").join("lib.rs"))
        .generate()
        .expect("cbindgen failed to generate the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("cbindgen produced non-UTF-8 output")
}

fn header_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ffi-headers/eab_native.h")
}

#[test]
fn checked_in_header_matches_rust_source() {
    let generated = generate();
    let path = header_path();
    if std::env::var_os("EAB_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("blessed {}", path.display());
        return;
    }
    let checked_in = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; {BLESS_HINT}", path.display()));
    if checked_in != generated {
        let first_diff = checked_in
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or_else(|| checked_in.lines().count().min(generated.lines().count()) + 1);
        panic!(
            "ffi-headers/eab_native.h is out of date with the Rust source \
             (first difference at line {first_diff}); {BLESS_HINT}"
        );
    }
}

#[test]
fn header_contains_the_abi() {
    // Guards the cbindgen configuration itself: a config change that drops
    // the structs or the constants must not be blessed unnoticed.
    let h = generate();
    for needle in [
        "#ifndef EAB_NATIVE_H",
        "#include <stdint.h>",
        "#include <stddef.h>",
        "typedef struct EabEngine EabEngine;",
        "typedef struct EabMessageHeader {",
        "typedef struct EabPolicyRule {",
        "typedef struct EabEngineConfig {",
        "#define EAB_ABI_VERSION 1",
        "#define EAB_OK 0",
        "#define EAB_POLICY_DENIED 12",
        "#define EAB_ERR_NULL_ARGUMENT -1",
        "#define EAB_ERR_PANIC -2",
        "#define EAB_ERR_INVALID_CONFIG -3",
        "#define EAB_FLAG_HAS_RECIPIENT 8",
        "#define EAB_ANY 18446744073709551615ull",
        "#define EAB_EFFECT_DENY 1",
        "uint32_t eab_abi_version(void);",
        "struct EabEngine *eab_engine_new(const struct EabEngineConfig *config);",
        "void eab_engine_free(struct EabEngine *engine);",
        "int32_t eab_validate(const struct EabEngine *engine, const struct EabMessageHeader *header);",
        "int32_t eab_panic_probe(int32_t should_panic);",
        "typedef struct EabGuard EabGuard;",
        "#define EAB_ERR_BUFFER_TOO_SMALL -4",
        "#define EAB_GUARD_MAX_FAMILIES 64",
        "struct EabGuard *eab_guard_new(const uint8_t *config_json, size_t len);",
        "void eab_guard_free(struct EabGuard *guard);",
        "int32_t eab_guard_scan(const struct EabGuard *guard, const uint8_t *utf8, size_t len, uint64_t *matched_out);",
        "int32_t eab_guard_normalize(const uint8_t *utf8, size_t len, uint8_t *out, size_t out_capacity, size_t *out_len);",
    ] {
        assert!(h.contains(needle), "generated header lacks `{needle}`:\n{h}");
    }
    for rust_only in [
        "ConfigError",
        "GuardError",
        "MAX_REGEX_CHARS",
        "MAX_REPEAT",
        "SIMPLE_LOWERCASE",
    ] {
        assert!(
            !h.contains(rust_only),
            "Rust-only item {rust_only} leaked into the header"
        );
    }
}
