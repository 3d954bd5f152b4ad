package dev.eab.api;

/** A judicial agent's vote on a held message (reference §3.5): abstentions count in the denominator. */
public enum VoteChoice
{
    APPROVE, REJECT, ABSTAIN
}
