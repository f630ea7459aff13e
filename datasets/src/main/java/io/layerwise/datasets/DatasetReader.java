package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * A reader of one data set format. A reader is a value: its files and settings are fixed at
 * construction, {@link #read()} may be called more than once, and {@link #fingerprint()} identifies
 * exactly what it reads without parsing anything.
 *
 * <pre>{@code
 * DatasetReader<Example> reader = new LabelledTextReader(
 *         Path.of("refusal-dev.csv"), LabelledTextSpec.of(TextFileFormat.CSV, "text", "label"), BadRowPolicy.FAIL);
 * LoadedDataset<Example> data = reader.read();
 * System.out.println(data.report().rowsRead() + " rows, " + data.fingerprint());
 * }</pre>
 *
 * @param <T> item type
 */
public interface DatasetReader<T> {

    /**
     * Reads every row of every input file.
     *
     * @throws DatasetException when a file cannot be read, or a row is bad under {@link BadRowPolicy#FAIL}
     */
    LoadedDataset<T> read();

    /** The files read, in the order they are read and fingerprinted. */
    List<Path> inputFiles();

    /** The settings that change what is read from the same bytes (fields, label map, format), by name. */
    SortedMap<String, String> settings();

    /** The content fingerprint of {@link #inputFiles()} and {@link #settings()}. */
    default DatasetFingerprint fingerprint() {
        return DatasetFingerprint.of(inputFiles(), settings());
    }
}
