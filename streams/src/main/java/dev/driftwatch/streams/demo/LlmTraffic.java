package dev.driftwatch.streams.demo;

import dev.driftwatch.detectors.embedding.EmbeddingReference;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.embedding.EmbeddingBaselines;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.TextMeasures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Deterministic traffic of a chat model ({@value #MODEL} {@value #VERSION}): a prompt and a response text with
 * their token counts, latency, cost, error codes (timeouts, and refusals of the model), and a 64-dimensional
 * prompt embedding around the centre of the prompt's topic. From the drift window on, the prompt mix shifts
 * towards two topics whose prompts are longer and more often refused: the embeddings, the prompts' length in
 * characters, words and tokens, the input tokens, the cost (which follows the tokens) and the error codes drift;
 * the responses, the output tokens, the latency and the prompts' share of non-ASCII characters do not.
 */
public final class LlmTraffic {
    public static final String MODEL = "chat-assistant";
    public static final String VERSION = "2026-11";
    public static final int DIMENSION = 64;
    public static final String REFUSAL = "REFUSAL";
    /** The subjects whose alerts the drift must fire, and no other. */
    public static final Set<String> DRIFTING = Set.of("embedding.prompt", "text.prompt.chars", "text.prompt.words",
            "text.prompt.tokens", "output.tokens_in", "output.cost", "output.error");
    private static final String[] TOPICS = {"coding", "travel", "cooking", "math", "legal", "medical"};
    private static final double[] MIX = {0.35, 0.25, 0.2, 0.14, 0.04, 0.02};
    private static final double[] DRIFTED_MIX = {0.15, 0.1, 0.1, 0.1, 0.3, 0.25};
    /** Mean prompt words per topic: the two topics the drift favours have long prompts. */
    private static final double[] PROMPT_WORDS = {30, 22, 20, 26, 90, 75};
    /** Refusal rate per topic (1 % overall before the drift, about 8 % after). */
    private static final double[] REFUSAL_RATE = {0.004, 0.004, 0.004, 0.004, 0.15, 0.16};
    private static final String[] VOCABULARY = {"the", "a", "how", "what", "please", "explain", "write", "code",
        "function", "trip", "hotel", "recipe", "bake", "prove", "integral", "contract", "clause", "dose", "symptom",
        "with", "for", "my", "is", "can", "you", "help", "data", "list", "plan", "step"};
    /** Responses also use some words with non-ASCII letters; prompts do not (their non-ASCII share stays 0). */
    private static final String[] RESPONSE_WORDS = {"café", "naïve", "über", "déjà", "voilà"};

    private final SplittableRandom random;
    private final double[][] centres;
    private long sequence;

    public LlmTraffic(long seed) {
        this.random = new SplittableRandom(seed);
        // The topics' centres are the same for every seed: training and traffic share them.
        SplittableRandom topics = new SplittableRandom(2026);
        centres = new double[TOPICS.length][DIMENSION];
        for (double[] c : centres) {
            double norm = 0;
            for (int j = 0; j < DIMENSION; j++) {
                c[j] = gaussian(topics);
                norm += c[j] * c[j];
            }
            for (int j = 0; j < DIMENSION; j++) {
                c[j] *= 2.5 / Math.sqrt(norm);
            }
        }
    }

    /** One call; {@code drifted} applies the shifted prompt mix. */
    public InferenceEvent event(long eventTime, boolean drifted) {
        int topic = pick(drifted ? DRIFTED_MIX : MIX);
        String prompt = text(false, Math.max(3, (int) Math.round(PROMPT_WORDS[topic] * Math.exp(0.35 * gaussian(random)))));
        String response = text(true, Math.max(5, (int) Math.round(120 * Math.exp(0.4 * gaussian(random)))));
        long tokensIn = Math.round(TextMeasures.of(prompt).words() * 1.3);
        long tokensOut = Math.round(TextMeasures.of(response).words() * 1.3);
        String error = null;
        double u = random.nextDouble();
        if (u < REFUSAL_RATE[topic]) {
            error = REFUSAL;
        } else if (u < REFUSAL_RATE[topic] + 0.005) {
            error = "TIMEOUT";
        }
        List<Float> embedding = new ArrayList<>(DIMENSION);
        for (int j = 0; j < DIMENSION; j++) {
            embedding.add((float) (centres[topic][j] + gaussian(random)));
        }
        String id = "llm-" + (sequence++);
        return InferenceEvent.newBuilder()
                .setEventId("evt-" + id)
                .setRequestId("req-" + id)
                .setModelId(MODEL)
                .setModelVersion(VERSION)
                .setRole(DeploymentRole.PRIMARY)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setNumericFeatures(Map.of())
                .setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().build())
                .setLatencyMs(Math.round((200 + 12.0 * tokensOut) * Math.exp(0.2 * gaussian(random))) * 1.0)
                .setTokensIn(tokensIn)
                .setTokensOut(tokensOut)
                .setCost(Math.round((tokensIn * 0.5 + tokensOut * 1.5) * 1e3) / 1e9) // per token: 0.5 and 1.5 µ
                .setErrorCode(error)
                .setSegment(Map.of())
                .setTexts(Map.of("prompt", prompt, "response", response))
                .setTextTokens(Map.of("prompt", tokensIn, "response", tokensOut))
                .setEmbeddings(Map.of("prompt", embedding))
                .build();
    }

    /**
     * Every event of a plan, in event-time order ({@code eventsPerWindow} per window, drifted from
     * {@code plan.driftFromWindow()}); returns how many.
     */
    public static long events(SampleTraffic.Plan plan, Consumer<InferenceEvent> sink) {
        LlmTraffic traffic = new LlmTraffic(plan.seed());
        long size = plan.windowSize().toMillis();
        for (int w = 0; w < plan.windows(); w++) {
            for (int i = 0; i < plan.eventsPerWindow(); i++) {
                sink.accept(traffic.event(plan.startMillis() + w * size + (long) i * size / plan.eventsPerWindow(),
                        w >= plan.driftFromWindow()));
            }
        }
        return (long) plan.windows() * plan.eventsPerWindow();
    }

    /**
     * Baselines from {@code rows} undrifted calls: the numeric subjects (text measures, latency, tokens, cost), the
     * error code, and the prompt embedding's reference (fitted with {@code fit}).
     */
    public static List<Baseline> baselines(long seed, int rows, EmbeddingReference.Options fit) {
        LlmTraffic training = new LlmTraffic(seed * 31 + 7);
        Map<String, double[]> numeric = new TreeMap<>();
        String[] errors = new String[rows];
        double[][] embeddings = new double[rows][];
        for (int i = 0; i < rows; i++) {
            InferenceEvent e = training.event(0, false);
            for (Map.Entry<String, String> t : e.getTexts().entrySet()) {
                TextMeasures m = TextMeasures.of(t.getValue());
                String p = "text." + t.getKey() + ".";
                put(numeric, p + "chars", rows, i, m.chars());
                put(numeric, p + "words", rows, i, m.words());
                put(numeric, p + "non_ascii", rows, i, m.nonAscii());
                put(numeric, p + "empty", rows, i, m.empty());
                put(numeric, p + "tokens", rows, i, e.getTextTokens().get(t.getKey()));
            }
            put(numeric, "output.latency_ms", rows, i, e.getLatencyMs());
            put(numeric, "output.tokens_in", rows, i, e.getTokensIn());
            put(numeric, "output.tokens_out", rows, i, e.getTokensOut());
            put(numeric, "output.cost", rows, i, e.getCost());
            errors[i] = e.getErrorCode() == null ? "ok" : e.getErrorCode();
            List<Float> v = e.getEmbeddings().get("prompt");
            embeddings[i] = new double[v.size()];
            for (int j = 0; j < v.size(); j++) {
                embeddings[i][j] = v.get(j);
            }
        }
        String source = "sample:training-" + VERSION;
        List<Baseline> out = new ArrayList<>();
        numeric.forEach((subject, values) -> out.add(BaselineCodec.toAvro(MODEL, VERSION, subject,
                NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, source, null, null), null)));
        out.add(BaselineCodec.toAvro(MODEL, VERSION, "output.error",
                CategoricalBaseline.fromSample(errors, source, null, null), null));
        out.add(EmbeddingBaselines.toAvro(MODEL, VERSION, "prompt", EmbeddingReference.fit(embeddings, fit), 0, source,
                null));
        return out;
    }

    /** The subjects of every window: those of the baselines. */
    public static Set<String> subjects() {
        Set<String> s = new TreeSet<>();
        for (String text : List.of("prompt", "response")) {
            for (String m : List.of("chars", "words", "non_ascii", "empty", "tokens")) {
                s.add("text." + text + "." + m);
            }
        }
        s.addAll(List.of("output.latency_ms", "output.tokens_in", "output.tokens_out", "output.cost", "output.error",
                "embedding.prompt"));
        return s;
    }

    private static void put(Map<String, double[]> m, String subject, int rows, int i, double v) {
        m.computeIfAbsent(subject, k -> new double[rows])[i] = v;
    }

    private String text(boolean nonAscii, int words) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                b.append(' ');
            }
            b.append(nonAscii && random.nextDouble() < 0.1 ? RESPONSE_WORDS[random.nextInt(RESPONSE_WORDS.length)]
                    : VOCABULARY[random.nextInt(VOCABULARY.length)]);
        }
        return b.toString();
    }

    private int pick(double[] weights) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
