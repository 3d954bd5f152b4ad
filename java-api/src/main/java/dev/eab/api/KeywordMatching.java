package dev.eab.api;

/**
 * How the impact scorer's semantic factor finds its 28 keywords in a message's text (reference §3.5).
 *
 * <p>{@link #SUBSTRING} is the original's rule and the default: a keyword counts wherever it occurs, so
 * "asterisk" counts "risk". It is the fail-closed choice: it finds every keyword {@link #WORD} finds and more,
 * so its semantic factor is never lower, and a message the original would hold is never delivered unreviewed.
 * {@link #WORD} counts a keyword only where it begins a word (the byte before it is not an ASCII letter or
 * digit): "breaches" and "transferred" still count, "asterisk" and "cyberattack" do not. Choose it for a tenant
 * whose reviewers see too many false holds. Both fold ASCII case only.
 */
public enum KeywordMatching
{
    SUBSTRING,
    WORD
}
