package io.mme.strategy;

import io.mme.strategy.api.StrategyFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategyCatalogTest {
    @TempDir
    Path dir;

    /** a jar whose service file lists {@code factories} (classes the test class path already has) */
    private Path jar(String name, String... factories) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            if (factories.length > 0) {
                out.putNextEntry(new JarEntry("META-INF/services/" + StrategyFactory.class.getName()));
                out.write(String.join("\n", factories).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write("a strategy jar".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void theBuiltInStrategiesAreFoundByTheirTypeNames() {
        StrategyCatalog catalog = StrategyCatalog.builtIn();
        assertThat(catalog.types()).containsExactly(InventorySkewStrategy.TYPE, AvellanedaStoikovStrategy.TYPE, XemmStrategy.TYPE);
        assertThat(catalog.factory(AvellanedaStoikovStrategy.TYPE).newStrategy()).isInstanceOf(AvellanedaStoikovStrategy.class);
        assertThat(catalog.origin(InventorySkewStrategy.TYPE)).isEqualTo("built in");
        assertThat(catalog.factory("micro-price")).isNull();
    }

    @Test
    void aJarsFactoryIsFoundAndItsOriginIsTheJar() throws IOException {
        Path jar = jar("scripted.jar", ScriptedFactory.class.getName());
        StrategyCatalog catalog = StrategyCatalog.load(List.of(jar));
        assertThat(catalog.types()).containsExactly(InventorySkewStrategy.TYPE, AvellanedaStoikovStrategy.TYPE, XemmStrategy.TYPE, "scripted");
        assertThat(catalog.origin("scripted")).isEqualTo(jar.toString());
        assertThat(catalog.factory("scripted").newStrategy().name()).isEqualTo("scripted");
    }

    @Test
    void aDirectoryLoadsEveryJarInIt() throws IOException {
        jar("scripted.jar", ScriptedFactory.class.getName());
        assertThat(StrategyCatalog.load(List.of(dir)).types()).contains("scripted");
    }

    @Test
    void aMissingPathIsNamed() {
        Path missing = dir.resolve("nope.jar");
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(missing))).isInstanceOf(StrategyPluginException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such file or directory");
    }

    @Test
    void aDirectoryWithoutJarsIsRefused() {
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(dir))).hasMessageContaining("holds no .jar file");
    }

    @Test
    void aJarThatDoesNotOpenIsNamed() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.jar"), "not a zip");
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(broken))).isInstanceOf(StrategyPluginException.class)
                .hasMessageContaining("strategy jar " + broken + " does not load");
    }

    @Test
    void aJarWithoutAFactoryIsNamed() throws IOException {
        Path empty = jar("empty.jar");
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(empty)))
                .hasMessageContaining("strategy jar " + empty + " has no StrategyFactory")
                .hasMessageContaining("META-INF/services/io.mme.strategy.api.StrategyFactory");
    }

    @Test
    void aFactoryClassThatIsMissingIsNamedWithItsJar() throws IOException {
        Path jar = jar("missing-class.jar", "com.example.NoSuchFactory");
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(jar)))
                .hasMessageContaining("strategy jar " + jar + ": a factory cannot be built")
                .hasMessageContaining("com.example.NoSuchFactory");
    }

    @Test
    void aTypeNameDefinedTwiceNamesBothOrigins() throws IOException {
        Path jar = jar("duplicate.jar", DuplicateSkewFactory.class.getName());
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(jar)))
                .hasMessageContaining("strategy type 'inventory-skew' is defined twice")
                .hasMessageContaining("built in").hasMessageContaining(jar.toString());
    }

    @Test
    void twoJarsWithOneTypeAreRefused() throws IOException {
        Path a = jar("a.jar", ScriptedFactory.class.getName());
        Path b = jar("b.jar", ScriptedFactory.class.getName());
        assertThatThrownBy(() -> StrategyCatalog.load(List.of(a, b)))
                .hasMessageContaining("strategy type 'scripted' is defined twice").hasMessageContaining(a.toString())
                .hasMessageContaining(b.toString());
    }
}
