package io.layerwise.models.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.layerwise.models.ModelException;
import io.layerwise.models.nn.Linear;
import io.layerwise.models.nn.Norm;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.precision.WeightMatrix;
import io.layerwise.models.precision.WeightMatrixLoader;
import io.layerwise.models.weights.TensorInfo;
import io.layerwise.models.weights.WeightSource;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Hands an adapter the tensors it asks for by name, checking each shape against what the config
 * implies, and afterwards checks that nothing in the checkpoint was left unused. Missing tensors,
 * wrong shapes and unexpected tensors are errors that name the tensor. Weight matrices (linear layers,
 * token tables, LM heads) come through {@link #matrix} in the load's precision; everything else
 * (norms, biases, learned positions) is small and float32.
 */
public final class WeightBinder {
    private final WeightSource source;
    private final NDManager manager;
    private final String prefix;
    private final Set<String> used;
    private final WeightMatrixLoader matrices;

    /** A binder over the whole checkpoint with float32 products; weights are created in {@code manager}. */
    public WeightBinder(WeightSource source, NDManager manager) {
        this(source, manager, Precision.F32);
    }

    /** A binder over the whole checkpoint whose matrices compute in {@code precision}. */
    public WeightBinder(WeightSource source, NDManager manager, Precision precision) {
        this(source, manager, "", new HashSet<>(), new WeightMatrixLoader(source, manager, precision));
    }

    private WeightBinder(WeightSource source, NDManager manager, String prefix, Set<String> used,
            WeightMatrixLoader matrices) {
        this.source = source;
        this.manager = manager;
        this.prefix = prefix;
        this.used = used;
        this.matrices = matrices;
    }

    /**
     * A view that prepends {@code prefix} to every name (e.g. {@code "model."}); it shares this binder's
     * record of used tensors.
     */
    public WeightBinder under(String prefix) {
        return new WeightBinder(source, manager, this.prefix + prefix, used, matrices);
    }

    public boolean has(String name) {
        return source.contains(prefix + name);
    }

    /** A required tensor of exactly this shape, as float32. */
    public NDArray tensor(String name, long... shape) {
        return source.load(claim(name, shape), manager);
    }

    /**
     * A required weight matrix of exactly this shape, in the load's precision (a bf16 checkpoint's
     * matrices stay mapped in bf16).
     */
    public WeightMatrix matrix(String name, long rows, long columns) {
        return matrices.load(claim(name, rows, columns));
    }

    /** Checks that the tensor exists with this shape, marks it used, and returns its full name. */
    private String claim(String name, long... shape) {
        String full = prefix + name;
        if (!source.contains(full)) {
            throw new ModelException("missing tensor '" + full + "' in " + source.description());
        }
        TensorInfo info = source.info(full);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new ModelException("tensor '" + full + "' in " + source.description() + " has shape "
                    + info.shapeText() + ", expected " + Arrays.toString(shape) + " from config.json");
        }
        used.add(full);
        return full;
    }

    /** A tensor that may be absent (e.g. a bias); null when it is. */
    public NDArray optional(String name, long... shape) {
        return has(name) ? tensor(name, shape) : null;
    }

    /** Marks a present tensor as deliberately unused (e.g. a tied {@code lm_head.weight}). */
    public void ignore(String name) {
        used.add(prefix + name);
    }

    /**
     * {@code y = x W^T + b} with {@code W [out, in]}; the bias is required when {@code withBias}, and
     * a bias present when the config says there is none is left unused (and so reported).
     */
    public Linear linear(String name, long out, long in, boolean withBias) {
        WeightMatrix weight = matrix(name + ".weight", out, in);
        return new Linear(weight, withBias ? tensor(name + ".bias", out) : null);
    }

    public Norm.LayerNorm layerNorm(String name, long width, float eps) {
        return new Norm.LayerNorm(tensor(name + ".weight", width), tensor(name + ".bias", width), eps);
    }

    public Norm.RmsNorm rmsNorm(String name, long width, float eps) {
        return new Norm.RmsNorm(tensor(name + ".weight", width), eps);
    }

    /**
     * Fails when the checkpoint holds tensors nobody bound, except those {@code ignorable} accepts
     * (buffers such as {@code rotary_emb.inv_freq}, heads of other tasks).
     */
    public void requireAllUsed(Predicate<String> ignorable) {
        Set<String> unexpected = new TreeSet<>();
        for (String name : source.names()) {
            if (!used.contains(name) && !ignorable.test(name)) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            List<String> shown = unexpected.stream().limit(8).toList();
            throw new ModelException(source.description() + " has " + unexpected.size() + " unexpected tensor(s) "
                    + shown + (unexpected.size() > shown.size() ? " ..." : "")
                    + ": the checkpoint does not match its config.json's model_type/num_hidden_layers");
        }
    }
}
