package io.layerwise.datasets.extract;

import io.layerwise.datasets.DatasetFingerprint;
import io.layerwise.datasets.DatasetReader;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.Gsm8kReader;
import io.layerwise.datasets.JigsawReader;
import io.layerwise.datasets.LabelledTextReader;
import io.layerwise.datasets.LabelledTextSpec;
import io.layerwise.datasets.LoadedDataset;
import io.layerwise.datasets.MathProblem;
import io.layerwise.datasets.MmluReader;
import io.layerwise.datasets.MultipleChoiceItem;
import io.layerwise.datasets.TextFileFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Reads the data set a {@link DatasetConfig} names as the texts and labels an extraction stores. The
 * fingerprint covers the files, the reader's settings and how items became texts (the MMLU prompt
 * layout, the Jigsaw label chosen), so a store made from the same bytes read differently never passes for
 * the same data.
 *
 * <ul>
 *   <li>{@code jigsaw}: {@code comment_text}; label = any of the six labels, or the one named.
 *   <li>{@code csv} / {@code jsonl}: the configured fields.
 *   <li>{@code mmlu}: {@code "<question>\nA. <a>\nB. <b>\nC. <c>\nD. <d>\nAnswer:"}, label = answer index 0-3.
 *   <li>{@code gsm8k}: the question, unlabelled.
 * </ul>
 */
public final class ExtractionDataset {
    private ExtractionDataset() {}

    /** Reads every example (a {@link io.layerwise.datasets.DatasetException} names the file and row of a bad row). */
    public static LoadedDataset<Example> load(DatasetConfig config) {
        Path path = Path.of(config.path());
        return switch (config.format()) {
            case JIGSAW -> {
                JigsawReader reader = config.testLabels() == null
                        ? JigsawReader.train(path, config.badRows().policy())
                        : JigsawReader.test(path, Path.of(config.testLabels()), config.badRows().policy());
                String label = config.labelField();
                yield convert(reader, "jigsaw-label", label, e -> label.equals(DatasetConfig.ANY_JIGSAW_LABEL) ? e
                        : new Example(e.id(), e.text(), e.rawLabels().get(label), e.rawLabels(), e.line()));
            }
            case CSV, JSONL -> {
                boolean labelled = !config.labelField().equals(DatasetConfig.NO_LABEL);
                LabelledTextSpec spec = new LabelledTextSpec(
                        config.format() == DatasetFormat.CSV ? TextFileFormat.CSV : TextFileFormat.JSONL,
                        List.of(config.textField()), labelled ? config.labelField() : null, config.idField(),
                        config.labelMap());
                yield new LabelledTextReader(path, spec, config.badRows().policy()).read();
            }
            case MMLU -> convert(Files.isDirectory(path) ? MmluReader.directory(path, config.badRows().policy())
                    : new MmluReader(List.of(path), config.badRows().policy()), "text", "mmlu-prompt/1",
                    ExtractionDataset::mmluExample);
            case GSM8K -> convert(new Gsm8kReader(path, config.badRows().policy()), "text", "gsm8k-question/1",
                    (MathProblem p) -> new Example(p.id(), p.question(), Example.UNLABELLED, Map.of(), lineOf(p.id())));
        };
    }

    /** The MMLU prompt of one item. */
    static Example mmluExample(MultipleChoiceItem item) {
        StringBuilder prompt = new StringBuilder(item.question());
        for (int i = 0; i < item.choices().size(); i++) {
            prompt.append('\n').append((char) ('A' + i)).append(". ").append(item.choices().get(i));
        }
        prompt.append("\nAnswer:");
        return new Example(item.id(), prompt.toString(), item.answerIndex(), Map.of(), lineOf(item.id()));
    }

    /** The line number in a generated {@code <file name>:<line>} id. */
    private static long lineOf(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    }

    private static <T> LoadedDataset<Example> convert(DatasetReader<T> reader, String settingKey, String settingValue,
            Function<T, Example> toExample) {
        LoadedDataset<T> read = reader.read();
        SortedMap<String, String> settings = reader.settings();
        settings.put(settingKey, settingValue);
        DatasetFingerprint fingerprint = DatasetFingerprint.of(reader.inputFiles(), settings);
        return new LoadedDataset<>(read.items().stream().map(toExample).toList(), read.report(), fingerprint);
    }
}
