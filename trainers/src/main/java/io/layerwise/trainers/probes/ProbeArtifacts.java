package io.layerwise.trainers.probes;

import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.models.weights.SafetensorsWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a train run keeps for later commands: {@code directions.safetensors} holds every layer's
 * directions as {@code mean_difference} and {@code logistic} ({@code [layers, d]}, rows in the order of
 * the {@code layers} metadata), for sanitization sweeps and interventions.
 */
final class ProbeArtifacts {
    static final String DIRECTIONS = "directions.safetensors";

    private ProbeArtifacts() {}

    static void write(RunDirectory run, TrainConfig config, StoreManifest store, List<TrainedProbe> probes,
            List<LayerDirections> directions) {
        int d = directions.get(0).meanDifference().length;
        SafetensorsWriter writer = new SafetensorsWriter()
                .metadata("layers", directions.stream().map(x -> String.valueOf(x.layer())).collect(Collectors.joining(",")))
                .metadata("tap", config.tap().configName())
                .metadata("model", store.model().id())
                .metadata("weight_fingerprint", store.model().weightFingerprint())
                .metadata("dataset_fingerprint", store.dataset().fingerprint());
        writer.putFloat32("mean_difference", new long[] {directions.size(), d},
                flatten(directions.stream().map(LayerDirections::meanDifference).toList()));
        if (directions.get(0).logistic() != null) {
            writer.putFloat32("logistic", new long[] {directions.size(), d},
                    flatten(directions.stream().map(LayerDirections::logistic).toList()));
        }
        writer.write(run.resolve(DIRECTIONS));
    }

    private static float[] flatten(List<float[]> rows) {
        float[] out = new float[rows.size() * rows.get(0).length];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * rows.get(i).length, rows.get(i).length);
        }
        return out;
    }
}
