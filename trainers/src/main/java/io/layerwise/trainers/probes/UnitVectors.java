package io.layerwise.trainers.probes;

/** Unit normalization of direction vectors (Eq. 1 and Eq. 2 both end with it). */
final class UnitVectors {
    private UnitVectors() {}

    /** {@code v / ||v||} as a new array; a zero vector stays zero (there is no direction to keep). */
    static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int j = 0; j < v.length && norm > 0; j++) {
            out[j] = (float) (v[j] / norm);
        }
        return out;
    }
}
