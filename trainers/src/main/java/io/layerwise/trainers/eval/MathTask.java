package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.MathProblem;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.GreedyDecoder;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.tokenizer.TextTokenizer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GSM8K-style word problems: the prompt {@code Question: ...\nAnswer:}, greedy decoding with the KV
 * cache up to a token limit, stopping at a stop token or string or at the end of the line that holds
 * {@code ####}, and the final number compared numerically with the reference's number after
 * {@code ####}. The metric is accuracy.
 */
public final class MathTask implements EvalTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrozenTransformer model;
    private final Interventions interventions;
    private final List<MathProblem> problems;
    private final PromptFormat format;
    private final int maxNewTokens;
    private final List<String> stops;

    public MathTask(FrozenTransformer model, Interventions interventions, List<MathProblem> problems,
            PromptFormat format, int maxNewTokens, List<String> stops) {
        this.model = model;
        this.interventions = interventions;
        this.problems = List.copyOf(problems);
        this.format = format;
        this.maxNewTokens = maxNewTokens;
        this.stops = List.copyOf(stops);
    }

    @Override
    public String name() {
        return "gsm8k";
    }

    @Override
    public int size() {
        return problems.size();
    }

    @Override
    public String id(int index) {
        return problems.get(index).id();
    }

    @Override
    public List<ObjectNode> evaluate(List<Integer> indices) {
        TextTokenizer tokenizer = model.requireTokenizer();
        StopStrings stop = new StopStrings(tokenizer, stops);
        List<long[]> prompts = new ArrayList<>();
        for (int index : indices) {
            prompts.add(tokenizer.encode(format.apply("Question: " + problems.get(index).question() + "\nAnswer:"), 0));
        }
        List<long[]> generated = new GreedyDecoder(model, interventions, true).generate(prompts, maxNewTokens, stop.ids(),
                tokens -> {
                    String text = tokenizer.decode(tokens);
                    return stop.reached(text) || finishedAnswerLine(text);
                });
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            MathProblem problem = problems.get(indices.get(i));
            String completion = answerPart(stop.cut(tokenizer.decode(generated.get(i))));
            Optional<BigDecimal> predicted = FinalNumber.extract(completion);
            Optional<BigDecimal> expected = FinalNumber.extract("#### " + problem.finalAnswer());
            boolean correct = predicted.isPresent() && expected.isPresent()
                    && predicted.get().compareTo(expected.get()) == 0;
            out.add(JSON.createObjectNode().put("id", problem.id()).put("completion", completion)
                    .put("predicted", predicted.map(BigDecimal::toPlainString).orElse(null))
                    .put("expected", problem.finalAnswer()).put("correct", correct));
        }
        return out;
    }

    /** The line holding {@code ####} is complete once a newline follows it. */
    private static boolean finishedAnswerLine(String text) {
        int marker = text.indexOf("####");
        return marker >= 0 && text.indexOf('\n', marker) >= 0;
    }

    /** The completion up to the end of its {@code ####} line. */
    private static String answerPart(String text) {
        int marker = text.indexOf("####");
        int end = marker < 0 ? -1 : text.indexOf('\n', marker);
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public ObjectNode metrics(List<ObjectNode> predictions) {
        long correct = predictions.stream().filter(p -> p.get("correct").asBoolean()).count();
        return JSON.createObjectNode().put("items", predictions.size())
                .put("accuracy", (double) correct / predictions.size());
    }
}
