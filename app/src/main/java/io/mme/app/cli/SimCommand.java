package io.mme.app.cli;

import io.mme.strategy.sim.AvellanedaStoikovSimulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mme sim avellaneda-stoikov}: the simulation of Avellaneda and Stoikov (2008), section 3.3. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Simulations of the quoting models.",
        subcommands = SimCommand.AvellanedaStoikov.class)
public final class SimCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a simulation is required: avellaneda-stoikov");
    }

    @Command(name = "avellaneda-stoikov", mixinStandardHelpOptions = true,
            description = {"Reproduce Avellaneda & Stoikov (2008), section 3.3: s0=100, T=1, sigma=2, dt=0.005, q0=0, A=140, k=1.5.",
                    "The inventory strategy quotes with the project's Avellaneda-Stoikov model; the symmetric benchmark quotes",
                    "its average spread centred on the mid. Prints a table and one JSON line per strategy."})
    static final class AvellanedaStoikov implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--gamma", defaultValue = "0.1", paramLabel = "G", description = "risk aversion (default: ${DEFAULT-VALUE}; the paper uses 0.01, 0.1 and 0.5)")
        double gamma;

        @Option(names = "--runs", defaultValue = "1000", paramLabel = "N", description = "simulated paths (default: ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() {
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--gamma " + gamma + ": expected a positive number");
            }
            if (runs < 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--runs " + runs + ": expected at least 2 runs (a standard deviation needs two)");
            }
            AvellanedaStoikovSimulation.Report report = AvellanedaStoikovSimulation.run(gamma, runs, seed);
            var out = spec.commandLine().getOut();
            out.print(report.table());
            out.print(report.jsonLines());
            out.flush();
            return 0;
        }
    }
}
