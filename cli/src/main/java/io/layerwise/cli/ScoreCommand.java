package io.layerwise.cli;

import io.layerwise.checkpoints.bundle.ProbeBundle;
import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.TextInputReader;
import io.layerwise.datasets.extract.Pooling;
import io.layerwise.datasets.extract.PooledForward;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.files.AtomicFiles;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise score --probe BUNDLE --model DIR_OR_NAME --input texts.(csv|jsonl) --out scores.csv}:
 * applies an exported probe to new texts. The texts go through the base model exactly as extraction
 * took the probe's training rows (the card's max_length, padding side, tap, layer and pooling, the same
 * length-bucketed batching, the card's precision), and only the blocks up to the probe's layer run.
 * A model whose weight fingerprint differs from the card's is refused before any text is scored: a
 * probe's weights mean nothing on another model's activations.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score texts with an exported probe bundle: probability of class 1 and prediction per text."})
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--probe", required = true, paramLabel = "BUNDLE", description = "Probe bundle directory (layerwise export)")
    Path probe;

    @Option(names = "--model", required = true, paramLabel = "DIR_OR_NAME",
            description = "The base model the probe was trained on: a model directory or a bundled encoder name")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Texts: .csv/.tsv with a text (or comment_text) column, or .jsonl with a text field; an id column/field is kept")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "scores.csv to write (id, probability, prediction)")
    Path out;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Texts per forward pass (default ${DEFAULT-VALUE}; the extraction's batch_size reproduces its rows bit for bit)")
    int batchSize;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new UserInputException("--batch-size: must be >= 1, got " + batchSize);
        }
        ProbeBundle bundle = ProbeBundle.read(probe);
        ProbeCard card = bundle.card();
        ActivationTap tap = ActivationTap.byName(card.tap()).orElseThrow();
        List<Example> texts = new TextInputReader(input).read().items();
        if (texts.isEmpty()) {
            throw new DatasetException(input + " holds no texts to score");
        }
        Precision precision = Precision.parse(card.baseModel().precision(), probe.resolve("card.json") + ": base_model.precision");
        PooledForward.Target target = new PooledForward.Target(tap, card.layer());
        Taps taps = Taps.of(tap.kind()).onLayers(card.layer());
        float[][] rows;
        try (FrozenTransformer base = ModelLoader.load(model, precision, Workload.forward(batchSize, card.maxLength(), taps))) {
            requireSameModel(base, card);
            List<long[]> sequences = tokenize(base.requireTokenizer(), texts, card.maxLength());
            PaddingSide side = PaddingSide.valueOf(card.paddingSide().toUpperCase(Locale.ROOT));
            rows = PooledForward.rows(base, sequences, target, Pooling.fromConfig(card.pooling()), side, batchSize,
                    Interventions.none());
        }
        double[] p = bundle.probabilities(rows);
        double threshold = card.threshold().value();
        List<List<Object>> scores = new ArrayList<>(p.length);
        int positive = 0;
        for (int i = 0; i < p.length; i++) {
            int prediction = p[i] >= threshold ? 1 : 0;
            positive += prediction;
            scores.add(List.of(texts.get(i).id(), p[i], prediction));
        }
        AtomicFiles.writeString(out, new Table(List.of("id", "probability", "prediction"), scores).toCsv());
        System.out.printf("scored %,d texts with the %s probe of %s layer %d: %,d at or above threshold %s -> %s%n",
                p.length, card.kind().cardName(), card.tap(), card.layer(), positive, threshold, out);
        return 0;
    }

    /** Refuses another model, or one whose shape cannot give the probe's rows. */
    private void requireSameModel(FrozenTransformer base, ProbeCard card) {
        String expected = card.baseModel().weightFingerprint();
        if (!base.weightFingerprint().equals(expected)) {
            throw new UserInputException("the probe " + probe + " was trained on " + card.baseModel().id() + " (weights "
                    + expected + "), but --model " + model + " has weights " + base.weightFingerprint()
                    + "; score with the model the probe was trained on");
        }
        ActivationTap tap = ActivationTap.byName(card.tap()).orElseThrow();
        if (card.layer() >= tap.layerCount(base.spec()) || tap.dim(base.spec()) != card.dim()
                || card.maxLength() > base.spec().maxPositions()) {
            throw new UserInputException(probe.resolve("card.json") + ": layer " + card.layer() + ", dim " + card.dim()
                    + " and max_length " + card.maxLength() + " do not fit " + base.id());
        }
    }

    private List<long[]> tokenize(TextTokenizer tokenizer, List<Example> texts, int maxLength) {
        List<long[]> sequences = new ArrayList<>(texts.size());
        for (Example e : texts) {
            long[] ids = tokenizer.encode(e.text(), maxLength);
            if (ids.length == 0) {
                throw new DatasetException(input + " line " + e.line() + " (id " + e.id() + ") tokenizes to no tokens; remove it or give it text");
            }
            sequences.add(ids);
        }
        return sequences;
    }
}
