package io.mme.connectors.binance;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binance signatures: the documented HMAC test vector, Ed25519 with a generated key, the WS API payload order. */
class BinanceSignerTest {
    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void hmacSignatureMatchesTheDocumentedTestVector() {
        BinanceSigner signer = new BinanceSigner("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
        String payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        assertThat(signer.ed25519()).isFalse();
        assertThat(signer.sign(payload)).isEqualTo("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    }

    @Test
    void ed25519PemKeySignsInBase64AndTheSignatureVerifiesWithThePublicKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        BinanceSigner signer = new BinanceSigner(pem(pair));
        String payload = "apiKey=abc&timestamp=1721901234000";
        String signature = signer.sign(payload);
        assertThat(signer.ed25519()).isTrue();
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(pair.getPublic());
        verify.update(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(verify.verify(Base64.getDecoder().decode(signature))).isTrue();
    }

    @Test
    void aBrokenPemKeyIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new BinanceSigner("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519");
    }

    @Test
    void webSocketPayloadSortsParamsByNameAndLeavesOutTheSignature() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("timestamp", "1721901234000");
        params.put("signature", "xyz");
        params.put("apiKey", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A");
        assertThat(BinanceSigner.webSocketPayload(params))
                .isEqualTo("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&timestamp=1721901234000");
    }
}
