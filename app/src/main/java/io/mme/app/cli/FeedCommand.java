package io.mme.app.cli;

import io.mme.app.Main;
import io.mme.app.feedcheck.FaultMatrix;
import io.mme.app.feedcheck.FeedCheck;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.replay.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mme feed check}: vet a recording through the real connector. */
@Command(name = "feed", mixinStandardHelpOptions = true, description = "Venue feed tools.",
        subcommands = FeedCommand.Check.class)
public final class FeedCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check");
    }

    /** {@code mme feed check --venue V --recording FILE [--recording FILE2]} */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Replay a recording through the real connector over a loopback WebSocket (and HTTP for Binance snapshots); "
                    + "print one JSON line: messages, sequence and checksum checks, resyncs, crossed books, malformed messages, and per instrument "
                    + "that received data its final state, how often it went INVALID, its rebuilds and final best bid/ask. "
                    + "Exit 1 when the replay was not delivered within --timeout-seconds.")
    public static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--venue", required = true, description = "binance, coinbase or kraken")
        String venue;

        @Option(names = "--recording", required = true, description = "a recording file (repeat for a REST snapshot recording)")
        List<Path> recordings;

        @Option(names = "--timeout-seconds", defaultValue = "120", description = "upper bound for the replay (default ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Option(names = "--faults", description = "replay once clean and once per fault of the built-in matrix (drop, changed size, "
                + "changed price, swap, truncate, garbage line, disconnect, silence past the stale limit), each once on the first "
                + "connection; print a table: fault, detected by, recovered. Exit 1 when a fault the venue's protocol can detect "
                + "goes undetected or a book does not recover")
        boolean faults;

        @Option(names = "--stale-after-millis", defaultValue = "3000",
                description = "the market data engine's stale limit applied during the replay (default ${DEFAULT-VALUE})")
        long staleAfterMillis;

        @Override
        public Integer call() throws Exception {
            Venue v;
            try {
                v = Venue.parse(venue);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--venue: " + e.getMessage());
            }
            for (Path p : recordings) {
                if (!Files.isReadable(p)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--recording " + p + ": no such readable file");
                }
            }
            Recording recording;
            try {
                recording = Recording.read(recordings.toArray(new Path[0]));
            } catch (java.io.IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--recording: " + e.getMessage());
            }
            try {
                if (faults) {
                    FaultMatrix.Result result = FaultMatrix.run(v, recording, new FeedCheck.Options(Duration.ofSeconds(timeoutSeconds),
                            Duration.ofMillis(staleAfterMillis), io.mme.marketdata.replay.ReplayWebSocketServer.Faults.NONE));
                    spec.commandLine().getOut().print(result.table());
                    spec.commandLine().getOut().flush();
                    if (result.failed()) {
                        spec.commandLine().getErr().println("mme feed check --faults: "
                                + (result.cleanComplete() ? "a fault the protocol can detect went undetected or a book did not recover"
                                : "the fault-free replay did not end with every book VALID within the timeout"));
                        return Main.EXIT_FAILED;
                    }
                    return Main.EXIT_OK;
                }
                FeedCheck.Report report = FeedCheck.run(v, recording, new FeedCheck.Options(Duration.ofSeconds(timeoutSeconds),
                        Duration.ofMillis(staleAfterMillis), io.mme.marketdata.replay.ReplayWebSocketServer.Faults.NONE));
                spec.commandLine().getOut().println(report);
                spec.commandLine().getOut().flush();
                if (!report.complete()) {
                    spec.commandLine().getErr().println("mme feed check: the replay was not delivered within " + timeoutSeconds
                            + " s (--timeout-seconds)");
                    return Main.EXIT_FAILED;
                }
                return Main.EXIT_OK;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }
}
