package dev.driftwatch.streams.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import dev.driftwatch.streams.tail.AvroJson;
import dev.driftwatch.streams.tail.OutputTopic;
import dev.driftwatch.streams.tail.RecordLines;
import dev.driftwatch.streams.client.TopicReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code driftwatch tail --topic NAME}: prints the records of one output topic. */
@Command(name = "tail",
        header = "Print the records of an output topic (stats, business, service-levels, dlq, review, ...).",
        sortOptions = false,
        description = {
            "Reads an output topic of the pipeline read_committed, from every partition, without a consumer group"
                + " (nothing is committed), decodes it with the schema registry, and prints one line per record:"
                + " its time, model version and subject, and its fields. Dead letters show why they were rejected"
                + " and where the original record was (topic/partition@offset).",
            "",
            "Without --follow it prints what the topic holds and exits. Exit status: 0 done; 1 --max N was given"
                + " and fewer than N records arrived within --timeout; 2 bad usage, Kafka or the registry"
                + " unreachable, or no such topic.",
        },
        footer = {"", "Examples:",
            "  bin/driftwatch tail --topic dlq --config driftwatch.properties",
            "  bin/driftwatch tail --topic stats --model churn --subject age --since 2h --format json | jq .statistics"})
public final class TailCommand implements Callable<Integer> {
    /** Exit status when --max records did not arrive within --timeout. */
    public static final int EXIT_TOO_FEW = 1;

    @Mixin
    HelpOption help;

    @Option(names = "--topic", required = true, paramLabel = "NAME",
            description = "stats, business, service-levels, dlq, review, roles, control-results or alerts: the "
                    + "output whose topic (named in the configuration) to read.")
    String topic;

    @Mixin
    ReadOptions read;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputTopic output;
        try {
            output = OutputTopic.byName(topic);
        } catch (IllegalArgumentException e) {
            return CommandSupport.badInput("tail", e.getMessage(), spec.commandLine().getErr());
        }
        return print("tail", output, read, spec);
    }

    /** Reads as the options say and prints each record; the exit status. */
    static int print(String command, OutputTopic output, ReadOptions options, CommandLine.Model.CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DriftwatchConfig cfg;
        TopicReader.Request request;
        try {
            request = options.request(output, Instant.now());
            request.filter().check(output, output.schema());
            cfg = options.connection.load();
            CommandSupport.refuseInMemoryRegistry(cfg);
        } catch (ConfigException | IllegalArgumentException e) {
            return CommandSupport.badInput(command, e.getMessage(), err);
        }
        TopicReader reader = new TopicReader(cfg);
        Thread hook = new Thread(reader::stop, "driftwatch-" + command + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        TopicReader.Outcome outcome;
        try {
            outcome = reader.read(request, new TopicReader.Sink() {
                @Override
                public void record(ConsumerRecord<String, byte[]> origin, SpecificRecord value) {
                    out.println(options.format == ReadOptions.Format.json ? json(origin, value)
                            : RecordLines.text(value));
                    out.flush();
                }

                @Override
                public void undecodable(ConsumerRecord<String, byte[]> origin, String reason) {
                    err.println("driftwatch " + command + ": skipped the record at " + origin.topic() + "/"
                            + origin.partition() + "@" + origin.offset() + ", which cannot be decoded: " + reason);
                    err.flush();
                }
            });
        } catch (PreflightException | KafkaException e) {
            return CommandSupport.badInput(command, e.getMessage(), err);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stopped this read
            }
        }
        if (request.max() > 0 && outcome.matched() < request.max()) {
            err.println("driftwatch " + command + ": " + outcome.matched() + " of " + request.max() + " records within "
                    + options.timeout);
            err.flush();
            return EXIT_TOO_FEW;
        }
        return 0;
    }

    /** The record's fields at the top level, and where it was read under {@code kafka}. */
    static String json(ConsumerRecord<String, byte[]> origin, SpecificRecord value) {
        ObjectNode node = AvroJson.of(value);
        node.putObject("kafka").put("topic", origin.topic()).put("partition", origin.partition())
                .put("offset", origin.offset()).put("key", origin.key())
                .put("timestamp", Instant.ofEpochMilli(origin.timestamp()).toString());
        return node.toString();
    }
}
