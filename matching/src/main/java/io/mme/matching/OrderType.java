package io.mme.matching;

/** Limit orders rest at their price; market orders take whatever the book offers and never rest. */
public enum OrderType {
    LIMIT,
    MARKET
}
