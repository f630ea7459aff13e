package io.layerwise.trainers.eval;

import io.layerwise.models.ModelException;
import io.layerwise.models.tokenizer.ChatMessage;
import io.layerwise.models.tokenizer.ChatTemplate;
import java.util.List;
import java.util.Optional;

/**
 * How a task's prompt text reaches the model: as it is ({@code plain}), or as the user turn of the
 * model's own chat template with the assistant header appended ({@code chat}), as Hugging Face's
 * {@code apply_chat_template(..., add_generation_prompt=True)} renders it.
 */
public final class PromptFormat {
    private final ChatTemplate chat;

    private PromptFormat(ChatTemplate chat) {
        this.chat = chat;
    }

    public static PromptFormat plain() {
        return new PromptFormat(null);
    }

    /** The model's chat template; a clear error when the model has none. */
    public static PromptFormat chat(Optional<ChatTemplate> template, String modelId) {
        return new PromptFormat(template.orElseThrow(() -> new ModelException(modelId
                + " has no chat_template in tokenizer_config.json: use prompt_format: plain")));
    }

    public boolean isChat() {
        return chat != null;
    }

    public String apply(String prompt) {
        return chat == null ? prompt : chat.render(List.of(ChatMessage.user(prompt)), true);
    }
}
