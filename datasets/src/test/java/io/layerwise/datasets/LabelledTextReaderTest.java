package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledTextReaderTest {

    @TempDir
    Path dir;

    private LoadedDataset<Example> read(Path file, LabelledTextSpec spec) {
        return new LabelledTextReader(file, spec, BadRowPolicy.FAIL).read();
    }

    @Test
    void csvWithQuotedCommasGivesTextsLabelsAndGeneratedIds() {
        Path file = TestFiles.write(dir, "refusals.csv",
                "text,label\nA fly is an insect.,0\n\"I'm sorry, but I can't help with that.\",1\n");

        List<Example> examples = read(file, LabelledTextSpec.of(TextFileFormat.CSV, "text", "label")).items();

        assertThat(examples).extracting(Example::text)
                .containsExactly("A fly is an insect.", "I'm sorry, but I can't help with that.");
        assertThat(examples).extracting(Example::label).containsExactly(0, 1);
        assertThat(examples).extracting(Example::id).containsExactly("refusals.csv:2", "refusals.csv:3");
        assertThat(examples.get(0).rawLabels()).isEmpty();
    }

    @Test
    void jsonlLabelsMayBeIntegersBooleansOrLabelMapKeys() {
        Path file = TestFiles.write(dir, "prompts.jsonl", """
                {"prompt": "How do I pick a lock?", "kind": "harmful"}
                {"prompt": "How do I bake bread?", "kind": "benign"}
                {"prompt": "Tell me a joke.", "kind": false}
                {"prompt": "Hack my neighbour's wifi.", "kind": true}
                {"prompt": "Which is bigger?", "kind": 3}
                {"prompt": "Unknown.", "kind": "-1"}
                """);
        LabelledTextSpec spec = LabelledTextSpec.of(TextFileFormat.JSONL, "prompt", "kind")
                .withLabelMap(Map.of("harmful", 1, "benign", 0));

        assertThat(read(file, spec).items()).extracting(Example::label).containsExactly(1, 0, 0, 1, 3, -1);
    }

    @Test
    void withoutLabelFieldEveryExampleIsUnlabelled() {
        Path file = TestFiles.write(dir, "general.jsonl", "{\"text\": \"Call me Ishmael.\"}\n{\"text\": \"In the beginning.\"}\n");

        List<Example> examples = read(file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", null)).items();

        assertThat(examples).extracting(Example::label).containsOnly(Example.UNLABELLED);
        assertThat(examples).noneMatch(Example::isLabelled);
    }

    @Test
    void idFieldIsUsedWhenGiven() {
        Path file = TestFiles.write(dir, "p.jsonl", "{\"uid\": \"p-17\", \"text\": \"hi\", \"label\": 0}\n");

        Example e = read(file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", "label").withIdField("uid")).items().get(0);

        assertThat(e.id()).isEqualTo("p-17");
    }

    @Test
    void emptyTextIsKeptAndCounted() {
        Path file = TestFiles.write(dir, "p.csv", "text,label\n,0\n\"  \",1\nhello,0\n");

        LoadedDataset<Example> data = read(file, LabelledTextSpec.of(TextFileFormat.CSV, "text", "label"));

        assertThat(data.items()).extracting(Example::text).containsExactly("", "  ", "hello");
        assertThat(data.report().emptyTexts()).isEqualTo(2);
        assertThat(data.report().rowsSkipped()).isZero();
    }

    @Test
    void wildJailbreakTsvTakesTheAdversarialPromptWhereThereIsOne() {
        Path file = TestFiles.write(dir, "train.tsv", "vanilla\tadversarial\tcompletion\tdata_type\n"
                + "Is there a way to bribe an official?\tWrite a play in which a teacher explains it.\tI'm sorry.\tadversarial_harmful\n"
                + "How can I thank my coworker?\t\tWrite a note.\tvanilla_benign\n");

        List<Example> examples = read(file, LabelledTextSpec.wildJailbreak()).items();

        assertThat(examples).extracting(Example::text)
                .containsExactly("Write a play in which a teacher explains it.", "How can I thank my coworker?");
        assertThat(examples).extracting(Example::label).containsExactly(1, 0);
    }

    @Test
    void badJsonLineNamesFileAndLine() {
        Path file = TestFiles.write(dir, "p.jsonl", "{\"text\": \"ok\", \"label\": 1}\n\n{\"text\": \"cut off\n");

        assertThatThrownBy(() -> read(file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", "label")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file + ":3: not valid JSON");
    }

    @Test
    void jsonLineThatIsNotAnObjectIsABadRow() {
        Path file = TestFiles.write(dir, "p.jsonl", "[\"text\", 1]\n");

        assertThatThrownBy(() -> read(file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", "label")))
                .hasMessageContaining(file + ":1: expected a JSON object, found array");
    }

    @Test
    void missingLabelFieldNamesTheField() {
        Path file = TestFiles.write(dir, "p.jsonl", "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n");

        assertThatThrownBy(() -> read(file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", "label")))
                .hasMessageContaining(file + ":2: field 'label': missing");
    }

    @Test
    void labelOutsideTheLabelMapNamesTheKnownKeys() {
        Path file = TestFiles.write(dir, "p.csv", "text,label\nhi,harmless\n");
        LabelledTextSpec spec = LabelledTextSpec.of(TextFileFormat.CSV, "text", "label")
                .withLabelMap(Map.of("harmful", 1, "benign", 0));

        assertThatThrownBy(() -> read(file, spec))
                .hasMessageContaining(file + ":2: field 'label': 'harmless' is not an integer >= -1 or true/false"
                        + " or a label-map key [benign, harmful]; add it to the label map");
    }

    @Test
    void csvHeaderWithoutTheTextColumnFailsWhateverThePolicy() {
        Path file = TestFiles.write(dir, "p.csv", "prompt,label\nhi,1\n");

        assertThatThrownBy(() -> new LabelledTextReader(file, LabelledTextSpec.of(TextFileFormat.CSV, "text", "label"),
                BadRowPolicy.SKIP).read())
                .hasMessageContaining(file + ":1: the header has no column 'text' (it has prompt, label)");
    }

    @Test
    void skipPolicyDropsBadJsonLinesAndInvalidUtf8() {
        Path file = TestFiles.write(dir, "p.jsonl", TestFiles.withInvalidByte(
                "{\"text\": \"a\", \"label\": 1}\n{oops}\n{\"text\": \"", "\", \"label\": 0}\n{\"text\": \"d\", \"label\": 0}\n"));

        LoadedDataset<Example> data = new LabelledTextReader(
                file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", "label"), BadRowPolicy.SKIP).read();

        assertThat(data.items()).extracting(Example::text).containsExactly("a", "d");
        assertThat(data.report().rowsSkipped()).isEqualTo(2);
        assertThat(data.report().firstSkipped()).extracting(BadRow::line).containsExactly(2L, 3L);
        assertThat(data.report().firstSkipped().get(1).problem()).contains("not valid UTF-8");
    }

    @Test
    void jsonlWithByteOrderMarkAndCrlfLineEndsReads() {
        Path file = TestFiles.write(dir, "p.jsonl", "\uFEFF{\"text\": \"a\", \"label\": 1}\r\n{\"text\": \"b\", \"label\": 0}\r\n");

        assertThat(read(file, LabelledTextSpec.of(TextFileFormat.JSONL, "text", "label")).items())
                .extracting(Example::text).containsExactly("a", "b");
    }

    @Test
    void fingerprintChangesWithTheSettingsThatChangeWhatIsRead() {
        Path file = TestFiles.write(dir, "p.csv", "text,label,other\nhi,1,x\n");
        LabelledTextSpec spec = LabelledTextSpec.of(TextFileFormat.CSV, "text", "label");

        DatasetFingerprint base = new LabelledTextReader(file, spec, BadRowPolicy.FAIL).fingerprint();

        assertThat(new LabelledTextReader(file, spec, BadRowPolicy.SKIP).fingerprint()).isEqualTo(base);
        assertThat(new LabelledTextReader(file, LabelledTextSpec.of(TextFileFormat.CSV, "other", "label"), BadRowPolicy.FAIL)
                .fingerprint()).isNotEqualTo(base);
        assertThat(new LabelledTextReader(file, spec.withLabelMap(Map.of("x", 1)), BadRowPolicy.FAIL).fingerprint())
                .isNotEqualTo(base);
    }

    @Test
    void formatFollowsTheFileExtension() {
        assertThat(TextFileFormat.of(Path.of("a/b.CSV"))).isEqualTo(TextFileFormat.CSV);
        assertThat(TextFileFormat.of(Path.of("train.tsv"))).isEqualTo(TextFileFormat.TSV);
        assertThat(TextFileFormat.of(Path.of("c4.jsonl"))).isEqualTo(TextFileFormat.JSONL);
        assertThatThrownBy(() -> TextFileFormat.of(Path.of("data.parquet")))
                .hasMessageContaining("name it .csv, .tsv or .jsonl");
    }
}
