package io.layerwise.trainers.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.config.ConfigLoader;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlanTest {
    @TempDir
    Path dir;

    private SweepConfig config(String body) throws IOException {
        Path base = dir.resolve("base.yaml");
        Files.writeString(base, "output: unused\n");
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, "command: train\nbase: " + base + "\noutput: " + dir.resolve("out") + "\n"
                + "objective: {metric: m}\n" + body);
        return ConfigLoader.load(file, List.of(), SweepConfig.class).value();
    }

    @Test
    void logUniformGridIsEvenlySpacedInLogSpace() throws IOException {
        SweepPlan plan = SweepPlan.of(config("fields: {lr: {log_uniform: [1.0e-4, 1.0e-1]}}\n"
                + "generator: {grid: {discretization: 4}}\n"));
        assertThat(plan.size()).isEqualTo(4);
        // the range's own ends, not exp(log(1e-4)) = 1.0000000000000009E-4
        assertThat(List.of(0, 1, 2, 3).stream().map(k -> plan.point(k).values().get("lr")).toList())
                .containsExactly(1e-4, 1e-3, 1e-2, 1e-1);
        SweepPlan three = SweepPlan.of(config("fields: {lr: {log_uniform: [1.0e-4, 1.0e-1]}}\n"
                + "generator: {grid: {discretization: 3}}\n"));
        assertThat((Double) three.point(1).values().get("lr")).isCloseTo(Math.pow(10, -2.5), within(Math.pow(10, -2.5) * 1e-11));
    }

    @Test
    void asListGivesEachValueAsAOneElementList() throws IOException {
        SweepPlan plan = SweepPlan.of(config("fields: {alphas: {log_uniform: [0.01, 1.0], as_list: true}}\n"
                + "generator: {grid: {discretization: 3}}\n"));
        assertThat(plan.point(1).values().get("alphas")).isEqualTo(List.of(0.1));
        assertThat(plan.point(2).overrides()).containsExactly("alphas=[1.0]");
    }

    @Test
    void integerGridTakesEveryIntegerWhenTheRangeIsSmallerThanTheDiscretization() throws IOException {
        SweepPlan plan = SweepPlan.of(config("fields: {n: {integer: [2, 4]}}\ngenerator: {grid: {discretization: 10}}\n"));
        assertThat(plan.size()).isEqualTo(3);
        assertThat(List.of(plan.point(0).values().get("n"), plan.point(1).values().get("n"), plan.point(2).values().get("n")))
                .containsExactly(2, 3, 4);
    }

    @Test
    void randomPlanIsReproducibleFromItsSeedAndStaysInRange() throws IOException {
        String fields = "fields:\n  lr: {log_uniform: [1.0e-5, 1.0e-1]}\n  h: {integer: [16, 64]}\n  act: {values: [relu, tanh]}\n";
        SweepPlan a = SweepPlan.of(config(fields + "generator: {random: {candidates: 50, seed: 7}}\n"));
        SweepPlan b = SweepPlan.of(config(fields + "generator: {random: {candidates: 50, seed: 7}}\n"));
        SweepPlan c = SweepPlan.of(config(fields + "generator: {random: {candidates: 50, seed: 8}}\n"));
        List<Map<String, Object>> drawnA = new ArrayList<>();
        List<Map<String, Object>> drawnC = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            assertThat(a.point(k)).isEqualTo(b.point(k));
            drawnA.add(a.point(k).values());
            drawnC.add(c.point(k).values());
            assertThat((Double) a.point(k).values().get("lr")).isBetween(1e-5, 1e-1);
            assertThat((Integer) a.point(k).values().get("h")).isBetween(16, 64);
            assertThat(a.point(k).values().get("act")).isIn("relu", "tanh");
        }
        assertThat(drawnA).isNotEqualTo(drawnC);
        // log-uniform: about half the draws fall below the geometric midpoint 1e-3 (50 draws: far from 5 or 45)
        long below = drawnA.stream().filter(v -> (Double) v.get("lr") < 1e-3).count();
        assertThat(below).isBetween(12L, 38L);
        assertThat(drawnA.stream().map(v -> v.get("act")).distinct()).hasSize(2);
    }

    /** Values as overrides read back through the config loader as the same values. */
    record Typed(Double small, Double large, Double whole, String word, String digits, List<Integer> layers, String output) {}

    @Test
    void overridesReadBackAsTheSameValues() throws IOException {
        Path base = dir.resolve("typed.yaml");
        Files.writeString(base, "output: x\n");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("small", 1e-10);
        values.put("large", 1e10);
        values.put("whole", 3.0);
        values.put("word", "true");
        values.put("digits", "8");
        values.put("layers", new ArrayList<>(List.of(0, 3)));
        SweepPoint point = new SweepPoint(values);
        assertThat(point.overrides()).containsExactly("small=0.0000000001", "large=10000000000.0", "whole=3.0",
                "word=\"true\"", "digits=\"8\"", "layers=[0,3]");
        Typed typed = ConfigLoader.load(base, point.overrides(), Typed.class).value();
        assertThat(typed).isEqualTo(new Typed(1e-10, 1e10, 3.0, "true", "8", List.of(0, 3), "x"));
    }

    @Test
    void wildcardObjectiveIsTheMeanOverTheMatchingMetrics() {
        Map<String, Double> metrics = Map.of("validation.f1.layer_1", 0.5, "validation.f1.layer_2", 0.75,
                "validation.f1.mean", 100.0, "test.f1.layer_1", 0.0, "validation.f1.layer_3.extra", 9.0);
        assertThat(new Objective("validation.f1.layer_*", null).of(metrics)).isEqualTo(0.625);
        assertThat(new Objective("validation.f1.layer_2", null).of(metrics)).isEqualTo(0.75);
        assertThat(new Objective("*.f1.layer_1", null).of(metrics)).isEqualTo(0.25);
        assertThatThrownBy(() -> new Objective("validation.auroc.*", null).of(metrics))
                .hasMessageContaining("no reported metric matches the objective 'validation.auroc.*'");
        assertThatThrownBy(() -> new Objective("m", null).of(Map.of("m", Double.NaN))).hasMessageContaining("m is NaN");
    }

    @Test
    void runMetricsAreTheNumbersOfMetricsJsonByDottedPath() throws IOException {
        Files.writeString(dir.resolve("metrics.json"), """
                {"validation": {"mlp": {"f1": {"3": 0.5, "mean": 0.25}}, "model": "tiny"}, "rates": [0.1, 2], "ok": true}
                """);
        assertThat(RunMetrics.read(dir)).containsExactly(Map.entry("rates.0", 0.1), Map.entry("rates.1", 2.0),
                Map.entry("validation.mlp.f1.3", 0.5), Map.entry("validation.mlp.f1.mean", 0.25));
    }

    @Test
    void configErrorsNameTheField() throws IOException {
        assertThatThrownBy(() -> config("fields: {lr: {log_uniform: [0.0, 1.0]}}\ngenerator: {grid: {}}\n"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("fields.lr.log_uniform: needs 0 < min < max");
        assertThatThrownBy(() -> config("fields: {lr: {linear: [0.0, 1.0], values: [1, 2]}}\ngenerator: {grid: {}}\n"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("fields.lr: give exactly one of");
        assertThatThrownBy(() -> config("fields: {act: {values: [relu]}}\ngenerator: {grid: {}}\n"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("fields.act.values: must list at least two values");
        assertThatThrownBy(() -> config("fields: {output: {values: [a, b]}}\ngenerator: {grid: {}}\n"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("'output' cannot be set");
        assertThatThrownBy(() -> config("fields: {lr: {linear: [0.0, 1.0]}}\ngenerator: {random: {seed: 1}}\n"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("generator.random.candidates: is required");
    }

    /**
     * Arbiter beta7 must not bring its own ND4J: with two ND4J versions on the classpath every candidate
     * fails while Arbiter's runner returns normally (PLATFORM.md). Exactly one ND4J API, M2.1's.
     */
    @Test
    void arbiterBringsNoSecondNd4jOntoTheClasspath() throws IOException {
        List<URL> nd4j = Collections.list(getClass().getClassLoader().getResources("org/nd4j/linalg/factory/Nd4j.class"));
        assertThat(nd4j).hasSize(1);
        assertThat(nd4j.get(0).toString()).contains("nd4j-api").contains("1.0.0-M2.1");
        assertThat(Collections.list(getClass().getClassLoader().getResources("org/nd4j/common/function/Supplier.class")))
                .hasSize(1);
    }
}
