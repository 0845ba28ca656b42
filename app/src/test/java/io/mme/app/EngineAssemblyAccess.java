package io.mme.app;

import io.mme.app.config.MmeSettings;

import java.nio.file.Path;

/** A live engine for tests in other packages (EngineAssembly is package-private). */
public final class EngineAssemblyAccess {
    private final EngineAssembly engine;

    private EngineAssemblyAccess(EngineAssembly engine) {
        this.engine = engine;
    }

    public static EngineAssemblyAccess startLive(MmeSettings settings, Path runDirectory) {
        return new EngineAssemblyAccess(EngineAssembly.live(settings, runDirectory).start());
    }

    /** the same, with venue keys read from {@code environment} instead of the process's */
    public static EngineAssemblyAccess startLive(MmeSettings settings, Path runDirectory, java.util.Map<String, String> environment) {
        return new EngineAssemblyAccess(EngineAssembly.live(settings, runDirectory, environment).start());
    }

    /** the market data engine's published books and fair values */
    public io.mme.marketdata.MarketDataView books() {
        return engine.marketData().view();
    }

    public int apiPort() {
        return engine.api().port();
    }

    /** an execution counter summed over the venues, as last published */
    public long executionTotal(io.mme.execution.ExecutionCounter counter) {
        return engine.execution().view().total(counter);
    }

    /** risk's position of an instrument, in its lots, as last published */
    public long positionLots(int instrumentId) {
        return engine.risk().view().positionLots(instrumentId);
    }

    /** intents risk refused with {@code check}, as last published */
    public long riskRejectedBy(io.mme.risk.RiskCheck check) {
        return engine.risk().view().rejectedBy(check);
    }

    /** fills risk booked for an instrument */
    public long riskFills(int instrumentId) {
        return engine.risk().view().fills(instrumentId);
    }

    /** every reconciliation the gateways reported so far */
    public java.util.List<io.mme.core.venue.Reconciliation> reconciliations() {
        return engine.gatewayReports() == null ? java.util.List.of() : engine.gatewayReports().reconciliations();
    }

    /** the status of the gateway of {@code venue} (its back-off, its measured clock offset, ...) */
    public io.mme.core.venue.GatewayStatus gatewayStatus(io.mme.core.instrument.Venue venue) {
        return engine.gateways().stream().filter(g -> g.venue() == venue).findFirst().orElseThrow().status();
    }

    /** publishes a control command into the inbound ring, as the REST API does; returns its event number */
    public long control(String command, String principal, String reason, int venueId, int instrumentId, long value) {
        return engine.control(command, principal, reason, venueId, instrumentId, null, value);
    }

    /** the risk engine's view (trading states are published on the event that changes them) */
    public io.mme.risk.RiskView risk() {
        return engine.risk().view();
    }

    /** an execution counter of one venue, as last published */
    public long execution(io.mme.core.instrument.Venue venue, io.mme.execution.ExecutionCounter counter) {
        return engine.execution().view().get(venue.id(), counter);
    }

    /** whether an acknowledged order of ours rests on the instrument's side at the price, as last published */
    public boolean restingAt(int instrumentId, io.mme.core.ring.Side side, long priceTicks) {
        io.mme.execution.OpenOrdersView.OpenOrders orders = engine.execution().openOrdersView().newBuffer();
        engine.execution().openOrdersView().read(orders);
        for (int i = 0; i < orders.count(); i++) {
            if (orders.instrumentId(i) == instrumentId && orders.side(i) == side && orders.priceTicks(i) == priceTicks
                    && orders.state(i).equals("NEW")) {
                return true;
            }
        }
        return false;
    }

    /** our fills on the instrument's side among the last published ones (the last 64) */
    public int fillsOn(int instrumentId, io.mme.core.ring.Side side) {
        io.mme.execution.OpenOrdersView.OpenOrders orders = engine.execution().openOrdersView().newBuffer();
        engine.execution().openOrdersView().read(orders);
        int n = 0;
        for (int k = 0; k < orders.fillCount(); k++) {
            if (orders.fillInstrumentId(k) == instrumentId && orders.fillSide(k) == side) {
                n++;
            }
        }
        return n;
    }

    public void stop() {
        engine.stop();
    }
}
