package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static io.mme.connectors.kraken.KrakenV2Examples.BTC;
import static io.mme.connectors.kraken.KrakenV2Examples.MATIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v2 book checksum against the documented examples: the digits come from the instrument's
 * price and qty precision, not from how the JSON number happens to be printed.
 */
class KrakenV2ChecksumTest {
    private final InstrumentRegistry registry = KrakenV2Examples.registry(8);
    private final RecordingSink sink = new RecordingSink(registry.size());
    private final KrakenV2BookDecoder decoder = new KrakenV2BookDecoder(registry, sink);

    @Test
    void theGuidesWorkedExampleMatchesItsChecksum() {
        decoder.onMessage(KrakenV2Examples.GUIDE_SNAPSHOT);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(1);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(decoder.valid(BTC)).isTrue();
        assertThat(sink.valid[BTC]).isTrue();
        assertThat(decoder.book(BTC).levels(Side.BUY)).isEqualTo(10);
        assertThat(decoder.book(BTC).levels(Side.SELL)).isEqualTo(10);
    }

    @Test
    void theBookPagesSnapshotAndTheUpdateAfterItMatchTheirChecksumsThoughTheJsonDropsTrailingZeros() {
        decoder.onMessage(KrakenV2Examples.BOOK_PAGE_SNAPSHOT);
        decoder.onMessage(KrakenV2Examples.BOOK_PAGE_UPDATE);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(2);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(decoder.valid(MATIC)).isTrue();
        assertThat(sink.sameBook(MATIC, decoder.book(MATIC))).isTrue();
    }

    @Test
    void theVenueNotesSnapshotAndUpdateMatchTheirChecksums() {
        decoder.onMessage(KrakenV2Examples.VENUES_SNAPSHOT);
        decoder.onMessage(KrakenV2Examples.VENUES_UPDATE);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(2);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(decoder.book(BTC).levels(Side.BUY)).isEqualTo(2);
    }

    @Test
    void aQtyPrecisionOtherThanTheVenuesFailsTheChecksum() {
        InstrumentRegistry nineDecimals = KrakenV2Examples.registry(9);
        KrakenV2BookDecoder wrong = new KrakenV2BookDecoder(nineDecimals, new RecordingSink(nineDecimals.size()));

        wrong.onMessage(KrakenV2Examples.GUIDE_SNAPSHOT);

        assertThat(wrong.malformed()).as(wrong.lastError()).isZero();
        assertThat(wrong.checksumsFailed()).isEqualTo(1);
    }

    @Test
    void aChangedQuantityFailsTheChecksumAndTheBookStaysInvalidUntilTheNextSnapshot() {
        decoder.onMessage(KrakenV2Examples.GUIDE_SNAPSHOT);
        String changed = KrakenV2Examples.GUIDE_SNAPSHOT.replace("{\"price\":45290.2,\"qty\":0.15890660}", "{\"price\":45290.2,\"qty\":0.15890661}");
        assertThat(changed).isNotEqualTo(KrakenV2Examples.GUIDE_SNAPSHOT);
        sink.levels.clear();

        decoder.onMessage(changed);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsFailed()).isEqualTo(1);
        assertThat(decoder.valid(BTC)).isFalse();
        assertThat(sink.valid[BTC]).isFalse();
        assertThat(sink.invalidations).singleElement().asString().contains("checksum mismatch").contains("3310070434");
        assertThat(sink.levels).as("nothing of a failed message is passed on").isEmpty();

        decoder.onMessage(KrakenV2Examples.GUIDE_SNAPSHOT.replace("\"snapshot\"", "\"update\""));
        assertThat(decoder.droppedWhileInvalid()).isEqualTo(1);
        assertThat(sink.levels).isEmpty();

        decoder.onMessage(KrakenV2Examples.GUIDE_SNAPSHOT);
        assertThat(decoder.valid(BTC)).isTrue();
        assertThat(sink.valid[BTC]).isTrue();
        assertThat(sink.sameBook(BTC, decoder.book(BTC))).isTrue();
    }

    /**
     * The shared file kraken-v2-book-snapshot.example.json is not Kraken's example: it pairs three
     * BTC/USD levels a side with 2439117997, the checksum of the MATIC/USD snapshot on Kraken's
     * book page ({@link KrakenV2Examples#BOOK_PAGE_SNAPSHOT}). No precision makes its own levels give
     * that number, so a correct decoder must reject it.
     */
    @Test
    void theSharedExampleFileIsRejectedBecauseItsChecksumBelongsToAnotherBook() throws IOException {
        String file = Files.readString(KrakenRecordings.file("kraken-v2-book-snapshot.example.json"));

        decoder.onMessage(file);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsFailed()).isEqualTo(1);
        assertThat(sink.invalidations).singleElement().asString().contains("2439117997");
    }
}
