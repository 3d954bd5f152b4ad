//! Impact scorer (reference §3.5), the twin of Java `dev.eab.core.governance.JavaImpactScorer` and
//! `ImpactKeywords`: same tables, same algorithm, same order of floating-point operations, so both give
//! bit-identical scores and factors (shared vectors in `ffi-headers/impact_vectors.csv`, and the Java
//! `ImpactDifferentialTest` over generated inputs). No allocation per call: the per-agent state (volume
//! window, drift history) is sized once by `eab_impact_new`.

/// The 28 keywords, in bit order (bit i of a found-mask is keyword i).
pub(crate) const KEYWORDS: [&str; 28] = [
    "critical", "emergency", "security", "breach", "violation", "danger", "risk", "threat", "attack", "exploit",
    "vulnerability", "compromise", "governance", "policy", "regulation", "compliance", "legal", "audit", "financial",
    "transaction", "payment", "transfer", "blockchain", "consensus", "unauthorized", "abnormal", "suspicious", "alert",
];
const SATURATION_COUNT: u32 = 5;
const MIN_KEYWORD_BYTES: usize = 4;
const HASH_MULTIPLIER: u32 = 0x9E37_79B1;
const HASH_SHIFT: u32 = 20;
const BUCKETS: usize = 1 << (32 - HASH_SHIFT);
const ASCII_LOWER_MASK: u32 = 0x2020_2020;
pub(crate) const VOLUME_BUCKET_MS: i64 = 10_000;
pub(crate) const VOLUME_BUCKETS: usize = 6;
pub(crate) const DRIFT_HISTORY: usize = 20;
const SEMANTIC_LEVELS: [f64; 5] = [0.0, 0.1, 0.5, 0.8, 1.0];
const SEMANTIC_TENTHS: [i32; 5] = [0, 1, 5, 8, 10];
const PRIORITY_FACTORS: [f64; 4] = [0.2, 0.5, 0.7, 1.0];
/// By `MessageType` ordinal: command, query, response, event, notification, heartbeat, governance_request,
/// governance_response, constitutional_validation, task_request, task_response, audit_log.
const TYPE_FACTORS: [f64; 12] = [0.4, 0.2, 0.2, 0.2, 0.2, 0.2, 0.8, 0.8, 0.8, 0.2, 0.2, 0.2];
pub(crate) const FLAG_AMOUNT_OVER_1000: i32 = 1;
/// `KeywordMatching` ordinals.
pub(crate) const MATCH_SUBSTRING: u32 = 0;
pub(crate) const MATCH_WORD: u32 = 1;

fn bucket(lowered: u32) -> u32 {
    lowered.wrapping_mul(HASH_MULTIPLIER) >> HASH_SHIFT
}

fn prefix(k: &[u8]) -> u32 {
    u32::from_le_bytes([k[0], k[1], k[2], k[3]])
}

/// The keyword tables, built once: each keyword's 4-byte windows at offsets 0 and 1 (one for "risk").
pub(crate) struct Keywords {
    window: Vec<u32>,
    window_keyword: Vec<u8>,
    window_offset: Vec<u8>,
    filter: [u64; BUCKETS / 64],
    bucket_start: Vec<u16>,
    bucket_windows: Vec<u8>,
}

/// "ris" lowercased as the top three bytes of a window; "risk" is keyword 6.
const RIS: u32 = (b'r' as u32) | (b'i' as u32) << 8 | (b's' as u32) << 16;
const RISK: usize = 6;

impl Keywords {
    pub fn new() -> Self {
        debug_assert_eq!(KEYWORDS[RISK], "risk");
        let mut window = Vec::new();
        let mut window_keyword = Vec::new();
        let mut window_offset = Vec::new();
        let mut filter = [0u64; BUCKETS / 64];
        for (k, kw) in KEYWORDS.iter().enumerate() {
            let b = kw.as_bytes();
            let offsets = if b.len() > MIN_KEYWORD_BYTES { 2 } else { 1 };
            for o in 0..offsets {
                let w = prefix(&b[o..]);
                window.push(w);
                window_keyword.push(k as u8);
                window_offset.push(o as u8);
                let h = bucket(w);
                filter[(h >> 6) as usize] |= 1u64 << (h & 63);
            }
        }
        let mut bucket_start = vec![0u16; BUCKETS + 1];
        let mut bucket_windows = Vec::with_capacity(window.len());
        for h in 0..BUCKETS as u32 {
            bucket_start[h as usize] = bucket_windows.len() as u16;
            for (x, w) in window.iter().enumerate() {
                if bucket(*w) == h {
                    bucket_windows.push(x as u8);
                }
            }
        }
        bucket_start[BUCKETS] = bucket_windows.len() as u16;
        Keywords { window, window_keyword, window_offset, filter, bucket_start, bucket_windows }
    }

    /// The keywords found in `text` as a bit mask; stops after five distinct keywords. Every other position
    /// is checked (see the Java twin `ImpactKeywords` for why that finds every occurrence).
    pub fn find(&self, text: &[u8], word: bool) -> u32 {
        let len = text.len();
        if len < MIN_KEYWORD_BYTES {
            return 0;
        }
        let mut found = 0u32;
        let mut i = 0usize;
        while i <= len - MIN_KEYWORD_BYTES {
            // One bounds check for the window (i + 4 <= len by the loop condition).
            let w = u32::from_le_bytes(text[i..i + 4].try_into().unwrap_or([0; 4])) | ASCII_LOWER_MASK;
            if w >> 8 == RIS
                && i + MIN_KEYWORD_BYTES < len
                && (text[i + MIN_KEYWORD_BYTES] | 0x20) == b'k'
                && (found >> RISK) & 1 == 0
                && (!word || !is_ascii_alnum(text[i]))
            {
                found |= 1 << RISK;
                if found.count_ones() >= SATURATION_COUNT {
                    return found;
                }
            }
            let h = bucket(w);
            if (self.filter[(h >> 6) as usize] >> (h & 63)) & 1 != 0 {
                let (from, to) = (self.bucket_start[h as usize] as usize, self.bucket_start[h as usize + 1] as usize);
                for b in from..to {
                    let x = self.bucket_windows[b] as usize;
                    let k = self.window_keyword[x] as usize;
                    let o = self.window_offset[x] as usize;
                    if self.window[x] != w || i < o {
                        continue;
                    }
                    let p = i - o;
                    if (found >> k) & 1 != 0 || (word && p > 0 && is_ascii_alnum(text[p - 1])) || !matches(text, p, KEYWORDS[k].as_bytes()) {
                        continue;
                    }
                    found |= 1 << k;
                    if found.count_ones() >= SATURATION_COUNT {
                        return found;
                    }
                }
            }
            i += 2;
        }
        found
    }
}

/// Semantic level (index into the semantic factors) of a non-empty text with these keywords found.
fn level_of(mask: u32) -> usize {
    let hits = mask.count_ones();
    if hits >= SATURATION_COUNT {
        4
    } else if hits >= 3 {
        3
    } else if hits >= 1 {
        2
    } else {
        1
    }
}

impl Default for Keywords {
    fn default() -> Self {
        Self::new()
    }
}

fn matches(text: &[u8], at: usize, keyword: &[u8]) -> bool {
    if at + keyword.len() > text.len() {
        return false;
    }
    (0..keyword.len()).all(|j| (text[at + j] | 0x20) == keyword[j])
}

fn is_ascii_alnum(b: u8) -> bool {
    b.is_ascii_digit() || ((b | 0x20) >= b'a' && (b | 0x20) <= b'z')
}

/// The tool words with their tiers, in the Java twin's order.
const TOOL_WORDS: [&[u8]; 12] = [b"execute", b"delete", b"write", b"submit", b"transfer", b"send", b"update", b"modify", b"read", b"get", b"list", b"view"];
const TOOL_TIERS: [f64; 12] = [0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.2];

/// The max over newline-separated tool names; 0.1 when none matches or there are none. One pass (no tool word
/// can match across a newline); stops at 0.9.
pub fn permission(tools: &[u8]) -> f64 {
    // Which tool words start with each letter (as the Java twin's TOOL_WORDS_BY_LETTER).
    const BY_LETTER: [u16; 26] = {
        let mut t = [0u16; 26];
        let mut n = 0;
        while n < TOOL_WORDS.len() {
            t[(TOOL_WORDS[n][0] - b'a') as usize] |= 1 << n;
            n += 1;
        }
        t
    };
    let mut best = 0.1f64;
    for i in 0..tools.len() {
        let c = tools[i] | 0x20;
        if !c.is_ascii_lowercase() {
            continue;
        }
        let mut m = BY_LETTER[(c - b'a') as usize];
        while m != 0 {
            let n = m.trailing_zeros() as usize;
            m &= m - 1;
            let w = TOOL_WORDS[n];
            if TOOL_TIERS[n] > best && i + w.len() <= tools.len() && (1..w.len()).all(|j| (tools[i + j] | 0x20) == w[j]) {
                best = TOOL_TIERS[n];
                if best == 0.9 {
                    return best;
                }
            }
        }
    }
    best
}

/// The impact scorer with its per-agent state (volume window, drift history); opaque to C.
pub struct EabImpact {
    keywords: Keywords,
    word: bool,
    max_agents: usize,
    bucket_epoch: Vec<i64>,
    bucket_counts: Vec<i32>,
    history: Vec<u8>,
    history_count: Vec<u32>,
    history_next: Vec<u32>,
    history_tenths: Vec<i32>,
}

impl EabImpact {
    /// A scorer for agent handles `0..max_agents`; `matching` 1 = word start, else substring.
    pub fn new(max_agents: usize, matching: u32) -> Self {
        EabImpact {
            keywords: Keywords::new(),
            word: matching == MATCH_WORD,
            max_agents,
            bucket_epoch: vec![i64::MIN; max_agents],
            bucket_counts: vec![0; max_agents * VOLUME_BUCKETS],
            history: vec![0; max_agents * DRIFT_HISTORY],
            history_count: vec![0; max_agents],
            history_next: vec![0; max_agents],
            history_tenths: vec![0; max_agents],
        }
    }

    /// Scores one message and records it; `out` gets the score then the seven factors.
    #[allow(clippy::too_many_arguments)]
    pub fn score(&mut self, agent: i32, now_ms: i64, text: &[u8], tools: &[u8], flags: i32, priority: i32, message_type: i32, out: &mut [f64; 8]) {
        let level = if text.is_empty() { 0 } else { level_of(self.keywords.find(text, self.word)) };
        self.score_level(agent, now_ms, level, tools, flags, priority, message_type, out);
    }

    /// [`Self::score`] for a non-empty text whose keywords were already found (by the guardrail scan's own
    /// pass, `EabGuard::scan_keywords`, in this scorer's matching mode): `keyword_mask` is what
    /// [`Keywords::find`] returns for that text. An empty text must go through [`Self::score`] (it has
    /// semantic level 0, not "no keyword").
    #[allow(clippy::too_many_arguments)]
    pub fn score_found(&mut self, agent: i32, now_ms: i64, keyword_mask: u32, tools: &[u8], flags: i32, priority: i32, message_type: i32, out: &mut [f64; 8]) {
        self.score_level(agent, now_ms, level_of(keyword_mask), tools, flags, priority, message_type, out);
    }

    /// The matching mode this scorer was built with ([`MATCH_SUBSTRING`] or [`MATCH_WORD`]).
    pub fn matching(&self) -> u32 {
        if self.word { MATCH_WORD } else { MATCH_SUBSTRING }
    }

    #[allow(clippy::too_many_arguments)]
    fn score_level(&mut self, agent: i32, now_ms: i64, level: usize, tools: &[u8], flags: i32, priority: i32, message_type: i32, out: &mut [f64; 8]) {
        let semantic = SEMANTIC_LEVELS[level];
        let permission = permission(tools);
        let tracked = agent >= 0 && (agent as usize) < self.max_agents;
        let volume = if tracked { self.volume(agent as usize, now_ms) } else { 0.1 };
        let context = if flags & FLAG_AMOUNT_OVER_1000 != 0 { 0.2 + 0.4 } else { 0.2 };
        let drift = if tracked { self.drift(agent as usize, semantic, level) } else { 0.0 };
        let prio = if (0..4).contains(&priority) { PRIORITY_FACTORS[priority as usize] } else { 0.5 };
        let typ = if (0..12).contains(&message_type) { TYPE_FACTORS[message_type as usize] } else { 0.2 };
        let mut score = 0.3 * semantic + 0.2 * permission + 0.1 * volume + 0.1 * context + 0.1 * drift + 0.1 * prio + 0.1 * typ;
        if prio >= 0.9 {
            score = score.max(0.9);
        }
        if semantic >= 0.8 {
            score = score.max(0.8);
        }
        out[0] = score.min(1.0);
        out[1] = semantic;
        out[2] = permission;
        out[3] = volume;
        out[4] = context;
        out[5] = drift;
        out[6] = prio;
        out[7] = typ;
    }

    fn volume(&mut self, agent: usize, now_ms: i64) -> f64 {
        let epoch = now_ms.div_euclid(VOLUME_BUCKET_MS);
        let base = agent * VOLUME_BUCKETS;
        let last = self.bucket_epoch[agent];
        if last == i64::MIN || epoch.wrapping_sub(last) >= VOLUME_BUCKETS as i64 || epoch < last {
            self.bucket_counts[base..base + VOLUME_BUCKETS].fill(0);
        } else {
            let mut e = last + 1;
            while e <= epoch {
                self.bucket_counts[base + e.rem_euclid(VOLUME_BUCKETS as i64) as usize] = 0;
                e += 1;
            }
        }
        self.bucket_epoch[agent] = epoch;
        let before: i32 = self.bucket_counts[base..base + VOLUME_BUCKETS].iter().sum();
        self.bucket_counts[base + epoch.rem_euclid(VOLUME_BUCKETS as i64) as usize] += 1;
        if before >= 150 {
            1.0
        } else if before >= 50 {
            0.5
        } else if before >= 20 {
            0.2
        } else {
            0.1
        }
    }

    fn drift(&mut self, agent: usize, semantic: f64, level: usize) -> f64 {
        let n = self.history_count[agent] as usize;
        let base = agent * DRIFT_HISTORY;
        let drift = if n > 0 {
            (2.0 * (semantic - self.history_tenths[agent] as f64 / (10.0 * n as f64)).abs()).min(1.0)
        } else {
            0.0
        };
        let next = self.history_next[agent] as usize;
        if n == DRIFT_HISTORY {
            self.history_tenths[agent] -= SEMANTIC_TENTHS[self.history[base + next] as usize];
        }
        self.history_tenths[agent] += SEMANTIC_TENTHS[level];
        self.history[base + next] = level as u8;
        self.history_next[agent] = if next + 1 == DRIFT_HISTORY { 0 } else { (next + 1) as u32 };
        if n < DRIFT_HISTORY {
            self.history_count[agent] = (n + 1) as u32;
        }
        drift
    }
}

use core::ptr;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{EAB_ERR_NULL_ARGUMENT, EAB_ERR_PANIC, EAB_OK};

/// Creates an impact scorer with per-agent state for handles `0..max_agents`;
/// `matching` is 0 (substring, the original's rule) or 1 (word start). Returns
/// NULL on panic or for `max_agents` of 0. Release it once with `eab_impact_free`.
#[no_mangle]
pub extern "C" fn eab_impact_new(max_agents: u32, matching: u32) -> *mut EabImpact {
    if max_agents == 0 {
        return ptr::null_mut();
    }
    match catch_unwind(|| EabImpact::new(max_agents as usize, matching)) {
        Ok(scorer) => Box::into_raw(Box::new(scorer)),
        Err(_) => ptr::null_mut(),
    }
}

/// Frees a scorer from `eab_impact_new`. NULL is a no-op.
///
/// # Safety
/// `scorer` must be null or a pointer from `eab_impact_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn eab_impact_free(scorer: *mut EabImpact) {
    // SAFETY: this function's contract is free_boxed's.
    unsafe { crate::free_boxed(scorer) };
}

/// Scores one message (reference §3.5) and records it in the agent's volume
/// window and drift history. `out` receives 8 doubles: the score, then the
/// factors semantic, permission, volume, context, drift, priority, type.
/// `tools` holds tool names separated by newlines. Returns 0,
/// `EAB_ERR_NULL_ARGUMENT` or `EAB_ERR_PANIC`. No allocation; one caller at a time.
///
/// # Safety
/// `scorer` must be null or live and not used concurrently; `text` and `tools`
/// null (with a zero length) or valid for their lengths; `out` null or valid
/// for 8 writes of `double`.
#[no_mangle]
pub unsafe extern "C" fn eab_impact_score(
    scorer: *mut EabImpact,
    text: *const u8,
    text_len: usize,
    tools: *const u8,
    tools_len: usize,
    agent: i32,
    priority: i32,
    message_type: i32,
    flags: i32,
    now_ms: i64,
    out: *mut f64,
) -> i32 {
    if scorer.is_null() || out.is_null() || (text.is_null() && text_len > 0) || (tools.is_null() && tools_len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: live scorer, exclusive per the contract.
        let scorer = unsafe { &mut *scorer };
        // SAFETY: null with a zero length, or valid for `text_len` reads, per the contract.
        let text = unsafe { crate::input_bytes(text, text_len) };
        // SAFETY: null with a zero length, or valid for `tools_len` reads, per the contract.
        let tools = unsafe { crate::input_bytes(tools, tools_len) };
        let mut result = [0.0f64; 8];
        scorer.score(agent, now_ms, text, tools, flags, priority, message_type, &mut result);
        for (i, v) in result.iter().enumerate() {
            // SAFETY: valid for 8 writes per the contract; unaligned-safe.
            unsafe { out.add(i).write_unaligned(*v) };
        }
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

/// [`eab_impact_score`] for a non-empty text whose impact keywords were already found, in the scorer's
/// matching mode, by the guardrail scan's own pass (`eab_guard_scan_keywords`): `keyword_mask` replaces
/// the text (bit i = keyword i). Same result and same recorded state as `eab_impact_score` on that text.
/// Returns 0, `EAB_ERR_NULL_ARGUMENT` or `EAB_ERR_PANIC`. No allocation; one caller at a time.
///
/// # Safety
/// As `eab_impact_score`, without the text.
#[no_mangle]
pub unsafe extern "C" fn eab_impact_score_found(
    scorer: *mut EabImpact,
    keyword_mask: u32,
    tools: *const u8,
    tools_len: usize,
    agent: i32,
    priority: i32,
    message_type: i32,
    flags: i32,
    now_ms: i64,
    out: *mut f64,
) -> i32 {
    if scorer.is_null() || out.is_null() || (tools.is_null() && tools_len > 0) {
        return EAB_ERR_NULL_ARGUMENT;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: live scorer, exclusive per the contract.
        let scorer = unsafe { &mut *scorer };
        // SAFETY: non-null and valid for its length per the contract.
        // SAFETY: null with a zero length, or valid for `tools_len` reads, per the contract.
        let tools = unsafe { crate::input_bytes(tools, tools_len) };
        let mut result = [0.0f64; 8];
        scorer.score_found(agent, now_ms, keyword_mask, tools, flags, priority, message_type, &mut result);
        for (i, v) in result.iter().enumerate() {
            // SAFETY: valid for 8 writes per the contract; unaligned-safe.
            unsafe { out.add(i).write_unaligned(*v) };
        }
        EAB_OK
    }))
    .unwrap_or(EAB_ERR_PANIC)
}

#[cfg(test)]
mod impact_tests {
    use super::*;

    fn score(s: &mut EabImpact, text: &str, priority: i32) -> [f64; 8] {
        let mut out = [0.0; 8];
        s.score(0, 0, text.as_bytes(), b"", 0, priority, 3, &mut out);
        out
    }

    #[test]
    fn worked_values() {
        assert!((score(&mut EabImpact::new(4, MATCH_SUBSTRING), "content\nhello world", 1)[0] - 0.15).abs() < 1e-12);
        assert_eq!(score(&mut EabImpact::new(4, MATCH_SUBSTRING), "content\nhello world", 3)[0], 0.9);
        assert_eq!(score(&mut EabImpact::new(4, MATCH_SUBSTRING), "critical security breach", 1)[0], 0.8);
    }

    #[test]
    fn substring_and_word_modes() {
        let k = Keywords::new();
        assert_eq!(k.find(b"an asterisk", false), 1 << 6);
        assert_eq!(k.find(b"an asterisk", true), 0);
        assert_eq!(k.find(b"two BREACHES", true), 1 << 3);
        assert_eq!(k.find(b"risk", false), 1 << 6);
        assert_eq!(k.find(b"ris", false), 0);
    }

    #[test]
    fn the_shared_vectors_hold() {
        let csv = include_str!("../../ffi-headers/impact_vectors.csv");
        let mut checked = 0;
        for line in csv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('|').collect();
            let mut s = EabImpact::new(4, if f[0] == "word" { MATCH_WORD } else { MATCH_SUBSTRING });
            let text = f[1].replace("\\n", "\n");
            let tools = f[2].replace(',', "\n");
            let mut out = [0.0; 8];
            s.score(0, 0, text.as_bytes(), tools.as_bytes(), f[3].parse().unwrap(), f[4].parse().unwrap(), f[5].parse().unwrap(), &mut out);
            let expected: f64 = f[6].parse().unwrap();
            assert!((out[0] - expected).abs() < 1e-9, "{line}: got {}", out[0]);
            checked += 1;
        }
        assert!(checked >= 10);
    }
}
