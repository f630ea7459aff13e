package io.layerwise.trainers.pruning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.DatasetFingerprint;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.LabelledTextReader;
import io.layerwise.datasets.LabelledTextSpec;
import io.layerwise.datasets.TextFileFormat;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.tokenizer.ChatTemplate;
import io.layerwise.trainers.eval.PromptFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code layerwise energies}: the per-channel energy histories of the prunable blocks over general text
 * (plain, as in pre-training) and over benign and harmful prompts (in the model's chat format, as they
 * arrive at inference), written to an {@link EnergyStore}. Each set is measured once; a rerun with the
 * same data, model and settings finds it done.
 */
public final class EnergiesStudy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EnergiesStudy() {}

    public static EnergyStore run(EnergiesConfig config, FrozenTransformer model, PrintStream log) {
        Path root = Path.of(config.output());
        List<Integer> layers = PrunableLayers.of(config.excludeFirst(), config.excludeLast(), model.spec().numLayers())
                .layers(model.spec().numLayers());
        String modelFingerprint = model.weightFingerprint();
        Path generalFile = Path.of(config.general());
        LabelledTextSpec generalSpec = LabelledTextSpec.of(TextFileFormat.of(generalFile), "text", null);
        List<String> general = new ArrayList<>();
        for (Example e : new LabelledTextReader(generalFile, generalSpec, BadRowPolicy.FAIL).read().items()) {
            if (config.generalLimit() == 0 || general.size() < config.generalLimit()) {
                general.add(e.text());
            }
        }
        SafetyPrompts prompts = SafetyPrompts.read(Path.of(config.prompts()), config.promptRows(), config.promptLimit());
        PromptFormat chat = PromptFormat.chat(ChatTemplate.forModel(Path.of(config.model())), model.id());
        Map<String, List<String>> texts = Map.of("general", general,
                "benign", prompts.benign().stream().map(p -> chat.apply(p.text())).toList(),
                "harmful", prompts.harmful().stream().map(p -> chat.apply(p.text())).toList());

        ObjectNode manifest = JSON.createObjectNode().put("model", model.id()).put("model_fingerprint", modelFingerprint)
                .put("precision", config.precision().label()).put("max_length", config.maxLength())
                .put("attention_width", model.spec().attentionWidth()).put("head_dim", model.spec().headDim())
                .put("intermediate_size", model.spec().intermediateSize());
        layers.forEach(manifest.putArray("layers")::add);
        manifest.putObject("prompts").put("file", config.prompts())
                .put("content", DatasetFingerprint.of(List.of(Path.of(config.prompts())), new TreeMap<>()).value())
                .put("rows", config.promptRows().configName()).put("limit", config.promptLimit());
        ObjectNode sets = manifest.putObject("sets");
        for (String name : EnergyStore.SETS) {
            Path file = name.equals("general") ? generalFile : Path.of(config.prompts());
            String fingerprint = DatasetFingerprint.of(List.of(file), new TreeMap<>(Map.of("set", name,
                    "rows", name.equals("general") ? "all" : config.promptRows().configName(),
                    "limit", Integer.toString(name.equals("general") ? config.generalLimit() : config.promptLimit()),
                    "max_length", Integer.toString(config.maxLength()), "layers", layers.toString(),
                    "precision", config.precision().label()))).value();
            List<String> set = texts.get(name);
            ChannelEnergies energies;
            if (EnergyStore.hasSet(root, name, fingerprint, modelFingerprint)) {
                energies = EnergyStore.readSet(root, name);
                log.printf("%s: already measured (%d tokens)%n", name, energies.tokens());
            } else {
                long start = System.nanoTime();
                List<long[]> ids = set.stream().map(t -> model.requireTokenizer().encode(t, config.maxLength())).toList();
                energies = ChannelEnergies.measure(model, ids, layers, config.batchSize());
                EnergyStore.writeSet(root, name, energies, fingerprint, modelFingerprint);
                log.printf(Locale.ROOT, "%s: %d texts, %d tokens (%.1f s)%n", name, set.size(), energies.tokens(),
                        (System.nanoTime() - start) / 1e9);
            }
            sets.putObject(name).put("file", file.toString()).put("fingerprint", fingerprint).put("texts", set.size())
                    .put("tokens", energies.tokens());
        }
        EnergyStore.writeManifest(root, manifest);
        return EnergyStore.open(root);
    }
}
