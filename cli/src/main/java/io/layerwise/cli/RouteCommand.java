package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.Workload;
import io.layerwise.trainers.router.RouteConfig;
import io.layerwise.trainers.router.RouteStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise route CONFIG.yaml}: train a Mixture-of-Heads head router per block of a frozen model
 * and compare the routed model with the dense one, static top-k heads and random heads at the same budget.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = {"Mixture-of-Heads routers: per-token activations extracted from texts, one router per block trained",
                "in SameDiff (o_proj reconstruction + beta * load balancing), evaluated inside the forward pass",
                "against dense, static top-k and random heads; router bundles, tables, plots, report."})
final class RouteCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        RouteConfig config = arguments.load(RouteConfig.class).value();
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        Workload workload = Workload.forward(config.evalBatchSize(), config.maxLength(),
                Taps.of(TapKind.RESIDUAL, TapKind.LOGITS));
        try (FrozenTransformer model = ModelLoader.load(config.model(), config.precision(), workload)) {
            RouteStudy.Outcome outcome = RouteStudy.run(config, model, System.err);
            System.out.print(outcome.routersTable().toMarkdown());
            System.out.println();
            System.out.print(outcome.evaluation().toMarkdown());
        }
        return 0;
    }
}
