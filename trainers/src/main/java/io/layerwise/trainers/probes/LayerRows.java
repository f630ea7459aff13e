package io.layerwise.trainers.probes;

import io.layerwise.datasets.Split;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The train, validation and test rows of one layer with their 0/1 labels: what one probe trains and is
 * measured on.
 *
 * @param train rows the probe and its standardization are fitted on
 * @param validation rows for early stopping and threshold tuning
 * @param test rows the reported metrics come from
 */
public record LayerRows(Labelled train, Labelled validation, Labelled test) {

    /**
     * Rows with labels.
     *
     * @param features {@code [n, d]} float32
     * @param labels {@code n} labels, each 0 or 1
     */
    public record Labelled(INDArray features, long[] labels) {
        public Labelled {
            if (features.rows() != labels.length) {
                throw new IllegalArgumentException(features.rows() + " rows but " + labels.length + " labels");
            }
        }

        /**
         * The features as Java rows, copied in one bulk read of the buffer (ND4J's {@code toFloatMatrix}
         * copies element by element: milliseconds for a few hundred rows, more than a probe's fit).
         */
        public float[][] rows() {
            INDArray dense = features.isView() || features.ordering() != 'c' || features.dataType() != DataType.FLOAT
                    ? features.castTo(DataType.FLOAT).dup('c') : features;
            float[] flat = dense.data().asFloat();
            int n = (int) dense.rows();
            int d = (int) dense.columns();
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            }
            return out;
        }
    }

    /** One layer of a store, split as the store's manifest says. */
    public static LayerRows read(ActivationStore store, ActivationTap tap, int layer) {
        return new LayerRows(labelled(store, tap, layer, Split.TRAIN), labelled(store, tap, layer, Split.VALIDATION),
                labelled(store, tap, layer, Split.TEST));
    }

    private static Labelled labelled(ActivationStore store, ActivationTap tap, int layer, Split split) {
        return new Labelled(store.rows(tap, layer, split), store.labels(split));
    }
}
