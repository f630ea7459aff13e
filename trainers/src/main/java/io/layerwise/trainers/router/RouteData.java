package io.layerwise.trainers.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.LoadedDataset;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionDataset;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionProgress;
import io.layerwise.datasets.extract.ModelFiles;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.models.tokenizer.TextTokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The router's data: the texts of a route config split (seeded) into held-out texts, kept for the
 * forward-pass evaluation, and training texts taken in shuffled order until the token budget is spent.
 * The training texts are written to {@code data/train.jsonl} in the run directory and extracted per
 * token (pooling {@code none}, taps {@code attention_input} and {@code heads}, float32, 90% train /
 * 10% validation rows) by the ordinary extraction job, from the config it writes to
 * {@code extract.yaml}, into {@code activations/}: resumable, and readable with numpy like any store.
 *
 * @param store the complete activation store
 * @param heldOut token ids of the held-out texts (cut to {@code max_length})
 * @param trainingTexts texts extracted
 * @param trainingTokens tokens extracted
 */
public record RouteData(ActivationStore store, List<long[]> heldOut, int trainingTexts, long trainingTokens) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Splits the texts, writes the training set and its extraction config, and extracts (or resumes) the store. */
    public static RouteData prepare(RouteConfig config, List<Integer> layers, RunDirectory run, PrintStream log) {
        ModelFiles model = ModelFiles.resolve(config.model());
        LoadedDataset<Example> data = ExtractionDataset.load(config.dataset());
        List<Example> texts = data.items();
        if (texts.size() < 2) {
            throw new DatasetException(config.dataset().path() + " holds " + texts.size()
                    + " text(s); a route run needs at least one for training and one held out");
        }
        int[] order = shuffled(texts.size(), config.seed());
        int heldOutCount = Math.max(1, (int) Math.round(config.heldOut() * texts.size()));
        List<long[]> heldOut = new ArrayList<>();
        StringBuilder train = new StringBuilder();
        int trainingTexts = 0;
        long tokens = 0;
        try (TextTokenizer tokenizer = TextTokenizer.load(model.tokenizer())) {
            for (int i = 0; i < order.length; i++) {
                Example e = texts.get(order[i]);
                long[] ids = tokenizer.encode(e.text(), config.maxLength());
                if (ids.length < 2) {
                    continue;
                }
                if (i < heldOutCount) {
                    heldOut.add(ids);
                } else if (tokens < config.tokenBudget()) {
                    train.append(JSON.createObjectNode().put("id", e.id()).put("text", e.text())).append('\n');
                    trainingTexts++;
                    tokens += ids.length;
                }
            }
        }
        if (trainingTexts < 2 || heldOut.isEmpty()) {
            throw new DatasetException(config.dataset().path() + " gives " + trainingTexts + " training and "
                    + heldOut.size() + " held-out texts of 2 tokens or more; a route run needs at least 2 and 1");
        }
        run.writeText("data/train.jsonl", train.toString());
        Path extractConfig = run.resolve("extract.yaml");
        run.writeText("extract.yaml", "# written by layerwise route: the per-token activations its routers train on\n"
                + "model: " + quote(config.model()) + "\n"
                + "dataset: {path: " + quote(run.resolve("data/train.jsonl").toString())
                + ", format: jsonl, label_field: none, id_field: id}\n"
                + "splits: {train: 0.9, validation: 0.1, seed: " + config.seed() + "}\n"
                + "taps: [attention_input, heads]\n"
                + "layers: [" + layers.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]\n"
                + "pooling: none\n"
                + "max_length: " + config.maxLength() + "\n"
                + "batch_size: " + config.evalBatchSize() + "\n"
                + "dtype: f32\n"
                + "precision: " + config.precision().label() + "\n"
                + "output: " + quote(run.resolve("activations").toString()) + "\n");
        ExtractionPlan plan = ExtractionPlan.create(ConfigLoader.load(extractConfig, List.of(), ExtractionConfig.class));
        log.printf("extracting %d training texts (%d tokens) into %s%n", trainingTexts, tokens, plan.output());
        new ExtractionJob(plan, ExtractionProgress.SILENT).run();
        return new RouteData(ActivationStore.open(plan.output()), heldOut, trainingTexts, tokens);
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
