package io.layerwise.trainers.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.DatasetException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The energy store round-trips its sets, recognizes a set already measured, and is incomplete until its manifest exists. */
class EnergyStoreTest {
    @TempDir
    Path dir;

    @Test
    void setsRoundTripAndAreRecognizedByFingerprintAndModel() {
        ChannelEnergies e = new ChannelEnergies(List.of(2, 5), new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}},
                new float[][] {{0.5f, 0.25f}, {9, 10}}, 42);
        EnergyStore.writeSet(dir, "harmful", e, "sha256:data", "sha256:model");
        ChannelEnergies back = EnergyStore.readSet(dir, "harmful");
        assertThat(back.layers()).containsExactly(2, 5);
        assertThat(back.attention()[1]).containsExactly(5, 6, 7, 8);
        assertThat(back.mlp()[0]).containsExactly(0.5f, 0.25f);
        assertThat(back.tokens()).isEqualTo(42);
        assertThat(EnergyStore.hasSet(dir, "harmful", "sha256:data", "sha256:model")).isTrue();
        assertThat(EnergyStore.hasSet(dir, "harmful", "sha256:other", "sha256:model")).isFalse();
        assertThat(EnergyStore.hasSet(dir, "harmful", "sha256:data", "sha256:other")).isFalse();
        assertThat(EnergyStore.hasSet(dir, "benign", "sha256:data", "sha256:model")).isFalse();

        assertThatThrownBy(() -> EnergyStore.open(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("not a complete energy store");
        EnergyStore.writeManifest(dir, new ObjectMapper().createObjectNode().put("model_fingerprint", "sha256:model"));
        EnergyStore store = EnergyStore.open(dir);
        assertThat(store.modelFingerprint()).isEqualTo("sha256:model");
        assertThat(store.set("harmful").attention()[0]).containsExactly(1, 2, 3, 4);
    }
}
