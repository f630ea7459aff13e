package io.layerwise.trainers.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains the router of one block in SameDiff with Adam on per-token rows ({@link LayerData}). The
 * loss is {@code recon + beta * L_load}: {@code recon} is the squared error of the attention output
 * after the output projection with the router's gates ({@code o_proj(g * heads)}) against the dense one
 * ({@code o_proj(heads)}), per token, divided by the mean squared norm of the dense output, so 0 is a
 * perfect reconstruction and 1 is as bad as dropping the attention output; {@code L_load} is
 * {@link LoadBalancingLoss} over the routed heads (MoH's {@code n * sum_i P_i f_i}). The output
 * projection's bias cancels in the difference and is not needed.
 *
 * <p>The graph is {@link HeadRouter}'s computation: logits {@code x W_r^T}, softmax, the top-k
 * {@link RankMask}, the kept weights, the optional two-way weighting. With {@link GateWeighting#MASK}
 * the gate is the straight-through {@code mask + p - p'}, where {@code p'} is a placeholder fed with
 * the value of {@code p} computed from the current weights before each step: its value is the mask and
 * its gradient that of {@code p} (SameDiff M2.1 has no stop-gradient op). Shared heads are the
 * {@code sharedHeads} most important heads ({@link HeadImportance}); {@code W_r} starts from a seeded
 * N(0, 0.02) (MoH's LLM initialization), {@code W_m} from zero (equal shared/routed weights). Token order
 * is shuffled per epoch with the seed, so a run is deterministic for a given thread count.
 */
public final class RouterTrainer {
    private final RouterSettings settings;

    public RouterTrainer(RouterSettings settings) {
        this.settings = settings;
    }

    /** Mean losses over the training tokens after one epoch. */
    public record EpochStats(int epoch, double loss, double reconstruction, double loadBalancing) {}

    /** A trained router, its training curve and the wall time of the optimization steps. */
    public record Trained(HeadRouter router, List<EpochStats> history, double trainSeconds, long tokensSeen) {}

    public Trained train(LayerData data) {
        int heads = data.numHeads();
        int d = data.headDim();
        int hidden = (int) data.inputs().columns();
        int[] shared = HeadImportance.top(HeadImportance.of(data), settings.sharedHeads());
        int[] routed = HeadImportance.complement(heads, shared);
        int n = routed.length;
        int k = settings.topK();
        if (n == 0 || k < 1 || k > n) {
            throw new IllegalArgumentException("top_k " + k + " must be between 1 and the " + n + " routed heads");
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, hidden);
        SDVariable o = sd.placeHolder("o", DataType.FLOAT, -1, (long) heads * d);
        Random init = new Random(settings.seed() + 1_000_003L * data.layer());
        float[][] wr = new float[hidden][n];
        for (float[] row : wr) {
            for (int j = 0; j < n; j++) {
                row[j] = (float) (0.02 * init.nextGaussian());
            }
        }
        SDVariable routerWeight = sd.var("w_r", Nd4j.create(wr));
        SDVariable logits = x.mmul(routerWeight);
        SDVariable p = sd.nn().softmax("p", logits, 1);
        SDVariable mask = RankMask.select(sd, "mask", logits, n, k);
        SDVariable routedGates;
        if (settings.weighting() == GateWeighting.MASK) {
            SDVariable pValue = sd.placeHolder("p_value", DataType.FLOAT, -1, n);
            routedGates = mask.add(p).sub(pValue);
        } else {
            SDVariable kept = p.mul(mask);
            routedGates = kept.div(kept.sum(true, 1).add(1e-12)).mul((double) k);
        }
        float[][] place = new float[n][heads];
        for (int i = 0; i < n; i++) {
            place[i][routed[i]] = 1f;
        }
        float[] sharedRow = new float[heads];
        for (int h : shared) {
            sharedRow[h] = 1f;
        }
        SDVariable placement = sd.constant("placement", Nd4j.create(place));
        SDVariable sharedGates = sd.constant("shared", Nd4j.create(sharedRow).reshape(1, heads));
        SDVariable gates;
        if (settings.twoWay()) {
            SDVariable mix = sd.nn().softmax(x.mmul(sd.var("w_m", Nd4j.zeros(DataType.FLOAT, hidden, 2))), 1).mul(2.0);
            SDVariable sharedScale = mix.mmul(sd.constant(Nd4j.create(new float[][] {{1f}, {0f}})));
            SDVariable routedScale = mix.mmul(sd.constant(Nd4j.create(new float[][] {{0f}, {1f}})));
            gates = routedGates.mul(routedScale).mmul(placement).add(sharedScale.mmul(sharedGates));
        } else {
            gates = routedGates.mmul(placement).add(sharedGates);
        }
        INDArray woT = data.outputProjection().transpose().dup();
        INDArray dense = data.heads().mmul(woT);
        double denseMeanSquare = dense.mul(dense).sum(1).meanNumber().doubleValue();
        SDVariable delta = o.reshape(-1, heads, d).mul(gates.sub(1.0).reshape(-1, heads, 1)).reshape(-1, (long) heads * d)
                .mmul(sd.constant("wo_t", woT));
        SDVariable reconstruction = delta.mul(delta).sum(1).mean().div(Math.max(denseMeanSquare, 1e-30)).rename("recon");
        SDVariable load = LoadBalancingLoss.of(p, mask, n).rename("load");
        SDVariable loss = reconstruction.add("loss", load.mul(settings.beta()));
        sd.setLossVariables(loss);
        List<String> features = new ArrayList<>(List.of("x", "o"));
        if (settings.weighting() == GateWeighting.MASK) {
            features.add("p_value");
        }
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(settings.learningRate()))
                .dataSetFeatureMapping(features).markLabelsUnused().build());

        long tokens = data.tokens();
        SplittableRandom shuffle = new SplittableRandom(settings.seed() + data.layer());
        List<EpochStats> history = new ArrayList<>();
        long seen = 0;
        long trainNanos = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long[] order = permutation(tokens, shuffle);
            INDArray xs = data.inputs().get(NDArrayIndex.indices(order), NDArrayIndex.all());
            INDArray os = data.heads().get(NDArrayIndex.indices(order), NDArrayIndex.all());
            long start = System.nanoTime();
            // one fit call per epoch: SameDiff sets up its training session per call, which costs more than a step
            sd.fit(new Batches(sd, xs, os, settings.batchSize(), settings.weighting() == GateWeighting.MASK), 1);
            seen += tokens;
            // the shuffled copies are freed now: off-heap memory otherwise waits for a garbage collection
            xs.close();
            os.close();
            trainNanos += System.nanoTime() - start;
            history.add(evaluate(sd, data, epoch));
        }
        HeadRouter router = new HeadRouter(data.layer(), heads, shared, routed, k, settings.weighting(),
                sd.getVariable("w_r").getArr().transpose().toFloatMatrix(),
                settings.twoWay() ? sd.getVariable("w_m").getArr().transpose().toFloatMatrix() : null);
        return new Trained(router, history, trainNanos / 1e9, seen);
    }

    private EpochStats evaluate(SameDiff sd, LayerData data, int epoch) {
        Map<String, INDArray> in = new HashMap<>(Map.of("x", data.inputs(), "o", data.heads()));
        if (settings.weighting() == GateWeighting.MASK) {
            in.put("p_value", sd.output(Map.of("x", data.inputs()), "p").get("p"));
        }
        Map<String, INDArray> out = sd.output(in, "loss", "recon", "load");
        EpochStats stats = new EpochStats(epoch, out.get("loss").getDouble(0), out.get("recon").getDouble(0),
                out.get("load").getDouble(0));
        // the whole-set activations of this pass are large; free them rather than wait for the collector
        sd.clearOpInputs();
        sd.clearPlaceholders(true);
        return stats;
    }

    /**
     * The shuffled rows of one epoch in minibatches, made as they are asked for, so that with the mask
     * weighting {@code p_value} is computed from the weights of that very step. Never prefetched.
     */
    private static final class Batches implements MultiDataSetIterator {
        private final SameDiff sd;
        private final INDArray xs;
        private final INDArray os;
        private final int batchSize;
        private final boolean straightThrough;
        private long next;

        Batches(SameDiff sd, INDArray xs, INDArray os, int batchSize, boolean straightThrough) {
            this.sd = sd;
            this.xs = xs;
            this.os = os;
            this.batchSize = batchSize;
            this.straightThrough = straightThrough;
        }

        @Override
        public boolean hasNext() {
            return next < xs.rows();
        }

        @Override
        public MultiDataSet next() {
            return next(batchSize);
        }

        @Override
        public MultiDataSet next(int num) {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long to = Math.min(xs.rows(), next + num);
            INDArray xb = xs.get(NDArrayIndex.interval(next, to), NDArrayIndex.all());
            INDArray ob = os.get(NDArrayIndex.interval(next, to), NDArrayIndex.all());
            next = to;
            INDArray[] features = straightThrough ? new INDArray[] {xb, ob, sd.output(Map.of("x", xb), "p").get("p")}
                    : new INDArray[] {xb, ob};
            return new MultiDataSet(features, new INDArray[0]);
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("router batches take no preprocessor");
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            next = 0;
        }
    }

    private static long[] permutation(long count, SplittableRandom random) {
        long[] order = new long[(int) count];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
