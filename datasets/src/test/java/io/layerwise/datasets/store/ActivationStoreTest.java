package io.layerwise.datasets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.datasets.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The reader streams a layer shard by shard into ND4J, and gathers one split's rows in row order. */
class ActivationStoreTest {
    @TempDir
    Path dir;

    @Test
    void layerStreamsEveryShardAsFloat32Rows() throws IOException {
        TestStores.writeComplete(dir);
        ActivationStore store = ActivationStore.open(dir);
        List<long[]> shapes = new ArrayList<>();
        int row = 0;
        for (INDArray shard : store.layer(ActivationTap.RESIDUAL, 2)) {
            assertThat(shard.dataType()).isEqualTo(DataType.FLOAT);
            shapes.add(shard.shape());
            for (int r = 0; r < shard.rows(); r++, row++) {
                for (int d = 0; d < TestStores.DIM; d++) {
                    assertThat(shard.getFloat(r, d)).isEqualTo(TestStores.value(2, row, d));
                }
            }
        }
        assertThat(shapes).containsExactly(new long[] {2, 3}, new long[] {2, 3}, new long[] {1, 3});
    }

    @Test
    void rowsOfOneSplitComeInRowOrderWithTheirLabels() throws IOException {
        TestStores.writeComplete(dir);
        ActivationStore store = ActivationStore.open(dir);
        INDArray train = store.rows(ActivationTap.RESIDUAL, 0, Split.TRAIN);
        assertThat(train.shape()).containsExactly(3, 3);
        int[] trainRows = {0, 2, 4};
        for (int i = 0; i < trainRows.length; i++) {
            assertThat(train.getFloat(i, 1)).isEqualTo(TestStores.value(0, trainRows[i], 1));
        }
        assertThat(store.labels(Split.TRAIN)).containsExactly(0, 0, 0);
        assertThat(store.labels()).containsExactly(0, 1, 0, 1, 0);
        assertThat(store.splits()).containsExactly(TestStores.SPLITS.toArray(new Split[0]));
        assertThat(store.exampleIds()).containsExactly("ex0", "ex1", "ex2", "ex3", "ex4");
    }

    @Test
    void layerNotInTheStoreIsAnError() throws IOException {
        TestStores.writeComplete(dir);
        assertThatThrownBy(() -> ActivationStore.open(dir).rows(ActivationTap.RESIDUAL, 1, Split.TEST))
                .hasMessageContaining("residual layers [0, 2], not layer 1");
        assertThatThrownBy(() -> ActivationStore.open(dir).layer(ActivationTap.MLP, 0))
                .hasMessageContaining("holds [residual], not mlp");
    }
}
