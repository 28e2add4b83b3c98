package dev.driftwatch.streams.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The output files of one command, written all or none: {@link #check} refuses a destination that
 * cannot be written before any work is done; each file is written to a temporary file beside it
 * ({@link #temp}); {@link #commit} renames them all into place once every one is complete. A command
 * that fails half-way leaves no output behind ({@link #close} deletes the temporary files), and never a
 * half-written file.
 */
final class OutputFiles implements AutoCloseable {
    private final Map<Path, String> options;
    private final Map<Path, Path> temps = new LinkedHashMap<>();
    private boolean committed;

    private OutputFiles(Map<Path, String> options) {
        this.options = options;
    }

    /**
     * Checks every destination given: its folder exists and may be written, it is not a folder, and no
     * two options name the same file.
     *
     * @param optionsAndPaths pairs of option name and path; pairs with a null path are skipped
     * @throws IllegalArgumentException naming the option, the path and the fix
     */
    static OutputFiles check(Object... optionsAndPaths) {
        Map<Path, String> options = new LinkedHashMap<>();
        for (int i = 0; i < optionsAndPaths.length; i += 2) {
            String option = (String) optionsAndPaths[i];
            Path path = (Path) optionsAndPaths[i + 1];
            if (path == null) {
                continue;
            }
            Path file = path.toAbsolutePath().normalize();
            Path folder = file.getParent();
            if (options.containsKey(file)) {
                throw new IllegalArgumentException(option + " " + path + " is also given to " + options.get(file)
                        + "; give each output its own file");
            }
            if (folder == null || !Files.isDirectory(folder)) {
                throw new IllegalArgumentException(option + " " + path + ": the folder " + folder + " does not exist;"
                        + " create it first, or choose a file in an existing folder (nothing was written)");
            }
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(option + " " + path + " is a folder; give a file name");
            }
            if (!Files.isWritable(folder) || Files.exists(file) && !Files.isWritable(file)) {
                throw new IllegalArgumentException(option + " " + path + " cannot be written (permissions);"
                        + " choose another file (nothing was written)");
            }
            options.put(file, option);
        }
        return new OutputFiles(options);
    }

    /** A new temporary file beside {@code path} (one of the checked destinations), to be written now. */
    Path temp(Path path) throws IOException {
        Path file = path.toAbsolutePath().normalize();
        if (!options.containsKey(file)) {
            throw new IllegalStateException(path + " was not checked as an output");
        }
        // createFile, unlike createTempFile, gives the usual permissions (the umask's), which the output keeps
        Path temp = Files.createFile(file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part"));
        temps.put(file, temp);
        return temp;
    }

    /** Renames every temporary file onto its destination, replacing what was there. */
    void commit() throws IOException {
        for (Map.Entry<Path, Path> e : temps.entrySet()) {
            try {
                Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
    }

    /** Deletes the temporary files that were not committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        List<Path> left = new ArrayList<>(temps.values());
        for (Path temp : left) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a .part file left behind is named after its output
            }
        }
    }
}
