package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs an {@link EvalTask} in batches and saves every item's prediction as one JSON line, flushed to
 * disk after each batch, so a killed evaluation started again with the same task skips the items
 * already predicted (a torn last line from the kill is dropped and redone). Metrics come from all
 * saved predictions in item order.
 *
 * <pre>{@code
 * ObjectNode metrics = new EvalRunner(8).run(task, runDir.resolve("predictions.jsonl"), done -> {});
 * }</pre>
 *
 * @param batchSize items per batch
 */
public record EvalRunner(int batchSize) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EvalRunner {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
    }

    /**
     * Evaluates the items not yet in {@code predictionsFile} and returns the task's metrics.
     *
     * @param progress told the number of items done so far after each batch (and once at the start)
     */
    public ObjectNode run(EvalTask task, Path predictionsFile, IntConsumer progress) {
        Map<String, ObjectNode> saved = readSaved(predictionsFile);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < task.size(); i++) {
            if (!saved.containsKey(task.id(i))) {
                todo.add(i);
            }
        }
        progress.accept(task.size() - todo.size());
        try (FileChannel out = FileChannel.open(predictionsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int from = 0; from < todo.size(); from += batchSize) {
                List<ObjectNode> predictions = task.evaluate(todo.subList(from, Math.min(todo.size(), from + batchSize)));
                StringBuilder lines = new StringBuilder();
                for (ObjectNode p : predictions) {
                    saved.put(p.get("id").asText(), p);
                    lines.append(JSON.writeValueAsString(p)).append('\n');
                }
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(false);
                progress.accept(task.size() - todo.size() + Math.min(todo.size(), from + batchSize));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + predictionsFile, e);
        }
        List<ObjectNode> ordered = new ArrayList<>();
        for (int i = 0; i < task.size(); i++) {
            ordered.add(saved.get(task.id(i)));
        }
        return task.metrics(ordered);
    }

    /** Predictions already on disk by id; a torn last line (no newline) is cut off the file. */
    private static Map<String, ObjectNode> readSaved(Path file) {
        Map<String, ObjectNode> saved = new HashMap<>();
        if (!Files.exists(file)) {
            return saved;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int complete = bytes.length;
            while (complete > 0 && bytes[complete - 1] != '\n') {
                complete--;
            }
            if (complete < bytes.length) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(complete);
                }
            }
            for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    ObjectNode p = (ObjectNode) JSON.readTree(line);
                    saved.put(p.get("id").asText(), p);
                }
            }
            return saved;
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("cannot read saved predictions " + file + ": " + e.getMessage()
                    + " (delete the file to start the evaluation over)", e);
        }
    }
}
