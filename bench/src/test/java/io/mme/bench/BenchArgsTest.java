package io.mme.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchArgsTest {
    @Test
    void smokePutsItsDefaultsFirstSoThatOptionsGivenBesideItWin() {
        String[] args = BenchArgs.withSmokeDefaults(new String[]{"--chain", "threads", "--smoke", "--rate", "5000"},
                PipelineBenchmark.SMOKE);
        assertThat(args).containsExactly("--rate", "20000", "--seconds", "2", "--warmup", "1", "--chain", "threads", "--rate", "5000");
        PipelineBenchmark.Options options = PipelineBenchmark.Options.parse(args);
        assertThat(options.rate()).isEqualTo(5000);
        assertThat(options.seconds()).isEqualTo(2);
        assertThat(options.warmupSeconds()).isEqualTo(1);
        assertThat(options.fused()).isFalse();
    }

    @Test
    void withoutSmokeTheArgumentsAreUntouched() {
        String[] args = {"--rate", "7"};
        assertThat(BenchArgs.withSmokeDefaults(args, PipelineBenchmark.SMOKE)).isSameAs(args);
        assertThat(BenchArgs.smoke(args)).isFalse();
    }

    @Test
    void theMatchingSmokeRunsParseInBothModes() {
        MatchingLoadGenerator.Options engine = MatchingLoadGenerator.Options.parse(MatchingLoadGenerator.SMOKE_ENGINE);
        assertThat(engine.engineMode()).isTrue();
        assertThat(engine.seconds()).isEqualTo(1);
        MatchingLoadGenerator.Options book = MatchingLoadGenerator.Options.parse(MatchingLoadGenerator.SMOKE_BOOK);
        assertThat(book.engineMode()).isFalse();
        assertThat(book.ops()).isEqualTo(200_000);
    }

    @Test
    void theMatchingSmokeCoversExchangeCoresTwoStreams() {
        assertThat(java.util.Arrays.stream(MatchingLoadGenerator.SMOKE_EXCHANGE_CORE)
                .map(MatchingLoadGenerator.Options::parse)
                .map(o -> o.mix().configName()))
                .containsExactly("exchange-core-small", "exchange-core-large");
    }
}
