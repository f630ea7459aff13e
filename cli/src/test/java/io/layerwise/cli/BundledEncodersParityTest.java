package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.bench.EncoderParity;
import io.layerwise.models.bench.SampleSentences;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two 12-layer encoders that {@code --model} accepts by name (their jars are dependencies of the
 * command line) agree with ONNX Runtime on every hidden state, like MiniLM does in base-models.
 */
class BundledEncodersParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"bge-small-en-v15", "e5-small-v2"})
    void bundledEncoderMatchesOnnxRuntime(String encoder) {
        assertThat(EncoderParity.maxAbsError(encoder, SampleSentences.all().subList(0, 12), 6)).isLessThanOrEqualTo(1e-4);
    }
}
