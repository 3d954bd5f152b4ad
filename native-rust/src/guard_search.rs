//! Which of a fixed set of strings occur in a text: the scanner's one pass.
//!
//! The strings are a few dozen to a few hundred family literals and regex
//! triggers (see `guard.rs`). Searching for all of them with one automaton,
//! or with several SIMD searchers each holding a share of them, costs 2 ns or
//! more per byte: the automaton's table does not fit the caches, and a Teddy
//! searcher with many strings per bucket proposes a candidate at most
//! positions of English text. So the search looks for much less:
//!
//! * every string of three bytes or more is represented by one *needle*: its
//!   rarest window of four bytes (three for a three-byte string), rated by
//!   English letter frequencies ([`byte_frequency`]). Strings that share a
//!   window share the needle ("instruction", "instructions" and
//!   "[inst]"-like strings need only one or two). All needles are found in
//!   one pass by the [`FingerprintFilter`] (a hash of the four bytes at each
//!   position tested in a 64 KB table; any number of needles); each needle
//!   found is *confirmed* by comparing the strings it stands for at their
//!   offsets. The previous engine, `aho_corasick::packed` (Teddy, SIMD)
//!   searchers of at most [`TEDDY_MAX_NEEDLES`] needles each over a
//!   nibble-spread copy of the text, is still built and selectable
//!   ([`StringSearch::use_teddy`]) as the differential tests' reference;
//! * strings of one or two bytes (the punctuation triggers `=`, `<`, `--`,
//!   `..`) are exact buckets of a [`ShortSet`]: one vector pass records which
//!   of them occur anywhere (AVX2 when the CPU has it, a table per byte
//!   otherwise). Longer strings with punctuation (`%2e%2e%2f`, `onerror=`)
//!   are needles like the words (until round 3 they hid behind a two-byte
//!   gate in this pass and were confirmed by a substring search of the text).
//!
//! On a CPU with AVX-512 VBMI, ASCII text takes [`StringSearch::for_each_found_ascii`]:
//! the sweep of `guard_sweep.rs` prefilters the needles and finds the short
//! strings in one vector pass, and only its candidate positions are probed in
//! the fingerprint table. Everything else (non-ASCII text, other CPUs) takes
//! the passes above.
//!
//! The text must be followed by [`PADDING_BYTES`] of `0xFF` (a byte that never
//! occurs in UTF-8, so no string can match into it): Teddy then never falls
//! back to its slow path for short haystacks, and the vector loop reads whole
//! blocks without a scalar tail.

use aho_corasick::{packed, Span};

use crate::guard::GuardError;
use crate::guard_sweep::{AsciiSweep, ShortSwept, MAX_SWEEP_SHORT_BLOCKS, SHORT_TEXT_BYTES, SWEEP_READ_AHEAD};

/// Bytes of `0xFF` the caller appends after the text (see the module docs):
/// at least one AVX2 block plus one byte, and at least Teddy's minimum
/// haystack (checked when the searcher is built).
pub(crate) const PADDING_BYTES: usize = 128;

/// The byte used for padding: never part of valid UTF-8.
pub(crate) const PADDING_BYTE: u8 = 0xFF;

/// The byte Teddy sees for `b`: its high nibble XORed with its low one.
///
/// Teddy fingerprints each needle byte by its low and its high nibble
/// separately. Every lowercase letter has the high nibble 6 or 7, so on plain
/// text half of each fingerprint says nothing and most positions of English
/// text become candidates. This bijection keeps the low nibble and spreads
/// the letters over all sixteen high nibbles; the needles are mapped the same
/// way, so an occurrence stays an occurrence.
#[inline]
fn spread_byte(b: u8) -> u8 {
    b ^ (b << 4)
}

/// Needles per Teddy searcher: beyond 64 the packed searcher refuses Teddy.
const TEDDY_MAX_NEEDLES: usize = 64;

/// Longest needle, in bytes (Teddy fingerprints at most four bytes).
const NEEDLE_BYTES: usize = 4;

/// Strings this short (in bytes) go to the [`ShortSet`] instead of Teddy.
pub(crate) const SHORT_MAX_BYTES: usize = 2;

/// Buckets per [`ShortSet`] block: one bit each in a byte of the vector.
const SHORT_BLOCK: usize = 8;

/// Blocks a [`ShortSet`] holds at most: 64 one- or two-byte strings.
/// Beyond that, [`StringSearch::new`] refuses the configuration.
const MAX_SHORT_BLOCKS: usize = 8;

const _: () = assert!(MAX_SHORT_BLOCKS <= MAX_SWEEP_SHORT_BLOCKS && PADDING_BYTES >= SWEEP_READ_AHEAD);
const _: () = assert!(SHORT_TEXT_BYTES + PADDING_BYTES <= crate::guard_sweep::SHORT_STORED_BYTES);

/// A string represented by a needle: where the needle sits inside it.
struct Confirm {
    /// The string's id (its index in the caller's list).
    id: usize,
    /// Offset of the needle inside the string.
    offset: usize,
    /// The string's first eight bytes (fewer for a shorter string) as a little-endian word and the mask of the
    /// bytes it has, kept with the confirmation so that it reads one record (they were three arrays indexed by id).
    word: u64,
    mask: u64,
    /// The string is longer than eight bytes (the rest is compared byte by byte).
    long: bool,
    /// The string counts only where it starts a word (no ASCII letter or digit before it): the impact keywords'
    /// word mode. Such strings are always needles (checked when built).
    word_start: bool,
}

/// One needle and what finding it means.
struct Needle {
    bytes: Box<[u8]>,
    /// Strings to compare when the needle is found.
    confirms: Box<[Confirm]>,
    /// Other needles that start with this one or that this one starts with:
    /// Teddy reports one needle per position, so these are checked too.
    siblings: Box<[usize]>,
}

/// See the module docs.
pub(crate) struct StringSearch {
    strings: Box<[Box<[u8]>]>,
    needles: Box<[Needle]>,
    /// Each searcher with the needle id of its pattern 0 (its patterns are
    /// consecutive needles).
    teddies: Box<[(packed::Searcher, usize)]>,
    short: ShortSet,
    /// Padding bytes the Teddy searchers read past the text.
    spread_padding: usize,
    /// Needle id → its bytes as a little-endian word and the mask of the bytes
    /// it has (a three-byte needle: the low three).
    needle_words: Box<[(u32, u32)]>,
    /// The AVX-512 sweep for ASCII text (see `guard_sweep.rs`); None when the
    /// CPU lacks AVX-512 VBMI (or the tests switched it off).
    sweep: Option<AsciiSweep>,
    /// The one-pass fingerprint filter over every needle (see [`FingerprintFilter`]).
    bigrams: FingerprintFilter,
    /// True: search with the Teddy searchers instead of [`Self::bigrams`] (the
    /// previous engine, kept for the differential tests and the timing example).
    teddy: bool,
}

impl StringSearch {
    /// Builds the search for `strings` (non-empty, distinct, valid UTF-8).
    #[cfg(test)]
    pub(crate) fn new(strings: &[Vec<u8>]) -> Result<Self, GuardError> {
        Self::with_word_starts(strings, &vec![false; strings.len()])
    }

    /// [`Self::new`] where `word_start[id]` says string `id` is reported only where it starts a word.
    /// Two equal strings may be given when one of them is a word-start string.
    pub(crate) fn with_word_starts(strings: &[Vec<u8>], word_start: &[bool]) -> Result<Self, GuardError> {
        assert_eq!(strings.len(), word_start.len(), "one word-start flag per string");
        let mut needles: Vec<(Vec<u8>, Vec<Confirm>)> = Vec::new();
        // One- and two-byte strings, each with the strings it stands for.
        let mut short: Vec<(Vec<u8>, Vec<ShortTarget>)> = Vec::new();
        fn add_short(short: &mut Vec<(Vec<u8>, Vec<ShortTarget>)>, bytes: &[u8], target: ShortTarget) {
            match short.iter_mut().find(|(b, _)| b.as_slice() == bytes) {
                Some((_, targets)) => targets.push(target),
                None => short.push((bytes.to_vec(), vec![target])),
            }
        }
        for (id, s) in strings.iter().enumerate() {
            if word_start[id] && (s.len() <= SHORT_MAX_BYTES || !s.iter().all(u8::is_ascii_lowercase)) {
                // Only needles know where a string starts.
                return Err(GuardError(format!(
                    "string search: word-start string {:?} must be three or more lowercase ASCII letters",
                    String::from_utf8_lossy(s)
                )));
            }
            if s.len() <= SHORT_MAX_BYTES {
                add_short(&mut short, s, ShortTarget { id });
            } else {
                // A window some earlier string already searches for costs nothing.
                let width = s.len().min(NEEDLE_BYTES);
                let shared = (0..=s.len() - width).find(|&i| {
                    needles.iter().any(|(n, _)| n.as_slice() == &s[i..i + width])
                });
                let (offset, window) = match shared {
                    Some(i) => (i, &s[i..i + width]),
                    None => rarest_window(s),
                };
                let confirm = Confirm { id, offset, word: 0, mask: 0, long: false, word_start: false };
                match needles.iter_mut().find(|(n, _)| n.as_slice() == window) {
                    Some((_, confirms)) => confirms.push(confirm),
                    None => needles.push((window.to_vec(), vec![confirm])),
                }
            }
        }
        // Three-byte needles together, so the four-byte ones keep a
        // four-byte fingerprint when they need a searcher of their own.
        needles.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
        let siblings = |i: usize| -> Box<[usize]> {
            let me = &needles[i].0;
            (0..needles.len())
                .filter(|&j| j != i && (needles[j].0.starts_with(me) || me.starts_with(&needles[j].0)))
                .collect()
        };
        let linked: Vec<Needle> = (0..needles.len())
            .map(|i| Needle {
                bytes: needles[i].0.clone().into_boxed_slice(),
                confirms: Box::default(),
                siblings: siblings(i),
            })
            .collect();
        let mut linked = linked;
        for (needle, (_, confirms)) in linked.iter_mut().zip(needles) {
            needle.confirms = confirms.into_boxed_slice();
        }
        if short.len() > MAX_SHORT_BLOCKS * SHORT_BLOCK {
            return Err(GuardError(format!(
                "string search: {} distinct one- and two-byte strings, at most {} are supported",
                short.len(),
                MAX_SHORT_BLOCKS * SHORT_BLOCK
            )));
        }
        // The AVX-512 ASCII sweep when the CPU has it (else None: the scalar filter and the AVX2 pass).
        let sweep = if AsciiSweep::available() {
            let needle_bytes: Vec<&[u8]> = linked.iter().map(|n| &*n.bytes).collect();
            let short_bytes: Vec<&[u8]> = short.iter().map(|(b, _)| b.as_slice()).collect();
            AsciiSweep::new(&needle_bytes, &short_bytes, byte_frequency)
        } else {
            None
        };
        let needle_words = linked
            .iter()
            .map(|n| {
                let mut word = [0u8; 4];
                word[..n.bytes.len()].copy_from_slice(&n.bytes);
                (u32::from_le_bytes(word), u32::MAX >> (8 * (4 - n.bytes.len())))
            })
            .collect();
        let prefixes: Box<[(u64, u64)]> = strings
            .iter()
            .map(|s| {
                let n = s.len().min(8);
                let mut word = [0u8; 8];
                word[..n].copy_from_slice(&s[..n]);
                (u64::from_le_bytes(word), u64::MAX >> (8 * (8 - n)))
            })
            .collect();
        for c in linked.iter_mut().flat_map(|n| n.confirms.iter_mut()) {
            (c.word, c.mask) = prefixes[c.id];
            c.long = strings[c.id].len() > 8;
            c.word_start = word_start[c.id];
        }
        Ok(Self {
            needle_words,
            sweep,
            bigrams: FingerprintFilter::new(&linked),
            teddy: false,
            // The Teddy searchers are built only when asked for (use_teddy): tests and the timing example.
            spread_padding: 0,
            strings: strings.iter().map(|s| s.clone().into_boxed_slice()).collect(),
            needles: linked.into_boxed_slice(),
            teddies: Box::default(),
            short: ShortSet::new(short),
        })
    }

    /// Builds the Teddy searchers over `linked` (the previous engine, see
    /// [`Self::use_teddy`]) and the padding they read past the text.
    fn build_teddies(linked: &[Needle]) -> Result<(Box<[(packed::Searcher, usize)]>, usize), GuardError> {
        let mut teddies = Vec::new();
        let mut chunks = Vec::new();
        let mut start = 0;
        while start < linked.len() {
            let width = linked[start].bytes.len();
            let same = linked[start..].iter().take_while(|n| n.bytes.len() == width).count();
            let take = same.min(TEDDY_MAX_NEEDLES);
            chunks.push((&linked[start..start + take], start));
            start += take;
        }
        for (chunk, first) in chunks {
            let spread: Vec<Vec<u8>> = chunk.iter().map(|n| n.bytes.iter().map(|&b| spread_byte(b)).collect()).collect();
            let pats: Vec<&[u8]> = spread.iter().map(Vec::as_slice).collect();
            let mut teddy = packed::Config::new().builder();
            teddy.extend(&pats);
            let mut rabin_karp = packed::Config::new().only_rabin_karp(true).builder();
            rabin_karp.extend(&pats);
            // Rabin-Karp when Teddy is unavailable (no SIMD on this CPU):
            // slower, still correct.
            let searcher = teddy
                .build()
                .or_else(|| rabin_karp.build())
                .ok_or_else(|| GuardError("string search: no packed searcher".into()))?;
            if searcher.minimum_len() > PADDING_BYTES {
                return Err(GuardError(format!(
                    "string search: the searcher needs {} bytes of haystack, padding is {PADDING_BYTES}",
                    searcher.minimum_len()
                )));
            }
            teddies.push((searcher, first));
        }
        let spread_padding = teddies.iter().map(|(t, _)| t.minimum_len()).max().unwrap_or(0);
        Ok((teddies.into_boxed_slice(), spread_padding))
    }

    /// True when ASCII text is searched by the AVX-512 sweep (so the caller
    /// may lowercase it with the sweep's [`crate::guard_sweep::lower_ascii_padded`]).
    #[inline]
    pub(crate) fn has_ascii_sweep(&self) -> bool {
        self.sweep.is_some() && !self.teddy
    }

    /// Drops the AVX-512 sweep (see [`crate::EabGuard::disable_ascii_sweep`]).
    pub(crate) fn disable_sweep(&mut self) {
        self.sweep = None;
    }

    /// Number of needles searched by Teddy and of strings in the short set.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        (self.needles.len(), self.short.targets.len())
    }

    /// Calls `found(id)` for every string occurring in `padded[..len]` (an id
    /// may be reported more than once). `padded` must hold at least
    /// [`PADDING_BYTES`] of [`PADDING_BYTE`] after `len`.
    #[inline]
    pub(crate) fn for_each_found(
        &self,
        padded: &[u8],
        len: usize,
        spread: &mut Vec<u8>,
        mut found: impl FnMut(usize),
    ) {
        assert!(padded.len() >= len + PADDING_BYTES, "text must be padded");
        let text = &padded[..len];
        if !self.teddy {
            self.for_each_short(padded, len, &mut found);
            self.bigrams.for_each_candidate(padded, len, |at, needles: &[u32]| {
                for &n in needles {
                    let needle = &self.needles[n as usize];
                    if padded[at..].starts_with(&needle.bytes) {
                        self.confirm(needle, padded, len, at, &mut found);
                    }
                }
            });
            return;
        }
        // Index loop over a sized buffer, so the compiler vectorises it.
        let source = &padded[..len + self.spread_padding];
        spread.resize(source.len(), 0);
        for (o, &b) in spread.iter_mut().zip(source) {
            *o = spread_byte(b);
        }
        let spread = spread.as_slice();
        self.for_each_short(padded, len, &mut found);
        for (teddy, first) in self.teddies.iter() {
            let mut at = 0;
            while at < len {
                // Matches start before len; Teddy needs its minimum haystack.
                let end = len.max(at + teddy.minimum_len()).min(spread.len());
                let Some(m) = teddy.find_in(spread, Span::from(at..end)) else {
                    break;
                };
                let start = m.start();
                if start >= len {
                    break;
                }
                let needle = &self.needles[first + m.pattern().as_usize()];
                self.confirm(needle, padded, len, start, &mut found);
                for &s in needle.siblings.iter() {
                    let sibling = &self.needles[s];
                    if text[start..].starts_with(&sibling.bytes) {
                        self.confirm(sibling, padded, len, start, &mut found);
                    }
                }
                at = start + 1;
            }
        }
    }

    /// [`Self::for_each_found`] for text known to be ASCII (`padded[..len]`
    /// holds no byte >= 0x80): the AVX-512 sweep when the CPU has it, the
    /// same passes as any text otherwise.
    #[inline]
    pub(crate) fn for_each_found_ascii(
        &self,
        padded: &[u8],
        len: usize,
        spread: &mut Vec<u8>,
        mut found: impl FnMut(usize),
    ) {
        let Some(sweep) = self.sweep.as_ref().filter(|_| !self.teddy) else {
            return self.for_each_found(padded, len, spread, found);
        };
        assert!(padded.len() >= len + PADDING_BYTES, "text must be padded");
        debug_assert!(padded[..len].is_ascii());
        let mut blocks = [0u8; MAX_SHORT_BLOCKS];
        let short_blocks = sweep.short_blocks();
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the sweep exists only where AsciiSweep::available() held; PADDING_BYTES >=
        // SWEEP_READ_AHEAD (asserted at compile time); one output byte per short block.
        unsafe {
            sweep.sweep(padded, len, &mut blocks[..short_blocks], |at| self.candidate_at(padded, len, at, &mut found))
        };
        self.short.for_each_in(&blocks, |target| found(target.id));
    }

    /// The short-text path's first half: lowercases ASCII `input` (at most
    /// [`SHORT_TEXT_BYTES`]) into `out` with the padding and sweeps it in the same
    /// pass (see [`AsciiSweep::lower_and_sweep_short`]). `None` when this search has
    /// no sweep, the text is longer or not ASCII: then the caller takes the long path.
    #[inline]
    pub(crate) fn sweep_short(&self, input: &[u8], out: &mut Vec<u8>) -> Option<ShortSwept> {
        #[cfg(target_arch = "x86_64")]
        if let Some(sweep) = self.sweep.as_ref().filter(|_| !self.teddy && input.len() <= SHORT_TEXT_BYTES) {
            // SAFETY: the sweep exists only where AsciiSweep::available() held; the length is checked
            // above; PADDING_BYTES >= SWEEP_READ_AHEAD (asserted at compile time).
            return unsafe { sweep.lower_and_sweep_short(input, out, PADDING_BYTES) };
        }
        let _ = (input, out);
        None
    }

    /// The short-text path's second half: [`Self::for_each_found_ascii`] given
    /// what [`Self::sweep_short`] found in `padded[..len]` (the text it stored).
    #[inline]
    pub(crate) fn for_each_found_swept(&self, padded: &[u8], len: usize, swept: &ShortSwept, mut found: impl FnMut(usize)) {
        assert!(padded.len() >= len + PADDING_BYTES && len <= SHORT_TEXT_BYTES, "text must be short and padded");
        let mut hits = swept.candidates;
        while hits != 0 {
            self.candidate_at(padded, len, hits.trailing_zeros() as usize, &mut found);
            hits &= hits - 1;
        }
        self.short.for_each_in(&swept.blocks, |target| found(target.id));
    }

    /// A position the sweep's prefilter let through: its fingerprint probed, its
    /// needles compared as one masked 32-bit word, their strings confirmed.
    #[inline(always)]
    fn candidate_at(&self, padded: &[u8], len: usize, at: usize, found: &mut impl FnMut(usize)) {
        let (x, ids) = self.bigrams.probe(padded, at);
        for &n in ids {
            // The needle's bytes as one masked 32-bit compare (a three-byte needle ignores the fourth).
            let (value, mask) = self.needle_words[n as usize];
            if x & mask == value {
                self.confirm(&self.needles[n as usize], padded, len, at, found);
            }
        }
    }

    /// Reports the one- and two-byte strings present.
    #[inline]
    fn for_each_short(&self, padded: &[u8], len: usize, found: &mut impl FnMut(usize)) {
        self.short.for_each_present(padded, len, |target| found(target.id));
    }

    /// Selects the previous engine (Teddy searchers over spread bytes) instead
    /// of the fingerprint filter: for the differential tests and the timing example.
    /// The searchers are built on first use: a production guard never builds them (issue 8 §1, round 4: they cost
    /// build time and memory for every guard while only the tests and the timing example search them).
    ///
    /// # Panics
    /// When the searchers cannot be built (they need more padding than the text has), which the tests would show.
    pub(crate) fn use_teddy(&mut self, teddy: bool) {
        if teddy && self.teddies.is_empty() && !self.needles.is_empty() {
            let (teddies, spread_padding) = Self::build_teddies(&self.needles).expect("Teddy searchers build");
            self.teddies = teddies;
            self.spread_padding = spread_padding;
        }
        self.teddy = teddy;
    }

    /// Reports each string of `needle` that `text` holds around `at`.
    /// `padded` holds [`PADDING_BYTES`] after the text's `len` bytes: the
    /// first eight bytes of a string are compared as one masked word read
    /// there (the padding never equals a string's byte), the rest, if any, as bytes.
    #[inline]
    fn confirm(&self, needle: &Needle, padded: &[u8], len: usize, at: usize, found: &mut impl FnMut(usize)) {
        for c in needle.confirms.iter() {
            if at < c.offset {
                continue;
            }
            let start = at - c.offset;
            let w = &padded[start..start + 8];
            let head = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            if head & c.mask == c.word
                && (!c.long || padded[..len][start..].starts_with(&self.strings[c.id]))
                && (!c.word_start || start == 0 || !padded[start - 1].is_ascii_alphanumeric())
            {
                found(c.id);
            }
        }
    }
}

/// Entries of the [`FingerprintFilter`] table: 2^16 bytes (64 KB; a byte per
/// entry makes the test one load, which measured faster than a 32 KB bit table
/// needing a shift and a mask per position).
const FINGERPRINT_BITS_LOG2: u32 = 16;

/// Multiplier of the fingerprint hash (Knuth's multiplicative hash: the top
/// bits of the product depend on every byte of the four).
const FINGERPRINT_MULTIPLIER: u32 = 0x9E37_79B1;

/// Text positions one step of [`FingerprintFilter::for_each_candidate`] tests
/// before it branches once on all of them.
const FINGERPRINT_STRIDE: usize = 8;

/// The needle filter: one pass over the text, any number of needles.
///
/// Every needle is three or four bytes. The four bytes at each text position
/// are hashed (one multiplication) into a table of 2^16 flags that holds the
/// hash of every needle (a three-byte needle followed by each of the 256
/// possible bytes): a clear flag proves no needle starts there. With a few
/// hundred entries, a position of text with no needle hits a set flag with
/// probability around 1 %, so candidates are
/// rare on ordinary text, and only there are the needles sharing the first
/// two bytes compared. Unlike the Teddy searchers this has no limit of 64
/// needles per pass and no candidate rate growing with the needles per
/// bucket, and it reads the normalised text as it is (no remapped copy).
struct FingerprintFilter {
    /// Entry `h` = 1: some needle's four bytes hash to `h`.
    table: Box<[u8]>,
    /// Pair → where its needles start in [`Self::ids`] (entry `k + 1` is
    /// where they end): a candidate finds its needles with two loads, not a
    /// dependent binary search (which cost more than the filter on short texts).
    starts: Box<[u16]>,
    /// Needle ids grouped by their first two bytes (little-endian), in pair order.
    ids: Box<[u32]>,
    /// The CPU has BMI2 (`shrx`, `tzcnt` without a dependency on flags).
    bmi2: bool,
}

/// The table index of the four bytes `x` (little-endian).
#[inline(always)]
fn fingerprint(x: u32) -> usize {
    (x.wrapping_mul(FINGERPRINT_MULTIPLIER) >> (32 - FINGERPRINT_BITS_LOG2)) as usize
}

impl FingerprintFilter {
    fn new(needles: &[Needle]) -> Self {
        let mut table = vec![0u8; 1usize << FINGERPRINT_BITS_LOG2];
        let mut set = |x: u32| {
            let h = fingerprint(x);
            table[h] = 1;
        };
        let mut pairs: Vec<(u16, u32)> = Vec::with_capacity(needles.len());
        for (id, n) in needles.iter().enumerate() {
            let b = &n.bytes;
            match *b.as_ref() {
                [b0, b1, b2, b3] => set(u32::from_le_bytes([b0, b1, b2, b3])),
                [b0, b1, b2] => (0..=255u8).for_each(|x| set(u32::from_le_bytes([b0, b1, b2, x]))),
                _ => unreachable!("needles are three or four bytes"),
            }
            pairs.push((u16::from_le_bytes([b[0], b[1]]), id as u32));
        }
        pairs.sort_unstable();
        assert!(pairs.len() < usize::from(u16::MAX), "fewer than 65,535 needles");
        let mut starts = vec![0u16; (1 << 16) + 1];
        for &(key, _) in &pairs {
            starts[usize::from(key) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        Self {
            table: table.into_boxed_slice(),
            starts: starts.into_boxed_slice(),
            ids: pairs.iter().map(|p| p.1).collect(),
            bmi2: bmi2_available(),
        }
    }

    /// The needles that may start at `at`: those beginning with the two bytes
    /// there when the fingerprint of the four bytes there is set, else none.
    /// `padded` holds at least four bytes from `at`.
    /// Also returns the four bytes at `at` (little-endian).
    #[inline(always)]
    fn probe(&self, padded: &[u8], at: usize) -> (u32, &[u32]) {
        let w = &padded[at..at + 4];
        let x = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        if self.table[fingerprint(x)] == 0 {
            return (x, &[]);
        }
        let key = (x & 0xFFFF) as usize;
        (x, &self.ids[usize::from(self.starts[key])..usize::from(self.starts[key + 1])])
    }

    /// See [`Self::for_each_candidate_with`]; with BMI2 when the CPU has it.
    #[inline]
    fn for_each_candidate(&self, padded: &[u8], len: usize, candidate: impl FnMut(usize, &[u32])) {
        #[cfg(target_arch = "x86_64")]
        if self.bmi2 {
            // SAFETY: BMI2 was detected at construction.
            unsafe { self.for_each_candidate_bmi2(padded, len, candidate) };
            return;
        }
        self.for_each_candidate_with(padded, len, candidate);
    }

    /// [`Self::for_each_candidate_with`] compiled for BMI2 (`shrx`/`shlx`:
    /// a variable shift in one instruction instead of three).
    ///
    /// # Safety
    /// The CPU supports BMI2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "bmi2")]
    unsafe fn for_each_candidate_bmi2(&self, padded: &[u8], len: usize, candidate: impl FnMut(usize, &[u32])) {
        self.for_each_candidate_with(padded, len, candidate);
    }

    /// Calls `candidate(at, needle ids)` for every position `at < len` whose
    /// flag is set, with the needles starting with the two bytes at `at`.
    /// `padded` holds at least [`PADDING_BYTES`] after `len`.
    #[inline(always)]
    fn for_each_candidate_with(&self, padded: &[u8], len: usize, mut candidate: impl FnMut(usize, &[u32])) {
        assert!(padded.len() >= len + PADDING_BYTES, "text must be padded");
        let table = &*self.table;
        assert!(table.len() == 1usize << FINGERPRINT_BITS_LOG2);
        let base = padded.as_ptr();
        let mut at = 0;
        // The entry at position p (< len + FINGERPRINT_STRIDE).
        let entry = |p: usize| -> u8 {
            // SAFETY: p < len + FINGERPRINT_STRIDE, so p + 4 <= len + FINGERPRINT_STRIDE + 3 <= padded.len().
            let x = u32::from_le_bytes(unsafe { base.add(p).cast::<[u8; 4]>().read_unaligned() });
            // SAFETY: the fingerprint is below 2^FINGERPRINT_BITS_LOG2 == table.len() (asserted above).
            unsafe { *table.get_unchecked(fingerprint(x)) }
        };
        while at < len {
            // Only OR the entries (four instructions a position); which positions hit is worked out
            // again in the rare case that one did.
            let mut any = 0u8;
            for j in 0..FINGERPRINT_STRIDE {
                any |= entry(at + j);
            }
            if any == 0 {
                at += FINGERPRINT_STRIDE;
                continue;
            }
            let mut hits = 0u64;
            for j in 0..FINGERPRINT_STRIDE {
                hits |= u64::from(entry(at + j)) << j;
            }
            while hits != 0 {
                let i = at + hits.trailing_zeros() as usize;
                hits &= hits - 1;
                if i >= len {
                    break;
                }
                let key = usize::from(u16::from_le_bytes([padded[i], padded[i + 1]]));
                let (lo, hi) = (usize::from(self.starts[key]), usize::from(self.starts[key + 1]));
                if lo < hi {
                    candidate(i, &self.ids[lo..hi]);
                }
            }
            at += FINGERPRINT_STRIDE;
        }
    }
}

/// The window of `s` (four bytes, or all of a three-byte `s`) least likely
/// in ordinary text, as `(offset, window)`; the earliest among equals.
fn rarest_window(s: &[u8]) -> (usize, &[u8]) {
    let width = s.len().min(NEEDLE_BYTES);
    (0..=s.len() - width)
        .map(|i| (i, &s[i..i + width]))
        .min_by_key(|(_, w)| {
            let bytes: u32 = w.iter().map(|&b| byte_frequency(b)).sum();
            let pairs = w.windows(2).filter(|p| COMMON_BIGRAMS.contains(&[p[0], p[1]])).count();
            bytes + COMMON_BIGRAM_PENALTY * pairs as u32
        })
        .expect("a string of three bytes or more has a window")
}

/// True when `a` and `b` have a window of [`NEEDLE_BYTES`] in common, so
/// that one needle can stand for both.
pub(crate) fn share_a_needle(a: &[u8], b: &[u8]) -> bool {
    a.windows(NEEDLE_BYTES).any(|w| b.windows(NEEDLE_BYTES).any(|v| v == w))
}

/// The commonest letter pairs of English: a window holding them ("with",
/// "tion") is frequent even when its letters are not the commonest.
const COMMON_BIGRAMS: [[u8; 2]; 30] = [
    *b"th", *b"he", *b"in", *b"er", *b"an", *b"re", *b"on", *b"at", *b"en", *b"nd", *b"ti", *b"es", *b"or",
    *b"te", *b"of", *b"ed", *b"is", *b"it", *b"al", *b"ar", *b"st", *b"to", *b"nt", *b"ng", *b"se", *b"ha",
    *b"as", *b"ou", *b"io", *b"le",
];

/// What a common pair adds to a window's rating (about one common letter).
const COMMON_BIGRAM_PENALTY: u32 = 100;

/// How common a byte is in English text and agent messages, per mille
/// (letters from the usual English letter frequencies; space, digits and
/// the commonest punctuation estimated). Only the order matters.
fn byte_frequency(b: u8) -> u32 {
    match b {
        b' ' => 180,
        b'e' => 127,
        b't' => 91,
        b'a' => 82,
        b'o' => 75,
        b'i' => 70,
        b'n' => 67,
        b's' => 63,
        b'h' => 61,
        b'r' => 60,
        b'd' => 43,
        b'l' => 40,
        b'c' | b'u' => 28,
        b'm' | b'w' => 24,
        b'f' => 22,
        b'g' | b'y' | b'0'..=b'9' => 20,
        b'p' => 19,
        b'b' => 15,
        b'.' | b',' => 15,
        b'v' => 10,
        b'k' => 8,
        b'-' | b'/' | b':' | b'_' | b'(' | b')' | b'\'' | b'"' | b'\n' => 5,
        b'j' | b'x' => 2,
        b'q' | b'z' => 1,
        0x80..=0xFF => 5,
        _ => 2,
    }
}

/// Exact presence of up to a few dozen strings of one or two bytes, in one
/// vector pass.
///
/// Each string is a bucket: bit `j % 8` of block `j / 8`. For every text
/// position, the Teddy nibble trick computes the buckets whose first byte is
/// the byte there (a table look-up per nibble, `pshufb`, ANDed) and whose
/// second byte is the byte after it (or any byte, for a one-byte string); the
/// results are ORed over the whole text. With one byte per bucket the two
/// nibble look-ups are exact, so nothing needs confirming.
struct ShortSet {
    /// Bucket → the strings it stands for.
    targets: Box<[Box<[ShortTarget]>]>,
    /// Per block: nibble tables `[first lo, first hi, second lo, second hi]`.
    nibbles: Box<[[[u8; 16]; 4]]>,
    /// Per block: bucket bits of each value of the first and the second byte
    /// (the scalar path).
    bytes: Box<[[[u8; 256]; 2]]>,
    avx2: bool,
}

/// What a [`ShortSet`] bucket being present means for one string.
#[derive(Clone, Copy)]
struct ShortTarget {
    /// The string's id.
    id: usize,
}

impl ShortSet {
    fn new(entries: Vec<(Vec<u8>, Vec<ShortTarget>)>) -> Self {
        let blocks = entries.len().div_ceil(SHORT_BLOCK);
        let mut nibbles = vec![[[0u8; 16]; 4]; blocks];
        let mut bytes = vec![[[0u8; 256]; 2]; blocks];
        for (j, (s, _)) in entries.iter().enumerate() {
            let bit = 1u8 << (j % SHORT_BLOCK);
            let (n, b) = (&mut nibbles[j / SHORT_BLOCK], &mut bytes[j / SHORT_BLOCK]);
            n[0][usize::from(s[0] & 0xF)] |= bit;
            n[1][usize::from(s[0] >> 4)] |= bit;
            b[0][usize::from(s[0])] |= bit;
            match s.get(1) {
                Some(&second) => {
                    n[2][usize::from(second & 0xF)] |= bit;
                    n[3][usize::from(second >> 4)] |= bit;
                    b[1][usize::from(second)] |= bit;
                }
                None => {
                    for t in [2, 3] {
                        n[t].iter_mut().for_each(|x| *x |= bit);
                    }
                    b[1].iter_mut().for_each(|x| *x |= bit);
                }
            }
        }
        Self {
            targets: entries.into_iter().map(|(_, t)| t.into_boxed_slice()).collect(),
            nibbles: nibbles.into_boxed_slice(),
            bytes: bytes.into_boxed_slice(),
            avx2: avx2_available(),
        }
    }

    /// Calls `present(target)` for every target of every bucket present in
    /// `padded[..len]`.
    #[inline]
    fn for_each_present(&self, padded: &[u8], len: usize, present: impl FnMut(ShortTarget)) {
        let mut blocks = [0u8; MAX_SHORT_BLOCKS];
        self.blocks_present(padded, len, &mut blocks[..self.nibbles.len()]);
        self.for_each_in(&blocks, present);
    }

    /// Calls `present(target)` for every target of the buckets set in `blocks`.
    #[inline]
    fn for_each_in(&self, blocks: &[u8; MAX_SHORT_BLOCKS], mut present: impl FnMut(ShortTarget)) {
        for (block, buckets) in self.targets.chunks(SHORT_BLOCK).enumerate() {
            let mut bits = blocks[block];
            while bits != 0 {
                for &t in buckets[bits.trailing_zeros() as usize].iter() {
                    present(t);
                }
                bits &= bits - 1;
            }
        }
    }

    /// Sets `out[block]` to the buckets of each block present in `padded[..len]`.
    fn blocks_present(&self, padded: &[u8], len: usize, out: &mut [u8]) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: AVX2 was detected at construction; the caller
            // guarantees PADDING_BYTES after len, so every 32-byte load at a
            // position below len, and at that position + 1, is in bounds.
            unsafe { blocks_present_avx2(&self.nibbles, padded, len, out) };
            return;
        }
        for (o, [first, second]) in out.iter_mut().zip(self.bytes.iter()) {
            *o = padded[..len + 1]
                .windows(2)
                .fold(0, |acc, w| acc | (first[usize::from(w[0])] & second[usize::from(w[1])]));
        }
    }
}

fn bmi2_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("bmi2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

fn avx2_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// [`ShortSet::blocks_present`] 32 positions at a time, all blocks in one
/// pass over the text.
///
/// # Safety
/// The CPU supports AVX2, and `padded.len() >= len.next_multiple_of(32) + 1`
/// (guaranteed by [`PADDING_BYTES`] of padding).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn blocks_present_avx2(tables: &[[[u8; 16]; 4]], padded: &[u8], len: usize, out: &mut [u8]) {
    use std::arch::x86_64::*;
    debug_assert!(padded.len() > len.next_multiple_of(32));
    let mut wide = [[_mm256_setzero_si256(); 4]; MAX_SHORT_BLOCKS];
    for (w, t) in wide.iter_mut().zip(tables) {
        for k in 0..4 {
            // SAFETY: 16 readable bytes.
            w[k] = _mm256_broadcastsi128_si256(unsafe { _mm_loadu_si128(t[k].as_ptr().cast()) });
        }
    }
    let blocks = tables.len();
    let low_nibble = _mm256_set1_epi8(0x0F);
    let mut acc = [_mm256_setzero_si256(); MAX_SHORT_BLOCKS];
    let base = padded.as_ptr();
    let mut at = 0;
    while at < len {
        // SAFETY: at < len, so at + 1 + 32 <= padded.len() (see above).
        let (v0, v1) = unsafe {
            (
                _mm256_loadu_si256(base.add(at).cast()),
                _mm256_loadu_si256(base.add(at + 1).cast()),
            )
        };
        let (l0, h0) = (
            _mm256_and_si256(v0, low_nibble),
            _mm256_and_si256(_mm256_srli_epi16::<4>(v0), low_nibble),
        );
        let (l1, h1) = (
            _mm256_and_si256(v1, low_nibble),
            _mm256_and_si256(_mm256_srli_epi16::<4>(v1), low_nibble),
        );
        for b in 0..blocks {
            let [lo0, hi0, lo1, hi1] = wide[b];
            let first = _mm256_and_si256(_mm256_shuffle_epi8(lo0, l0), _mm256_shuffle_epi8(hi0, h0));
            let second = _mm256_and_si256(_mm256_shuffle_epi8(lo1, l1), _mm256_shuffle_epi8(hi1, h1));
            acc[b] = _mm256_or_si256(acc[b], _mm256_and_si256(first, second));
        }
        at += 32;
    }
    for (o, a) in out.iter_mut().zip(acc) {
        // OR of the 32 bytes: halve the vector four times, then the last two bytes.
        let x = _mm_or_si128(_mm256_castsi256_si128(a), _mm256_extracti128_si256::<1>(a));
        let x = _mm_or_si128(x, _mm_srli_si128::<8>(x));
        let x = _mm_or_si128(x, _mm_srli_si128::<4>(x));
        let x = _mm_or_si128(x, _mm_srli_si128::<2>(x));
        let pair = _mm_cvtsi128_si32(x) as u32;
        *o = (pair | pair >> 8) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated-text tests' fixed-seed xorshift: each call answers a value below its argument.
    fn xorshift_below() -> impl FnMut(usize) -> usize {
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        }
    }

    fn found(strings: &[&str], text: &str) -> Vec<usize> {
        let with_avx2 = found_with(strings, text, true);
        // The table-per-byte path (CPUs without AVX2) must agree.
        assert_eq!(found_with(strings, text, false), with_avx2, "scalar path on {text:?}");
        with_avx2
    }

    fn found_with(strings: &[&str], text: &str, avx2: bool) -> Vec<usize> {
        let owned: Vec<Vec<u8>> = strings.iter().map(|s| s.as_bytes().to_vec()).collect();
        let mut search = StringSearch::new(&owned).expect("builds");
        search.short.avx2 &= avx2;
        search.bigrams.bmi2 &= avx2;
        if !avx2 {
            search.sweep = None;
        }
        let mut padded = text.as_bytes().to_vec();
        padded.extend_from_slice(&[PADDING_BYTE; PADDING_BYTES]);
        let mut ids = Vec::new();
        search.for_each_found(&padded, text.len(), &mut Vec::new(), |id| ids.push(id));
        ids.sort_unstable();
        ids.dedup();
        if text.is_ascii() {
            // The ASCII entry (the AVX-512 sweep where the CPU has it) must agree.
            let mut swept = Vec::new();
            search.for_each_found_ascii(&padded, text.len(), &mut Vec::new(), |id| swept.push(id));
            swept.sort_unstable();
            swept.dedup();
            assert_eq!(swept, ids, "ASCII sweep on {text:?}");
        }
        // The previous engine (Teddy searchers) must find the same strings.
        search.use_teddy(true);
        let mut teddy = Vec::new();
        search.for_each_found(&padded, text.len(), &mut Vec::new(), |id| teddy.push(id));
        teddy.sort_unstable();
        teddy.dedup();
        assert_eq!(teddy, ids, "fingerprint filter and Teddy differ on {text:?}");
        ids
    }

    /// Every string at every position of a text, against a naive search:
    /// needles shared by several strings, strings that are prefixes of each
    /// other, one- and two-byte strings, matches at both ends.
    #[test]
    fn finds_exactly_what_a_naive_search_finds() {
        let strings = [
            "instruction", "instructions", "[inst]", "ignore", "ignore all previous instructions", "act",
            "dan", "###", "=", "<", "--", "..", "<<", "|", "ét", "été", "system", "system prompt",
        ];
        let texts = [
            "", "=", "a", "instructions", "xx[inst]yy", "contact dan at the ### desk", "a=b<c--d..e<<f|g",
            "été", "ignore all previous instructions", "-", ".", "<", "system prompt", "systemprompt",
            "the quick brown fox jumps over the lazy dog, twice, without any instructions at all..",
        ];
        for text in texts {
            for len in 0..=text.len() {
                if !text.is_char_boundary(len) {
                    continue;
                }
                let t = &text[..len];
                let expected: Vec<usize> =
                    (0..strings.len()).filter(|&i| t.contains(strings[i])).collect();
                assert_eq!(found(&strings, t), expected, "{t:?}");
            }
        }
    }

    #[test]
    fn many_strings_use_several_searchers_and_blocks() {
        let strings: Vec<String> = (0..150).map(|i| format!("w{i:03}x")).chain((0..20).map(|i| format!("{}", (b'!' + i) as char))).collect();
        let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
        let text = "see w007x and w149x, then ! and $ only";
        let expected: Vec<usize> = (0..refs.len()).filter(|&i| text.contains(refs[i])).collect();
        assert!(expected.len() >= 4);
        assert_eq!(found(&refs, text), expected);
    }

    /// The fingerprint filter against the previous engine (Teddy) and a naive
    /// search over 20,000 generated texts: words of the strings' vocabulary,
    /// pieces of them, words sharing their first bytes, punctuation, non-ASCII
    /// and bytes >= 0x80, and strings at the very end of the text.
    #[test]
    fn fingerprint_filter_equals_teddy_and_naive_on_generated_texts() {
        let strings: Vec<String> = [
            "ignore all previous instructions", "instructions", "instruction", "inst", "act", "dan", "sys",
            "system prompt", "jailbreak", "override", "persona", "<script", "javascript:", "union", "select",
            "drop", "true", "user", "mode", "evil", "exec", "=", "<", "--", "..", "'", "\"", "(", "ét", "dé",
            "ignoriere alle", "忽略之前的所有指令", "bypass", "without", "filters", "unfiltered", "rules",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
        let owned: Vec<Vec<u8>> = refs.iter().map(|s| s.as_bytes().to_vec()).collect();
        let mut fast = StringSearch::new(&owned).expect("builds");
        let mut teddy = StringSearch::new(&owned).expect("builds");
        teddy.use_teddy(true);
        let mut pieces: Vec<String> = Vec::new();
        for s in &refs {
            let chars: Vec<char> = s.chars().collect();
            pieces.push(s.to_string());
            pieces.push(chars[..chars.len().div_ceil(2)].iter().collect());
            pieces.push(chars[chars.len() / 2..].iter().collect());
        }
        for p in [
            " ", " ", " ", "the ", "and ", "a", "ac", "da", "sy", "ins", "acts", "dance", "system", "drops", "x",
            "\n", "é", "\u{FFFD}", "ü", "12", ";", "actually", "instant", "user's", "modern", "truest",
        ] {
            pieces.push(p.to_string());
        }
        let mut next = xorshift_below();
        let (mut with_hits, mut buffer, mut swept) = (0, Vec::new(), 0);
        for _ in 0..20_000 {
            let count = next(30);
            let text: String = (0..count).map(|_| pieces[next(pieces.len())].as_str()).collect();
            let mut padded = text.as_bytes().to_vec();
            // Raw bytes >= 0x80 (the search runs on normalised, valid UTF-8, but must not care).
            if next(10) == 0 {
                padded.push(0x80 + next(0x7F) as u8);
            }
            let len = padded.len();
            padded.extend_from_slice(&[PADDING_BYTE; PADDING_BYTES]);
            let run = |search: &StringSearch, buffer: &mut Vec<u8>| {
                let mut ids = Vec::new();
                search.for_each_found(&padded, len, buffer, |id| ids.push(id));
                ids.sort_unstable();
                ids.dedup();
                ids
            };
            let expected: Vec<usize> = (0..owned.len())
                .filter(|&i| padded[..len].windows(owned[i].len()).any(|w| w == owned[i].as_slice()))
                .collect();
            let got = run(&fast, &mut buffer);
            assert_eq!(got, expected, "fingerprint filter on {text:?}");
            if padded[..len].is_ascii() {
                let mut ids = Vec::new();
                fast.for_each_found_ascii(&padded, len, &mut buffer, |id| ids.push(id));
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(ids, expected, "ASCII sweep on {text:?}");
                swept += 1;
            }
            assert_eq!(run(&teddy, &mut buffer), expected, "Teddy on {text:?}");
            fast.bigrams.bmi2 = !fast.bigrams.bmi2;
            with_hits += usize::from(!expected.is_empty());
        }
        assert!(with_hits > 10_000, "the generator must produce matches: {with_hits}");
        assert!(swept > 5_000, "the generator must produce ASCII texts: {swept}");
    }

    /// The AVX-512 ASCII sweep (where the CPU has it) against the scalar filter with the AVX2 pass, the
    /// table-per-byte pass and a naive search, over 20,000 generated ASCII texts: the shipped set's kinds
    /// of strings (words, phrases, punctuation strings once behind two-byte gates such as `%2e%2e%2f`,
    /// `/etc/passwd`, `onerror=`, one- and two-byte strings, a non-ASCII string that never matches here),
    /// pieces and near misses of them, noise bytes (controls, DEL, `@`, `[`, `` ` ``, `{`: the neighbours of
    /// the letters and of the table's seven-bit index), and matches at the very start and end.
    #[test]
    fn ascii_sweep_equals_reference_on_generated_texts() {
        let strings: Vec<&str> = vec![
            "ignore all previous instructions", "instructions", "act", "dan", "sys", "system prompt", "jailbreak",
            "<script", "javascript:", "onerror=", "onload=", "%2e%2e%2f", "..%2f", "/etc/passwd", "c:\\windows",
            "xp_cmdshell", "<start_of_turn>", "im_start", "new system prompt:", "union", "select", "pg_sleep",
            "=", "<", "--", "..", "'", "\"", "|", ";", ":", "/", "\\", "`", "[", "]", "<<", ">>", "«", "précédentes",
            "risk", "audit", "exploit", "zzzz", "q~q", "a\u{7f}b",
        ];
        let owned: Vec<Vec<u8>> = strings.iter().map(|s| s.as_bytes().to_vec()).collect();
        let swept = StringSearch::new(&owned).expect("builds");
        assert_eq!(swept.sweep.is_some(), AsciiSweep::available(), "the sweep is built wherever the CPU runs it");
        let mut plain = StringSearch::new(&owned).expect("builds");
        plain.sweep = None;
        let mut pieces: Vec<String> = Vec::new();
        for s in strings.iter().filter(|s| s.is_ascii()) {
            pieces.push(s.to_string());
            pieces.push(s[..s.len().div_ceil(2)].to_string());
            pieces.push(s[s.len() / 2..].to_string());
            // A near miss: the last byte changed.
            let mut near = s.as_bytes().to_vec();
            *near.last_mut().expect("non-empty") ^= 1;
            pieces.push(String::from_utf8(near).expect("ASCII"));
        }
        for p in [" ", " ", "the ", "a", "\n", "\t", "12", "@", "{", "\u{7f}", "\u{1}", "~", "%", "_", "e", "ac", "sy"] {
            pieces.push(p.to_string());
        }
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let mut with_hits = 0;
        for _ in 0..20_000 {
            // Up to ~300 bytes: several 64-byte blocks, every tail length.
            let count = next(60);
            let text: String = (0..count).map(|_| pieces[next(pieces.len())].as_str()).collect();
            let len = text.len();
            let mut padded = text.into_bytes();
            padded.extend_from_slice(&[PADDING_BYTE; PADDING_BYTES]);
            let run = |search: &StringSearch, ascii: bool| {
                let mut ids = Vec::new();
                if ascii {
                    search.for_each_found_ascii(&padded, len, &mut Vec::new(), |id| ids.push(id));
                } else {
                    search.for_each_found(&padded, len, &mut Vec::new(), |id| ids.push(id));
                }
                ids.sort_unstable();
                ids.dedup();
                ids
            };
            let expected: Vec<usize> = (0..owned.len())
                .filter(|&i| padded[..len].windows(owned[i].len()).any(|w| w == owned[i].as_slice()))
                .collect();
            let text = String::from_utf8_lossy(&padded[..len]);
            assert_eq!(run(&swept, true), expected, "sweep on {text:?}");
            assert_eq!(run(&plain, true), expected, "scalar filter on {text:?}");
            with_hits += usize::from(!expected.is_empty());
        }
        assert!(with_hits > 15_000, "the generator must produce matches: {with_hits}");
    }

    /// The short-text path (one register: `sweep_short` + `for_each_found_swept`) against the long ASCII path
    /// (`lower_ascii_padded` + `AsciiSweep::sweep`), the scalar filter and a naive search: every length 0..=72
    /// (across the 64-byte boundary, where the short path must decline), every string planted at every offset in
    /// upper and lower case, in generated filler; the same stored bytes, candidates and short-string buckets as the
    /// long sweep, the same strings found; a byte >= 0x80 at any position sends the text to the long path.
    #[test]
    fn short_path_equals_long_sweep_scalar_and_naive_at_every_length_and_offset() {
        if !AsciiSweep::available() {
            return;
        }
        let strings: Vec<&str> = vec![
            "ignore all previous instructions", "instructions", "act", "dan", "sys", "system prompt", "<script",
            "javascript:", "onerror=", "%2e%2e%2f", "/etc/passwd", "c:\\windows", "<start_of_turn>", "union",
            "pg_sleep", "=", "<", "--", "..", "'", "\"", "|", ";", "`", "<<", "risk", "audit", "zzzz", "q~q",
        ];
        let owned: Vec<Vec<u8>> = strings.iter().map(|s| s.as_bytes().to_vec()).collect();
        let search = StringSearch::new(&owned).expect("builds");
        let sweep = search.sweep.as_ref().expect("available");
        let mut scalar = StringSearch::new(&owned).expect("builds");
        scalar.sweep = None;
        let filler = b"Please reconcile the Globex ledger; MSFT 412.35 (+1.2%) see src/main.rs:118 @{~}[`] \x7f. ";
        let mut next = xorshift_below();
        let (mut short_texts, mut with_hits) = (0, 0);
        let mut out = Vec::new();
        for len in 0..=72usize {
            for offset in 0..=len {
                for variant in 0..2 {
                    let start = next(filler.len());
                    let mut text: Vec<u8> = filler.iter().cycle().skip(start).take(len).copied().collect();
                    let planted = owned[(len * 7 + offset + variant) % owned.len()].as_slice();
                    let end = (offset + planted.len()).min(len);
                    text[offset..end].copy_from_slice(&planted[..end - offset]);
                    if variant == 1 {
                        text.make_ascii_uppercase();
                    }
                    let lower = text.to_ascii_lowercase();
                    let Some(swept) = search.sweep_short(&text, &mut out) else {
                        assert!(len > SHORT_TEXT_BYTES, "the short path declined ASCII text of {len} bytes");
                        continue;
                    };
                    short_texts += 1;
                    assert_eq!(&out[..len], lower.as_slice());
                    assert!(out.len() == len + PADDING_BYTES && out[len..].iter().all(|&b| b == PADDING_BYTE));
                    // The long path's sweep on the same text: same candidates, same buckets.
                    let mut padded = Vec::new();
                    // SAFETY: the sweep is available (checked above).
                    assert!(unsafe { crate::guard_sweep::lower_ascii_padded(&text, &mut padded, PADDING_BYTES) });
                    let mut blocks = [0u8; MAX_SHORT_BLOCKS];
                    let mut candidates = 0u64;
                    // SAFETY: available; padded by PADDING_BYTES >= SWEEP_READ_AHEAD; one byte per block.
                    unsafe { sweep.sweep(&padded, len, &mut blocks[..sweep.short_blocks()], |at| candidates |= 1 << at) };
                    assert_eq!((swept.candidates, swept.blocks), (candidates, blocks), "{:?}", String::from_utf8_lossy(&text));
                    let run = |f: &dyn Fn(&mut dyn FnMut(usize))| {
                        let mut ids = Vec::new();
                        f(&mut |id| ids.push(id));
                        ids.sort_unstable();
                        ids.dedup();
                        ids
                    };
                    let found = run(&|f| search.for_each_found_swept(&out, len, &swept, f));
                    let expected: Vec<usize> =
                        (0..owned.len()).filter(|&i| lower.windows(owned[i].len()).any(|w| w == owned[i].as_slice())).collect();
                    assert_eq!(found, expected, "short path on {:?}", String::from_utf8_lossy(&text));
                    assert_eq!(run(&|f| scalar.for_each_found(&padded, len, &mut Vec::new(), f)), expected, "scalar");
                    with_hits += usize::from(!expected.is_empty());
                    // Any byte >= 0x80 declines the short path.
                    if len > 0 {
                        let mut bad = text.clone();
                        bad[offset.min(len - 1)] |= 0x80;
                        assert!(search.sweep_short(&bad, &mut out).is_none(), "high byte at {offset} of {len}");
                    }
                }
            }
        }
        assert!(short_texts == (0..=SHORT_TEXT_BYTES).map(|l| 2 * (l + 1)).sum::<usize>(), "{short_texts} short texts");
        assert!(with_hits * 10 > short_texts * 8, "the planted strings must be found: {with_hits} of {short_texts}");
    }

    /// Every needle of a search, planted anywhere, passes the sweep's prefilter (its bucket bits are never
    /// all cleared), and the prefilter lets through only a few per cent of positions of English text.
    #[test]
    fn sweep_prefilter_keeps_every_needle_and_few_positions() {
        let strings: Vec<Vec<u8>> = [
            "ignore", "previous", "instructions", "disregard", "system prompt", "jailbreak", "developer mode",
            "act", "dan", "sys", "without", "filters", "persona", "override", "<script", "javascript:", "union",
            "select", "drop", "exec", "risk", "audit", "exploit", "breach", "payment", "transfer", "delete",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let search = StringSearch::new(&strings).expect("builds");
        let needles: Vec<&[u8]> = search.needles.iter().map(|n| &*n.bytes).collect();
        let shorts: Vec<&[u8]> = Vec::new();
        let sweep = AsciiSweep::new(&needles, &shorts, byte_frequency).expect("builds");
        for n in &needles {
            let mut padded = b"xx".to_vec();
            padded.extend_from_slice(n);
            padded.extend_from_slice(&[PADDING_BYTE; PADDING_BYTES]);
            assert_ne!(sweep.buckets_at(&padded, 2), 0, "needle {:?}", String::from_utf8_lossy(n));
        }
        let english = b"please reconcile the globex ledger against the november bank statement and flag any \
            difference above 50 eur. the quarterly report is attached; could you check the totals before \
            friday and send the summary to the finance team? thanks, and have a good weekend. ";
        let mut padded = english.to_vec();
        padded.extend_from_slice(&[PADDING_BYTE; PADDING_BYTES]);
        let candidates = (0..english.len()).filter(|&i| sweep.buckets_at(&padded, i) != 0).count();
        assert!(candidates * 100 < english.len() * 8, "{candidates} candidates in {} positions", english.len());
    }

    #[test]
    fn rarest_window_prefers_rare_letters() {
        assert_eq!(rarest_window(b"without"), (3, &b"hout"[..]));
        assert_eq!(rarest_window(b"jailbreak").1, b"ilbr");
        assert_eq!(rarest_window(b"act"), (0, &b"act"[..]));
    }
}
