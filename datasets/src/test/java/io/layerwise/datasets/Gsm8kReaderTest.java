package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gsm8kReaderTest {

    @TempDir
    Path dir;

    @Test
    void finalAnswerIsTheNumberAfterTheLastMarkWithoutCommas() {
        Path file = TestFiles.write(dir, "test.jsonl", """
                {"question": "Natalia sold clips to 48 friends in April, and half as many in May. How many in all?", "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\\nNatalia sold 48+24 = <<48+24=72>>72 clips.\\n#### 72"}
                {"question": "A house costs $1,200 a month. What does a year cost?", "answer": "12 * 1200 = <<12*1200=14400>>14400\\n#### 14,400"}
                """);

        List<MathProblem> problems = new Gsm8kReader(file, BadRowPolicy.FAIL).read().items();

        assertThat(problems).extracting(MathProblem::finalAnswer).containsExactly("72", "14400");
        assertThat(problems.get(0).answer()).startsWith("Natalia sold 48/2").contains("\n").endsWith("#### 72");
        assertThat(problems).extracting(MathProblem::id).containsExactly("test.jsonl:1", "test.jsonl:2");
    }

    @Test
    void answerWithoutFinalLineIsABadRow() {
        Path file = TestFiles.write(dir, "test.jsonl", "{\"question\": \"q\", \"answer\": \"no mark here\"}\n");

        assertThatThrownBy(() -> new Gsm8kReader(file, BadRowPolicy.FAIL).read())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file + ":1: field 'answer': has no final answer");
    }

    @Test
    void missingQuestionIsSkippedAndCountedUnderSkip() {
        Path file = TestFiles.write(dir, "test.jsonl", "{\"answer\": \"#### 1\"}\n{\"question\": \"q\", \"answer\": \"#### 2\"}\n");

        LoadedDataset<MathProblem> data = new Gsm8kReader(file, BadRowPolicy.SKIP).read();

        assertThat(data.items()).extracting(MathProblem::finalAnswer).containsExactly("2");
        assertThat(data.report().rowsSkipped()).isEqualTo(1);
        assertThat(data.report().firstSkipped().get(0).field()).isEqualTo("question");
    }

    @Test
    void normalizedAnswersCompareEqualDespiteSeparatorsAndSpaces() {
        assertThat(MathProblem.normalizeAnswer(" 1,000,000 ")).isEqualTo("1000000");
    }
}
