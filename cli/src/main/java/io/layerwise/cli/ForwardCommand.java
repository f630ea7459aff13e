package io.layerwise.cli;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.weights.SafetensorsWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code layerwise forward}: runs one input through a model and writes every tap as float32
 * safetensors (batch dimension dropped), so any outside tool can check the runtime against its own
 * reference: {@code input_ids}, {@code hidden_states.{i}}, {@code logits} (decoders),
 * {@code layers.{l}.attn_o_proj_input} ({@code [seq, heads*head_dim]}) and
 * {@code layers.{l}.mlp_down_proj_input}.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run one input through a model and write all hidden states, per-head outputs, MLP channels and logits.")
final class ForwardCommand implements Callable<Integer> {
    @Mixin
    ModelInput modelInput;

    @Mixin
    PrecisionOption precisionOption;

    @Option(names = "--out", required = true, description = "Output .safetensors file (written atomically)")
    Path out;

    @Override
    public Integer call() {
        Taps taps = Taps.of(TapKind.RESIDUAL, TapKind.HEAD_OUTPUTS, TapKind.MLP_CHANNELS, TapKind.LOGITS);
        Workload workload = Workload.forward(1, modelInput.maxTokens(), taps);
        try (FrozenTransformer model = ModelLoader.load(modelInput.model, precisionOption.precision, workload)) {
            TokenBatch batch = modelInput.batch(model);
            TransformerSpec spec = model.spec();
            SafetensorsWriter writer = new SafetensorsWriter().metadata("model", model.id())
                    .metadata("precision", model.precision().label());
            long[] ids = batch.ids()[0];
            float[] idsAsFloat = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                idsAsFloat[i] = ids[i];
            }
            writer.putFloat32("input_ids", new long[] {ids.length}, idsAsFloat);
            try (ForwardResult r = model.forward(batch, taps)) {
                for (int i = 0; i <= spec.numLayers(); i++) {
                    put(writer, "hidden_states." + i, r.residual(i), ids.length, spec.hiddenSize());
                }
                for (int l = 0; l < spec.numLayers(); l++) {
                    put(writer, "layers." + l + ".attn_o_proj_input", r.headOutputs(l), ids.length, spec.attentionWidth());
                    put(writer, "layers." + l + ".mlp_down_proj_input", r.mlpChannels(l), ids.length, spec.intermediateSize());
                }
                if (spec.causal()) {
                    put(writer, "logits", r.logits(), ids.length, spec.vocabSize());
                }
            }
            writer.write(out);
            System.out.printf("%s: %d tokens through %d layers -> %s%n", model.id(), ids.length, spec.numLayers(), out);
        }
        return 0;
    }

    private static void put(SafetensorsWriter writer, String name, NDArray array, long seq, long width) {
        writer.putFloat32(name, new long[] {seq, width}, array.toFloatArray());
    }
}
