package io.layerwise.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.layerwise.models.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's chat template ({@code chat_template} in {@code tokenizer_config.json}) rendered the way
 * Hugging Face's {@code apply_chat_template} renders it: Jinja with {@code trim_blocks} and
 * {@code lstrip_blocks}, the messages as {@code {role, content}} maps, {@code add_generation_prompt},
 * the special-token strings ({@code bos_token}, {@code eos_token}, ...) and {@code raise_exception}.
 * Rendering uses Jinjava, a maintained Java implementation of Jinja.
 *
 * <pre>{@code
 * ChatTemplate chat = ChatTemplate.forModel(modelDir).orElseThrow();
 * String prompt = chat.render(List.of(ChatMessage.user("Hello")), true);
 * }</pre>
 */
public final class ChatTemplate {
    private static final String CONFIG_FILE = "tokenizer_config.json";

    private final String template;
    private final Map<String, Object> specialTokens;
    private final String source;

    public ChatTemplate(String template, Map<String, Object> specialTokens, String source) {
        this.template = template;
        this.specialTokens = Map.copyOf(specialTokens);
        this.source = source;
    }

    /** The chat template of a model directory, if its {@code tokenizer_config.json} has one. */
    public static Optional<ChatTemplate> forModel(Path modelDirectory) {
        Path config = modelDirectory.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot parse " + config + ": " + e.getMessage(), e);
        }
        JsonNode node = root.get("chat_template");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        Map<String, Object> tokens = new HashMap<>();
        root.fields().forEachRemaining(e -> {
            if (e.getKey().endsWith("_token")) {
                JsonNode value = e.getValue();
                // special tokens are plain strings or AddedToken objects with a "content" field
                tokens.put(e.getKey(), value.isTextual() ? value.asText() : value.path("content").asText(""));
            }
        });
        return Optional.of(new ChatTemplate(templateText(node, config), tokens, config.toString()));
    }

    /** A plain string, or Hugging Face's list of named templates, of which "default" is used. */
    private static String templateText(JsonNode node, Path config) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText())) {
                    return named.path("template").asText();
                }
            }
        }
        throw new ModelException(config + ": chat_template is neither a string nor a list with a 'default' template");
    }

    /** The prompt text for these messages; with {@code addGenerationPrompt} it ends where the assistant's reply begins. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withFailOnUnknownTokens(false).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        Map<String, Object> context = new HashMap<>(specialTokens);
        List<Map<String, Object>> turns = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role());
            turn.put("content", m.content());
            turns.add(turn);
        }
        context.put("messages", turns);
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = jinja.renderForResult(template, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            for (Throwable t = fatal.get(0).getException(); t != null; t = t.getCause()) {
                if (t instanceof ModelException rejected) {
                    throw rejected;
                }
            }
            throw new ModelException("chat template of " + source + " failed: " + fatal.get(0).getMessage());
        }
        return result.getOutput();
    }

    /** {@code raise_exception(message)} as templates call it to reject a conversation. */
    public static String raiseException(String message) {
        throw new ModelException("the chat template rejected the conversation: " + message);
    }
}
