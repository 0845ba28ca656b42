package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.mme.connectors.kraken.KrakenV2Examples.BTC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v2 decoder on hand-written messages: the depth from the subscribe acknowledgement, trades,
 * control messages, malformed input.
 */
class KrakenV2BookDecoderTest {
    private final InstrumentRegistry registry = KrakenV2Examples.registry(8);
    private final Instrument btc = registry.get(BTC);
    private final RecordingSink sink = new RecordingSink(registry.size());
    private final KrakenV2BookDecoder decoder = new KrakenV2BookDecoder(registry, sink);

    private static String level(String price, String qty) {
        return "{\"price\":" + price + ",\"qty\":" + qty + "}";
    }

    private static String book(String type, String bids, String asks, long checksum) {
        return "{\"channel\":\"book\",\"type\":\"" + type + "\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[" + bids + "],\"asks\":["
                + asks + "],\"checksum\":" + checksum + ",\"timestamp\":\"2026-07-25T09:40:01.123456Z\"}]}";
    }

    @Test
    void theSubscribedDepthComesFromTheAcknowledgementAndCutsTheBook() {
        assertThat(decoder.depth(BTC)).isEqualTo(KrakenV2BookDecoder.DEFAULT_DEPTH);
        decoder.onMessage("{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":25,\"snapshot\":true,\"symbol\":\"BTC/USD\"},"
                + "\"success\":true,\"time_in\":\"2023-10-06T17:35:55.219022Z\",\"time_out\":\"2023-10-06T17:35:55.219067Z\"}");
        assertThat(decoder.depth(BTC)).isEqualTo(25);

        ReferenceBook reference = new ReferenceBook(1, 8);
        List<String> bids = new ArrayList<>();
        List<String> asks = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String bid = String.format(Locale.ROOT, "%.1f", 67_000.0 - i);
            String ask = String.format(Locale.ROOT, "%.1f", 67_001.0 + i);
            bids.add(level(bid, "0.50000000"));
            asks.add(level(ask, "0.50000000"));
            reference.set(true, bid, "0.5").set(false, ask, "0.5");
        }
        decoder.onMessage(book("snapshot", String.join(",", bids), String.join(",", asks), reference.checksum()));
        sink.levels.clear();

        long c = reference.set(true, "67000.5", "1").truncate(25).checksum();
        decoder.onMessage(book("update", level("67000.5", "1.00000000"), "", c));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(2);
        assertThat(decoder.book(BTC).levels(Side.BUY)).isEqualTo(25);
        assertThat(sink.levels).containsExactly(
                new RecordingSink.Level(BTC, Side.BUY, btc.priceTicks("67000.5"), btc.quantityLots("1")),
                new RecordingSink.Level(BTC, Side.BUY, btc.priceTicks("66976.0"), 0));
        assertThat(sink.sameBook(BTC, decoder.book(BTC))).isTrue();
    }

    @Test
    void tradeUpdatesBecomeTradesWithTheTakersSideAndTheTimestampInNanos() {
        decoder.onMessage("{\"channel\":\"trade\",\"type\":\"update\",\"data\":["
                + "{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":67012.5,\"qty\":0.01500000,\"ord_type\":\"market\",\"trade_id\":83112345,"
                + "\"timestamp\":\"2026-07-25T09:40:01.130002Z\"},"
                + "{\"symbol\":\"BTC/USD\",\"side\":\"sell\",\"price\":67012.4,\"qty\":2,\"ord_type\":\"limit\",\"trade_id\":83112346,"
                + "\"timestamp\":\"2026-07-25T09:40:01.2Z\"}]}");

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.trades()).isEqualTo(2);
        assertThat(sink.trades).containsExactly(
                new RecordingSink.Trade(BTC, Side.BUY, btc.priceTicks("67012.5"), btc.quantityLots("0.015"), 83112345,
                        nanos("2026-07-25T09:40:01.130002Z")),
                new RecordingSink.Trade(BTC, Side.SELL, btc.priceTicks("67012.4"), btc.quantityLots("2"), 83112346,
                        nanos("2026-07-25T09:40:01.2Z")));
    }

    @Test
    void timestampsConvertToTheSameNanosAsInstantParse() {
        for (String t : new String[]{"1970-01-01T00:00:00Z", "2000-02-29T12:00:00.5Z", "2023-10-06T17:35:55.440295Z",
                "2024-12-31T23:59:59.999999999Z", "2100-03-01T00:00:00.000001Z"}) {
            assertThat(io.mme.marketdata.Rfc3339.epochNanos(t, 0, t.length())).as(t).isEqualTo(nanos(t));
        }
    }

    @Test
    void tradeSnapshotsAreHistoryAndNotPassedOn() {
        decoder.onMessage("{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":67012.5,"
                + "\"qty\":0.015,\"ord_type\":\"market\",\"trade_id\":83112345,\"timestamp\":\"2026-07-25T09:40:01.130002Z\"}]}");

        assertThat(decoder.ignored()).isEqualTo(1);
        assertThat(sink.trades).isEmpty();
    }

    @Test
    void heartbeatsStatusPongsAndOtherChannelsAreCountedAsEvents() {
        decoder.onMessage("{\"channel\":\"heartbeat\"}");
        decoder.onMessage("{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\",\"connection_id\":12393906104898154338,"
                + "\"system\":\"online\",\"version\":\"2.0.0\"}]}");
        decoder.onMessage("{\"method\":\"pong\",\"req_id\":101,\"time_in\":\"2023-09-24T14:10:23.799685Z\",\"time_out\":\"2023-09-24T14:10:23.799703Z\"}");
        decoder.onMessage("{\"method\":\"subscribe\",\"error\":\"Currency pair not supported\",\"success\":false,\"symbol\":\"BTC/XYZ\",\"req_id\":7}");
        decoder.onMessage("{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bid\":67012.4,\"bid_qty\":2.0,"
                + "\"ask\":67012.5,\"ask_qty\":0.5,\"last\":67012.5}]}");

        assertThat(decoder.events()).isEqualTo(5);
        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.depth(BTC)).isEqualTo(KrakenV2BookDecoder.DEFAULT_DEPTH);
        assertThat(sink.ends).isZero();
    }

    @Test
    void malformedMessagesAreCountedAndNeverThrow() {
        decoder.onMessage(KrakenV2Examples.VENUES_SNAPSHOT);
        String[] bad = {
                "", "{", "[]", "{\"channel\":\"book\"}", "{\"channel\":\"heartbeat\"} {}",
                "{\"channel\":\"book\",\"type\":\"delta\",\"data\":[]}",
                book("update", level("67012.45", "1"), "", 1),
                book("update", level("1e5", "1"), "", 1),
                book("update", "{\"price\":67012.4}", "", 1),
                book("update", level("-67012.4", "1"), "", 1),
                book("update", level("67012.4", "1"), "", 4_294_967_296L),
                book("update", level("67012.4", "\"x\""), "", 1),
                book("update", level("67012.4", "1"), "", 1).replace("BTC/USD", "ETH/USD"),
                "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"hold\",\"price\":1,\"qty\":1,"
                        + "\"trade_id\":1,\"timestamp\":\"2026-07-25T09:40:01Z\"}]}",
                "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":1,\"qty\":1,"
                        + "\"trade_id\":1,\"timestamp\":\"2026-07-25 09:40:01Z\"}]}",
                "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":1,\"qty\":1}]}",
                "{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":5000,\"symbol\":\"BTC/USD\"},\"success\":true}",
        };
        for (String message : bad) {
            decoder.onMessage(message);
        }

        assertThat(decoder.messages()).isEqualTo(1 + bad.length);
        assertThat(decoder.malformed()).isEqualTo(bad.length);
        assertThat(decoder.checksumsPassed()).isEqualTo(1);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(decoder.valid(BTC)).isFalse();
        assertThat(sink.invalidations).singleElement().asString().startsWith(BTC + ": malformed book message: ");
        assertThat(sink.trades).isEmpty();
        assertThat(decoder.depth(BTC)).isEqualTo(KrakenV2BookDecoder.DEFAULT_DEPTH);
    }

    private static long nanos(String timestamp) {
        Instant instant = Instant.parse(timestamp);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
