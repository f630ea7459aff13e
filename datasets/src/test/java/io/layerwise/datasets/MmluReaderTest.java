package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmluReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsHeaderlessRowsWithSubjectFromTheFileName() throws Exception {
        Path file = TestFiles.write(dir, "abstract_algebra_dev.csv",
                "Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.,0,1,2,3,B\n"
                + "\"Statement 1 | If aH is an element of a factor group, then |aH| divides |a|.\","
                + "\"True, True\",\"False, False\",\"True, False\",\"False, True\",B\n");

        List<MultipleChoiceItem> items = new MmluReader(List.of(file), BadRowPolicy.FAIL).read().items();

        assertThat(items).hasSize(2);
        MultipleChoiceItem second = items.get(1);
        assertThat(second.question()).isEqualTo("Statement 1 | If aH is an element of a factor group, then |aH| divides |a|.");
        assertThat(second.choices()).containsExactly("True, True", "False, False", "True, False", "False, True");
        assertThat(second.answerIndex()).isEqualTo(1);
        assertThat(second.answerLetter()).isEqualTo('B');
        assertThat(second.subject()).isEqualTo("abstract_algebra");
        assertThat(second.id()).isEqualTo("abstract_algebra_dev.csv:2");
    }

    @Test
    void subjectIsEmptyWhenTheFileNameCarriesNone() {
        assertThat(MmluReader.subjectOf(Path.of("data/test/high_school_physics_test.csv"))).isEqualTo("high_school_physics");
        assertThat(MmluReader.subjectOf(Path.of("college_biology_val.csv"))).isEqualTo("college_biology");
        assertThat(MmluReader.subjectOf(Path.of("mmlu-dev.csv"))).isEmpty();
    }

    @Test
    void answerOtherThanAToDIsABadRowNamingTheField() {
        Path file = TestFiles.write(dir, "x_test.csv", "q1,a,b,c,d,A\nq2,a,b,c,d,E\n");

        assertThatThrownBy(() -> new MmluReader(List.of(file), BadRowPolicy.FAIL).read())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file + ":2: field 'answer': 'E' is not one of A, B, C, D");
    }

    @Test
    void rowWithFiveColumnsIsABadRowSkippedUnderSkip() {
        Path file = TestFiles.write(dir, "x_test.csv", "q1,a,b,c,d,A\nq2,a,b,c,D\nq3,a,b,c,d,C\n");

        LoadedDataset<MultipleChoiceItem> data = new MmluReader(List.of(file), BadRowPolicy.SKIP).read();

        assertThat(data.items()).extracting(MultipleChoiceItem::question).containsExactly("q1", "q3");
        assertThat(data.report().firstSkipped()).singleElement()
                .satisfies(bad -> assertThat(bad.toString()).startsWith(file + ":2: expected 6 fields"));
    }

    @Test
    void directoryReadsEveryCsvInFileNameOrder() throws Exception {
        TestFiles.write(dir, "virology_test.csv", "v,a,b,c,d,D\n");
        TestFiles.write(dir, "anatomy_test.csv", "a,a,b,c,d,A\n");
        TestFiles.write(dir, "README.txt", "not data");

        MmluReader reader = MmluReader.directory(dir, BadRowPolicy.FAIL);

        assertThat(reader.read().items()).extracting(MultipleChoiceItem::subject).containsExactly("anatomy", "virology");
        Files.delete(dir.resolve("anatomy_test.csv"));
        Files.delete(dir.resolve("virology_test.csv"));
        assertThatThrownBy(() -> MmluReader.directory(dir, BadRowPolicy.FAIL)).hasMessageContaining("holds no .csv files");
    }
}
