package io.layerwise.trainers.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.models.ModelException;
import io.layerwise.models.tokenizer.ChatTemplate;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three ways a task prompt reaches a model. */
class PromptFormatTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));

    @Test
    void plainLeavesThePromptAsItIs() {
        assertThat(PromptFormat.plain().apply("Question: 2+2?\nAnswer:")).isEqualTo("Question: 2+2?\nAnswer:");
    }

    @Test
    void templateStringWrapsThePrompt() {
        assertThat(PromptFormat.template("### Task\n{prompt}\n### Reply\n").apply("Add 2 and 2."))
                .isEqualTo("### Task\nAdd 2 and 2.\n### Reply\n");
        assertThatThrownBy(() -> PromptFormat.template("no placeholder")).hasMessageContaining("{prompt}");
    }

    @Test
    void chatUsesTheModelsTemplateAndNeedsOne() {
        PromptFormat chat = PromptFormat.chat(ChatTemplate.forModel(SHARED.resolve("models/tiny-qwen3-chat")), "chat");
        assertThat(chat.apply("Hi")).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThatThrownBy(() -> PromptFormat.chat(Optional.empty(), "tiny-llama-bytes"))
                .isInstanceOf(ModelException.class).hasMessageContaining("tiny-llama-bytes has no chat_template");
    }
}
