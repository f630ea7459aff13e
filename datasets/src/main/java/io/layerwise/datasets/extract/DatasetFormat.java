package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;

/** The data set layouts an extraction reads (see {@link ExtractionDataset} for how each becomes texts and labels). */
public enum DatasetFormat {
    /** Jigsaw's {@code train.csv}, or {@code test.csv} with {@code test_labels}. */
    JIGSAW,
    /** A CSV file with a header, text and label columns named by the config. */
    CSV,
    /** One JSON object per line, text and label fields named by the config. */
    JSONL,
    /**
     * MMLU's CSV layout (one file, or a directory of them) or Hugging Face's Parquet layout (one {@code .parquet}
     * split file): the prompt with its four choices, labelled by the answer.
     */
    MMLU,
    /** GSM8K's JSONL: the question, unlabelled. */
    GSM8K;

    @JsonCreator
    public static DatasetFormat fromConfig(String name) {
        return ConfigEnums.parse(DatasetFormat.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
