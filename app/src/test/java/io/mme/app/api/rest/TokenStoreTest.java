package io.mme.app.api.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void fileAndEnvironmentTokensAuthenticateToTheirPrincipalAndRole() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, """
                # ops tokens
                vera   viewer        %s
                  # indented comment
                rita risk-officer %s   # trailing comment
                """.formatted(TokenStore.sha256Hex("v-secret"), TokenStore.sha256Hex("r-secret").toUpperCase()));
        TokenStore store = new TokenStore(file, " tom:trader:t-secret , ada:admin:a:with:colons ");
        assertThat(store.size()).isEqualTo(4);
        assertThat(store.authenticate("v-secret")).contains(new TokenStore.Caller("vera", Role.VIEWER));
        assertThat(store.authenticate("r-secret")).contains(new TokenStore.Caller("rita", Role.RISK_OFFICER));
        assertThat(store.authenticate("t-secret")).contains(new TokenStore.Caller("tom", Role.TRADER));
        assertThat(store.authenticate("a:with:colons")).contains(new TokenStore.Caller("ada", Role.ADMIN));
        assertThat(store.authenticate("v-secret ")).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(store.principals()).containsExactly("vera (viewer)", "rita (risk-officer)", "tom (trader)", "ada (admin)");
    }

    @Test
    void theHashIsSha256Hex() {
        assertThat(TokenStore.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void malformedEntriesAreRefusedWithoutEchoingTheToken() throws Exception {
        assertThatThrownBy(() -> new TokenStore(null, "tom:pilot:top-secret-1"))
                .hasMessageContaining("MME_API_TOKENS entry 1").hasMessageContaining("pilot")
                .hasMessageNotContaining("top-secret-1");
        assertThatThrownBy(() -> new TokenStore(null, "ok:viewer:x1,tom-secret-2"))
                .hasMessageContaining("entry 2").hasMessageNotContaining("secret-2");
        assertThatThrownBy(() -> new TokenStore(null, "a:viewer:same-secret-3,b:admin:same-secret-3"))
                .hasMessageContaining("same token").hasMessageNotContaining("same-secret-3");
        Path file = dir.resolve("bad");
        Files.writeString(file, "vera viewer abc123\n");
        assertThatThrownBy(() -> new TokenStore(file, null)).hasMessageContaining("line 1").hasMessageContaining("64 hex");
        Files.writeString(file, "\nvera viewer\n");
        assertThatThrownBy(() -> new TokenStore(file, null)).hasMessageContaining("line 2");
    }

    @Test
    void rolesParseByTheirConfigNames() {
        assertThat(Role.parse("Risk-Officer")).isEqualTo(Role.RISK_OFFICER);
        assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("viewer, trader, risk-officer, admin");
    }
}
