package io.layerwise.datasets.extract;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.extract.ExtractionPlan.ShardPlan;
import io.layerwise.datasets.extract.ExtractionPlan.TapPlan;
import io.layerwise.datasets.store.ShardWriter;
import io.layerwise.datasets.store.StoreWriter;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a checked {@link ExtractionPlan}. A shard is a pure function of its index: its examples are
 * tokenized, then {@link PooledForward} (shared with {@code layerwise score}) groups them into length
 * buckets, runs them with only the planned taps and layers (blocks past the deepest one are skipped) and
 * pools each text over its own tokens; the rows are written to their places in the shard files, which are
 * committed together with the shard's entry ({@link StoreWriter}). Native memory is released batch by
 * batch: each {@link ForwardResult} is closed as soon as its vectors are copied out.
 *
 * <p>The same shard function serves every way of running: {@link #run()} computes every missing shard
 * here and merges (a plain {@code layerwise extract}); {@link #run(ShardSlice)} computes one worker's
 * slice and leaves the merge to {@link #merge} ({@code --shard i/N}, then {@code --merge}); an engine
 * that keeps its own model (Spark) calls {@link #compute} per task.
 *
 * <pre>{@code
 * ExtractionPlan plan = ExtractionPlan.create(ConfigLoader.load(file, overrides, ExtractionConfig.class));
 * ExtractionStats stats = new ExtractionJob(plan, ExtractionProgress.SILENT).run();
 * }</pre>
 */
public final class ExtractionJob {
    private final ExtractionPlan plan;
    private final ExtractionProgress progress;

    public ExtractionJob(ExtractionPlan plan, ExtractionProgress progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /** Loads the model, writes every missing shard and completes the store; returns what this run did. */
    public ExtractionStats run() {
        return run(ShardSlice.ALL, true);
    }

    /** Loads the model and writes the missing shards of one worker's slice; the store stays unfinished. */
    public ExtractionStats run(ShardSlice slice) {
        return run(slice, false);
    }

    private ExtractionStats run(ShardSlice slice, boolean complete) {
        long start = System.nanoTime();
        try (FrozenTransformer model = loadModel(plan)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            if (complete) {
                // the only writer: temporaries of a killed run can go
                StoreWriter.openOrCreate(plan.output(), plan.requestedManifest().withWeightFingerprint(model.weightFingerprint()))
                        .deleteTemporaryFiles();
            }
            ExtractionStats stats = compute(model, slice.select(plan.shards()));
            if (complete) {
                merge(plan);
            }
            return new ExtractionStats(stats.examples(), stats.rows(), stats.examplesComputed(), stats.tokensComputed(),
                    stats.shardsComputed(), stats.shardsReused(), loadSeconds, stats.extractSeconds());
        } catch (IOException e) {
            throw storeError(plan, e);
        }
    }

    /** Loads the planned model with a workload fitted to the plan's batches, taps and layers. */
    public static FrozenTransformer loadModel(ExtractionPlan plan) {
        Workload workload = Workload.forward(plan.config().batchSize(), plan.config().maxLength(), taps(plan));
        FrozenTransformer model = ModelLoader.load(plan.config().model(), plan.config().precision(), workload);
        if (!model.id().equals(plan.model().id()) || !model.spec().equals(plan.model().spec())) {
            model.close();
            throw new IllegalStateException("planned " + plan.model() + " but loaded " + model.id());
        }
        return model;
    }

    /**
     * Writes the shards of {@code shards} not yet committed, with a model loaded for this plan (see
     * {@link #loadModel}); opens the store, creating it when new. Other processes may write other shards
     * of the same store meanwhile. The returned load time is zero.
     */
    public ExtractionStats compute(FrozenTransformer model, List<ShardPlan> shards) {
        long start = System.nanoTime();
        try {
            StoreWriter store = StoreWriter.openOrCreate(plan.output(),
                    plan.requestedManifest().withWeightFingerprint(model.weightFingerprint()));
            Set<Integer> committed = store.committedShards();
            long total = shards.stream().mapToLong(ShardPlan::examples).sum();
            long done = shards.stream().filter(s -> committed.contains(s.index())).mapToLong(ShardPlan::examples).sum();
            progress.start(total, done);
            long examples = 0;
            long tokens = 0;
            int computed = 0;
            for (ShardPlan shard : shards) {
                if (!committed.contains(shard.index())) {
                    tokens += writeShard(model, store, shard);
                    store.commitShard(shard.info());
                    examples += shard.examples();
                    computed++;
                }
            }
            progress.finish();
            return new ExtractionStats(plan.examples().size(), plan.rows(), examples, tokens, computed,
                    shards.size() - computed, 0, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw storeError(plan, e);
        }
    }

    /**
     * Completes the store once every shard is committed: writes the per-row index files and the resolved
     * config, then the complete manifest. Needs no model.
     *
     * @throws DatasetException naming the shards not committed yet
     */
    public static void merge(ExtractionPlan plan) {
        try {
            StoreWriter store = StoreWriter.open(plan.output(), plan.requestedManifest());
            if (store.manifest().complete()) {
                return;
            }
            Set<Integer> committed = store.committedShards();
            if (committed.size() == plan.shards().size()) {
                store.writeResolvedConfig(plan.resolvedConfigYaml());
                store.writeIndex(plan.examples(), plan.splits(),
                        plan.config().pooling() == Pooling.NONE ? plan.tokenCounts() : null);
            }
            store.complete();
        } catch (IOException e) {
            throw storeError(plan, e);
        }
    }

    private static DatasetException storeError(ExtractionPlan plan, IOException e) {
        return new DatasetException("cannot write the activation store " + plan.output() + ": " + e.getMessage()
                + "; fix the cause and run the same command again to resume", e);
    }

    /** Computes and commits the files of one shard; returns its real token count. */
    private long writeShard(FrozenTransformer model, StoreWriter store, ShardPlan shard) throws IOException {
        TextTokenizer tokenizer = model.requireTokenizer();
        int maxLength = plan.config().maxLength();
        List<long[]> ids = new ArrayList<>(shard.examples());
        int[] lengths = plan.shardLengths(shard);
        long[] firstRow = new long[shard.examples()];
        long row = 0;
        for (int i = 0; i < shard.examples(); i++) {
            Example e = plan.examples().get(shard.firstExample() + i);
            long[] tokens = tokenizer.encode(e.text(), maxLength);
            if (tokens.length != lengths[i]) {
                throw new IllegalStateException(e.id() + " tokenized to " + tokens.length + " tokens, planned " + lengths[i]);
            }
            ids.add(tokens);
            firstRow[i] = row;
            row += plan.config().pooling() == Pooling.NONE ? tokens.length : 1;
        }
        List<ShardWriter> writers = new ArrayList<>();
        List<PooledForward.Target> targets = new ArrayList<>();
        List<Integer> dims = new ArrayList<>();
        try {
            for (TapPlan tap : plan.taps()) {
                for (int layer : tap.layers()) {
                    writers.add(ShardWriter.create(store.shardPath(tap.tap(), layer, shard.index()),
                            plan.config().dtype().npy(), shard.rows(), tap.dim()));
                    targets.add(new PooledForward.Target(tap.tap(), layer));
                    dims.add(tap.dim());
                }
            }
            PooledForward forward = new PooledForward(model, targets, taps(plan), plan.config().pooling(), plan.paddingSide(),
                    plan.config().batchSize(), Interventions.none());
            long tokensDone = forward.run(ids, new PooledForward.Sink() {
                @Override
                public void accept(int target, int sequence, float[] pooled) throws IOException {
                    writers.get(target).writeRows(firstRow[sequence], pooled, 0, pooled.length / dims.get(target));
                }

                @Override
                public void batchDone(int sequences, long realTokens) {
                    progress.advance(sequences, realTokens);
                }
            });
            for (ShardWriter writer : writers) {
                writer.commit();
            }
            return tokensDone;
        } finally {
            for (ShardWriter writer : writers) {
                try {
                    writer.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The runtime taps: the planned kinds, limited to the planned layers so later blocks are not run. */
    private static Taps taps(ExtractionPlan plan) {
        Set<TapKind> kinds = EnumSet.noneOf(TapKind.class);
        Set<Integer> layers = new TreeSet<>();
        for (TapPlan tap : plan.taps()) {
            kinds.add(tap.tap().kind());
            layers.addAll(tap.layers());
        }
        return new Taps(kinds, plan.config().layers().isAll() ? Set.of() : layers);
    }
}
