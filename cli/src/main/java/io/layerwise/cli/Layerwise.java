package io.layerwise.cli;

import io.layerwise.datasets.DatasetException;
import io.layerwise.models.ModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code layerwise} command line: one subcommand per job. User-facing failures (a bad model
 * directory, a bad input) print one clear message and exit with status 2; bugs print a stack trace
 * and exit with status 1.
 */
@Command(name = "layerwise", mixinStandardHelpOptions = true, version = "layerwise 0.1.0",
        description = "Train routers and probes on the activations of frozen large language models.",
        subcommands = {ForwardCommand.class, GenerateCommand.class, ExtractCommand.class, EvalCommand.class,
            PruneCommand.class, RefusalDirectionCommand.class, TrainCommand.class, SanitizeCommand.class, SweepCommand.class,
            ExportCommand.class, ScoreCommand.class, RouteCommand.class, BenchCommand.class, EnergiesCommand.class,
            AappCommand.class})
public final class Layerwise {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Layerwise());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ModelException || e instanceof DatasetException || e instanceof UserInputException) {
                commandLine.getErr().println("layerwise: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
