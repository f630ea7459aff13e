package io.layerwise.checkpoints.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory's tables, plots and report. */
class RunDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void writesTablesPlotsAndAReportThatLinksThem() throws Exception {
        RunDirectory run = RunDirectory.create(temp.resolve("run"));
        run.writeJson("metrics.json", new ObjectMapper().createObjectNode().put("accuracy", 0.95));
        Table table = Table.withColumns("Layer", "Accuracy", "Note").withRow("Zeroshot", 0.95, "dense, \"as is\"")
                .withRow(3, 0.61, "a|b");
        run.writeTable("layer_removal", table);
        run.writePlot("accuracy", new LinePlot("Accuracy vs removed layer", "layer", "accuracy")
                .series("accuracy", List.of(0, 1, 2), List.of(0.9, 0.5, 0.7)));
        Path report = run.writeReport("Layer removal");

        assertThat(Files.readString(run.resolve("tables/layer_removal.csv")))
                .isEqualTo("Layer,Accuracy,Note\nZeroshot,0.95,\"dense, \"\"as is\"\"\"\n3,0.61,a|b\n");
        assertThat(Files.readString(run.resolve("tables/layer_removal.md"))).contains("| Zeroshot | 0.9500 |", "a\\|b");
        byte[] png = Files.readAllBytes(run.resolve("plots/accuracy.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(report)).contains("<img src=\"plots/accuracy.png\"", "tables/layer_removal.csv",
                "&quot;accuracy&quot; : 0.95", "dense, &quot;as is&quot;");
        try (Stream<Path> files = Files.walk(run.root())) {
            assertThat(files.filter(f -> f.getFileName().toString().contains(".tmp-"))).isEmpty();
        }
    }
}
