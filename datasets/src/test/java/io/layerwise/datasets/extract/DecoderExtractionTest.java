package io.layerwise.datasets.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.Split;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An extraction with a decoder (the trained byte-level Llama of {@code ../shared/models}) pads on the
 * left by default and stores, for {@code last} pooling, each text's last-token vector as that text run
 * alone gives it, in dataset order whatever the length bucketing did, for every tapped layer.
 */
class DecoderExtractionTest {
    private static final Path MODEL = Path.of(System.getProperty("layerwise.shared", "../shared"), "models", "tiny-llama-bytes");

    @TempDir
    Path dir;

    @Test
    void lastTokenRowsOfALeftPaddedRunEqualEachTextRunAlone() throws IOException {
        List<String> texts = List.of("Call me Ishmael.", "Some years ago", "never mind how long precisely",
                "having little or no money in my purse, and nothing particular", "I thought", "x");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            jsonl.append("{\"text\": \"").append(texts.get(i)).append("\", \"label\": ").append(i % 2).append("}\n");
        }
        Files.writeString(dir.resolve("texts.jsonl"), jsonl);
        Files.writeString(dir.resolve("extract.yaml"), String.join("\n",
                "model: '" + MODEL + "'",
                "dataset: {path: '" + dir.resolve("texts.jsonl") + "', format: jsonl}",
                "splits: {train: 1.0}",
                "taps: [residual, mlp]",
                "layers: [1, 5]",
                "pooling: last",
                "batch_size: 4",
                "shard_size: 5",
                "dtype: f32",
                "output: '" + dir.resolve("store") + "'", ""));
        ExtractionPlan plan = ExtractionPlan.create(ConfigLoader.load(dir.resolve("extract.yaml"), List.of(),
                ExtractionConfig.class));
        assertThat(plan.paddingSide()).isEqualTo(PaddingSide.LEFT);
        new ExtractionJob(plan, ExtractionProgress.SILENT).run();

        ActivationStore store = ActivationStore.open(dir.resolve("store"));
        assertThat(store.manifest().paddingSide()).isEqualTo("left");
        try (FrozenTransformer model = FrozenTransformer.load(MODEL)) {
            Taps taps = Taps.of(ActivationTap.RESIDUAL.kind(), ActivationTap.MLP.kind());
            for (ActivationTap tap : List.of(ActivationTap.RESIDUAL, ActivationTap.MLP)) {
                for (int layer : List.of(1, 5)) {
                    INDArray rows = store.rows(tap, layer, Split.TRAIN);
                    for (int i = 0; i < texts.size(); i++) {
                        TokenBatch alone = model.tokenize(new ArrayList<>(List.of(texts.get(i))), 512, PaddingSide.RIGHT);
                        try (ForwardResult r = model.forward(alone, taps)) {
                            float[] all = tap.tensor(r, layer).toFloatArray();
                            int dim = tap.dim(model.spec());
                            for (int d = 0; d < dim; d++) {
                                float expected = all[(alone.width() - 1) * dim + d];
                                assertThat(rows.getFloat(i, d)).as("%s layer %d text %d dim %d", tap, layer, i, d)
                                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(5e-5f));
                            }
                        }
                    }
                }
            }
        }
    }
}
