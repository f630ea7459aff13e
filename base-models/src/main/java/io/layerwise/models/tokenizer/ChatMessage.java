package io.layerwise.models.tokenizer;

/**
 * One turn of a conversation as chat templates see it ({@code {"role": ..., "content": ...}}).
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the text of the turn
 */
public record ChatMessage(String role, String content) {

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }
}
