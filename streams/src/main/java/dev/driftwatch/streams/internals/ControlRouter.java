package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;

/**
 * Reads the control topic: a command that cannot be read, or has no id or an unknown type, is answered
 * with a rejection at once; every other command is keyed for the evaluating stage, where the task that
 * owns the model version applies it to its stores. A command for one model version (with windows not
 * segmented) is keyed {@code model/version/*}, like that version's window summaries; any other command
 * is keyed {@link #BROADCAST_KEY} and goes to every partition.
 */
public final class ControlRouter implements Processor<byte[], byte[], String, ControlRouter.Output> {
    /** The key of commands that every partition of the evaluating stage applies. */
    public static final String BROADCAST_KEY = "*";
    /** Longest command id accepted. */
    public static final int MAX_COMMAND_ID_LENGTH = 256;

    /** A command on its way to the evaluating stage, or the rejection of one that cannot go there. */
    public record Output(Partial partial, ControlResult result) {
    }

    private final PipelineSettings settings;
    private final Deserializer<ControlCommand> deserializer;
    private ProcessorContext<String, Output> context;

    public ControlRouter(PipelineSettings settings, Deserializer<ControlCommand> deserializer) {
        this.settings = settings;
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        ControlCommand command;
        try {
            command = record.value() == null ? null
                    : deserializer.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(""),
                    record.value());
        } catch (RuntimeException e) {
            reject(record, key, null, "the command cannot be read as a ControlCommand: " + e.getMessage());
            return;
        }
        if (command == null) {
            reject(record, key, null, "the command record has no value; expected a ControlCommand");
            return;
        }
        String id = command.getCommandId();
        if (id == null || id.isBlank() || id.length() > MAX_COMMAND_ID_LENGTH) {
            reject(record, key, command.getType(), "commandId '" + id + "' is not allowed; expected a non-blank id"
                    + " of at most " + MAX_COMMAND_ID_LENGTH + " characters, e.g. a UUID");
            return;
        }
        if (command.getType() == null || command.getType() == CommandType.UNKNOWN) {
            reject(record, id, command.getType(), "command type " + command.getType() + " is not known to this"
                    + " version; expected one of CAPTURE_BASELINE, SET_POLICY, MUTE, UNMUTE, ACKNOWLEDGE");
            return;
        }
        String route = command.getModelId() != null && command.getModelVersion() != null
                && settings.segmentAttribute() == null
                ? command.getModelId() + "/" + command.getModelVersion() + "/*"
                : BROADCAST_KEY;
        context.forward(new Record<>(route, new Output(Partial.command(command), null), record.timestamp()));
    }

    private void reject(Record<byte[], byte[]> record, String id, CommandType type, String reason) {
        String commandId = id == null || id.isBlank() ? "(no command id)" : id;
        ControlResult result = ControlCommands.rejected(commandId, type == null ? null : type.name(),
                record.timestamp(), reason);
        context.forward(new Record<>(commandId, new Output(null, result), record.timestamp()));
    }
}
