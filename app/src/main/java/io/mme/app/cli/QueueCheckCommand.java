package io.mme.app.cli;

import io.mme.backtest.QueueModelCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mme queue-check}: the backtest's queue models against our L3 book's true FIFO fills; prints a Markdown table. CLI thread only. */
@Command(name = "queue-check", mixinStandardHelpOptions = true,
        description = {"Check the backtest's queue models against ground truth: the simulated market runs on our own L3 book,",
                "a fixed schedule of small post-only orders at the touch meets its true FIFO; the book's public output",
                "(levels, trades) drives the simulated exchange once per model with the same orders. Prints, per model,",
                "how often fill-or-not was right and the error of the first fill's time."})
public final class QueueCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "600", description = "seconds of simulated flow (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--seed", defaultValue = "7", description = "the simulated market's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        if (seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds " + seconds + ": expected a positive number");
        }
        QueueModelCheck.Setup defaults = QueueModelCheck.Setup.defaults();
        QueueModelCheck.Setup setup = new QueueModelCheck.Setup(seed, seconds, defaults.quoteEveryMillis(), defaults.orderLifeMillis(),
                defaults.orderLots());
        spec.commandLine().getOut().print(QueueModelCheck.table(setup, QueueModelCheck.run(setup, QueueModelCheck.defaultModels())));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
