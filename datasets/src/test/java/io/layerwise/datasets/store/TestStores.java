package io.layerwise.datasets.store;

import io.layerwise.datasets.Example;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.store.StoreManifest.ShardInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small activation stores written through the real writer, with values a test can recompute. */
final class TestStores {
    static final int DIM = 3;
    static final int EXAMPLES = 5;
    static final int SHARD_SIZE = 2;
    static final List<Integer> LAYERS = List.of(0, 2);
    static final List<Split> SPLITS = List.of(Split.TRAIN, Split.TEST, Split.TRAIN, Split.VALIDATION, Split.TRAIN);

    private TestStores() {}

    /** The manifest a job would request: residual layers 0 and 2, 5 pooled rows in shards of 2. */
    static StoreManifest requested(String pooling, String weights) {
        Map<String, Long> counts = new LinkedHashMap<>(Map.of("train", 3L, "validation", 1L, "test", 1L));
        return new StoreManifest(StoreManifest.FORMAT,
                new StoreManifest.ModelInfo("tiny", weights, "bert", 2, DIM, "f32"),
                new StoreManifest.DatasetInfo("data.csv", "csv", "sha256:" + "a".repeat(64)),
                new StoreManifest.SplitInfo(0.6, 0.2, 0.2, 42, counts),
                List.of(new StoreManifest.TapInfo("residual", DIM, LAYERS)), pooling, 16, true, "right", 4, "f32",
                EXAMPLES, EXAMPLES, SHARD_SIZE, 3, List.of(), StoreManifest.IN_PROGRESS, null, null);
    }

    /** The value of element {@code d} of row {@code row} at {@code layer}. */
    static float value(int layer, int row, int d) {
        return layer * 100 + row + d / 10f;
    }

    /** Writes and commits shard {@code k} of the store {@link #requested} describes. */
    static void writeShard(StoreWriter writer, int k) throws IOException {
        int first = k * SHARD_SIZE;
        int rows = Math.min(SHARD_SIZE, EXAMPLES - first);
        for (int layer : LAYERS) {
            try (ShardWriter shard = ShardWriter.create(writer.shardPath(ActivationTap.RESIDUAL, layer, k), NpyDType.F32, rows, DIM)) {
                for (int r = 0; r < rows; r++) {
                    float[] v = new float[DIM];
                    for (int d = 0; d < DIM; d++) {
                        v[d] = value(layer, first + r, d);
                    }
                    shard.writeRows(r, v, 0, 1);
                }
                shard.commit();
            }
        }
        writer.commitShard(new ShardInfo(k, first, rows, first, rows));
    }

    /** A complete store at {@code dir}. */
    static void writeComplete(Path dir) throws IOException {
        StoreWriter writer = StoreWriter.openOrCreate(dir, requested("mean", "sha256:w"));
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            examples.add(new Example("ex" + i, "text " + i, i % 2, Map.of(), i + 2));
        }
        writer.writeIndex(examples, SPLITS, null);
        for (int k = 0; k < 3; k++) {
            writeShard(writer, k);
        }
        writer.complete();
    }
}
