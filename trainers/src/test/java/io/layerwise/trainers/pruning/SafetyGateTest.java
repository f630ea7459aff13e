package io.layerwise.trainers.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The risk-aware gate on synthetic histories: 20 channels whose importance falls with the index, and
 * harmful prompts that light up the five least important ones (15-19), so any of them kept was kept
 * by the reserve and not by importance.
 */
class SafetyGateTest {
    private static final int CHANNELS = 20;
    private static final float[] BENIGN = uniform();
    private static final float[] HARMFUL = harmfulProfile();
    private static final double[] IMPORTANCE = IntStream.range(0, CHANNELS).mapToDouble(j -> CHANNELS - j).toArray();

    private static float[] uniform() {
        float[] e = new float[CHANNELS];
        Arrays.fill(e, 1f);
        return e;
    }

    private static float[] harmfulProfile() {
        float[] e = uniform();
        for (int j = 15; j < CHANNELS; j++) {
            e[j] = 6f + j;
        }
        return e;
    }

    private static ChannelEnergies energies(float[] profile) {
        // both parts of one block carry the profile; a scaled copy is the same distribution
        return new ChannelEnergies(List.of(3), new float[][] {profile.clone()}, new float[][] {profile.clone()}, 100);
    }

    private static float[] scaled(float[] profile, float factor) {
        float[] out = profile.clone();
        for (int j = 0; j < out.length; j++) {
            out[j] *= factor;
        }
        return out;
    }

    @Test
    void probeMatchingTheHarmfulProfileReservesExactlyAlignFracOfKeptChannels() {
        SafetyGate.Decision d = SafetyGate.compare(energies(scaled(HARMFUL, 3.5f)), energies(BENIGN), energies(HARMFUL));
        assertThat(d.closerToHarmful()).isTrue();
        assertThat(d.distanceToHarmful()).isCloseTo(0, within(1e-9));
        assertThat(d.distanceToBenign()).isGreaterThan(0.1);
        double[] activity = SafetyGate.harmfulActivity(BENIGN, HARMFUL);
        for (double alignFrac : new double[] {0.2, 0.3, 0.5}) {
            int keep = 10;
            SafetyGate.Selection s = new SafetyGate(alignFrac).select(IMPORTANCE, activity, keep, d.closerToHarmful());
            long harmfulActive = Arrays.stream(s.kept()).filter(j -> j >= 15).count();
            assertThat(s.kept()).hasSize(keep);
            assertThat(s.reserved()).isEqualTo((int) Math.round(alignFrac * keep));
            assertThat(harmfulActive).as("align_frac %s", alignFrac).isEqualTo(Math.round(alignFrac * keep));
            // the rest are the most important channels
            int[] byImportance = Arrays.stream(s.kept()).filter(j -> j < 15).toArray();
            assertThat(byImportance).containsExactly(IntStream.range(0, keep - s.reserved()).toArray());
            // the reserve takes the most harmful-active channels first
            assertThat(Arrays.stream(s.kept()).filter(j -> j >= 15).toArray())
                    .containsExactly(IntStream.range(CHANNELS - s.reserved(), CHANNELS).toArray());
        }
    }

    @Test
    void probeMatchingTheBenignProfileKeepsTheTopChannelsByImportanceOnly() {
        SafetyGate.Decision d = SafetyGate.compare(energies(scaled(BENIGN, 0.25f)), energies(BENIGN), energies(HARMFUL));
        assertThat(d.closerToHarmful()).isFalse();
        assertThat(d.distanceToBenign()).isCloseTo(0, within(1e-9));
        SafetyGate.Selection s = new SafetyGate(0.3).select(IMPORTANCE, SafetyGate.harmfulActivity(BENIGN, HARMFUL), 10,
                d.closerToHarmful());
        assertThat(s.reserved()).isZero();
        assertThat(s.kept()).containsExactly(IntStream.range(0, 10).toArray());
    }

    @Test
    void totalVariationIsHalfTheL1DistanceOfTheNormalizedProfiles() {
        // [1, 3] -> [0.25, 0.75]; [2, 2] -> [0.5, 0.5]; TV = (0.25 + 0.25) / 2
        assertThat(SafetyGate.totalVariation(new float[] {1, 3}, new float[] {2, 2})).isCloseTo(0.25, within(1e-12));
        assertThat(SafetyGate.perHead(new double[] {1, 2, 3, 4}, 2)).containsExactly(3, 7);
    }
}
