package io.mme.connectors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the recorded legacy Coinbase Exchange feed (../shared/data/venues; level2, ticker and
 * matches) through the decoder, connection by connection: the rebuilt books equal reference books
 * built with a general JSON parser and never cross, and tickers agree with the book wherever the
 * ticker's time and the book's last update line up.
 */
class CoinbaseExchangeReplayTest {
    private final List<List<String>> connections = CoinbaseRecordings.exchangeConnections();
    private final InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(connections));

    @Test
    void theRebuiltBooksEqualReferenceBooksAndNeverCross() {
        for (List<String> connection : connections) {
            RecordingSink sink = new RecordingSink(registry.size());
            sink.keep = false;
            CoinbaseExchangeDecoder decoder = new CoinbaseExchangeDecoder(registry, sink);
            ReferenceBooks reference = new ReferenceBooks();
            Map<String, Long> types = new HashMap<>();
            long quotes = 0;
            for (String message : connection) {
                decoder.onMessage(message);
                JsonNode tree = CoinbaseRecordings.tree(message);
                String type = tree.get("type").asText();
                types.merge(type, 1L, Long::sum);
                if (type.equals("ticker") && tree.hasNonNull("best_bid") && tree.hasNonNull("best_ask")) {
                    quotes++;
                }
                reference.exchange(tree);
                if (type.equals("snapshot") || type.equals("l2update")) {
                    Instrument instrument = registry.find(Venue.COINBASE, tree.get("product_id").asText());
                    assertThat(reference.difference(instrument, sink.books[instrument.id()], 10)).as("after %s", message).isNull();
                }
            }

            assertThat(decoder.malformed()).as("malformed: %s", decoder.lastError()).isZero();
            assertThat(decoder.messages()).isEqualTo(connection.size());
            assertThat(decoder.snapshots()).isPositive().isEqualTo(types.getOrDefault("snapshot", 0L));
            assertThat(decoder.updates()).isPositive().isEqualTo(types.getOrDefault("l2update", 0L));
            assertThat(decoder.droppedWhileInvalid()).isZero();
            assertThat(decoder.outOfOrder()).isZero();
            assertThat(decoder.late()).isZero();
            assertThat(decoder.tradeIdGaps()).isZero();
            assertThat(decoder.trades()).isEqualTo(types.getOrDefault("match", 0L)).isEqualTo(sink.tradeCalls);
            assertThat(decoder.history()).isEqualTo(types.getOrDefault("last_match", 0L));
            assertThat(decoder.tickers()).isEqualTo(quotes).isEqualTo(sink.quoteCalls);
            assertThat(decoder.subscriptions()).isEqualTo(types.getOrDefault("subscriptions", 0L));
            assertThat(decoder.needsResubscribe()).isFalse();
            assertThat(sink.invalidations).isEmpty();
            assertThat(sink.crossedAtEnd).as("books crossed at a message end").isZero();
            assertThat(sink.ends).isEqualTo(decoder.snapshots() + decoder.updates());
            for (Instrument instrument : registry.all()) {
                if (reference.has(instrument.venueSymbol())) {
                    assertThat(reference.difference(instrument, sink.books[instrument.id()], Integer.MAX_VALUE)).as("the whole book").isNull();
                    assertThat(decoder.valid(instrument.id())).isTrue();
                }
            }
        }
    }

    /*
     * When a ticker and the book describe the same moment. A match changes the book at the match's
     * time, and the feed sends that change as an l2update with the same time before the match's
     * ticker; the cascade of one aggressive order sends l2update, ticker, l2update, ticker, .. all
     * with one time. So a ticker lines up with the book when the last l2update of its product that
     * arrived before it has the ticker's time; then, in arrival order, best bid and ask (and sizes,
     * where the ticker has them; this recording's do not) must equal the book's exactly.
     *
     * Not comparable: a ticker before any l2update of its product (a snapshot has no time, so the
     * book's moment is unknown), and a ticker older than the book's last update: the ticker sent on
     * subscribing repeats the last trade, seconds or minutes before the snapshot. A ticker newer
     * than its product's last l2update would mean the match's change had not arrived; none does.
     * The recording: 85 tickers, 80 lined up, all 80 agree; 5 are the subscription's first tickers.
     */
    @Test
    void tickersAgreeWithTheBookWhereTheirTimesLineUp() {
        for (List<String> connection : connections) {
            RecordingSink sink = new RecordingSink(registry.size());
            CoinbaseExchangeDecoder decoder = new CoinbaseExchangeDecoder(registry, sink);
            Map<String, Instant> lastUpdateTime = new HashMap<>();
            long tickers = 0;
            long noUpdateYet = 0;
            long olderThanBook = 0;
            long newerThanBook = 0;
            long withoutQuote = 0;
            long compared = 0;
            List<String> disagreements = new ArrayList<>();
            for (int i = 0; i < connection.size(); i++) {
                sink.message = i;
                decoder.onMessage(connection.get(i));
                JsonNode tree = CoinbaseRecordings.tree(connection.get(i));
                String type = tree.get("type").asText();
                String product = tree.path("product_id").asText();
                if (type.equals("snapshot")) {
                    lastUpdateTime.remove(product);
                } else if (type.equals("l2update")) {
                    lastUpdateTime.put(product, Instant.parse(tree.get("time").asText()));
                } else if (type.equals("ticker")) {
                    tickers++;
                    Instant time = Instant.parse(tree.get("time").asText());
                    Instant bookTime = lastUpdateTime.get(product);
                    RecordingSink.Quote quote = sink.quotes.isEmpty() ? null : sink.quotes.getLast();
                    if (quote == null || quote.message() != i) {
                        withoutQuote++;
                    } else if (bookTime == null) {
                        noUpdateYet++;
                    } else if (time.isBefore(bookTime)) {
                        olderThanBook++;
                    } else if (time.isAfter(bookTime)) {
                        newerThanBook++;
                    } else {
                        compared++;
                        RecordingSink.Top top = sink.tops.get(quote.instrumentId()).getLast();
                        if (!quote.sameAs(top)) {
                            disagreements.add(connection.get(i) + " against the book's top " + top);
                        }
                    }
                }
            }
            System.out.printf("Exchange tickers: %d; %d lined up with their book's last l2update, %d of them agree; "
                            + "not comparable: %d without best bid/ask, %d before any l2update, %d older and %d newer than the book%n",
                    tickers, compared, compared - disagreements.size(), withoutQuote, noUpdateYet, olderThanBook, newerThanBook);

            assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
            assertThat(compared).as("tickers lined up with their book").isPositive();
            assertThat(disagreements).as("lined-up tickers that disagree with the book").isEmpty();
        }
    }
}
