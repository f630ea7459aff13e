package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.bench.EncoderParity;
import io.layerwise.models.bench.SampleSentences;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real all-MiniLM-L6-v2 (its Maven artifact's ONNX file) through the Java BERT path agrees with
 * ONNX Runtime running the same file, with every layer's hidden state exposed as a graph output:
 * 30 real sentences of 2 to 45 words, in padded batches of 8.
 */
class MiniLmOnnxRuntimeParityTest {

    @Test
    void everyHiddenStateMatchesOnnxRuntimeOnPaddedBatchesOfRealSentences() {
        List<String> sentences = SampleSentences.all();
        assertThat(sentences).hasSizeGreaterThanOrEqualTo(20);
        assertThat(EncoderParity.maxAbsError("all-minilm-l6-v2", sentences, 8)).isLessThanOrEqualTo(1e-4);
    }
}
