package io.layerwise.trainers.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.testing.NumpyPython;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DL4J logistic probe against scikit-learn's {@code LogisticRegression} on the same standardized
 * rows, with the regularization mapped as {@link LogisticSettings} documents: L-BFGS reaches
 * scikit-learn's optimum (probabilities equal to 1e-5), Adam comes close (optimizer noise), and both give
 * the same decisions and direction (Eq. 2).
 */
class LogisticProbeSklearnTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"lbfgs, 1e-5", "adam, 0.02"})
    void logisticProbeMatchesScikitLearnOnTheSameRows(String solver, double tolerance) throws Exception {
        LayerRows rows = new LayerRows(SyntheticRows.gaussians(600, 16, 2.0, 1), SyntheticRows.gaussians(150, 16, 2.0, 2),
                SyntheticRows.gaussians(300, 16, 2.0, 3));
        double l2 = 1e-2;
        TrainedProbe probe = new ProbeTrainer(ProbeKind.LOGISTIC, MlpSettings.DEFAULT, new LogisticSettings(solver, l2, 1e-9, 1e-2,
                300, 600, 0), ClassWeighting.NONE, ThresholdRule.HALF, 42).train(0, rows, loss -> {});
        Files.writeString(dir.resolve("train.csv"), SyntheticRows.csv(rows.train()));
        Files.writeString(dir.resolve("test.csv"), SyntheticRows.csv(rows.test()));

        String script = """
                import json, sys, numpy as np
                from sklearn.linear_model import LogisticRegression
                from sklearn.preprocessing import StandardScaler
                train = np.loadtxt(sys.argv[1], delimiter=","); test = np.loadtxt(sys.argv[2], delimiter=",")
                scaler = StandardScaler().fit(train[:, 1:])
                model = LogisticRegression(C=float(sys.argv[3]), tol=1e-10, max_iter=10000)
                model.fit(scaler.transform(train[:, 1:]), train[:, 0])
                p = model.predict_proba(scaler.transform(test[:, 1:]))[:, 1]
                raw = model.coef_[0] / scaler.scale_
                print(json.dumps({"p": p.tolist(), "accuracy": float(((p >= 0.5) == test[:, 0]).mean()),
                                  "direction": (raw / np.linalg.norm(raw)).tolist()}))
                """;
        double c = LogisticSettings.equivalentC(l2, rows.train().labels().length);
        NumpyPython.Output out = NumpyPython.runWith("numpy, sklearn", script, dir.resolve("train.csv").toString(),
                dir.resolve("test.csv").toString(), String.valueOf(c));
        assertThat(out.status()).as(out.text()).isZero();
        JsonNode sklearn = new ObjectMapper().readTree(out.text());

        double[] ours = SyntheticRows.probabilities(probe, rows.test().features());
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - sklearn.get("p").get(i).asDouble()));
        }
        assertThat(worst).as("largest probability difference").isLessThan(tolerance);
        assertThat(probe.test().accuracy()).isCloseTo(sklearn.get("accuracy").asDouble(), within(0.005));
        float[] direction = probe.rawDirection();
        double cosine = 0;
        for (int j = 0; j < direction.length; j++) {
            cosine += direction[j] * sklearn.get("direction").get(j).asDouble();
        }
        assertThat(cosine).isGreaterThan(0.999);
    }
}
