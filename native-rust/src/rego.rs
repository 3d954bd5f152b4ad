//! # Rego policies (`eab_rego_*`)
//!
//! Operators write policies in Rego; the [`regorus`] interpreter evaluates them
//! in-process. This module is the C ABI around one `regorus::Engine`:
//!
//! * **Cold calls** (start-up and hot reload, on the reload thread):
//!   [`eab_rego_new`], [`eab_rego_add_policy`] (one `.rego` file: its name is
//!   the file name, so parse errors read `--> name.rego:LINE:COL`),
//!   [`eab_rego_add_data`] (the bundle's `data.json`), [`eab_rego_prepare`]
//!   (fixes the rule to query, e.g. `data.eab.allow`, and evaluates it once so
//!   compile errors surface at load, never on the bus), and
//!   [`eab_rego_eval_json`] (any JSON input, the result as JSON: diagnostics,
//!   the demo, tests).
//! * **The per-message call** [`eab_rego_decide`] takes the decision input in
//!   the compact wire format below (no JSON), evaluates the prepared rule and
//!   returns [`REGO_ALLOW`] (1) or [`REGO_DENY`] (0), or a negative error.
//!   Undefined (no rule body matched and no default) is a deny: fail closed.
//!   A result that is not a boolean is [`EAB_ERR_REGO_NOT_BOOLEAN`].
//! * [`eab_rego_input_json`] decodes a compact input to the JSON object the
//!   policy sees, so Java can prove its encoder and its JSON twin agree.
//!
//! ## Threading
//!
//! `regorus::Engine` evaluates through `&mut self` and is not `Sync`: an
//! `EabRego` must be used by **one thread at a time**. It is `Send` (the
//! crate's `arc` feature), so it may be built on one thread and handed over
//! to another with a happens-before edge (Java publishes it through an
//! `AtomicReference`). The bus keeps one engine for its own thread; any other
//! caller builds its own or takes a lock.
//!
//! ## Compact input (wire format, mirrored by Java's `RegoInputDescriptor`)
//!
//! [`REGO_INPUT_FIELDS`] UTF-8 strings in the order of [`REGO_INPUT_NAMES`],
//! each a little-endian `u16` byte length followed by the bytes. Nothing else;
//! trailing bytes or a short buffer are [`EAB_ERR_REGO_INPUT`].
//!
//! Every export runs inside `catch_unwind`; a panic is `EAB_ERR_PANIC` (or a
//! null engine), never an unwind into the JVM.

use core::num::NonZeroU32;
use core::ptr;
use core::time::Duration;
use std::panic::{catch_unwind, AssertUnwindSafe};

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use crate::{EAB_ERR_BUFFER_TOO_SMALL, EAB_ERR_NULL_ARGUMENT, EAB_ERR_PANIC, EAB_OK};

/// `eab_rego_decide`: the rule evaluated to `true`.
pub(crate) const REGO_ALLOW: i32 = 1;
/// `eab_rego_decide`: the rule evaluated to `false` or was undefined.
pub(crate) const REGO_DENY: i32 = 0;

/// A policy file or the data document did not parse or compile, or the
/// rule to query does not exist; the error text says where.
pub const EAB_ERR_REGO_POLICY: i32 = -5;
/// Evaluation failed (a builtin error, the time budget exceeded, no rule
/// prepared); the error text says why.
pub const EAB_ERR_REGO_EVAL: i32 = -6;
/// The rule evaluated to something other than a boolean.
pub const EAB_ERR_REGO_NOT_BOOLEAN: i32 = -7;
/// The compact input is malformed (short, trailing bytes, not UTF-8).
pub const EAB_ERR_REGO_INPUT: i32 = -8;

/// Fields in a compact input.
pub(crate) const REGO_INPUT_FIELDS: usize = 7;
/// The input object's keys, in wire order.
pub(crate) const REGO_INPUT_NAMES: [&str; REGO_INPUT_FIELDS] = [
    "sender",
    "sender_role",
    "tenant",
    "message_type",
    "recipient",
    "content_digest",
    "policy_version",
];

/// Wall-clock budget of one evaluation. Rego has no unbounded loops, but a
/// policy can still iterate a large data document; the bus thread must not
/// stall on it. Over budget the evaluation fails (the message is rejected).
const EVAL_BUDGET: Duration = Duration::from_millis(50);

/// One Rego engine with its prepared rule. Opaque to C.
pub struct EabRego {
    engine: Engine,
    rule: Option<String>,
}

impl EabRego {
    fn new() -> Self {
        let mut engine = Engine::new();
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: EVAL_BUDGET,
            check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
        });
        // A builtin's error (e.g. a bad regex) must fail the evaluation,
        // not quietly make the expression undefined.
        engine.set_strict_builtin_errors(true);
        EabRego { engine, rule: None }
    }

    /// Evaluates the prepared rule against `input`.
    fn eval(&mut self, input: Value) -> Result<Value, String> {
        let rule = self.rule.clone().ok_or_else(|| "no rule prepared (eab_rego_prepare)".to_string())?;
        self.engine.set_input(input);
        self.engine.eval_rule(rule).map_err(|e| e.to_string())
    }
}

/// Decodes the compact input into the object the policy sees.
pub(crate) fn decode_input(bytes: &[u8]) -> Result<Value, String> {
    let mut input = Value::new_object();
    let object = input.as_object_mut().map_err(|e| e.to_string())?;
    let mut at = 0usize;
    for name in REGO_INPUT_NAMES {
        let len_bytes = bytes
            .get(at..at + 2)
            .ok_or_else(|| format!("input ends before the length of '{name}'"))?;
        let len = usize::from(u16::from_le_bytes([len_bytes[0], len_bytes[1]]));
        at += 2;
        let text = bytes
            .get(at..at + len)
            .ok_or_else(|| format!("input ends inside '{name}'"))?;
        let text = core::str::from_utf8(text).map_err(|_| format!("'{name}' is not UTF-8"))?;
        at += len;
        object.insert(Value::from(name), Value::from(text));
    }
    if at != bytes.len() {
        return Err(format!("{} trailing byte(s) after the input", bytes.len() - at));
    }
    Ok(input)
}

/// Maps an evaluated rule value to the decision code.
pub(crate) fn decision(value: &Value) -> i32 {
    match value {
        Value::Bool(true) => REGO_ALLOW,
        Value::Bool(false) | Value::Undefined => REGO_DENY,
        _ => EAB_ERR_REGO_NOT_BOOLEAN,
    }
}


/// Copies `text` to `out` (truncated to `out_capacity`) and stores the full
/// length in `*out_len`.
///
/// # Safety
/// `out` valid for `out_capacity` writes (or null with 0), `out_len` valid
/// for one write (or null: nothing is reported).
unsafe fn write_text(text: &str, out: *mut u8, out_capacity: usize, out_len: *mut usize) {
    if !out_len.is_null() {
        // SAFETY: valid for one write per the contract.
        unsafe { out_len.write_unaligned(text.len()) };
    }
    let n = text.len().min(out_capacity);
    if n > 0 && !out.is_null() {
        // SAFETY: `out` is valid for `out_capacity >= n` writes and cannot
        // overlap a Rust-owned string.
        unsafe { ptr::copy_nonoverlapping(text.as_ptr(), out, n) };
    }
}

fn as_utf8(b: &[u8], what: &str) -> Result<String, String> {
    String::from_utf8(b.to_vec()).map_err(|_| format!("{what} is not UTF-8"))
}

/// Creates an empty engine (no policy, no data, no rule). Release it exactly
/// once with `eab_rego_free`. Returns NULL on panic.
#[no_mangle]
pub extern "C" fn eab_rego_new() -> *mut EabRego {
    catch_unwind(|| Box::into_raw(Box::new(EabRego::new()))).unwrap_or(ptr::null_mut())
}

/// Frees an engine created by `eab_rego_new`. NULL is a no-op.
///
/// # Safety
/// `rego` must be null or a live engine from `eab_rego_new`, not used again.
#[no_mangle]
pub unsafe extern "C" fn eab_rego_free(rego: *mut EabRego) {
    // SAFETY: this function's contract is free_boxed's.
    unsafe { crate::free_boxed(rego) };
}

/// Parses one policy file (`name`: the file name shown in errors; `text`: the
/// Rego source, UTF-8) into the engine. On `EAB_ERR_REGO_POLICY` the error
/// text (`--> name:LINE:COL` and the message) is written to `err`
/// (truncated to `err_capacity`; `*err_len` = its full length).
///
/// # Safety
/// `rego` a live engine used by no other thread; `name`, `text` valid for
/// their lengths; `err` valid for `err_capacity` writes; `err_len` valid for
/// one write.
#[no_mangle]
pub unsafe extern "C" fn eab_rego_add_policy(
    rego: *mut EabRego,
    name: *const u8,
    name_len: usize,
    text: *const u8,
    text_len: usize,
    err: *mut u8,
    err_capacity: usize,
    err_len: *mut usize,
) -> i32 {
    if rego.is_null() || (name.is_null() && name_len > 0) || (text.is_null() && text_len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let (name, text) = unsafe { (crate::input_bytes(name, name_len), crate::input_bytes(text, text_len)) };
        // SAFETY: live and exclusively ours for the call.
        let rego = unsafe { &mut *rego };
        let result = as_utf8(name, "policy name")
            .and_then(|n| as_utf8(text, &n).map(|t| (n, t)))
            .and_then(|(n, t)| rego.engine.add_policy(n, t).map_err(|e| e.to_string()));
        match result {
            Ok(_) => EAB_OK,
            Err(message) => {
                // SAFETY: per the contract.
                unsafe { write_text(&message, err, err_capacity, err_len) };
                EAB_ERR_REGO_POLICY
            }
        }
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// Merges a JSON data document (the bundle's `data.json`) into `data`. Errors
/// as for `eab_rego_add_policy` (the JSON parser's text names line and
/// column).
///
/// # Safety
/// As for `eab_rego_add_policy`.
#[no_mangle]
pub unsafe extern "C" fn eab_rego_add_data(
    rego: *mut EabRego,
    json: *const u8,
    json_len: usize,
    err: *mut u8,
    err_capacity: usize,
    err_len: *mut usize,
) -> i32 {
    if rego.is_null() || (json.is_null() && json_len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let json = unsafe { crate::input_bytes(json, json_len) };
        // SAFETY: live and exclusively ours for the call.
        let rego = unsafe { &mut *rego };
        let result = as_utf8(json, "data document").and_then(|j| {
            let value = Value::from_json_str(&j).map_err(|e| e.to_string())?;
            if value.as_object().is_err() {
                return Err("the data document must be a JSON object".to_string());
            }
            rego.engine.add_data(value).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => EAB_OK,
            Err(message) => {
                // SAFETY: per the contract.
                unsafe { write_text(&message, err, err_capacity, err_len) };
                EAB_ERR_REGO_POLICY
            }
        }
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// Fixes the rule every later evaluation queries (`data.<package>.<rule>`)
/// and evaluates it, then every rule of every module, once with an empty
/// input, so what only shows when the policies are compiled together (a
/// conflict, an unknown function, a rule that does not exist) fails the load
/// rather than a message. Errors as for `eab_rego_add_policy`.
///
/// # Safety
/// As for `eab_rego_add_policy`.
#[no_mangle]
pub unsafe extern "C" fn eab_rego_prepare(
    rego: *mut EabRego,
    rule: *const u8,
    rule_len: usize,
    err: *mut u8,
    err_capacity: usize,
    err_len: *mut usize,
) -> i32 {
    if rego.is_null() || rule.is_null() {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let rule = unsafe { crate::input_bytes(rule, rule_len) };
        // SAFETY: live and exclusively ours for the call.
        let rego = unsafe { &mut *rego };
        let result = as_utf8(rule, "rule").and_then(|r| {
            if !r.starts_with("data.") {
                return Err(format!("rule '{r}' must be a path under data (e.g. data.eab.allow)"));
            }
            rego.rule = Some(r);
            rego.eval(Value::new_object())?;
            // Every rule of every module once, so an error in a rule the queried one does not
            // reach on an empty input (an unknown function, a type error) fails the load too.
            rego.engine.eval_modules(false).map(|_| ()).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => EAB_OK,
            Err(message) => {
                rego.rule = None;
                // SAFETY: per the contract.
                unsafe { write_text(&message, err, err_capacity, err_len) };
                EAB_ERR_REGO_POLICY
            }
        }
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// The per-message call: evaluates the prepared rule with the compact input
/// at `input` (`input_len` bytes, format in the module docs). Returns 1
/// (allow), 0 (deny: false or undefined), or `EAB_ERR_REGO_INPUT`,
/// `EAB_ERR_REGO_EVAL`, `EAB_ERR_REGO_NOT_BOOLEAN`, `EAB_ERR_NULL_ARGUMENT`,
/// `EAB_ERR_PANIC`. No locking, no I/O; it allocates on the Rust heap
/// (regorus builds values), which is why Java caches decisions.
///
/// # Safety
/// `rego` a live engine used by no other thread; `input` valid for
/// `input_len` reads.
#[no_mangle]
pub unsafe extern "C" fn eab_rego_decide(rego: *mut EabRego, input: *const u8, input_len: usize) -> i32 {
    if rego.is_null() || input.is_null() {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let input = unsafe { crate::input_bytes(input, input_len) };
        // SAFETY: live and exclusively ours for the call.
        let rego = unsafe { &mut *rego };
        match decode_input(input) {
            Err(_) => EAB_ERR_REGO_INPUT,
            Ok(value) => match rego.eval(value) {
                Ok(result) => decision(&result),
                Err(_) => EAB_ERR_REGO_EVAL,
            },
        }
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// Cold path: evaluates the prepared rule with a JSON `input` and writes the
/// result as JSON to `out` (`undefined` when the rule is undefined), or on
/// `EAB_ERR_REGO_EVAL` the error text. `EAB_ERR_BUFFER_TOO_SMALL` when the
/// text does not fit (`*out_len` = the length needed; call again).
///
/// # Safety
/// As for `eab_rego_add_policy` (`out`, `out_capacity`, `out_len` as `err`).
#[no_mangle]
pub unsafe extern "C" fn eab_rego_eval_json(
    rego: *mut EabRego,
    input_json: *const u8,
    input_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> i32 {
    if rego.is_null() || (input_json.is_null() && input_len > 0) || out_len.is_null() || (out.is_null() && out_capacity > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let input = unsafe { crate::input_bytes(input_json, input_len) };
        // SAFETY: live and exclusively ours for the call.
        let rego = unsafe { &mut *rego };
        let result = as_utf8(input, "input")
            .and_then(|j| Value::from_json_str(&j).map_err(|e| e.to_string()))
            .and_then(|v| rego.eval(v))
            .and_then(|r| match r {
                Value::Undefined => Ok("undefined".to_string()),
                other => serde_json::to_string(&other).map_err(|e| e.to_string()),
            });
        let (code, text) = match result {
            Ok(json) => (EAB_OK, json),
            Err(message) => (EAB_ERR_REGO_EVAL, message),
        };
        // SAFETY: per the contract.
        unsafe { write_text(&text, out, out_capacity, out_len) };
        if text.len() > out_capacity {
            EAB_ERR_BUFFER_TOO_SMALL
        } else {
            code
        }
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// Diagnostics and the Java agreement test: decodes a compact input and
/// writes the JSON object the policy would see to `out`.
/// `EAB_ERR_REGO_INPUT` (with the reason in `out`) when malformed,
/// `EAB_ERR_BUFFER_TOO_SMALL` when the text does not fit.
///
/// # Safety
/// `input` valid for `input_len` reads; `out`, `out_capacity`, `out_len` as
/// for `eab_rego_eval_json`.
#[no_mangle]
pub unsafe extern "C" fn eab_rego_input_json(
    input: *const u8,
    input_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> i32 {
    if (input.is_null() && input_len > 0) || out_len.is_null() || (out.is_null() && out_capacity > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: per the contract.
        let input = unsafe { crate::input_bytes(input, input_len) };
        let (code, text) = match decode_input(input).and_then(|v| serde_json::to_string(&v).map_err(|e| e.to_string())) {
            Ok(json) => (EAB_OK, json),
            Err(message) => (EAB_ERR_REGO_INPUT, message),
        };
        // SAFETY: per the contract.
        unsafe { write_text(&text, out, out_capacity, out_len) };
        if text.len() > out_capacity {
            EAB_ERR_BUFFER_TOO_SMALL
        } else {
            code
        }
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"
package eab

default allow := false

allow if {
    input.message_type == "command"
    not data.blocked_senders[input.sender]
}
"#;

    fn encode(fields: [&str; REGO_INPUT_FIELDS]) -> Vec<u8> {
        let mut out = Vec::new();
        for f in fields {
            out.extend_from_slice(&(f.len() as u16).to_le_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }

    fn engine() -> *mut EabRego {
        let rego = eab_rego_new();
        let mut err = [0u8; 512];
        let mut len = 0usize;
        unsafe {
            let name = "allow.rego";
            assert_eq!(
                eab_rego_add_policy(rego, name.as_ptr(), name.len(), POLICY.as_ptr(), POLICY.len(), err.as_mut_ptr(), err.len(), &mut len),
                EAB_OK
            );
            let data = r#"{"blocked_senders": {"mallory": true}}"#;
            assert_eq!(eab_rego_add_data(rego, data.as_ptr(), data.len(), err.as_mut_ptr(), err.len(), &mut len), EAB_OK);
            let rule = "data.eab.allow";
            assert_eq!(eab_rego_prepare(rego, rule.as_ptr(), rule.len(), err.as_mut_ptr(), err.len(), &mut len), EAB_OK);
        }
        rego
    }

    #[test]
    fn allows_and_denies_by_input() {
        let rego = engine();
        let alice = encode(["alice", "executive", "acme", "command", "bob", "00ff", "v1"]);
        let mallory = encode(["mallory", "executive", "acme", "command", "bob", "00ff", "v1"]);
        let query = encode(["alice", "executive", "acme", "query", "bob", "00ff", "v1"]);
        unsafe {
            assert_eq!(eab_rego_decide(rego, alice.as_ptr(), alice.len()), REGO_ALLOW);
            assert_eq!(eab_rego_decide(rego, mallory.as_ptr(), mallory.len()), REGO_DENY);
            assert_eq!(eab_rego_decide(rego, query.as_ptr(), query.len()), REGO_DENY);
            eab_rego_free(rego);
        }
    }

    #[test]
    fn malformed_input_is_an_error_not_a_decision() {
        let rego = engine();
        let mut good = encode(["alice", "", "", "command", "", "", "v1"]);
        unsafe {
            assert_eq!(eab_rego_decide(rego, good.as_ptr(), good.len() - 1), EAB_ERR_REGO_INPUT);
            good.push(0);
            assert_eq!(eab_rego_decide(rego, good.as_ptr(), good.len()), EAB_ERR_REGO_INPUT);
            assert_eq!(eab_rego_decide(rego, ptr::null(), 0), EAB_ERR_NULL_ARGUMENT);
            assert_eq!(eab_rego_decide(ptr::null_mut(), good.as_ptr(), good.len()), EAB_ERR_NULL_ARGUMENT);
            eab_rego_free(rego);
        }
    }

    #[test]
    fn parse_error_names_file_and_line() {
        let rego = eab_rego_new();
        let bad = "package eab\n\nallow if {\n    input.x ==\n}\n";
        let name = "broken.rego";
        let mut err = [0u8; 1024];
        let mut len = 0usize;
        let code = unsafe {
            eab_rego_add_policy(rego, name.as_ptr(), name.len(), bad.as_ptr(), bad.len(), err.as_mut_ptr(), err.len(), &mut len)
        };
        assert_eq!(code, EAB_ERR_REGO_POLICY);
        let text = core::str::from_utf8(&err[..len.min(err.len())]).unwrap();
        assert!(text.contains("broken.rego:5:"), "{text}");
        unsafe { eab_rego_free(rego) };
    }

    #[test]
    fn unknown_rule_fails_prepare() {
        let rego = engine();
        let rule = "data.eab.nope";
        let mut err = [0u8; 512];
        let mut len = 0usize;
        unsafe {
            let code = eab_rego_prepare(rego, rule.as_ptr(), rule.len(), err.as_mut_ptr(), err.len(), &mut len);
            assert_eq!(code, EAB_ERR_REGO_POLICY);
            assert!(len > 0);
            // The failed prepare leaves no rule: evaluating now is an error, never an allow.
            let ok = encode(["alice", "", "", "command", "", "", "v1"]);
            assert_eq!(eab_rego_decide(rego, ok.as_ptr(), ok.len()), EAB_ERR_REGO_EVAL);
            eab_rego_free(rego);
        }
    }

    #[test]
    fn an_unknown_function_fails_prepare_even_outside_the_queried_rule() {
        let rego = engine();
        let extra = "package eab\n\nx if no_such_function(input.sender)\n";
        let name = "extra.rego";
        let rule = "data.eab.allow";
        let mut err = [0u8; 1024];
        let mut len = 0usize;
        unsafe {
            assert_eq!(
                eab_rego_add_policy(rego, name.as_ptr(), name.len(), extra.as_ptr(), extra.len(), err.as_mut_ptr(), err.len(), &mut len),
                EAB_OK
            );
            let code = eab_rego_prepare(rego, rule.as_ptr(), rule.len(), err.as_mut_ptr(), err.len(), &mut len);
            let text = core::str::from_utf8(&err[..len.min(err.len())]).unwrap();
            assert_eq!(code, EAB_ERR_REGO_POLICY, "{text}");
            assert!(text.contains("extra.rego:3:"), "{text}");
            eab_rego_free(rego);
        }
    }

    #[test]
    fn non_boolean_result_is_an_error() {
        assert_eq!(decision(&Value::from("yes")), EAB_ERR_REGO_NOT_BOOLEAN);
        assert_eq!(decision(&Value::Undefined), REGO_DENY);
        assert_eq!(decision(&Value::from(true)), REGO_ALLOW);
    }

    #[test]
    fn input_json_names_every_field() {
        let input = encode(["a", "b", "c", "d", "e", "f", "g"]);
        let mut out = [0u8; 512];
        let mut len = 0usize;
        let code = unsafe { eab_rego_input_json(input.as_ptr(), input.len(), out.as_mut_ptr(), out.len(), &mut len) };
        assert_eq!(code, EAB_OK);
        let v = Value::from_json_str(core::str::from_utf8(&out[..len]).unwrap()).unwrap();
        for (i, name) in REGO_INPUT_NAMES.iter().enumerate() {
            assert_eq!(v[*name], Value::from(["a", "b", "c", "d", "e", "f", "g"][i]));
        }
    }

    #[test]
    fn eval_json_reports_the_value() {
        let rego = engine();
        let input = r#"{"sender":"alice","message_type":"command"}"#;
        let mut out = [0u8; 64];
        let mut len = 0usize;
        unsafe {
            let code = eab_rego_eval_json(rego, input.as_ptr(), input.len(), out.as_mut_ptr(), out.len(), &mut len);
            assert_eq!(code, EAB_OK);
            assert_eq!(&out[..len], b"true");
            let code = eab_rego_eval_json(rego, input.as_ptr(), input.len(), out.as_mut_ptr(), 2, &mut len);
            assert_eq!(code, EAB_ERR_BUFFER_TOO_SMALL);
            assert_eq!(len, 4);
            eab_rego_free(rego);
        }
    }
}
