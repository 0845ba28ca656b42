package io.mme.core.ring;

/** What a quote intent asks execution to do with the quote at its level. */
public enum QuoteAction {
    PLACE,
    REPLACE,
    CANCEL
}
