package io.mme.connectors.binance;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.GatewayReports;
import io.mme.core.venue.OrderRequest;
import io.mme.core.venue.Reconciliation;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueMode;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * A {@link BinanceGateway} wired to a {@link FakeBinanceVenue} on loopback, with a recording
 * {@link GatewayReports}. Test threads only; the recorder's lists are thread-safe.
 */
final class BinanceGatewayHarness implements AutoCloseable {
    static final String KEY = "test-api-key-0001";
    static final String SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    /** records what the gateway reports (copies: the gateway may reuse its report) */
    static final class Recorder implements GatewayReports {
        final List<ExecutionReport> reports = new CopyOnWriteArrayList<>();
        final List<Reconciliation> reconciliations = new CopyOnWriteArrayList<>();
        final AtomicInteger rechecks = new AtomicInteger();

        @Override
        public void report(ExecutionReport report) {
            ExecutionReport copy = new ExecutionReport();
            copy.copyFrom(report);
            reports.add(copy);
        }

        @Override
        public void recheckOpenOrders(Venue venue) {
            rechecks.incrementAndGet();
        }

        @Override
        public void reconciled(Reconciliation result) {
            reconciliations.add(result);
        }

        List<ExecutionReport> of(long clientOrderId, ExecType type) {
            return reports.stream().filter(r -> r.clientOrderId() == clientOrderId && r.execType() == type).toList();
        }

        long filledLots(long clientOrderId) {
            return reports.stream().filter(r -> r.clientOrderId() == clientOrderId
                    && (r.execType() == ExecType.PARTIALLY_FILLED || r.execType() == ExecType.FILLED)).mapToLong(ExecutionReport::lastQuantityLots).sum();
        }
    }

    static InstrumentRegistry registry() {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, 2, 5))
                .build();
    }

    final FakeBinanceVenue fake;
    final InstrumentRegistry registry = registry();
    final Instrument btc = registry.find(Venue.BINANCE, "BTCUSDT");
    final ClientIdCodec ids = new ClientIdCodec("t1");
    final Recorder recorder = new Recorder();
    final BinanceGateway gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    BinanceGatewayHarness() throws Exception {
        this(new FakeBinanceVenue(KEY, SECRET), SECRET, s -> s);
    }

    BinanceGatewayHarness(FakeBinanceVenue fake, String secret, UnaryOperator<BinanceGateway.Settings> adjust) {
        this.fake = fake;
        fake.balance("BTC", "1.00000000");
        fake.balance("USDT", "100000.00000000");
        BinanceGateway.Settings settings = adjust.apply(BinanceGateway.Settings.forMode(VenueMode.TESTNET)
                .withEndpoints(fake.restBase(), fake.userStream())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700))
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(400)));
        gateway = new BinanceGateway(settings, registry, new Credentials(KEY, secret), ids, http, System::currentTimeMillis);
    }

    /** starts the gateway and waits for the stream and the first reconciliation */
    BinanceGatewayHarness started() {
        gateway.start(recorder);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.status().streamConnected() && !recorder.reconciliations.isEmpty());
        return this;
    }

    static BinanceGateway.Settings leaveForeign(BinanceGateway.Settings s) {
        return s.withUnknownOrders(UnknownOrderPolicy.LEAVE);
    }

    OrderRequest newOrder(long id, Side side, String price, String qty, boolean postOnly) {
        return new OrderRequest(OrderCommandType.NEW, 0, btc, id, 0, side, btc.priceTicks(price), btc.quantityLots(qty), TimeInForce.GTC,
                postOnly, false);
    }

    OrderRequest cancel(long id) {
        return new OrderRequest(OrderCommandType.CANCEL, 0, btc, id + 1_000_000, id, Side.BUY, 0, 0, TimeInForce.GTC, false, false);
    }

    OrderRequest status(long id, Side side) {
        return new OrderRequest(OrderCommandType.STATUS, 0, btc, 0, id, side, 0, 0, TimeInForce.GTC, false, false);
    }

    OrderRequest replace(long id, Side side, String price, String qty, boolean postOnly) {
        return new OrderRequest(OrderCommandType.REPLACE, 0, btc, id, id, side, btc.priceTicks(price), btc.quantityLots(qty), TimeInForce.GTC,
                postOnly, false);
    }

    String text(long id) {
        return ids.encode(id);
    }

    @Override
    public void close() {
        gateway.close();
        fake.close();
        http.close();
    }
}
