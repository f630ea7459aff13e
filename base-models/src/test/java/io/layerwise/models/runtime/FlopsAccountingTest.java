package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.testing.SharedFiles;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FLOPs per token against hand computations on the fixture configs. */
class FlopsAccountingTest {

    @Test
    void llamaDenseMatchesHandComputation() {
        try (FrozenTransformer llama = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            // per layer per token: q 64x64, k,v 64x32 each, o 64x64, gate/up/down 64x128: MACs
            double macs = 64 * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 64 * 128;
            int n = 10;
            // QK and PV for 4 heads of 16 over a mean of (n + 1) / 2 causal keys
            double perLayer = 2 * macs + 2 * 2 * 4 * 16 * (n + 1) / 2.0;
            assertThat(new FlopsAccounting(llama.spec()).perToken(n, Interventions.none()))
                    .isCloseTo(2 * perLayer + 2.0 * 64 * 257, within(1e-6));
        }
    }

    @Test
    void gemmaSlidingLayersCountOnlyTheWindow() {
        try (FrozenTransformer gemma = FrozenTransformer.load(SharedFiles.fixture("gemma3"))) {
            FlopsAccounting flops = new FlopsAccounting(gemma.spec());
            // within the 4-token window every layer sees every earlier key, as a global layer does
            double shortSeq = flops.perToken(4, Interventions.none());
            double projections = 2.0 * (64 * 128 + 2 * 64 * 64 + 128 * 64 + 3 * 64 * 128);
            double head = 2.0 * 64 * 257;
            double attentionPerKey = 2.0 * 2 * 4 * 32;
            assertThat(shortSeq).isCloseTo(4 * projections + 4 * attentionPerKey * 2.5 + head, within(1e-6));
            // 12 tokens: global layer 2 sees p+1 keys (mean 6.5), sliding layers 0, 1, 3 at most 4 (mean 3.5)
            double longSeq = flops.perToken(12, Interventions.none());
            double slidingMean = (1 + 2 + 3 + 4 * 9) / 12.0;
            assertThat(longSeq).isCloseTo(4 * projections + attentionPerKey * (3 * slidingMean + 6.5) + head, within(1e-6));
        }
    }

    @Test
    void droppedLayersAndMaskedChannelsReduceFlopsByTheirShare() {
        try (FrozenTransformer llama = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            FlopsAccounting flops = new FlopsAccounting(llama.spec());
            double dense = flops.perToken(8, Interventions.none());
            double head = 2.0 * 64 * 257;
            double oneLayer = (dense - head) / 2;
            assertThat(flops.perToken(8, Interventions.none().withDroppedLayers(Set.of(1)))).isCloseTo(dense - oneLayer, within(1e-6));
            float[] halfMlp = new float[128];
            Arrays.fill(halfMlp, 0, 64, 1f);
            double withHalfMlp = flops.perToken(8, Interventions.none().withChannelMask(0, new ChannelMask(null, halfMlp)));
            assertThat(dense - withHalfMlp).isCloseTo(2.0 * 3 * 64 * 64, within(1e-6));
            float[] noHeadTwo = new float[64];
            Arrays.fill(noHeadTwo, 1f);
            Arrays.fill(noHeadTwo, 32, 48, 0f);
            double withoutHead = flops.perToken(8, Interventions.none().withChannelMask(0, new ChannelMask(noHeadTwo, null)));
            // q rows and o columns of one head, plus its QK and PV over a mean of 4.5 keys
            assertThat(dense - withoutHead).isCloseTo(2.0 * 64 * 16 * 2 + 2.0 * 2 * 16 * 4.5, within(1e-6));
        }
    }
}
