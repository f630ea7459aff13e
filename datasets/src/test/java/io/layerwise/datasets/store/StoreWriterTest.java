package io.layerwise.datasets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.datasets.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store is resumed only by the configuration that made it, and only from committed, intact shards. */
class StoreWriterTest {
    @TempDir
    Path dir;

    @Test
    void storeOfAnotherConfigurationIsRefusedNamingEveryDifference() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        assertThatThrownBy(() -> StoreWriter.openOrCreate(store, TestStores.requested("max", "sha256:other")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("holds activations of another configuration")
                .hasMessageContaining("pooling: store has \"mean\", config gives \"max\"")
                .hasMessageContaining("model.weight_fingerprint: store has \"sha256:w\", config gives \"sha256:other\"");
        assertThat(StoreManifest.read(store).shards()).hasSize(1);
    }

    @Test
    void weightFingerprintIsNotComparedBeforeTheModelIsLoaded() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        assertThat(StoreWriter.check(store, TestStores.requested("mean", null))).isNotNull();
    }

    @Test
    void nonEmptyDirectoryWithoutManifestIsRefused() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> StoreWriter.check(dir, TestStores.requested("mean", null)))
                .hasMessageContaining("is not an activation store");
    }

    @Test
    void reopeningResumesAfterCommittedShardsAndDeletesTemporaryFiles() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        // a killed run: shard 1 half written under a temporary name
        Path leftover = store.resolve("residual/layer_0/shard_00001.npy.tmp-12345");
        Files.write(leftover, new byte[] {1, 2, 3});
        StoreWriter resumed = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        assertThat(resumed.committedShards()).containsExactly(0);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void listedShardWithAMissingOrTruncatedFileIsWrittenAgain() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        TestStores.writeShard(writer, 1);
        Files.delete(store.resolve("residual/layer_2/shard_00001.npy"));
        StoreWriter resumed = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        assertThat(resumed.committedShards()).containsExactly(0);
        assertThat(StoreManifest.read(store).shards()).hasSize(1);
    }

    @Test
    void unfinishedStoreIsNotOpenedForReading() throws IOException {
        Path store = dir.resolve("store");
        TestStores.writeShard(StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w")), 0);
        assertThatThrownBy(() -> ActivationStore.open(store)).hasMessageContaining("unfinished (1 of 3 shards)");
    }
}
