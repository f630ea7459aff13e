package io.layerwise.datasets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.datasets.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store is resumed only by the configuration that made it, and only from committed, intact shards;
 * writers of different shards commit independently, and only the merge completes the store.
 */
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
        assertThat(writer.committedShards()).containsExactly(0);
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
    void reopeningKeepsOtherWritersTemporariesWhichOnlyTheMergeDeletes() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        // shard 1 half written under a temporary name, by a killed process or one still running
        Path leftover = store.resolve("residual/layer_0/shard_00001.npy.tmp-12345");
        Files.write(leftover, new byte[] {1, 2, 3});
        StoreWriter resumed = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        assertThat(resumed.committedShards()).containsExactly(0);
        assertThat(leftover).exists();
        TestStores.writeShard(resumed, 1);
        TestStores.writeShard(resumed, 2);
        resumed.complete();
        assertThat(leftover).doesNotExist();
    }

    @Test
    void shardsCommittedByTwoWritersAreCompletedByAMergeThatListsThemAll() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter first = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        StoreWriter second = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(second, 2);
        TestStores.writeShard(first, 0);
        TestStores.writeShard(second, 1);
        assertThat(StoreManifest.read(store).complete()).isFalse();
        StoreWriter.open(store, TestStores.requested("mean", null)).complete();
        StoreManifest merged = StoreManifest.read(store);
        assertThat(merged.complete()).isTrue();
        assertThat(merged.shards()).extracting(StoreManifest.ShardInfo::index).containsExactly(0, 1, 2);
        assertThat(merged.shards().get(2).rows()).isEqualTo(1);
    }

    @Test
    void mergeWithAMissingShardRefusesAndNamesIt() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        TestStores.writeShard(writer, 2);
        assertThatThrownBy(writer::complete).isInstanceOf(DatasetException.class)
                .hasMessageContaining("1 of 3 shards are not committed")
                .hasMessageContaining("shard(s) 1 ");
        assertThat(StoreManifest.read(store).complete()).isFalse();
    }

    @Test
    void entryOfAnotherStoreIdentityDoesNotCount() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        ShardEntry foreign = ShardEntry.of(TestStores.requested("max", "sha256:w"), new StoreManifest.ShardInfo(1, 2, 2, 2, 2));
        foreign.write(store);
        assertThat(foreign.identity()).isNotEqualTo(writer.manifest().identityFingerprint());
        assertThat(writer.committedShards()).containsExactly(0);
    }

    @Test
    void shardNumbersAreNamedAsRanges() {
        assertThat(StoreWriter.ranges(java.util.List.of(0, 1, 2, 3, 7, 9, 10))).isEqualTo("0-3, 7, 9-10");
    }

    @Test
    void committedShardWithAMissingFileIsWrittenAgain() throws IOException {
        Path store = dir.resolve("store");
        StoreWriter writer = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        TestStores.writeShard(writer, 0);
        TestStores.writeShard(writer, 1);
        Files.delete(store.resolve("residual/layer_2/shard_00001.npy"));
        StoreWriter resumed = StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w"));
        assertThat(resumed.committedShards()).containsExactly(0);
    }

    @Test
    void unfinishedStoreIsNotOpenedForReading() throws IOException {
        Path store = dir.resolve("store");
        TestStores.writeShard(StoreWriter.openOrCreate(store, TestStores.requested("mean", "sha256:w")), 0);
        assertThatThrownBy(() -> ActivationStore.open(store)).hasMessageContaining("unfinished (1 of 3 shards)");
    }
}
