package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRowSourceTest {

    @TempDir
    Path dir;

    private List<SourceRow> rows(String content, BadRowPolicy policy) {
        Path file = TestFiles.write(dir, "f.csv", content);
        try (RowSource source = new CsvRowSource(file, ',', null, new ReadTally(policy))) {
            return source.collect(Optional::of);
        }
    }

    @Test
    void rowsKnowThePhysicalLineTheyStartOn() {
        List<SourceRow> rows = rows("a,b\n\"1\n2\n3\",x\n\n4,y\n\"5\r\n6\",z", BadRowPolicy.FAIL);

        assertThat(rows).extracting(SourceRow::line).containsExactly(2L, 6L, 7L);
        assertThat(rows).extracting(r -> r.get("a")).containsExactly("1\n2\n3", "4", "5\n6");
    }

    @Test
    void quoteInsideAnUnquotedFieldIsAnOrdinaryCharacter() {
        assertThat(rows("a,b\nsay \"hi\",x\n", BadRowPolicy.FAIL).get(0).fields())
                .isEqualTo(Map.of("a", "say \"hi\"", "b", "x"));
    }

    @Test
    void emptyFieldsAtEitherEndAreKept() {
        assertThat(rows("a,b,c\n,,\n,\"\",x\n", BadRowPolicy.FAIL)).extracting(SourceRow::fields)
                .containsExactly(Map.of("a", "", "b", "", "c", ""), Map.of("a", "", "b", "", "c", "x"));
    }

    @Test
    void characterAfterAClosingQuoteIsABadRow() {
        Path file = TestFiles.write(dir, "g.csv", "a,b\n\"x\"y,z\nok,ok\n");
        ReadTally tally = new ReadTally(BadRowPolicy.SKIP);

        try (RowSource source = new CsvRowSource(file, ',', null, tally)) {
            assertThat(source.collect(Optional::of)).hasSize(1);
        }
        assertThat(tally.report(1).firstSkipped()).singleElement()
                .satisfies(bad -> assertThat(bad.toString()).isEqualTo(file
                        + ":2: field 1 has 'y' after its closing quote; write quotes inside a quoted field as \"\""));
    }

    @Test
    void emptyFileOrRepeatedColumnNameFailsWhateverThePolicy() {
        Path empty = TestFiles.write(dir, "empty.csv", "");
        Path twice = TestFiles.write(dir, "twice.csv", "text,label,text\n");

        assertThatThrownBy(() -> new CsvRowSource(empty, ',', null, new ReadTally(BadRowPolicy.SKIP)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(empty + ": the file is empty; expected a header line");
        assertThatThrownBy(() -> new CsvRowSource(twice, ',', null, new ReadTally(BadRowPolicy.SKIP)))
                .hasMessageContaining(twice + ":1: the header names column 'text' twice");
    }

    @Test
    void missingColumnMessageNamesTheHeaderLine() {
        Path file = TestFiles.write(dir, "late.csv", "\n\ntext,label\nhi,1\n");

        try (RowSource source = new CsvRowSource(file, ',', null, new ReadTally(BadRowPolicy.FAIL))) {
            assertThatThrownBy(() -> source.requireFields(List.of("prompt"), "Check the spec."))
                    .hasMessage(file + ":3: the header has no column 'prompt' (it has text, label). Check the spec.");
        }
    }
}
