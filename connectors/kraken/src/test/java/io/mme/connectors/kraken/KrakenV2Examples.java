package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

/**
 * WS v2 book messages with known checksums, and instruments with the precisions they were computed
 * with. Small excerpts of Kraken's documentation (numbers only) and of VENUES.md §3.2.
 */
final class KrakenV2Examples {
    /** BTC/USD: price precision 1, qty precision 8 */
    static final int BTC = 0;
    /** MATIC/USD: price precision 4, qty precision 8 */
    static final int MATIC = 1;

    /**
     * The worked example of Kraken's "Book checksum (WebSocket v2)" guide
     * (docs.kraken.com/api/docs/guides/spot-ws-book-v2): checksum 3310070434.
     */
    static final String GUIDE_SNAPSHOT = """
            {"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD",
            "bids":[{"price":45283.5,"qty":0.10000000},{"price":45283.4,"qty":1.54582015},{"price":45282.1,"qty":0.10000000},
            {"price":45281.0,"qty":0.10000000},{"price":45280.3,"qty":1.54592586},{"price":45279.0,"qty":0.07990000},
            {"price":45277.6,"qty":0.03310103},{"price":45277.5,"qty":0.30000000},{"price":45277.3,"qty":1.54602737},
            {"price":45276.6,"qty":0.15445238}],
            "asks":[{"price":45285.2,"qty":0.00100000},{"price":45286.4,"qty":1.54571953},{"price":45286.6,"qty":1.54571109},
            {"price":45289.6,"qty":1.54560911},{"price":45290.2,"qty":0.15890660},{"price":45291.8,"qty":1.54553491},
            {"price":45294.7,"qty":0.04454749},{"price":45296.1,"qty":0.35380000},{"price":45297.5,"qty":0.09945542},
            {"price":45299.5,"qty":0.18772827}],
            "checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}]}""";

    /**
     * The example snapshot of Kraken's book channel page (docs.kraken.com/api/docs/websocket-v2/book):
     * checksum 2439117997. JSON numbers as printed there: trailing zeros dropped ({@code 0.566},
     * {@code 18097.1547}), so only the instrument's precision gives the checksum text.
     */
    static final String BOOK_PAGE_SNAPSHOT = """
            {"channel":"book","type":"snapshot","data":[{"symbol":"MATIC/USD",
            "bids":[{"price":0.5666,"qty":4831.75496356},{"price":0.5665,"qty":6658.22734739},{"price":0.5664,"qty":18724.91513344},
            {"price":0.5663,"qty":11563.92544914},{"price":0.5662,"qty":14006.65365711},{"price":0.5661,"qty":17454.85679807},
            {"price":0.566,"qty":18097.1547},{"price":0.5659,"qty":33644.89175666},{"price":0.5658,"qty":148.3464},
            {"price":0.5657,"qty":606.70854372}],
            "asks":[{"price":0.5668,"qty":4410.79769741},{"price":0.5669,"qty":4655.40412487},{"price":0.567,"qty":49844.89424998},
            {"price":0.5671,"qty":24306.41678},{"price":0.5672,"qty":29783.25223475},{"price":0.5673,"qty":57234.71239278},
            {"price":0.5674,"qty":45065.04744},{"price":0.5675,"qty":5912.76380354},{"price":0.5676,"qty":42514.92434778},
            {"price":0.5677,"qty":36304.0847022}],
            "checksum":2439117997,"timestamp":"2023-10-06T17:35:55.440295Z"}]}""";

    /** the update example on the same page, which applies to that snapshot: checksum 2114181697 */
    static final String BOOK_PAGE_UPDATE = """
            {"channel":"book","type":"update","data":[{"symbol":"MATIC/USD",
            "bids":[{"price":0.5657,"qty":1098.3947558}],"asks":[],
            "checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}""";

    /** VENUES.md §3.2: three levels a side, qty printed with all 8 decimals; checksum 1272947663 */
    static final String VENUES_SNAPSHOT = """
            {"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD",
             "bids":[{"price":67012.4,"qty":2.00000000},{"price":67012.0,"qty":0.07500000},{"price":67011.9,"qty":3.10000000}],
             "asks":[{"price":67012.5,"qty":0.50000000},{"price":67012.6,"qty":1.20000000},{"price":67013.0,"qty":0.01500000}],
             "checksum":1272947663}]}""";

    /** VENUES.md §3.2: the update after it (best bid removed); checksum 4260588760 */
    static final String VENUES_UPDATE = """
            {"channel":"book","type":"update","data":[{"symbol":"BTC/USD",
             "bids":[{"price":67012.4,"qty":0.00000000}],"asks":[],
             "checksum":4260588760,"timestamp":"2026-07-25T09:40:01.123456Z"}]}""";

    private KrakenV2Examples() {
    }

    /**
     * BTC/USD and MATIC/USD on a lot of 0.00000001, with the quantities printed for the checksum with
     * {@code qtyDecimals} decimals (8 is the venue's qty precision)
     */
    static InstrumentRegistry registry(int qtyDecimals) {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.KRAKEN, "BTC/USD", "BTC", "USD", "0.1", "0.00000001", null, null, 1, qtyDecimals))
                .add(new InstrumentSpec(Venue.KRAKEN, "MATIC/USD", "MATIC", "USD", "0.0001", "0.00000001", null, null, 4, qtyDecimals))
                .build();
    }
}
