package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.MultipleChoiceItem;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.scoring.NextTokenLogProbs;
import io.layerwise.models.tokenizer.TextTokenizer;
import io.layerwise.trainers.metrics.MulticlassMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * MMLU-style multiple choice scored by the log-likelihood of each answer letter after the prompt
 * (Hendrycks et al.'s format: a subject line, the question, lettered choices, {@code "Answer:"}; with
 * k shots from a dev list, the solved examples come first). The prediction is the most likely
 * letter; metrics are accuracy and macro precision, recall and F1 over the letters.
 */
public final class MultipleChoiceTask implements EvalTask {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LETTERS = "ABCDEFGHIJ";

    private final FrozenTransformer model;
    private final Interventions interventions;
    private final List<MultipleChoiceItem> items;
    private final List<MultipleChoiceItem> shots;
    private final String defaultSubject;
    private final PromptFormat format;

    /**
     * @param shots solved examples shown before each question (empty for zero-shot)
     * @param defaultSubject the subject named when an item has none (e.g. {@code general knowledge})
     */
    public MultipleChoiceTask(FrozenTransformer model, Interventions interventions, List<MultipleChoiceItem> items,
            List<MultipleChoiceItem> shots, String defaultSubject, PromptFormat format) {
        this.model = model;
        this.interventions = interventions;
        this.items = List.copyOf(items);
        this.shots = List.copyOf(shots);
        this.defaultSubject = defaultSubject;
        this.format = format;
    }

    @Override
    public String name() {
        return "mmlu";
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public String id(int index) {
        return items.get(index).id();
    }

    /** The prompt of one item, before the chat template (if any) is applied. */
    public String prompt(MultipleChoiceItem item) {
        String subject = item.subject().isBlank() ? defaultSubject : item.subject().replace('_', ' ');
        StringBuilder text = new StringBuilder();
        if (shots.isEmpty()) {
            text.append("The following is a multiple choice question about ").append(subject).append(".\n\n");
        } else {
            text.append("The following are multiple choice questions (with answers) about ").append(subject).append(".\n\n");
            for (MultipleChoiceItem shot : shots) {
                text.append(question(shot)).append(' ').append(LETTERS.charAt(shot.answerIndex())).append("\n\n");
            }
        }
        return text.append(question(item)).toString();
    }

    private static String question(MultipleChoiceItem item) {
        StringBuilder text = new StringBuilder(item.question()).append('\n');
        for (int c = 0; c < item.choices().size(); c++) {
            text.append(LETTERS.charAt(c)).append(". ").append(item.choices().get(c)).append('\n');
        }
        return text.append("Answer:").toString();
    }

    @Override
    public List<ObjectNode> evaluate(List<Integer> indices) {
        TextTokenizer tokenizer = model.requireTokenizer();
        List<long[]> prompts = new ArrayList<>();
        long[] candidates = null;
        for (int index : indices) {
            MultipleChoiceItem item = items.get(index);
            String prompt = format.apply(prompt(item));
            long[] ids = tokenizer.encode(prompt, 0);
            prompts.add(ids);
            String[] answers = new String[item.choices().size()];
            for (int c = 0; c < answers.length; c++) {
                answers[c] = (format.isChat() ? "" : " ") + LETTERS.charAt(c);
            }
            long[] itemCandidates = TokenCandidates.continuationTokens(tokenizer, prompt, ids, answers);
            if (candidates == null) {
                candidates = itemCandidates;
            } else if (!java.util.Arrays.equals(candidates, itemCandidates)) {
                throw new IllegalStateException("answer letters tokenize differently after different prompts");
            }
        }
        float[][] scores = new NextTokenLogProbs(model, interventions).score(prompts, candidates);
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            MultipleChoiceItem item = items.get(indices.get(i));
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            ObjectNode p = JSON.createObjectNode().put("id", item.id())
                    .put("answer", String.valueOf(LETTERS.charAt(item.answerIndex())))
                    .put("predicted", String.valueOf(LETTERS.charAt(best)))
                    .put("correct", best == item.answerIndex());
            var logProbs = p.putArray("log_probs");
            for (float s : scores[i]) {
                logProbs.add(s);
            }
            out.add(p);
        }
        return out;
    }

    @Override
    public ObjectNode metrics(List<ObjectNode> predictions) {
        int[] truth = new int[predictions.size()];
        int[] predicted = new int[predictions.size()];
        int classes = 0;
        for (int i = 0; i < predictions.size(); i++) {
            truth[i] = LETTERS.indexOf(predictions.get(i).get("answer").asText());
            predicted[i] = LETTERS.indexOf(predictions.get(i).get("predicted").asText());
            classes = Math.max(classes, predictions.get(i).get("log_probs").size());
        }
        MulticlassMetrics m = MulticlassMetrics.of(truth, predicted, classes);
        return JSON.createObjectNode().put("items", predictions.size()).put("accuracy", m.accuracy())
                .put("precision", m.precision()).put("recall", m.recall()).put("f1", m.f1());
    }
}
