package io.layerwise.trainers.pruning;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The risk-aware gate of alignment-aware probe pruning. The probe's energy profile and the benign and
 * harmful histories are each normalized into a distribution over channels (per block and per
 * projection); the gate measures the total-variation distance of the probe to each history, averaged
 * over blocks and projections. When the probe is closer to the harmful history, {@code round(alignFrac
 * * k)} of the {@code k} kept units are reserved for the units most active on harmful prompts (largest
 * normalized harmful-minus-benign energy: active on harmful requests more than on benign ones), and
 * the rest are filled by importance; otherwise the top {@code k} by importance are kept.
 *
 * @param alignFrac share of the kept units reserved when the gate fires, in [0, 1]
 */
public record SafetyGate(double alignFrac) {

    public SafetyGate {
        if (!(alignFrac >= 0 && alignFrac <= 1)) {
            throw new IllegalArgumentException("align_frac must be in [0, 1], got " + alignFrac);
        }
    }

    /**
     * What the gate saw for one batch.
     *
     * @param closerToHarmful the probe is closer to the harmful history than to the benign one
     * @param distanceToHarmful mean total-variation distance to the harmful history
     * @param distanceToBenign mean total-variation distance to the benign history
     */
    public record Decision(boolean closerToHarmful, double distanceToHarmful, double distanceToBenign) {}

    /**
     * The units kept in one block's projection.
     *
     * @param kept unit indices, ascending
     * @param reserved how many were taken by the reserve rather than by importance
     */
    public record Selection(int[] kept, int reserved) {}

    /** Compares the probe's profile with the histories. */
    public static Decision compare(ChannelEnergies probe, ChannelEnergies benign, ChannelEnergies harmful) {
        double toHarmful = 0;
        double toBenign = 0;
        int parts = 0;
        for (int layer : probe.layers()) {
            int p = probe.indexOf(layer);
            int b = benign.indexOf(layer);
            int h = harmful.indexOf(layer);
            toHarmful += totalVariation(probe.attention()[p], harmful.attention()[h])
                    + totalVariation(probe.mlp()[p], harmful.mlp()[h]);
            toBenign += totalVariation(probe.attention()[p], benign.attention()[b])
                    + totalVariation(probe.mlp()[p], benign.mlp()[b]);
            parts += 2;
        }
        return new Decision(toHarmful < toBenign, toHarmful / parts, toBenign / parts);
    }

    /** {@code 1/2 sum_j |P_j - Q_j|} of the two energy vectors normalized to sum 1. */
    static double totalVariation(float[] a, float[] b) {
        double[] p = distribution(a);
        double[] q = distribution(b);
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            sum += Math.abs(p[j] - q[j]);
        }
        return sum / 2;
    }

    /** Energies normalized to sum 1 (uniform when all are zero). */
    static double[] distribution(float[] energies) {
        double total = 0;
        for (float e : energies) {
            total += e;
        }
        double[] out = new double[energies.length];
        for (int j = 0; j < energies.length; j++) {
            out[j] = total == 0 ? 1.0 / energies.length : energies[j] / total;
        }
        return out;
    }

    /** Per channel: normalized harmful energy minus normalized benign energy. */
    public static double[] harmfulActivity(float[] benign, float[] harmful) {
        double[] b = distribution(benign);
        double[] h = distribution(harmful);
        double[] out = new double[h.length];
        for (int j = 0; j < h.length; j++) {
            out[j] = h[j] - b[j];
        }
        return out;
    }

    /** Per head, the summed activity of its {@code headDim} channels. */
    public static double[] perHead(double[] channelActivity, int headDim) {
        double[] out = new double[channelActivity.length / headDim];
        for (int c = 0; c < channelActivity.length; c++) {
            out[c / headDim] += channelActivity[c];
        }
        return out;
    }

    /**
     * Keeps {@code keep} units: with {@code reserve}, first the {@code round(alignFrac * keep)} most
     * harmful-active, then the most important of the others; without, the {@code keep} most important.
     */
    public Selection select(double[] importance, double[] harmfulActivity, int keep, boolean reserve) {
        int reserved = reserve ? (int) Math.round(alignFrac * keep) : 0;
        boolean[] chosen = new boolean[importance.length];
        for (int u : topIndices(harmfulActivity, reserved, chosen)) {
            chosen[u] = true;
        }
        for (int u : topIndices(importance, keep - reserved, chosen)) {
            chosen[u] = true;
        }
        return new Selection(IntStream.range(0, chosen.length).filter(u -> chosen[u]).toArray(), reserved);
    }

    /** The {@code count} largest scores among the units not yet taken; ties go to the lower index. */
    static int[] topIndices(double[] scores, int count, boolean[] taken) {
        return IntStream.range(0, scores.length).filter(u -> !taken[u]).boxed()
                .sorted(Comparator.<Integer>comparingDouble(u -> -scores[u]).thenComparingInt(u -> u))
                .limit(count).mapToInt(Integer::intValue).toArray();
    }
}
