package io.layerwise.datasets.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.Example;
import io.layerwise.datasets.LoadedDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code format: mmlu} reads either MMLU layout into the same prompts and labels. */
class ExtractionDatasetTest {
    private static final Path TESTBED = Path.of(System.getProperty("layerwise.shared", "../shared"), "data", "testbed");

    @TempDir
    Path dir;

    private static LoadedDataset<Example> mmlu(Path path) {
        return ExtractionDataset.load(new DatasetConfig(path.toString(), DatasetFormat.MMLU, null, null, null, null, null, null));
    }

    @Test
    void mmluParquetGivesTheCsvPromptsLabelsAndLines() throws IOException {
        Path parquet = dir.resolve("dev-00000-of-00001.parquet");
        try (InputStream in = getClass().getResourceAsStream("/mmlu-parquet/mmlu-dev-snappy.parquet")) {
            Files.copy(in, parquet);
        }

        LoadedDataset<Example> fromCsv = mmlu(TESTBED.resolve("mmlu-dev.csv"));
        LoadedDataset<Example> fromParquet = mmlu(parquet);

        assertThat(fromParquet.items()).hasSize(200);
        assertThat(fromParquet.items()).extracting(Example::text)
                .containsExactlyElementsOf(fromCsv.items().stream().map(Example::text).toList());
        assertThat(fromParquet.items()).extracting(Example::label)
                .containsExactlyElementsOf(fromCsv.items().stream().map(Example::label).toList());
        assertThat(fromParquet.items()).extracting(Example::line)
                .containsExactlyElementsOf(fromCsv.items().stream().map(Example::line).toList());
        assertThat(fromParquet.items().get(0).text())
                .isEqualTo("What is the opposite of forget?\nA. thick\nB. love\nC. remember\nD. loud\nAnswer:");
        assertThat(fromParquet.fingerprint()).isNotEqualTo(fromCsv.fingerprint());
    }
}
