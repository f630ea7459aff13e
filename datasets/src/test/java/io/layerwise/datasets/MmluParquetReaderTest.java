package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MMLU in Hugging Face's Parquet layout, on reference files written from the testbed's {@code mmlu-dev.csv}
 * by Apache Arrow's Rust writer and checked by an independent reader (see
 * {@code src/test/resources/mmlu-parquet/README.md}).
 */
class MmluParquetReaderTest {

    private static final Path RESOURCES = resources();
    private static final String SUBJECT = "general_knowledge";

    @TempDir
    Path dir;

    private static Path resources() {
        try {
            return Path.of(MmluParquetReaderTest.class.getResource("/mmlu-parquet/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<MultipleChoiceItem> read(Path file, BadRowPolicy policy) {
        return new MmluReader(List.of(file), policy).read().items();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmlu-dev-snappy.parquet", "mmlu-dev-v2-dictionary.parquet", "mmlu-dev-plain-uncompressed.parquet"})
    void parquetGivesTheItemsTheCsvReaderGivesForTheSameRows(String name) throws IOException {
        // The CSV layout takes the subject from the file name; the Parquet files carry it in a column.
        Path csv = Files.copy(TestFiles.testbed().resolve("mmlu-dev.csv"), dir.resolve(SUBJECT + "_dev.csv"));
        List<MultipleChoiceItem> fromCsv = read(csv, BadRowPolicy.FAIL);

        List<MultipleChoiceItem> fromParquet = read(RESOURCES.resolve(name), BadRowPolicy.FAIL);

        assertThat(fromCsv).hasSize(200);
        assertThat(fromParquet).hasSize(200);
        List<MultipleChoiceItem> renamed = new ArrayList<>();
        for (MultipleChoiceItem item : fromParquet) {
            String row = item.id().substring(item.id().lastIndexOf(':') + 1);
            assertThat(item.id()).isEqualTo("mmlu-parquet/" + name + ":" + row);
            renamed.add(new MultipleChoiceItem(csv.getFileName() + ":" + row, item.question(), item.choices(),
                    item.answerIndex(), item.subject()));
        }
        assertThat(renamed).containsExactlyElementsOf(fromCsv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmlu-dev-snappy.parquet", "mmlu-dev-v2-dictionary.parquet", "mmlu-dev-plain-uncompressed.parquet"})
    void parquetRowsAreTheRowsTheReferenceWriterWasGiven(String name) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(RESOURCES.resolve("mmlu-dev-expected.json").toFile());

        List<MultipleChoiceItem> items = read(RESOURCES.resolve(name), BadRowPolicy.FAIL);

        assertThat(items).hasSize(expected.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode row = expected.get(i);
            MultipleChoiceItem item = items.get(i);
            assertThat(item.question()).isEqualTo(row.get("question").asText());
            assertThat(item.subject()).isEqualTo(row.get("subject").asText());
            assertThat(item.choices()).containsExactly(row.get("choices").get(0).asText(), row.get("choices").get(1).asText(),
                    row.get("choices").get(2).asText(), row.get("choices").get(3).asText());
            assertThat(item.answerIndex()).isEqualTo(row.get("answer").asInt());
        }
    }

    @Test
    void fingerprintNamesTheParquetReaderAndDiffersFromTheCsvOfTheSameRows() throws IOException {
        Path csv = Files.copy(TestFiles.testbed().resolve("mmlu-dev.csv"), dir.resolve(SUBJECT + "_dev.csv"));
        MmluReader parquet = new MmluReader(List.of(RESOURCES.resolve("mmlu-dev-snappy.parquet")), BadRowPolicy.FAIL);

        assertThat(parquet.settings()).containsEntry("reader", "mmlu-parquet");
        assertThat(parquet.fingerprint()).isNotEqualTo(new MmluReader(List.of(csv), BadRowPolicy.FAIL).fingerprint());
    }

    @Test
    void answerAsLetterStringIsASchemaErrorNamingFileAndColumn() {
        Path file = RESOURCES.resolve("mmlu-answer-letter.parquet");

        assertThatThrownBy(() -> read(file, BadRowPolicy.SKIP))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ": column 'answer' holds BINARY (STRING), not the integer index")
                .hasMessageContaining("answer: int64 (index 0-3 of the correct choice)");
    }

    @Test
    void missingChoicesColumnIsASchemaErrorListingTheColumnsThereAre() {
        Path file = RESOURCES.resolve("mmlu-no-choices.parquet");

        assertThatThrownBy(() -> read(file, BadRowPolicy.SKIP))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ": no column 'choices' (it has question, subject, answer).");
    }

    @Test
    void badRowsFailNamingFileRowAndColumn() {
        Path file = RESOURCES.resolve("mmlu-bad-rows.parquet");

        assertThatThrownBy(() -> read(file, BadRowPolicy.FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ":2: field 'answer': 7 is not an index 0-3 of the four choices");
    }

    @Test
    void badRowsAreSkippedAndCountedUnderSkip() {
        Path file = RESOURCES.resolve("mmlu-bad-rows.parquet");

        LoadedDataset<MultipleChoiceItem> data = new MmluReader(List.of(file), BadRowPolicy.SKIP).read();

        assertThat(data.items()).extracting(MultipleChoiceItem::id)
                .containsExactly("mmlu-parquet/mmlu-bad-rows.parquet:1", "mmlu-parquet/mmlu-bad-rows.parquet:5");
        assertThat(data.items().get(1).question()).isEqualTo("What is the usual color of an emerald?");
        assertThat(data.report().rowsSkipped()).isEqualTo(3);
        assertThat(data.report().firstSkipped()).extracting(BadRow::toString).containsExactly(
                file + ":2: field 'answer': 7 is not an index 0-3 of the four choices",
                file + ":3: field 'choices': holds 3 items; MMLU questions have 4 choices (A-D)",
                file + ":4: field 'question': is null; every row needs it");
    }

    @Test
    void truncatedFileIsNotReadableParquetNamingTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(RESOURCES.resolve("mmlu-dev-snappy.parquet"));
        Path file = TestFiles.write(dir, "test-00000-of-00001.parquet", Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> read(file, BadRowPolicy.SKIP))
                .isInstanceOf(DatasetException.class)
                .hasMessage(file + " is not a complete Parquet file: it starts with PAR1 but does not end with it ("
                        + whole.length / 2 + " bytes), so it was cut short; download it again.");
    }

    @Test
    void csvNamedParquetIsNotReadableParquet() throws IOException {
        Path file = Files.copy(TestFiles.testbed().resolve("mmlu-dev.csv"), dir.resolve("dev-00000-of-00001.parquet"));

        assertThatThrownBy(() -> read(file, BadRowPolicy.FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + " is not a Parquet file: it does not start with the bytes PAR1.");
    }

    @Test
    void cutFooterBehindIntactMagicIsNotReadableParquet() throws IOException {
        byte[] whole = Files.readAllBytes(RESOURCES.resolve("mmlu-dev-snappy.parquet"));
        // Keep the closing PAR1 but lose most of the footer before it: the footer length now points nowhere.
        byte[] cut = new byte[whole.length - 300];
        System.arraycopy(whole, 0, cut, 0, cut.length - 8);
        System.arraycopy(whole, whole.length - 8, cut, cut.length - 8, 8);
        Path file = TestFiles.write(dir, "test-00000-of-00001.parquet", cut);

        assertThatThrownBy(() -> read(file, BadRowPolicy.FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + " is not a readable Parquet file (")
                .hasMessageEndingWith("download the file again if it was cut short.");
    }

    @Test
    void missingFileIsCannotRead() {
        Path file = dir.resolve("absent/test-00000-of-00001.parquet");

        assertThatThrownBy(() -> read(file, BadRowPolicy.FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessage("Cannot read " + file + ": no such file. Check the path and its permissions.");
    }

    @Test
    void damagedPagesBehindAnIntactFooterFailNamingFileAndRowGroup() throws IOException {
        byte[] bytes = Files.readAllBytes(RESOURCES.resolve("mmlu-dev-snappy.parquet"));
        // Bytes 4.. hold the first column chunk (the question's Snappy-compressed dictionary page); the footer
        // at the end stays intact, so only decoding the pages can notice.
        Arrays.fill(bytes, 40, 400, (byte) 0x7f);
        Path file = TestFiles.write(dir, "dev-00000-of-00001.parquet", bytes);

        assertThatThrownBy(() -> read(file, BadRowPolicy.SKIP))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("cannot be decoded")
                .hasMessageContaining("the file is damaged or cut short");
    }

    @Test
    void directoryOfParquetFilesPointsAtTheSplitFile() {
        assertThatThrownBy(() -> MmluReader.directory(RESOURCES, BadRowPolicy.FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("at one split's file such as all/test-00000-of-00001.parquet");
    }
}
