package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JigsawReaderTest {

    private static final String HEADER = "id,comment_text,toxic,severe_toxic,obscene,threat,insult,identity_hate\n";

    // Written as pandas writes Jigsaw's train.csv: comment_text always quoted, quotes doubled, newlines kept.
    private static final String TRAIN = HEADER
            + "0000997932d777bf,\"Explanation\nWhy were the edits made under my username \"\"Hardcore Metallica Fan\"\" reverted?"
            + " They weren't vandalisms, just closure on some GAs.\",0,0,0,0,0,0\n"
            + "000103f0d9cfb60f,\"D'aww! He matches this background colour, thanks.\",0,0,0,0,0,0\n"
            + "0001d958c54c6e35,\"You are a fool,\n\n\"\"sir\"\", and\nI will find you.\",1,0,0,1,1,0\n"
            + "0002bcb3da6cb337,\"\",0,0,0,0,0,0\n";

    @TempDir
    Path dir;

    @Test
    void trainReadsMultiLineQuotedCommentsWithDoubledQuotesAndCommas() {
        LoadedDataset<Example> data = JigsawReader.train(TestFiles.write(dir, "train.csv", TRAIN), BadRowPolicy.FAIL).read();

        assertThat(data.items()).extracting(Example::id)
                .containsExactly("0000997932d777bf", "000103f0d9cfb60f", "0001d958c54c6e35", "0002bcb3da6cb337");
        assertThat(data.items().get(0).text()).isEqualTo("Explanation\nWhy were the edits made under my username"
                + " \"Hardcore Metallica Fan\" reverted? They weren't vandalisms, just closure on some GAs.");
        assertThat(data.items().get(2).text()).isEqualTo("You are a fool,\n\n\"sir\", and\nI will find you.");
        assertThat(data.items()).extracting(Example::line).containsExactly(2L, 4L, 5L, 9L);
        assertThat(data.items()).extracting(Example::label).containsExactly(0, 0, 1, 0);
    }

    @Test
    void sixRawLabelsStayAvailableInColumnOrder() {
        Example threat = JigsawReader.train(TestFiles.write(dir, "train.csv", TRAIN), BadRowPolicy.FAIL).read().items().get(2);

        assertThat(threat.rawLabels().keySet()).containsExactlyElementsOf(JigsawReader.LABELS);
        assertThat(threat.rawLabels()).containsEntry("toxic", 1).containsEntry("threat", 1)
                .containsEntry("insult", 1).containsEntry("obscene", 0);
    }

    @Test
    void emptyCommentIsKeptAndCounted() {
        LoadedDataset<Example> data = JigsawReader.train(TestFiles.write(dir, "train.csv", TRAIN), BadRowPolicy.FAIL).read();

        assertThat(data.items().get(3).text()).isEmpty();
        assertThat(data.report().emptyTexts()).isEqualTo(1);
        assertThat(data.report().rowsRead()).isEqualTo(4);
    }

    @Test
    void crlfAndLfCopiesReadAsTheSameExamples() {
        Path lf = TestFiles.write(dir, "lf.csv", TRAIN);
        Path crlf = TestFiles.write(dir, "crlf.csv", TRAIN.replace("\n", "\r\n"));

        assertThat(JigsawReader.train(crlf, BadRowPolicy.FAIL).read().items())
                .isEqualTo(JigsawReader.train(lf, BadRowPolicy.FAIL).read().items());
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsIgnored() {
        Path withBom = TestFiles.write(dir, "train.csv", "\uFEFF" + TRAIN);

        assertThat(JigsawReader.train(withBom, BadRowPolicy.FAIL).read().items()).hasSize(4);
    }

    @Test
    void testJoinsLabelsOnIdAndExcludesUnscoredRows() {
        Path test = TestFiles.write(dir, "test.csv", "id,comment_text\n"
                + "00001cee341fdb12,\"Yo, \"\"Ja Rule\"\" is more succesful\nthen you'll ever be\"\n"
                + "0000247867823ef7,\"== From RfC ==\n\nThe title is fine as it is, IMO.\"\n"
                + "00013b17ad220c46,\"\"\"\n\n == Sources == \"\"\"\n");
        Path labels = TestFiles.write(dir, "test_labels.csv", HEADER.replace(",comment_text", "")
                + "00013b17ad220c46,0,0,0,0,0,0\n"
                + "00001cee341fdb12,-1,-1,-1,-1,-1,-1\n"
                + "0000247867823ef7,1,0,1,0,0,0\n");

        LoadedDataset<Example> data = JigsawReader.test(test, labels, BadRowPolicy.FAIL).read();

        assertThat(data.items()).extracting(Example::id).containsExactly("0000247867823ef7", "00013b17ad220c46");
        assertThat(data.items()).extracting(Example::label).containsExactly(1, 0);
        assertThat(data.items()).extracting(Example::line).containsExactly(4L, 7L);
        assertThat(data.items().get(1).text()).isEqualTo("\"\n\n == Sources == \"");
        assertThat(data.report().rowsExcluded()).isEqualTo(1);
        assertThat(data.report().rowsRead()).isEqualTo(2);
    }

    @Test
    void testRowWithoutLabelsIsABadRowNamingItsId() {
        Path test = TestFiles.write(dir, "test.csv", "id,comment_text\na,one\nb,two\n");
        Path labels = TestFiles.write(dir, "test_labels.csv", "id,toxic,severe_toxic,obscene,threat,insult,identity_hate\n"
                + "a,0,0,0,0,0,0\n");

        assertThatThrownBy(() -> JigsawReader.test(test, labels, BadRowPolicy.FAIL).read())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(test + ":3: field 'id': 'b' has no usable row in " + labels);
    }

    @Test
    void labelsWithoutATestRowMeanTheFilesDoNotBelongTogether() {
        Path test = TestFiles.write(dir, "test.csv", "id,comment_text\na,one\n");
        Path labels = TestFiles.write(dir, "test_labels.csv", "id,toxic,severe_toxic,obscene,threat,insult,identity_hate\n"
                + "a,0,0,0,0,0,0\nz,1,0,0,0,0,0\n");

        assertThatThrownBy(() -> JigsawReader.test(test, labels, BadRowPolicy.FAIL).read())
                .hasMessageContaining(labels + ":3: field 'id': 'z' has labels but no row in " + test);
    }

    @Test
    void unscoredMarkMixedWithScoresIsABadRow() {
        Path test = TestFiles.write(dir, "test.csv", "id,comment_text\na,one\n");
        Path labels = TestFiles.write(dir, "test_labels.csv", "id,toxic,severe_toxic,obscene,threat,insult,identity_hate\n"
                + "a,-1,0,0,0,0,0\n");

        assertThatThrownBy(() -> JigsawReader.test(test, labels, BadRowPolicy.FAIL).read())
                .hasMessageContaining(labels + ":2: mixes -1 with 0/1 labels");
    }

    @Test
    void unquotedCommaGivesWrongColumnCountNamingFileAndLine() {
        Path train = TestFiles.write(dir, "train.csv", HEADER + "a,\"fine\nover two lines\",0,0,0,0,0,0\nb,oops, a comma,0,0,0,0,0,0\n");

        assertThatThrownBy(() -> JigsawReader.train(train, BadRowPolicy.FAIL).read())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(train + ":4: expected 8 fields (id, comment_text, toxic,")
                .hasMessageContaining("found 9")
                .hasMessageContaining("BadRowPolicy.SKIP");
    }

    @Test
    void unterminatedQuoteNamesTheLineWhereTheRowStarts() {
        Path train = TestFiles.write(dir, "train.csv", HEADER + "a,ok,0,0,0,0,0,0\nb,\"never closed,0,0,0,0,0,0\nc,x,0,0,0,0,0,0\n");

        assertThatThrownBy(() -> JigsawReader.train(train, BadRowPolicy.FAIL).read())
                .hasMessageContaining(train + ":3: field 2 opens a quote that is never closed (unterminated quote)");
    }

    @Test
    void labelOtherThanZeroOrOneNamesTheField() {
        Path train = TestFiles.write(dir, "train.csv", HEADER + "a,ok,0,0,0,2,0,0\n");

        assertThatThrownBy(() -> JigsawReader.train(train, BadRowPolicy.FAIL).read())
                .hasMessageContaining(train + ":2: field 'threat': '2' is not 0 or 1");
    }

    @Test
    void invalidUtf8NamesTheLineHoldingTheBytes() {
        Path train = TestFiles.write(dir, "train.csv", TestFiles.withInvalidByte(
                HEADER + "a,ok,0,0,0,0,0,0\nb,\"first line\nsecond ", "line\",0,0,0,0,0,0\n"));

        assertThatThrownBy(() -> JigsawReader.train(train, BadRowPolicy.FAIL).read())
                .hasMessageContaining(train + ":3: bytes that are not valid UTF-8 on line 4");
    }

    @Test
    void skipPolicyDropsBadRowsCountsThemAndKeepsTheirReasons() {
        byte[] content = TestFiles.withInvalidByte(HEADER
                + "a,\"good\nrow\",0,0,0,0,0,0\n"
                + "b,too,many,0,0,0,0,0,0\n"
                + "c,bad label,0,0,0,0,0,yes\n"
                + "d,", "bytes,0,0,0,0,0,0\n"
                + "e,\"good again\",1,0,0,0,0,0\n"
                + "f,\"never closed,0,0,0,0,0,0\n");
        Path train = TestFiles.write(dir, "train.csv", content);

        LoadedDataset<Example> data = JigsawReader.train(train, BadRowPolicy.SKIP).read();

        assertThat(data.items()).extracting(Example::id).containsExactly("a", "e");
        assertThat(data.report().rowsRead()).isEqualTo(2);
        assertThat(data.report().rowsSkipped()).isEqualTo(4);
        assertThat(data.report().firstSkipped()).extracting(BadRow::line).containsExactly(4L, 5L, 6L, 8L);
        assertThat(data.report().firstSkipped()).extracting(BadRow::field).containsExactly(null, "identity_hate", null, null);
    }

    @Test
    void headerWithoutTheLabelColumnsFailsWhateverThePolicy() {
        Path notJigsaw = TestFiles.write(dir, "train.csv", "id,comment_text\na,b\n");

        assertThatThrownBy(() -> JigsawReader.train(notJigsaw, BadRowPolicy.SKIP).read())
                .hasMessageContaining(notJigsaw + ":1: the header has no column 'toxic'")
                .hasMessageContaining("Expected Jigsaw's train.csv");
    }

    @Test
    void missingFileIsReportedWithItsPath() {
        Path missing = dir.resolve("nope/train.csv");

        assertThatThrownBy(() -> JigsawReader.train(missing, BadRowPolicy.FAIL).read())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("Cannot read " + missing + ": no such file");
    }

    @Test
    void fingerprintCoversBothTestFilesAndDiffersFromTrain() {
        Path test = TestFiles.write(dir, "test.csv", "id,comment_text\na,one\n");
        Path labels = TestFiles.write(dir, "test_labels.csv", "id,toxic,severe_toxic,obscene,threat,insult,identity_hate\n"
                + "a,0,0,0,0,0,0\n");
        JigsawReader reader = JigsawReader.test(test, labels, BadRowPolicy.FAIL);

        assertThat(reader.inputFiles()).containsExactly(test, labels);
        assertThat(reader.read().fingerprint()).isEqualTo(reader.fingerprint());
        assertThat(reader.fingerprint()).isNotEqualTo(JigsawReader.train(test, BadRowPolicy.FAIL).fingerprint());
        assertThat(reader.settings()).isEqualTo(Map.of("reader", "jigsaw-test"));
        assertThat(reader.fingerprint().value()).startsWith("sha256:");
    }
}
