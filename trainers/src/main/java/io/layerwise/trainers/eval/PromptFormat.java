package io.layerwise.trainers.eval;

import io.layerwise.models.ModelException;
import io.layerwise.models.tokenizer.ChatMessage;
import io.layerwise.models.tokenizer.ChatTemplate;
import java.util.List;
import java.util.Optional;

/**
 * How a task's prompt text reaches the model: as it is ({@code plain}), inside a user-written
 * template string whose {@code {prompt}} is replaced by it, or as the user turn of the model's own chat
 * template with the assistant header appended ({@code chat}), as Hugging Face's
 * {@code apply_chat_template(..., add_generation_prompt=True)} renders it.
 */
public final class PromptFormat {
    static final String PLACEHOLDER = "{prompt}";

    private final ChatTemplate chat;
    private final String template;

    private PromptFormat(ChatTemplate chat, String template) {
        this.chat = chat;
        this.template = template;
    }

    public static PromptFormat plain() {
        return new PromptFormat(null, PLACEHOLDER);
    }

    /** A template string such as {@code "### Question\n{prompt}\n### Answer\n"}; must contain {@code {prompt}}. */
    public static PromptFormat template(String template) {
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("a prompt template must contain " + PLACEHOLDER);
        }
        return new PromptFormat(null, template);
    }

    /** The model's chat template; a clear error when the model has none. */
    public static PromptFormat chat(Optional<ChatTemplate> template, String modelId) {
        return new PromptFormat(template.orElseThrow(() -> new ModelException(modelId
                + " has no chat_template in tokenizer_config.json: use prompt_format: plain")), PLACEHOLDER);
    }

    public boolean isChat() {
        return chat != null;
    }

    public String apply(String prompt) {
        return chat == null ? template.replace(PLACEHOLDER, prompt) : chat.render(List.of(ChatMessage.user(prompt)), true);
    }
}
