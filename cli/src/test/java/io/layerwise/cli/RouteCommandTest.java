package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.cli.ExtractCommandTest.Result;
import io.layerwise.trainers.router.HeadRouter;
import io.layerwise.trainers.router.RouterBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code layerwise route} on the example config, cut down (two blocks, a small token budget, a few
 * MMLU items): it extracts, trains, evaluates and writes tables, plots, bundles and the report; the
 * dense row is exactly the dense model; a rerun reuses the routers it wrote; a budget that does not fit
 * the model's heads is refused with exit status 2. Tagged {@code slow}: about six minutes on a busy
 * 2-core machine (two full runs: extraction, SameDiff training, four evaluated variants).
 */
@Tag("slow")
class RouteCommandTest {
    private static final Path CONFIG = ExtractCommandTest.REPO.resolve("configs/route-tiny-qwen3.yaml");

    @TempDir
    Path temp;

    @Test
    void routeTrainsEvaluatesExportsAndResumes() throws Exception {
        Path run = temp.resolve("run");
        String[] args = args(run, "-s", "layers=[1, 5]");
        Result first = ExtractCommandTest.run(args);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.err()).contains("layer 5: training a router");

        List<String> evaluation = Files.readAllLines(run.resolve("tables/route.csv"));
        assertThat(evaluation).hasSize(5);
        assertThat(evaluation.get(1)).startsWith("Dense,8,");
        assertThat(evaluation.get(2)).startsWith("Routed,6,");
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertThat(metrics.at("/dense/final_hidden_relative_error").asDouble()).isZero();
        assertThat(metrics.at("/routed/final_hidden_relative_error").asDouble()).isPositive();
        // 2 of 8 heads dropped in 2 of 8 blocks: a quarter of the per-head attention work of those blocks
        assertThat(metrics.at("/static_topk/attention_flops_saved").asDouble()).isBetween(0.01, 0.25 * 2 / 8);
        assertThat(metrics.at("/routed/mmlu/items").asInt()).isEqualTo(8);
        assertThat(Files.readAllLines(run.resolve("tables/routers.csv"))).hasSize(3);
        assertThat(run.resolve("plots/reconstruction_by_layer.png")).isNotEmptyFile();
        assertThat(Files.readString(run.resolve("report.html"))).contains("<h2>route</h2>", "<h2>routers</h2>");

        HeadRouter router = RouterBundle.read(run.resolve("routers/layer-5")).router();
        assertThat(router.layer()).isEqualTo(5);
        assertThat(router.activeHeads()).isEqualTo(6);

        Result second = ExtractCommandTest.run(args);
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.err()).contains("layer 1: reusing the router", "layer 5: reusing the router")
                .doesNotContain("training a router");
        assertThat(Files.readAllLines(run.resolve("tables/route.csv")).get(2)).isEqualTo(evaluation.get(2));
    }

    @Test
    void aBudgetLargerThanTheHeadsIsRefused() {
        Result r = ExtractCommandTest.run(args(temp.resolve("bad"), "-s", "shared_heads=4", "-s", "top_k=5"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("top_k 5", "8 heads");
    }

    private static String[] args(Path run, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("route", CONFIG.toString(),
                "-s", "model=" + ExtractCommandTest.REPO.resolve("examples/tiny-qwen3-chat"),
                "-s", "dataset.path=" + ExtractCommandTest.REPO.resolve("data/testbed/general-dev.jsonl"),
                "-s", "mmlu=" + ExtractCommandTest.REPO.resolve("data/testbed/mmlu-dev.csv"),
                "-s", "mmlu_limit=8", "-s", "token_budget=1500", "-s", "max_length=64", "-s", "held_out=0.05",
                "-s", "epochs=3", "-s", "output=" + run));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }
}
