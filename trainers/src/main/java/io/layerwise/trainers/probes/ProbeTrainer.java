package io.layerwise.trainers.probes;

import io.layerwise.checkpoints.bundle.AffineLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Trains one probe on one layer's rows with Deeplearning4j: standardization fitted on train, a
 * {@link MultiLayerNetwork} (MLP: dense + activation + dropout + 2-way softmax; logistic with the
 * {@code adam} solver: 2-way softmax on the features; the default logistic solver is
 * {@link LogisticLbfgs}) trained with Adam on class-weighted cross-entropy plus L2, early stopping on the
 * validation loss (the best epoch's weights are kept), then the decision threshold chosen by the
 * {@link ThresholdRule} on validation and metrics measured on test. Seeded: the network's
 * initialization, the dropout masks and the epoch shuffles all derive from {@code seed}, so the same
 * inputs give the same probe.
 *
 * <pre>{@code
 * TrainedProbe probe = new ProbeTrainer(ProbeKind.MLP, MlpSettings.DEFAULT, LogisticSettings.DEFAULT,
 *         ClassWeighting.BALANCED, ThresholdRule.HALF, 42).train(6, data, epoch -> {});
 * }</pre>
 */
public final class ProbeTrainer {
    private static final double LOG_FLOOR = 1e-12;

    private final ProbeKind kind;
    private final MlpSettings mlp;
    private final LogisticSettings logistic;
    private final ProbeSettings settings;
    private final ClassWeighting weighting;
    private final ThresholdRule threshold;
    private final long seed;

    public ProbeTrainer(ProbeKind kind, MlpSettings mlp, LogisticSettings logistic, ClassWeighting weighting,
            ThresholdRule threshold, long seed) {
        this.kind = kind;
        this.mlp = mlp;
        this.logistic = logistic;
        this.settings = kind == ProbeKind.MLP ? mlp.common() : logistic.common();
        this.weighting = weighting;
        this.threshold = threshold;
        this.seed = seed;
    }

    /**
     * Trains on {@code data.train()}, stops early on {@code data.validation()}, reports on
     * {@code data.test()}; {@code onEpoch} sees every epoch's losses as they are measured.
     */
    public TrainedProbe train(int layer, LayerRows data, Consumer<EpochLoss> onEpoch) {
        long started = System.nanoTime();
        float[][] trainRows = data.train().rows();
        Standardizer standardizer = Standardizer.fit(trainRows);
        float[][] trainX = standardizer.apply(trainRows);
        float[][] validationX = standardizer.apply(data.validation().rows());
        float[][] testX = standardizer.apply(data.test().rows());
        double[] classWeights = weighting.weights(data.train().labels());
        if (kind == ProbeKind.LOGISTIC && logistic.solver().equals(LogisticSettings.LBFGS)) {
            return lbfgs(layer, data, standardizer, trainX, validationX, testX, classWeights, onEpoch, started);
        }
        return network(layer, data, standardizer, Nd4j.createFromArray(trainX), Nd4j.createFromArray(validationX),
                Nd4j.createFromArray(testX), classWeights, onEpoch, started);
    }

    /** A probe as a DL4J network trained with Adam and early stopping. */
    private TrainedProbe network(int layer, LayerRows data, Standardizer standardizer, INDArray trainX, INDArray validationX,
            INDArray testX, double[] classWeights, Consumer<EpochLoss> onEpoch, long started) {
        INDArray trainY = oneHot(data.train().labels());
        Nd4j.getRandom().setSeed(seed);
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(trainX.columns(), classWeights));
        net.init();
        Random shuffle = new Random(seed);
        int n = trainX.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochLoss> curve = new ArrayList<>();
        INDArray bestParams = net.params().dup();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            shuffleInPlace(order, shuffle);
            for (int start = 0; start < n; start += settings.batchSize()) {
                int[] batch = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + settings.batchSize()));
                net.fit(trainX.getRows(batch), trainY.getRows(batch));
            }
            EpochLoss loss = new EpochLoss(epoch, loss(net, trainX, data.train().labels(), classWeights),
                    loss(net, validationX, data.validation().labels(), classWeights));
            curve.add(loss);
            onEpoch.accept(loss);
            if (loss.validationLoss() < bestLoss) {
                bestLoss = loss.validationLoss();
                bestEpoch = epoch;
                bestParams = net.params().dup();
            } else if (settings.patience() > 0 && epoch - bestEpoch >= settings.patience()) {
                break;
            }
        }
        net.setParams(bestParams);

        double[] validationP = classOne(net.output(validationX, false));
        double chosen = threshold.choose(validationP, data.validation().labels());
        double[] testP = classOne(net.output(testX, false));
        return new TrainedProbe(kind, layer, standardizer, exported(net), mlp.activation(), chosen, threshold.chosenBy(),
                BinaryMetrics.of(validationP, data.validation().labels(), chosen),
                BinaryMetrics.of(testP, data.test().labels(), chosen), curve, bestEpoch,
                (System.nanoTime() - started) / 1e9);
    }

    /** The logistic probe by L-BFGS to the optimum: no epochs, the curve has one point per iteration. */
    private TrainedProbe lbfgs(int layer, LayerRows data, Standardizer standardizer, float[][] trainX, float[][] validationX,
            float[][] testX, double[] classWeights, Consumer<EpochLoss> onEpoch, long started) {
        List<EpochLoss> curve = new ArrayList<>();
        LogisticLbfgs.Fit fit = LogisticLbfgs.fit(trainX, data.train().labels(), classWeights, logistic.l2(),
                logistic.tolerance(), validationX, data.validation().labels(), loss -> {
                    curve.add(loss);
                    onEpoch.accept(loss);
                });
        double[] validationP = fit.probabilities(validationX);
        double chosen = threshold.choose(validationP, data.validation().labels());
        double[] testP = fit.probabilities(testX);
        return new TrainedProbe(kind, layer, standardizer, List.of(new AffineLayer(new float[][] {fit.weights()},
                new float[] {fit.bias()})), mlp.activation(), chosen, threshold.chosenBy(),
                BinaryMetrics.of(validationP, data.validation().labels(), chosen),
                BinaryMetrics.of(testP, data.test().labels(), chosen), curve, fit.iterations(), (System.nanoTime() - started) / 1e9);
    }

    private MultiLayerConfiguration configuration(int features, double[] classWeights) {
        LossMCXENT loss = new LossMCXENT(Nd4j.createFromArray(classWeights).castTo(DataType.FLOAT));
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(settings.learningRate()))
                .l2(settings.l2())
                .weightInit(WeightInit.XAVIER)
                .list();
        if (kind == ProbeKind.MLP) {
            layers.layer(new DenseLayer.Builder().nIn(features).nOut(mlp.hiddenSize())
                    .activation(activation(mlp.activation())).build());
            OutputLayer.Builder out = new OutputLayer.Builder(loss).nIn(mlp.hiddenSize()).nOut(2).activation(Activation.SOFTMAX);
            if (mlp.dropout() > 0) {
                out.dropOut(1 - mlp.dropout()); // DL4J takes the probability of keeping a unit
            }
            layers.layer(out.build());
        } else {
            layers.layer(new OutputLayer.Builder(loss).nIn(features).nOut(2).activation(Activation.SOFTMAX).build());
        }
        return layers.build();
    }

    /** The trained network as PyTorch-layout affine layers ending in the single logit {@code z_1 - z_0}. */
    private List<AffineLayer> exported(MultiLayerNetwork net) {
        List<AffineLayer> layers = new ArrayList<>();
        int last = net.getnLayers() - 1;
        for (int i = 0; i < last; i++) {
            INDArray w = net.getLayer(i).getParam("W");
            layers.add(new AffineLayer(w.transpose().toFloatMatrix(), net.getLayer(i).getParam("b").toFloatVector()));
        }
        INDArray w = net.getLayer(last).getParam("W");
        INDArray b = net.getLayer(last).getParam("b");
        float[] logit = w.getColumn(1).sub(w.getColumn(0)).toFloatVector();
        float bias = b.getFloat(1) - b.getFloat(0);
        layers.add(new AffineLayer(new float[][] {logit}, new float[] {bias}));
        return layers;
    }

    /** Mean class-weighted cross-entropy, as DL4J's weighted MCXENT scores a batch, without the L2 term. */
    private static double loss(MultiLayerNetwork net, INDArray x, long[] labels, double[] classWeights) {
        double[] p = classOne(net.output(x, false));
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double pTrue = labels[i] == 1 ? p[i] : 1 - p[i];
            sum -= classWeights[(int) labels[i]] * Math.log(Math.max(pTrue, LOG_FLOOR));
        }
        return sum / p.length;
    }

    private static double[] classOne(INDArray softmax) {
        return softmax.getColumn(1).toDoubleVector();
    }

    private static INDArray oneHot(long[] labels) {
        float[][] y = new float[labels.length][2];
        for (int i = 0; i < labels.length; i++) {
            y[i][(int) labels[i]] = 1f;
        }
        return Nd4j.createFromArray(y);
    }

    private static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    private static void shuffleInPlace(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
