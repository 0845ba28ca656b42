package io.mme.core.instrument;

/**
 * One instrument as configuration describes it, decimals as text so nothing is lost to binary
 * floating point. {@link InstrumentRegistry.Builder#add(InstrumentSpec)} validates it.
 *
 * @param venue         the venue
 * @param venueSymbol   the symbol as the venue spells it: BTCUSDT, BTC-USD, XBT/USD
 * @param base          base asset as the venue spells it (aliases resolve to the canonical name)
 * @param quote         quote asset as the venue spells it
 * @param tickSize      price step, plain decimal text
 * @param lotSize       quantity step, plain decimal text
 * @param minQuantity   smallest order quantity, on the lot grid; null means one lot
 * @param minNotional   smallest price × quantity in the quote asset; null means no minimum
 * @param priceDecimals decimals the venue prints prices with; null means the tick's own scale
 * @param sizeDecimals  decimals the venue prints quantities with; null means the lot's own scale
 */
public record InstrumentSpec(
        Venue venue,
        String venueSymbol,
        String base,
        String quote,
        String tickSize,
        String lotSize,
        String minQuantity,
        String minNotional,
        Integer priceDecimals,
        Integer sizeDecimals) {
}
