package io.layerwise.models.onnx;

import java.nio.file.Path;

/** Bundled encoders extracted once per build into {@code target/}, shared by the tests of this package. */
final class TestEncoders {
    private static final Path CACHE = Path.of("target", "test-cache");

    private TestEncoders() {}

    static Path directory(BundledEncoder encoder) {
        return encoder.materialize(CACHE);
    }

    static Path onnxFile(BundledEncoder encoder) {
        return directory(encoder).resolve(BundledEncoder.MODEL_FILE);
    }

    static Path miniLm() {
        return onnxFile(BundledEncoder.ALL_MINILM_L6_V2);
    }
}
