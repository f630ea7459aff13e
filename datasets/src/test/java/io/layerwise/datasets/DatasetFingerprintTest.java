package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFingerprintTest {

    private static final SortedMap<String, String> SETTINGS = new TreeMap<>(Map.of("reader", "test"));

    @TempDir
    Path dir;

    @Test
    void sameContentGivesTheSameFingerprint() {
        Path a = TestFiles.write(dir, "a.csv", "text,label\nhi,1\n");

        DatasetFingerprint first = DatasetFingerprint.of(List.of(a), SETTINGS);

        assertThat(DatasetFingerprint.of(List.of(a), new TreeMap<>(SETTINGS))).isEqualTo(first);
        assertThat(first.value()).matches("sha256:[0-9a-f]{64}");
        assertThat(first).hasToString(first.value());
    }

    @Test
    void fingerprintIsPinnedForGivenBytesAndSettings() {
        // Golden value: if this fails, the fingerprint layout changed and every recorded fingerprint is stale.
        Path a = TestFiles.write(dir, "a.csv", "text,label\nhi,1\n");

        assertThat(DatasetFingerprint.of(List.of(a), SETTINGS).value()).isEqualTo(GOLDEN);
    }

    private static final String GOLDEN = "sha256:4932de717482bffec10715862c1cec3a326d008891f7c31be05d26bd8ffda99c";

    @Test
    void oneChangedByteChangesTheFingerprint() {
        Path a = TestFiles.write(dir, "a.csv", "text,label\nhi,1\n");
        DatasetFingerprint before = DatasetFingerprint.of(List.of(a), SETTINGS);

        TestFiles.write(dir, "a.csv", "text,label\nhi,0\n");

        assertThat(DatasetFingerprint.of(List.of(a), SETTINGS)).isNotEqualTo(before);
    }

    @Test
    void settingsFileNamesAndFileOrderAreCovered() {
        Path a = TestFiles.write(dir, "a.csv", "x\n");
        Path b = TestFiles.write(dir, "b.csv", "y\n");
        DatasetFingerprint base = DatasetFingerprint.of(List.of(a, b), SETTINGS);

        assertThat(DatasetFingerprint.of(List.of(b, a), SETTINGS)).isNotEqualTo(base);
        assertThat(DatasetFingerprint.of(List.of(a, b), new TreeMap<>(Map.of("reader", "other")))).isNotEqualTo(base);
        Path renamed = TestFiles.write(dir, "c.csv", "x\n");
        assertThat(DatasetFingerprint.of(List.of(renamed, b), SETTINGS)).isNotEqualTo(base);
    }

    @Test
    void directoryOfTheFilesDoesNotMatter() throws Exception {
        Path a = TestFiles.write(dir, "a.csv", "x\n");
        Path elsewhere = Files.createDirectory(dir.resolve("copy"));
        Path copy = TestFiles.write(elsewhere, "a.csv", "x\n");

        assertThat(DatasetFingerprint.of(List.of(copy), SETTINGS)).isEqualTo(DatasetFingerprint.of(List.of(a), SETTINGS));
    }

    @Test
    void malformedValueIsRejected() {
        assertThatThrownBy(() -> new DatasetFingerprint("md5:abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
