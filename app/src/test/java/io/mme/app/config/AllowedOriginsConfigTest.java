package io.mme.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code api.allowedOrigins}: the stream's Origin allow-list, read from the file or the environment and validated like every key. */
class AllowedOriginsConfigTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void noneByDefaultAndEachOriginReadNormalisedFromTheFileOrTheEnvironment() throws Exception {
        assertThat(loader.load(null, Map.of()).api().allowedOrigins()).isEmpty();
        Path f = file("api:\n  allowedOrigins: \"https://Desk.Example.com/, http://localhost:3000\"\n");
        assertThat(loader.load(f, Map.of()).api().allowedOrigins()).containsExactly("https://desk.example.com", "http://localhost:3000");
        assertThat(loader.load(f, Map.of("MME_API_ALLOWED_ORIGINS", "http://[::1]:8080")).api().allowedOrigins())
                .containsExactly("http://[::1]:8080");
        assertThat(ConfigLoader.environmentVariableFor("api.allowedOrigins")).isEqualTo("MME_API_ALLOWED_ORIGINS");
    }

    @Test
    void anOriginWithAPathOrAnotherSchemeIsRefusedNamingTheKeyAndTheEntry() throws Exception {
        for (String bad : List.of("https://desk.example.com/page", "ftp://desk.example.com", "desk.example.com", "https://a.example,*")) {
            Path f = file("api:\n  allowedOrigins: \"" + bad + "\"\n");
            assertThatThrownBy(() -> loader.load(f, Map.of()))
                    .as(bad)
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.errors()).hasSize(1);
                        ConfigError error = e.errors().get(0);
                        assertThat(error.key()).isEqualTo("api.allowedOrigins");
                        assertThat(error.value()).isEqualTo(bad);
                        assertThat(error.expected()).contains("scheme://host[:port]");
                        assertThat(error.source()).isEqualTo(f.toString());
                    });
        }
        assertThatThrownBy(() -> loader.load(null, Map.of("MME_API_ALLOWED_ORIGINS", "evil")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors().get(0).key()).isEqualTo("api.allowedOrigins");
                    assertThat(e.errors().get(0).source()).isEqualTo("MME_API_ALLOWED_ORIGINS");
                    assertThat(e.errors().get(0).expected()).contains("'evil' is not one");
                });
    }

    private Path file(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "mme", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
