package io.mme.connectors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.core.venue.Credentials;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JWT ES256 signer against RFC 7515's ES256 example and the claims Coinbase documents. */
class CoinbaseJwtSignerTest {
    // RFC 7515 Appendix A.3: the P-256 key (JWK x, y, d), the signing input and its ES256 signature
    private static final String RFC_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    private static final String RFC_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    private static final String RFC_D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
    private static final String RFC_SIGNING_INPUT = "eyJhbGciOiJFUzI1NiJ9."
            + "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    private static final String RFC_SIGNATURE = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BigInteger b64(String s) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(s));
    }

    private static ECParameterSpec p256() throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    private static PublicKey rfcPublicKey() throws Exception {
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(b64(RFC_X), b64(RFC_Y)), p256()));
    }

    private static PrivateKey rfcPrivateKey() throws Exception {
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(b64(RFC_D), p256()));
    }

    private static boolean verifies(PublicKey key, String signingInput, byte[] signature) throws Exception {
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(key);
        v.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return v.verify(signature);
    }

    @Test
    void rfc7515EcdsaExampleVerifiesInTheRawSignatureFormatTheSignerUses() throws Exception {
        assertThat(verifies(rfcPublicKey(), RFC_SIGNING_INPUT, Base64.getUrlDecoder().decode(RFC_SIGNATURE))).isTrue();
        assertThat(Base64.getUrlDecoder().decode(RFC_SIGNATURE)).hasSize(64);
    }

    @Test
    void rfc7515KeyReadFromSec1PemSignsWhatTheRfcPublicKeyVerifies() throws Exception {
        String pem = FakeCoinbaseVenue.sec1Pem(rfcPrivateKey());
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        ECPrivateKey read = CoinbaseJwtSigner.privateKey(pem);
        assertThat(read.getS()).isEqualTo(b64(RFC_D));

        CoinbaseJwtSigner signer = new CoinbaseJwtSigner(new Credentials(FakeCoinbaseVenue.KEY_NAME, pem));
        byte[] signature = signer.sign(RFC_SIGNING_INPUT);
        assertThat(signature).hasSize(64);
        assertThat(verifies(rfcPublicKey(), RFC_SIGNING_INPUT, signature)).isTrue();
    }

    @Test
    void restTokenCarriesTheDocumentedHeaderAndClaimsAndVerifies() throws Exception {
        KeyPair keys = FakeCoinbaseVenue.newKeyPair();
        CoinbaseJwtSigner signer = new CoinbaseJwtSigner(new Credentials(FakeCoinbaseVenue.KEY_NAME, FakeCoinbaseVenue.sec1Pem(keys.getPrivate())));
        String token = signer.restToken("POST", "api.coinbase.com", "/api/v3/brokerage/orders", 1_753_436_400L);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("ES256");
        assertThat(header.path("kid").asText()).isEqualTo(FakeCoinbaseVenue.KEY_NAME);
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        assertThat(header.path("nonce").asText()).matches("[0-9a-f]{32}");
        assertThat(claims.path("sub").asText()).isEqualTo(FakeCoinbaseVenue.KEY_NAME);
        assertThat(claims.path("iss").asText()).isEqualTo("cdp");
        assertThat(claims.path("nbf").asLong()).isEqualTo(1_753_436_400L);
        assertThat(claims.path("exp").asLong()).isEqualTo(1_753_436_520L);
        assertThat(claims.path("uri").asText()).isEqualTo("POST api.coinbase.com/api/v3/brokerage/orders");
        assertThat(verifies(keys.getPublic(), parts[0] + "." + parts[1], Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        String again = signer.restToken("POST", "api.coinbase.com", "/api/v3/brokerage/orders", 1_753_436_400L);
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(again.split("\\.")[0])).path("nonce").asText())
                .isNotEqualTo(header.path("nonce").asText());
    }

    @Test
    void streamTokenHasNoUriClaim() throws Exception {
        KeyPair keys = FakeCoinbaseVenue.newKeyPair();
        CoinbaseJwtSigner signer = new CoinbaseJwtSigner(new Credentials(FakeCoinbaseVenue.KEY_NAME, FakeCoinbaseVenue.pkcs8Pem(keys.getPrivate())));
        String[] parts = signer.streamToken(1_753_436_400L).split("\\.");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.has("uri")).isFalse();
        assertThat(claims.path("exp").asLong() - claims.path("nbf").asLong()).isEqualTo(120);
        assertThat(verifies(keys.getPublic(), parts[0] + "." + parts[1], Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void aSecretThatIsNotAnEcPemIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> CoinbaseJwtSigner.privateKey("s3cr3t-not-a-pem"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEGIN EC PRIVATE KEY")
                .hasMessageNotContaining("s3cr3t");
    }
}
