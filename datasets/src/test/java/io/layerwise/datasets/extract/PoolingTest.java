package io.layerwise.datasets.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Each pooling reads exactly the masked-in tokens of its row, wherever the pads are. */
class PoolingTest {
    // [batch 2, width 3, dim 2]: row 0 right-padded (2 tokens), row 1 left-padded (1 token)
    private static final FloatBuffer VALUES = FloatBuffer.wrap(new float[] {1, 10, 3, -10, 99, 99, /* row 1 */ 99, 99, 99, 99, 5, 6});
    private static final int[][] MASK = {{1, 1, 0}, {0, 0, 1}};

    @Test
    void meanAveragesOnlyValidTokens() {
        assertThat(Pooling.MEAN.pool(VALUES, MASK[0], 0, 3, 2)).containsExactly(2f, 0f);
        assertThat(Pooling.MEAN.pool(VALUES, MASK[1], 1, 3, 2)).containsExactly(5f, 6f);
    }

    @Test
    void lastTakesTheLastValidTokenOnEitherPaddingSide() {
        assertThat(Pooling.LAST.pool(VALUES, MASK[0], 0, 3, 2)).containsExactly(3f, -10f);
        assertThat(Pooling.LAST.pool(VALUES, MASK[1], 1, 3, 2)).containsExactly(5f, 6f);
    }

    @Test
    void maxIgnoresLargerValuesAtPads() {
        assertThat(Pooling.MAX.pool(VALUES, MASK[0], 0, 3, 2)).containsExactly(3f, 10f);
    }

    @Test
    void noneKeepsEveryValidTokenInOrder() {
        assertThat(Pooling.NONE.pool(VALUES, MASK[0], 0, 3, 2)).containsExactly(1f, 10f, 3f, -10f);
        assertThat(Pooling.NONE.pool(VALUES, MASK[1], 1, 3, 2)).containsExactly(5f, 6f);
    }
}
