package io.mme.app.instruments;

import io.mme.core.instrument.Venue;

import java.net.URI;

/**
 * One venue's public instrument-metadata endpoint and the parser of its response body into
 * instrument specs. Implementations are stateless; any thread.
 *
 * <p>An entry is kept when it can rest limit orders (the venue's "trading" status; Coinbase's
 * limit-only and post-only products and Kraken's limit_only and post_only pairs count) and its tick,
 * lot and minimums make an instrument the {@link io.mme.core.instrument.InstrumentRegistry} accepts.
 * Every other entry is skipped with its reason; one bad entry never fails the parse.
 */
public sealed interface InstrumentMetadata permits BinanceExchangeInfo, CoinbaseProducts, KrakenAssetPairs, HyperliquidMeta {

    Venue venue();

    /** the production REST base the endpoint hangs off: {@code https://api.binance.com} */
    URI defaultBaseUrl();

    /** the endpoint's path below the base: {@code /api/v3/exchangeInfo} */
    String path();

    /** the body to POST to the endpoint (Hyperliquid's info requests), or null for a GET */
    default String requestBody() {
        return null;
    }

    /** how the venue's symbols are spelled here, for messages: "BTCUSDT, exchangeInfo's symbol" */
    String symbolSpelling();

    /**
     * The instruments of a response body.
     *
     * @throws MetadataFormatException when the body as a whole is not this endpoint's answer (not
     *                                 JSON, an error object, no list of instruments)
     */
    ParsedMetadata parse(String body);

    /** the endpoint below {@code base} (a trailing slash on the base is ignored) */
    default URI endpoint(URI base) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path());
    }

    /** the parser for {@code venue} */
    static InstrumentMetadata of(Venue venue) {
        return switch (venue) {
            case BINANCE -> new BinanceExchangeInfo();
            case COINBASE -> new CoinbaseProducts();
            case KRAKEN -> new KrakenAssetPairs();
            case HYPERLIQUID -> new HyperliquidMeta();
        };
    }
}
