package io.layerwise.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.cli.Layerwise;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionProgress;
import io.layerwise.datasets.testing.StoreComparison;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's {@code local-cluster[2,1,1536]} mode: a master and two workers in the driver's JVM, each worker
 * launching its own executor JVM the way a cluster's workers do, from {@code SPARK_HOME/jars} (here a
 * directory of links to this test's jars). The store the two executor JVMs write equals a plain
 * extraction's. Slow (three JVMs load the model): {@code mvn -P slow -pl spark -am test
 * -Dtest=SparkLocalClusterTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class SparkLocalClusterTest {
    @TempDir
    Path temp;

    @Test
    void twoExecutorJvmsWriteTheStoreOfAPlainExtraction() throws Exception {
        Path store = temp.resolve("store");
        Path plainConfig = config(store, "local");
        new ExtractionJob(ExtractionPlan.create(ConfigLoader.load(plainConfig, List.of(), ExtractionConfig.class)),
                ExtractionProgress.SILENT).run();
        Path reference = temp.resolve("plain");
        Files.move(store, reference);

        Path sparkHome = temp.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.createFile(sparkHome.resolve("RELEASE"));
        List<String> directories = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                directories.add(entry);
            } else if (entry.endsWith(".jar")) {
                Files.createSymbolicLink(sparkHome.resolve("jars").resolve((n++) + "-" + path.getFileName()), path);
            }
        }
        Path config = config(store, "spark");
        Files.writeString(config, Files.readString(config).replace("CLASSES", String.join(File.pathSeparator, directories)));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-Dai.djl.offline=true", "-Dlayerwise.threads=1"));
        command.addAll(List.of(System.getProperty("spark.jvm.flags").split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Layerwise.class.getName(),
                "extract", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("driver.log").toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process driver = builder.start();
        try {
            assertThat(driver.waitFor(600, TimeUnit.SECONDS)).isTrue();
        } finally {
            driver.destroyForcibly();
        }
        String log = Files.readString(temp.resolve("driver.log"));
        assertThat(driver.exitValue()).as(log).isZero();
        assertThat(log).contains("4 Spark task(s) ran in 2 executor JVM(s)");
        StoreComparison.assertSameStore(reference, store);
    }

    private Path config(Path store, String engine) throws Exception {
        return QuickstartConfigs.write(temp.resolve(engine + ".yaml"), store, engine,
                "master: 'local-cluster[2,1,1536]'",
                "conf:",
                "  spark.executor.memory: 1g",
                "  spark.executor.extraClassPath: 'CLASSES'",
                "  spark.executor.extraJavaOptions: '-Xss4m -Dai.djl.offline=true " + System.getProperty("spark.jvm.flags") + "'");
    }
}
