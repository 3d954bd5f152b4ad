//! C ABI of the fused keyword pass: a guard that also finds the impact
//! scorer's keywords (`impact.rs`) in its own pass over the text, so the
//! scorer (`eab_impact_score_found`) needs no second pass. See
//! [`EabGuard::scan_keywords`] for what the mask holds and when it falls back
//! to the reference finder.

use core::ptr;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{EabGuard, EAB_ERR_NULL_ARGUMENT, EAB_ERR_PANIC, EAB_OK};

/// `eab_guard_new` for a guard that also finds the impact keywords:
/// `matching` 0 = substring (the original's rule), 1 = word start, as
/// `eab_impact_new`. NULL also for any other `matching`. Release with
/// `eab_guard_free`.
///
/// # Safety
/// `config_json` must be null or valid for reads of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn eab_guard_new_keywords(config_json: *const u8, len: usize, matching: u32) -> *mut EabGuard {
    if config_json.is_null() {
        return ptr::null_mut();
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: non-null and valid for `len` reads per the contract.
        let json = unsafe { core::slice::from_raw_parts(config_json, len) };
        EabGuard::from_json_with_keywords(json, matching)
    }));
    match result {
        Ok(Ok(guard)) => Box::into_raw(Box::new(guard)),
        _ => ptr::null_mut(),
    }
}

/// `eab_guard_scan`, and in `*keywords_out` the impact keywords of the text
/// (bit i = keyword i, exactly what the scorer's own search returns in the
/// guard's matching mode, stop-after-five rule included), or -1 when the
/// guard was built by `eab_guard_new` (no keywords). Returns 0,
/// `EAB_ERR_NULL_ARGUMENT` or `EAB_ERR_PANIC`; on error nothing is written.
/// Allocation-free in steady state.
///
/// # Safety
/// As `eab_guard_scan`; `keywords_out` null or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn eab_guard_scan_keywords(
    guard: *const EabGuard,
    utf8: *const u8,
    len: usize,
    matched_out: *mut u64,
    keywords_out: *mut i32,
) -> i32 {
    if guard.is_null() || matched_out.is_null() || keywords_out.is_null() || (utf8.is_null() && len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: a live Box-allocated guard per the contract.
        let guard = unsafe { &*guard };
        // SAFETY: null with a zero length, or valid for `len` reads, per the contract.
        let text = unsafe { crate::input_bytes(utf8, len) };
        let (mask, keywords) = guard.scan_keywords(text);
        // SAFETY: each valid for one write; unaligned-safe for any Java segment.
        unsafe {
            matched_out.write_unaligned(mask);
            keywords_out.write_unaligned(keywords);
        }
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

#[cfg(test)]
mod tests {
    use crate::guard::EabGuard;
    use crate::impact::{Keywords, KEYWORDS, MATCH_SUBSTRING, MATCH_WORD};

    /// Families whose literals and triggers overlap the keywords (a literal
    /// equal to one, one containing one, one inside one), so the keyword
    /// strings share needles and ids with family strings.
    const CONFIG: &str = r#"{"version":"test","families":[
      {"name":"prompt_injection.instruction_override","literals":["ignore all previous instructions"],
       "regexes":["(?:ignore|disregard)[ \\t\\r\\n]+(?:all[ \\t\\r\\n]+)?(?:previous|prior)[ \\t\\r\\n]+instructions"]},
      {"name":"xss.script","literals":["<script","javascript:"]},
      {"name":"test.exploit","literals":["exploit","security breach","audi"]},
      {"name":"sql_injection.union","regexes":["union[ \\t\\r\\n]+(?:all[ \\t\\r\\n]+)?select[ \\t\\r\\n(]"]}
    ]}"#;

    /// Pieces the generated texts are made of: keywords in three cases, pieces
    /// of keywords, letters and digits that glue onto a keyword (word mode),
    /// punctuation, family phrases, and non-ASCII that normalisation changes.
    fn pieces() -> Vec<String> {
        let mut p: Vec<String> = Vec::new();
        for k in KEYWORDS {
            p.push(k.to_string());
            p.push(k.to_uppercase());
            p.push(format!("{}{}", &k[..1].to_uppercase(), &k[1..]));
            p.push(k[..k.len() - 1].to_string());
            p.push(k[1..].to_string());
        }
        for s in [
            " ", " ", " ", "\n", "a", "x9", "_", "-", ".", "ris", "k", "as", "ignore all previous instructions",
            "<script>", "union select (", "é", "\u{212A}", "\u{200B}", "ｒｉｓｋ", "ß", "\u{FFFD}", "12", "\"",
        ] {
            p.push(s.to_string());
        }
        p
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn fused_keywords_equal_the_reference_finder_and_leave_verdicts_alone() {
        let plain = EabGuard::from_json(CONFIG.as_bytes()).expect("loads");
        let reference = Keywords::new();
        let pieces = pieces();
        for matching in [MATCH_SUBSTRING, MATCH_WORD] {
            let fused = EabGuard::from_json_with_keywords(CONFIG.as_bytes(), matching).expect("loads");
            let mut fused_teddy = EabGuard::from_json_with_keywords(CONFIG.as_bytes(), matching).expect("loads");
            fused_teddy.use_reference_search(true);
            let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ u64::from(matching));
            let (mut nonzero, mut saturated) = (0, 0);
            for _ in 0..20_000 {
                let count = rng.next(40);
                let text: String = (0..count).map(|_| pieces[rng.next(pieces.len())].as_str()).collect();
                let expected = reference.find(text.as_bytes(), matching == MATCH_WORD);
                let (mask, keywords) = fused.scan_keywords(text.as_bytes());
                // The previous string-search engine (Teddy) must agree on both.
                assert_eq!(fused_teddy.scan_keywords(text.as_bytes()), (mask, keywords), "Teddy path on {text:?}");
                assert_eq!(keywords, expected as i32, "mode {matching} on {text:?}");
                assert_eq!(mask, plain.scan(text.as_bytes()), "family verdict changed on {text:?}");
                nonzero += usize::from(expected != 0);
                saturated += usize::from(expected.count_ones() >= 5);
            }
            // The generator must exercise every path: none, some, saturated.
            assert!(nonzero > 5_000 && saturated > 100, "mode {matching}: {nonzero} with keywords, {saturated} saturated");
        }
    }

    #[test]
    fn word_mode_needs_a_word_start_and_substring_mode_does_not() {
        let word = EabGuard::from_json_with_keywords(CONFIG.as_bytes(), MATCH_WORD).expect("loads");
        let sub = EabGuard::from_json_with_keywords(CONFIG.as_bytes(), MATCH_SUBSTRING).expect("loads");
        assert_eq!(word.scan_keywords(b"an asterisk").1, 0);
        assert_eq!(sub.scan_keywords(b"an asterisk").1, 1 << 6);
        assert_eq!(word.scan_keywords(b"two BREACHES, one risk").1, 1 << 3 | 1 << 6);
        // "exploit" is also a family literal: the family still matches inside a word.
        assert_eq!(word.scan_keywords(b"unexploited"), (1 << 2, 0));
        assert_eq!(EabGuard::from_json(CONFIG.as_bytes()).expect("loads").scan_keywords(b"risk").1, -1);
        assert!(EabGuard::from_json_with_keywords(CONFIG.as_bytes(), 2).is_err());
    }
}
