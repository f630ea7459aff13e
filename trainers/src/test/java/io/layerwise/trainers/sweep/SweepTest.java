package io.layerwise.trainers.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** -(x - 1)^2 - (y - 3)^2 + 0.5 [z = b], reported for two "layers" whose mean is that value. */
    private static Map<String, Double> quadratic(SyntheticTarget.Synthetic c) {
        double f = -(c.x() - 1) * (c.x() - 1) - (c.y() - 3) * (c.y() - 3) + ("b".equals(c.z()) ? 0.5 : 0) + c.offset();
        return Map.of("validation.score.layer_1", f - 1, "validation.score.layer_2", f + 1, "test.score.layer_1", 7.0);
    }

    private Path base(String yaml) throws IOException {
        Path base = dir.resolve("base.yaml");
        Files.writeString(base, yaml);
        return base;
    }

    private SweepConfig config(Path base, String body) throws IOException {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, "command: train\nbase: " + base + "\noutput: " + dir.resolve("sweep") + "\n" + body);
        return ConfigLoader.load(file, List.of(), SweepConfig.class).value();
    }

    private static final String GRID = """
            fields:
              x: {linear: [-2.0, 2.0]}
              y: {integer: [2, 4]}
              z: {values: [a, b, c]}
            generator: {grid: {discretization: 5}}
            objective: {metric: validation.score.layer_*, goal: maximize}
            parallelism: 2
            """;

    @Test
    void gridSweepFindsTheKnownOptimumOfASyntheticObjective() throws IOException {
        SweepConfig config = config(base("x: 0.0\ny: 0\nz: a\noutput: unused\n"), GRID);
        SyntheticTarget target = new SyntheticTarget(SweepTest::quadratic);

        SweepOutcome outcome = Sweep.run(config, target, log);

        // 5 points of [-2, 2] (x = 1 among them) x 3 integers x 3 values; the optimum by hand: x=1, y=3, z=b
        assertThat(outcome.planned()).isEqualTo(45);
        assertThat(outcome.completed()).isEqualTo(45);
        assertThat(target.runs).hasValue(45);
        CandidateResult best = outcome.best().orElseThrow();
        assertThat(best.values()).containsExactly(Map.entry("x", 1.0), Map.entry("y", 3), Map.entry("z", "b"));
        assertThat(best.objective()).isEqualTo(0.5);

        Path sweep = dir.resolve("sweep");
        SyntheticTarget.Synthetic bestConfig = ConfigLoader.load(sweep.resolve("best.yaml"), List.of(),
                SyntheticTarget.Synthetic.class).value();
        assertThat(bestConfig).isEqualTo(new SyntheticTarget.Synthetic(1.0, 3, "b", 0.0, sweep.resolve("best-run").toString()));

        List<String> csv = Files.readAllLines(sweep.resolve("tables/sweep.csv"));
        assertThat(csv.get(0)).isEqualTo("candidate,x,y,z,objective,status,seconds,test.score.layer_1,"
                + "validation.score.layer_1,validation.score.layer_2,error");
        assertThat(csv).hasSize(46);
        // Arbiter's grid varies the first field fastest: candidate 1 is x=-1, y=2, z=a: -4 - 1 = -5
        assertThat(csv.get(2)).startsWith("1,-1.0,2,a,-5.0,complete,");
        assertThat(csv.get(2)).endsWith(",7.0,-6.0,-4.0,");
        // the Markdown table (and the report) leave the metrics to the CSV
        assertThat(Files.readAllLines(sweep.resolve("tables/sweep.md")).get(0))
                .isEqualTo("| candidate | x | y | z | objective | status | seconds | error |");
        for (String plot : List.of("x", "y", "z")) {
            assertThat(sweep.resolve("plots/objective-vs-" + plot + ".png")).isNotEmptyFile();
        }
        assertThat(Files.readString(sweep.resolve("report.html"))).contains("plots/objective-vs-x.png", "tables/sweep.csv");
        assertThat(Files.readString(sweep.resolve("metrics.json"))).contains("\"completed\" : 45", "\"not_run\" : 0");
    }

    @Test
    void minimizingPicksTheLowestObjective() throws IOException {
        SweepConfig config = config(base("x: 0.0\ny: 0\nz: a\noutput: unused\n"),
                GRID.replace("goal: maximize", "goal: minimize").replace("parallelism: 2", "parallelism: 1"));
        SweepOutcome outcome = Sweep.run(config, new SyntheticTarget(SweepTest::quadratic), log);
        // the worst by hand: x = -2, y = 2 or 4, z != b: -9 - 1 = -10; ties go to the lowest index (y = 2, z = a)
        assertThat(outcome.best().orElseThrow().values()).containsExactly(Map.entry("x", -2.0), Map.entry("y", 2),
                Map.entry("z", "a"));
        assertThat(outcome.best().orElseThrow().objective()).isEqualTo(-10.0);
    }

    @Test
    void sweepWhoseCandidatesAllThrowFailsWithEveryError() throws IOException {
        SweepConfig config = config(base("x: 0.0\ny: 0\nz: a\noutput: unused\n"), """
                fields:
                  x: {linear: [-1.0, 1.0]}
                generator: {grid: {discretization: 3}}
                objective: {metric: validation.score.layer_*}
                """);
        SyntheticTarget target = new SyntheticTarget(c -> {
            throw new IllegalStateException("diverged at x=" + c.x());
        });

        assertThatThrownBy(() -> Sweep.run(config, target, log))
                .isInstanceOf(SweepFailedException.class)
                .hasMessageContaining("no candidate of the sweep completed (3 failed, 0 not run)")
                .hasMessageContaining("candidate 0 [x=-1.0]: IllegalStateException: diverged at x=-1.0")
                .hasMessageContaining("candidate 1 [x=0.0]: IllegalStateException: diverged at x=0.0")
                .hasMessageContaining("candidate 2 [x=1.0]: IllegalStateException: diverged at x=1.0");
        Path sweep = dir.resolve("sweep");
        assertThat(Files.readAllLines(sweep.resolve("tables/sweep.csv")))
                .containsExactly("candidate,x,objective,status,seconds,error",
                        "0,-1.0,,failed," + seconds(sweep, 0) + ",IllegalStateException: diverged at x=-1.0",
                        "1,0.0,,failed," + seconds(sweep, 1) + ",IllegalStateException: diverged at x=0.0",
                        "2,1.0,,failed," + seconds(sweep, 2) + ",IllegalStateException: diverged at x=1.0");
        assertThat(Files.readString(sweep.resolve("candidates/0001/error.txt"))).contains("diverged at x=0.0", "at io.layerwise");
        assertThat(sweep.resolve("best.yaml")).doesNotExist();
        assertThat(sweep.resolve("report.html")).exists();
    }

    @Test
    void aMetricTheCandidatesDoNotReportFailsThemNamingWhatWasReported() throws IOException {
        SweepConfig config = config(base("x: 0.0\ny: 0\nz: a\noutput: unused\n"), """
                fields:
                  x: {linear: [-1.0, 1.0]}
                generator: {grid: {discretization: 2}}
                objective: {metric: validation.f1.layer_*}
                """);
        assertThatThrownBy(() -> Sweep.run(config, new SyntheticTarget(SweepTest::quadratic), log))
                .isInstanceOf(SweepFailedException.class)
                .hasMessageContaining("no reported metric matches the objective 'validation.f1.layer_*'; reported: "
                        + "[test.score.layer_1, validation.score.layer_1, validation.score.layer_2]");
    }

    @Test
    void resumedSweepRunsOnlyCandidatesWithoutACompleteResultForTheirConfig() throws IOException {
        Path base = base("x: 0.0\ny: 0\nz: a\noutput: unused\n");
        SweepConfig config = config(base, GRID.replace("  y: {integer: [2, 4]}\n", "").replace("  z: {values: [a, b, c]}\n", ""));
        // first run: the candidates with x > 0 fail (as a killed or crashed candidate would leave no complete result)
        SyntheticTarget flaky = new SyntheticTarget(c -> {
            if (c.x() > 0) {
                throw new IllegalStateException("out of memory");
            }
            return quadratic(c);
        });
        SweepOutcome first = Sweep.run(config, flaky, log);
        assertThat(flaky.runs).hasValue(5);
        assertThat(first.completed()).isEqualTo(3);
        assertThat(first.failed()).extracting(CandidateResult::index).containsExactly(3, 4);

        SyntheticTarget healthy = new SyntheticTarget(SweepTest::quadratic);
        SweepOutcome second = Sweep.run(config, healthy, log);
        assertThat(healthy.runs).hasValue(2);
        assertThat(second.completed()).isEqualTo(5);
        assertThat(second.best().orElseThrow().values()).containsEntry("x", 1.0);

        // a result lost before it was committed: only that candidate runs again
        Files.delete(dir.resolve("sweep/candidates/0002/result.json"));
        SyntheticTarget third = new SyntheticTarget(SweepTest::quadratic);
        assertThat(Sweep.run(config, third, log).completed()).isEqualTo(5);
        assertThat(third.runs).hasValue(1);

        // nothing left to do: nothing runs, the report is rewritten from the records; best by hand: x = 1, y = 0: -9
        SyntheticTarget fourth = new SyntheticTarget(SweepTest::quadratic);
        assertThat(Sweep.run(config, fourth, log).best().orElseThrow().objective()).isEqualTo(-9.0);
        assertThat(fourth.runs).hasValue(0);

        // the base config changed a value every candidate runs with: every result is stale
        Files.writeString(base, "x: 0.0\ny: 0\nz: a\noffset: 1.0\noutput: unused\n");
        SyntheticTarget fifth = new SyntheticTarget(SweepTest::quadratic);
        assertThat(Sweep.run(config, fifth, log).best().orElseThrow().objective()).isEqualTo(-8.0);
        assertThat(fifth.runs).hasValue(5);
    }

    @Test
    void timeLimitLeavesCandidatesNotRunForTheNextRun() throws IOException {
        Path base = base("x: 0.0\ny: 0\nz: a\noutput: unused\n");
        String body = """
                fields:
                  x: {linear: [-1.0, 1.0]}
                generator: {grid: {discretization: 3}}
                objective: {metric: validation.score.layer_1}
                """;
        // Arbiter's runner checks its termination conditions before it starts the first candidate
        // (after a 1 s poll), so a 6 ms limit stops the sweep before anything runs
        SyntheticTarget target = new SyntheticTarget(SweepTest::quadratic);
        assertThatThrownBy(() -> Sweep.run(config(base, body + "max_minutes: 0.0001\n"), target, log))
                .isInstanceOf(SweepFailedException.class)
                .hasMessageStartingWith("no candidate of the sweep completed (0 failed, 3 not run)");
        assertThat(target.runs).hasValue(0);
        assertThat(Files.readString(dir.resolve("sweep/tables/sweep.csv"))).contains("0,-1.0,,not_run,,");
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("3 candidates not run (max_minutes reached");

        SweepOutcome rerun = Sweep.run(config(base, body), target, log);
        assertThat(target.runs).hasValue(3);
        assertThat(rerun.completed()).isEqualTo(3);
    }

    @Test
    void invalidCandidateConfigIsRejectedBeforeAnythingRuns() throws IOException {
        SweepConfig config = config(base("x: 0.0\ny: 0\nz: a\noutput: unused\n"), """
                fields:
                  z: {values: [a, d]}
                generator: {grid: {discretization: 2}}
                objective: {metric: validation.score.layer_1}
                """);
        SyntheticTarget target = new SyntheticTarget(SweepTest::quadratic);
        assertThatThrownBy(() -> Sweep.run(config, target, log))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("sweep candidate 1 [z=\"d\"] is not a valid train config: -s z=\"d\": z: must be a, b or c, got d");
        assertThat(target.runs).hasValue(0);
        assertThat(dir.resolve("sweep")).doesNotExist();
    }

    private static String seconds(Path sweep, int index) throws IOException {
        String json = Files.readString(sweep.resolve(String.format("candidates/%04d/result.json", index)));
        return json.replaceAll("(?s).*\"seconds\" : ([0-9.E-]+).*", "$1");
    }
}
