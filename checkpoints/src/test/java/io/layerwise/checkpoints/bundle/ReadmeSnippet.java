package io.layerwise.checkpoints.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The numpy snippet of the README's "Reuse a probe" section, exactly as the README shows it. */
final class ReadmeSnippet {
    static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    private static final String BEGIN = "<!-- reuse-probe-python:begin -->";
    private static final String END = "<!-- reuse-probe-python:end -->";

    private ReadmeSnippet() {}

    /** The Python code between the markers, without its Markdown fence. */
    static String code() throws IOException {
        String readme = Files.readString(README);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new AssertionError(README + " lacks the markers " + BEGIN + " ... " + END);
        }
        String block = readme.substring(begin + BEGIN.length(), end).strip();
        if (!block.startsWith("```python\n") || !block.endsWith("```")) {
            throw new AssertionError("the snippet between the markers in " + README + " must be one ```python block");
        }
        return block.substring("```python\n".length(), block.length() - 3);
    }
}
