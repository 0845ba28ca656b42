package io.mme.connectors.kraken;

import io.mme.core.venue.GatewayRejectCode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class KrakenSignerTest {
    private static final String SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==";

    @Test
    void signsTheDocumentedAddOrderVector() {
        KrakenSigner signer = new KrakenSigner(SECRET, () -> 0);
        String body = "nonce=1721900000000&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25&cl_ord_id=6d1b345e-2821-40e2-ad83-4ecb18a06876";

        assertThat(signer.sign("/0/private/AddOrder", 1721900000000L, body))
                .isEqualTo("Za/CqWWQeMQsCpYAxSSCtnpu4wnymYMfQvnKC90I6SlS37qI3D0N2coyZbzAQjxPpIJzXU7m9cOI1fyT56kk0g==");
    }

    @Test
    void fakeVenueVerifiesWithTheSameDocumentedVector() {
        String body = "nonce=1721900000000&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25&cl_ord_id=6d1b345e-2821-40e2-ad83-4ecb18a06876";

        assertThat(FakeKrakenVenue.sign("/0/private/AddOrder", "1721900000000", body))
                .isEqualTo("Za/CqWWQeMQsCpYAxSSCtnpu4wnymYMfQvnKC90I6SlS37qI3D0N2coyZbzAQjxPpIJzXU7m9cOI1fyT56kk0g==");
    }

    @Test
    void noncesStrictlyIncreaseWhenTheClockStandsStillOrStepsBack() {
        AtomicLong now = new AtomicLong(1_000);
        KrakenSigner signer = new KrakenSigner(SECRET, now::get);

        long a = signer.nextNonce();
        long b = signer.nextNonce();
        now.set(500);
        long c = signer.nextNonce();
        now.set(5_000);
        long d = signer.nextNonce();

        assertThat(a).isEqualTo(1_000);
        assertThat(b).isEqualTo(1_001);
        assertThat(c).isEqualTo(1_002);
        assertThat(d).isEqualTo(5_000);
    }

    @Test
    void mapsKrakensErrorStrings() {
        assertThat(KrakenError.classify("EOrder:Post only order").code()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE);
        assertThat(KrakenError.classify("EOrder:Insufficient funds").code()).isEqualTo(GatewayRejectCode.INSUFFICIENT_FUNDS);
        assertThat(KrakenError.classify("EAPI:Invalid nonce").code()).isEqualTo(GatewayRejectCode.AUTHENTICATION);
        assertThat(KrakenError.classify("EAPI:Invalid signature").code()).isEqualTo(GatewayRejectCode.AUTHENTICATION);
        assertThat(KrakenError.classify("EGeneral:Permission denied").code()).isEqualTo(GatewayRejectCode.AUTHENTICATION);
        assertThat(KrakenError.classify("EOrder:Unknown order").code()).isEqualTo(GatewayRejectCode.UNKNOWN_ORDER);
        assertThat(KrakenError.classify("EOrder:Order minimum not met").code()).isEqualTo(GatewayRejectCode.FILTER);
        assertThat(KrakenError.classify("EAPI:Rate limit exceeded").kind()).isEqualTo(KrakenError.Kind.RATE_LIMITED);
        assertThat(KrakenError.classify("EOrder:Rate limit exceeded").kind()).isEqualTo(KrakenError.Kind.RATE_LIMITED);
        assertThat(KrakenError.classify("EService: Throttled: 1721900000").kind()).isEqualTo(KrakenError.Kind.RATE_LIMITED);
        assertThat(KrakenError.classify("EService:Unavailable").kind()).isEqualTo(KrakenError.Kind.OUTCOME_UNKNOWN);
        assertThat(KrakenError.classify("EService:Busy").kind()).isEqualTo(KrakenError.Kind.OUTCOME_UNKNOWN);
        assertThat(KrakenError.classify("EService:Market in cancel_only mode").code()).isEqualTo(GatewayRejectCode.VENUE_REJECTED);
    }
}
